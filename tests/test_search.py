"""The search index step: which files it adds, that they agree with each other, and that builds
with it stay deterministic; `--no-search` leaves it out."""
from __future__ import annotations

import itertools
import json
import os

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import cli
from generator.search import chunk_key, code_char, gaps, tokens
from tests.conftest import GOOD_ENTRY, TODAY


def read_tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory, sample_root):
    out = tmp_path_factory.mktemp("search") / "output"
    build(sample_root, out, on=TODAY)
    return out


def test_build_adds_our_search_files_and_no_pagefind_bundle(sample_output):
    files = read_tree(sample_output)
    for needed in ("search/facets.json", "search/entries.txt", "search/names.txt", "search/words.txt",
                   "search/cards/0.json", "search/index/sa.txt", "search/index.html"):
        assert needed in files
    assert not [path for path in files if path.startswith("pagefind/")]


def test_facet_files_list_values_with_totals_and_one_line_per_entry(sample_output):
    header = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    assert [facet for facet, _ in header["facets"]] == ["kind", "topic", "audience", "country", "language", "cost"]
    countries = dict((key, total) for key, _, total in header["facets"][3][1])
    assert countries["zw"] == 1 and countries["gb"] > 1
    assert header["entries"] == 36
    rows = (sample_output / "search/entries.txt").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 36 and all(rows)
    # Zimbabwe's code appears on exactly one line: the Friendship Bench's.
    values = [(facet, key) for facet, pairs in header["facets"] for key, _, _ in pairs]
    zw = code_char(values.index(("country", "zw")))
    assert [n for n, row in enumerate(rows) if zw in row] == [cards(sample_output).index("Friendship Bench")]


def cards(output) -> list[str]:
    """Entry names in card order (entry number order)."""
    names = []
    for n in range(len(list((output / "search/cards").iterdir()))):
        names += [card[1] for card in json.loads((output / f"search/cards/{n}.json").read_text(encoding="utf-8"))]
    return names


def test_cards_hold_every_entry_a_to_z_with_first_contact_link(sample_output):
    names = cards(sample_output)
    assert len(names) == 36 and names == sorted(names, key=str.casefold)
    block = json.loads((sample_output / "search/cards/0.json").read_text(encoding="utf-8"))
    samaritans = next(card for n in range(2) for card in json.loads(
        (sample_output / f"search/cards/{n}.json").read_text(encoding="utf-8")) if card[1] == "Samaritans")
    url, name, kind, summary, action, contact, href = samaritans
    assert url == "/entries/samaritans/" and kind == "Helplines" and href == "tel:116123" and contact == "116 123"
    assert all(len(card) == 7 for card in block)


def postings(output, word) -> tuple[list[int], list[int]]:
    """The entry numbers whose name, and whose other text, has `word`, read from the index."""
    for line in (output / f"search/index/{chunk_key(word)}.txt").read_text(encoding="utf-8").splitlines():
        indexed, *lists = line.split(" ")
        if indexed == word:
            return tuple(list(itertools.accumulate(int(gap, 36) for gap in text.split(","))) if text else []
                         for text in lists)
    return [], []


def test_text_index_lists_entries_by_name_and_by_other_text(sample_output):
    names = cards(sample_output)
    in_name, other = postings(sample_output, "samaritans")
    assert [names[n] for n in in_name] == ["Samaritans"]
    in_name, other = postings(sample_output, "zimbabwe")  # a country, in words
    assert names.index("Friendship Bench") in other
    in_name, other = postings(sample_output, "amitie")  # accents removed, as the browser does
    assert [names[n] for n in in_name] == ["SOS Amitié"]


def test_tokens_are_lower_case_without_accents_and_at_least_two_characters():
    assert tokens("SOS Amitié, 116 123 · a Zürich-line") == ["sos", "amitie", "116", "123", "zurich", "line"]
    assert chunk_key("amitie") == "am" and chunk_key("φως") == "_3c6_3c9"
    assert tokens("मदद") == ["मदद"] and tokens("हिंदी") == ["हद"]  # marks dropped, as the browser does


def test_gaps_are_base36_differences():
    assert gaps([3, 4, 40]) == "3,1,10"
    assert gaps([]) == ""


def test_words_file_lists_name_words_for_typo_correction(sample_output):
    words = (sample_output / "search/words.txt").read_text(encoding="utf-8").split()
    assert {"samaritans", "friendship", "bench", "amitié"} <= set(words)
    assert words == sorted(words)


def test_stopwords_stay_out_of_the_index_and_are_listed_for_the_browser(sample_output):
    header = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    assert {"and", "for", "the", "with"} <= set(header["stopwords"])
    summaries = [card[3].lower() for n in range(2)
                 for card in json.loads((sample_output / f"search/cards/{n}.json").read_text(encoding="utf-8"))]
    assert any(" for " in summary for summary in summaries)  # common in the text...
    assert postings(sample_output, "for") == ([], [])  # ...yet not in the index
    assert not {"and", "for", "the", "with"} & set((sample_output / "search/words.txt").read_text(encoding="utf-8").split())
    # A name's length, for the bonus of a name made of the query's words, counts indexed words only.
    lengths = (sample_output / "search/names.txt").read_text(encoding="utf-8")
    assert lengths[cards(sample_output).index("Side by Side (Mind)")] == code_char(3)  # side, side, mind


def test_two_builds_are_byte_identical(sample_root, sample_output, tmp_path):
    build(sample_root, tmp_path / "again", on=TODAY)
    assert read_tree(tmp_path / "again") == read_tree(sample_output)


def test_no_search_builds_pages_only(project, tmp_path):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    build(project.root, tmp_path / "out", on=TODAY, search=False)
    files = read_tree(tmp_path / "out")
    assert "search/index.html" in files
    assert not [path for path in files if path.startswith("search/") and path != "search/index.html"]
    assert "search/entries.txt" not in files


def test_cli_no_search_flag_is_wired(project, tmp_path):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    result = CliRunner().invoke(cli, ["build", str(project.root), "--out", str(tmp_path / "out"), "--no-search"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "search" / "facets.json").exists()
    result = CliRunner().invoke(cli, ["build", str(project.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "search" / "facets.json").exists()


def test_indexing_writes_nothing_into_the_current_folder(project, tmp_path, monkeypatch):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    monkeypatch.chdir(tmp_path)
    build(project.root, tmp_path / "out", on=TODAY)
    assert sorted(os.listdir(tmp_path)) == ["out", "site"]


def test_value_codes_are_single_printable_characters_without_space_or_newline():
    chars = [code_char(n) for n in range(400)]
    assert len(set(chars)) == 400
    assert all(c.isprintable() and not c.isspace() for c in chars)
