"""Load: every value keeps its position, and bad files become one clear diagnostic each."""
import time

import pytest

from generator.diagnostics import ContentError
from generator.loader import entry_files, load_document, load_project, parse_yaml
from tests.conftest import GOOD_ENTRY


def error_of(project, rel, content):
    path = project.write(rel, content) if isinstance(content, str) else _write_bytes(project, rel, content)
    with pytest.raises(ContentError) as caught:
        load_document(path, project.root)
    return caught.value.diagnostic


def _write_bytes(project, rel, data):
    path = project.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_positions_point_at_each_value_and_key():
    doc = parse_yaml("name: A\ncontacts:\n  - type: phone\n    value: '116 123'\n", "x.yaml")
    assert doc.where(("contacts", 0, "value")) == (4, 12)
    assert doc.where_key(("contacts", 0, "value")) == (4, 5)
    # A path below a scalar falls back to the nearest known parent.
    assert doc.where(("contacts", 0, "value", "deeper")) == (4, 12)


def test_dates_stay_strings_so_the_schema_can_point_at_bad_ones():
    assert parse_yaml("d: 2026-13-01\n", "x.yaml").data == {"d": "2026-13-01"}


def test_invalid_yaml_names_the_line(project):
    d = error_of(project, "content/entries/gb/a.yaml", "name: A\nkind: [helpline\nsummary: x\n")
    assert (d.path, d.line, d.code) == ("content/entries/gb/a.yaml", 3, "yaml-syntax")
    assert "invalid YAML" in d.message


def test_non_utf8_bytes_name_the_line(project):
    d = error_of(project, "content/entries/gb/a.yaml", b"name: A\nsummary: caf\xe9\n")
    assert (d.line, d.col, d.code) == (2, 13, "not-utf8")
    assert "save the file as UTF-8" in d.message


def test_empty_file(project):
    assert error_of(project, "content/entries/gb/a.yaml", "  \n").code == "empty-file"


def test_top_level_list_is_refused(project):
    d = error_of(project, "content/entries/gb/a.yaml", "- name: A\n")
    assert d.code == "not-a-mapping" and "mapping" in d.message


def test_unclosed_front_matter(project):
    d = error_of(project, "content/entries/gb/a.md", "---\nname: A\nBody text\n")
    assert (d.line, d.code) == (1, "unclosed-front-matter")
    assert "add a line '---'" in d.message


def test_markdown_without_front_matter(project):
    assert error_of(project, "content/entries/gb/a.md", "# Just a body\n").code == "no-front-matter"


def test_front_matter_positions_count_the_opening_line(project):
    path = project.write("content/entries/gb/a.md", "---\nname: A\nkind: helpline\n---\nBody\n")
    doc = load_document(path, project.root)
    assert doc.where(("kind",)) == (3, 7)
    assert doc.body == "Body\n" and doc.body_line == 5


def test_alias_bomb_fails_fast(project):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    start = time.perf_counter()
    d = error_of(project, "content/entries/gb/bomb.yaml", "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert d.code == "yaml-alias" and "anchors and aliases" in d.message


def test_duplicate_key_is_an_error(project):
    d = error_of(project, "content/entries/gb/a.yaml", "name: A\nname: B\n")
    assert (d.line, d.code) == (2, "duplicate-key")


def test_oversized_file(project):
    d = error_of(project, "content/entries/gb/a.md", "---\nname: A\n---\n" + "x" * 1_100_000)
    assert d.code == "file-too-large" and "limit" in d.message


def test_load_project_collects_every_broken_file(project):
    project.entry("gb/one.yaml", "name: [\n")
    project.entry("gb/two.yaml", "")
    project.entry("gb/good.yaml")
    loaded, diagnostics = load_project(project.root)
    assert [d.path for d in diagnostics] == ["content/entries/gb/one.yaml", "content/entries/gb/two.yaml"]
    assert [doc.slug for doc in loaded.entries] == ["good"]


def test_entry_files_are_the_entries_in_country_folders_in_order(project):
    for rel in ["gb/z.yaml", "gb/a.yml", "intl/m.yaml", "gb/notes.txt", "gb/.yaml", "loose.yaml"]:
        project.entry(rel)
    project.entry("za/b.md", f"---\n{GOOD_ENTRY}---\nA body.\n")
    project.entry("gb/deeper/x.yaml")
    (project.root / "content/entries/gb/folder.yaml").mkdir()
    found = [path.relative_to(project.root).as_posix() for path in entry_files(project.root)]
    assert found == ["content/entries/gb/a.yml", "content/entries/gb/z.yaml", "content/entries/intl/m.yaml",
                     "content/entries/za/b.md"]
    assert [doc.slug for doc in load_project(project.root)[0].entries] == ["a", "z", "m", "b"]


def test_no_entries_folder_means_no_entries(project):
    (project.root / "content/entries").rmdir()
    assert entry_files(project.root) == []


def test_missing_site_yaml(tmp_path):
    loaded, diagnostics = load_project(tmp_path)
    assert loaded is None and diagnostics[0].code == "no-site"


def test_streamed_entries_keep_a_broken_file_in_its_place(project):
    project.entry("gb/a.yaml")
    project.entry("gb/b.yaml", "name: [\n")
    project.entry("gb/c.yaml")
    loaded, diagnostics = load_project(project.root, stream=True)
    assert diagnostics == []  # the entries' problems come with the entries, as they are loaded
    items = list(loaded.entries)
    assert [getattr(item, "slug", None) or item.code for item in items] == ["a", "yaml-syntax", "c"]
