"""The search index step: which files it adds, that they agree with each other, and that builds
with it stay deterministic; `--no-search` leaves it out."""
from __future__ import annotations

import gzip
import json
import os

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import cli
from generator.search import code_char, record_html
from tests.conftest import GOOD_ENTRY, TODAY


def read_tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory, sample_root):
    out = tmp_path_factory.mktemp("search") / "output"
    build(sample_root, out, on=TODAY)
    return out


def test_build_adds_pagefind_bundle_and_our_files_but_not_pagefinds_ui(sample_output):
    files = read_tree(sample_output)
    for needed in ("pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/wasm.en.pagefind",
                   "pagefind/pagefind-entry.json", "search/facets.json", "search/entries.txt", "search/words.txt", "search/index.html"):
        assert needed in files
    assert not [path for path in files if "pagefind-ui" in path or "component-ui" in path]


def test_facet_files_list_values_with_totals_and_one_line_per_entry_naming_real_fragments(sample_output):
    header = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    assert [facet for facet, _ in header["facets"]] == ["kind", "topic", "audience", "country", "language", "cost"]
    countries = dict((key, total) for key, _, total in header["facets"][3][1])
    assert countries["zw"] == 1 and countries["gb"] > 1
    rows = (sample_output / "search/entries.txt").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 36
    names = []
    for row in rows:
        fid, codes = row.split(" ")
        assert codes
        fragment = gzip.decompress((sample_output / f"pagefind/fragment/{fid}.pf_fragment").read_bytes())
        names.append(json.loads(fragment.removeprefix(b"pagefind_dcd"))["meta"]["title"])
    assert names == sorted(names, key=str.casefold)


def test_words_file_lists_name_words_for_typo_correction(sample_output):
    words = (sample_output / "search/words.txt").read_text(encoding="utf-8").split()
    assert {"samaritans", "friendship", "bench", "amitié"} <= set(words)
    assert words == sorted(words)


def test_two_builds_are_byte_identical(sample_root, sample_output, tmp_path):
    build(sample_root, tmp_path / "again", on=TODAY)
    assert read_tree(tmp_path / "again") == read_tree(sample_output)


def test_no_search_builds_pages_only(project, tmp_path):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    build(project.root, tmp_path / "out", on=TODAY, search=False)
    files = read_tree(tmp_path / "out")
    assert "search/index.html" in files
    assert not [path for path in files if path.startswith("pagefind/") or path.startswith("search/facets")]
    assert "search/entries.txt" not in files


def test_cli_no_search_flag_is_wired(project, tmp_path):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    result = CliRunner().invoke(cli, ["build", str(project.root), "--out", str(tmp_path / "out"), "--no-search"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "pagefind").exists()
    result = CliRunner().invoke(cli, ["build", str(project.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "pagefind" / "pagefind.js").exists()


def test_indexing_writes_nothing_into_the_current_folder(project, tmp_path, monkeypatch):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    monkeypatch.chdir(tmp_path)
    build(project.root, tmp_path / "out", on=TODAY)
    assert sorted(os.listdir(tmp_path)) == ["out", "site"]


def test_record_escapes_what_editors_write(project):
    from generator.build import check
    from generator.model import build_site

    project.entry("gb/good-line.yaml", GOOD_ENTRY.replace("name: Good Line", "name: Good <b>Line</b> & co"))
    valid, _ = check(project.root, TODAY)
    site = build_site(valid)
    html = record_html(site, site.entries[0])
    assert "Good &lt;b&gt;Line&lt;/b&gt; &amp; co" in html
    assert 'data-pagefind-weight="10"' in html


def test_value_codes_are_single_printable_characters_without_space_or_newline():
    chars = [code_char(n) for n in range(400)]
    assert len(set(chars)) == 400
    assert all(c.isprintable() and not c.isspace() for c in chars)
