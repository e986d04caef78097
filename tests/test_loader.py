"""Load: every value keeps its position, and bad files become one clear diagnostic each."""
import errno
import os
import time

import pytest

from generator.diagnostics import ContentError
from generator.loader import entry_files, load_document, load_project, parse_yaml
from tests.conftest import GOOD_ENTRY, ROOT


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


@pytest.mark.parametrize("path, text, line", [
    ("content/entries/gb/a.yaml", "name: A\n\tkind: helpline\n", 2),
    ("content/entries/gb/a.md", "---\nname: A\ntopics:\n\t- grief\n---\nBody.\n", 4),
])
def test_a_line_indented_with_a_tab_is_named_with_the_fix(project, path, text, line):
    d = error_of(project, path, text)
    assert (d.path, d.line, d.code) == (path, line, "yaml-syntax")
    assert "indented with a tab" in d.message and "replace the tab with spaces" in d.message


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


def test_where_field_finds_the_line_where_would_without_parsing_again(tmp_path):
    """The stale-entry warning's fast path gives the same position as a full re-parse."""
    from generator.loader import load_document

    fresh = lambda path: load_document(path, path.parent if path.parent == tmp_path else ROOT)  # noqa: E731
    files = [p for p in sorted((ROOT / "content/entries").rglob("*")) if p.is_file()]
    odd = tmp_path / "odd.yaml"
    odd.write_text("summary: |\n  last_verified: not this one\nlast_verified:   2026-01-01  # a comment\n"
                   "name: {a: 1}\nkind:\n  helpline\n")
    for path in files + [odd]:
        for name in fresh(path).data:
            assert fresh(path).where_field(name) == fresh(path).where((name,)), (path, name)
def test_unquoted_times_stay_as_written_not_base_60_numbers():
    # YAML 1.1 reads 9:00 as 540 and 17:30 as 1050; other numbers are still numbers.
    data = parse_yaml("open: 9:00\nclose: 17:30\nother: 09:00\nn: 12\nf: 1.5\nneg: -1:30\n", "x.yaml").data
    assert data == {"open": "9:00", "close": "17:30", "other": "09:00", "n": 12, "f": 1.5, "neg": "-1:30"}


def test_deep_nesting_is_a_diagnostic_not_a_crash(project):
    d = error_of(project, "content/entries/gb/a.yaml", "name: " + "[" * 900 + "]" * 900 + "\n")
    assert (d.line, d.code) == (1, "too-deep") and "nest more than" in d.message


def test_an_integer_too_long_to_convert_stays_text():
    assert parse_yaml("n: " + "1" * 5000 + "\n", "x.yaml").data == {"n": "1" * 5000}


def left_out(project):
    """The loader's warnings for files it does not load, as (path, message) pairs."""
    loaded, diagnostics = load_project(project.root)
    assert all(d.severity == "warning" and d.code == "not-loaded" for d in diagnostics), diagnostics
    return {d.path: d.message for d in diagnostics}, loaded


def test_every_file_not_loaded_is_named_with_the_reason(project):
    for rel in ["gb/notes.txt", "gb/shout.YAML", "gb/long.markdown", "loose.yaml", "gb/deeper/x.yaml",
                "gb/deeper/still/y.md"]:
        project.entry(rel)
    project.write("content/pages/about.txt", "---\ntitle: About\n---\n")
    project.write("content/drafts/z.yaml", GOOD_ENTRY)
    (project.root / "content/entries/gb/gone.yaml").symlink_to("nowhere.yaml")
    found, loaded = left_out(project)
    entries = "content/entries/"
    assert found == {
        entries + "gb/notes.txt": "not loaded: only .yaml, .yml and .md files are entries; rename it to notes.yaml",
        entries + "gb/shout.YAML": "not loaded: only .yaml, .yml and .md files are entries; rename it to shout.yaml",
        entries + "gb/long.markdown": "not loaded: only .yaml, .yml and .md files are entries; rename it to long.md",
        entries + "loose.yaml": "not loaded: an entry goes in the folder of its country: move it to "
                                "content/entries/<country>/loose.yaml (like gb/, or intl/)",
        entries + "gb/deeper/x.yaml": "not loaded: an entry sits directly in its country's folder: "
                                      "move it to content/entries/gb/",
        entries + "gb/deeper/still/y.md": "not loaded: an entry sits directly in its country's folder: "
                                          "move it to content/entries/gb/",
        entries + "gb/gone.yaml": "not loaded: it is a symbolic link to nowhere.yaml, which does not exist; "
                                  "point it at the file or remove it",
        "content/pages/about.txt": "not loaded: only .md files are pages; rename it to about.md",
        "content/drafts/z.yaml": "not loaded: content/ holds only the folders entries/ and pages/; "
                                 "move an entry to content/entries/<country>/",
    }
    assert loaded.entries == []


def test_hidden_files_and_links_to_real_files_are_not_reported(project):
    target = project.entry("gb/good.yaml")
    project.write("content/entries/gb/.gitkeep", "")
    project.write("content/entries/gb/.good.yaml.swp", "x")
    (project.root / "content/entries/gb/linked.yaml").symlink_to(target)
    found, loaded = left_out(project)
    assert found == {} and [doc.slug for doc in loaded.entries] == ["good", "linked"]


def test_a_symlink_loop_is_a_diagnostic_beside_the_other_problems(project):
    project.entry("gb/broken.yaml", "name: [\n")
    (project.root / "content/entries/gb/loop.yaml").symlink_to("loop.yaml")
    (project.root / "content/entries/gb/self").symlink_to("self")
    _, diagnostics = load_project(project.root)
    assert [(d.path, d.severity, d.code) for d in sorted(diagnostics)] == [
        ("content/entries/gb/broken.yaml", "error", "yaml-syntax"),
        ("content/entries/gb/loop.yaml", "error", "unreadable"),
        ("content/entries/gb/self", "error", "unreadable")]
    assert "symbolic link that leads back to itself" in sorted(diagnostics)[-1].message


def refuse(monkeypatch, function, path):
    """Make `function` of module os fail on `path` as it does on a file without read permission
    (tests run as root, which chmod cannot lock out)."""
    real = getattr(os, function)

    def denied(target, *args, **kwargs):
        if os.fspath(target) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(target, *args, **kwargs)

    monkeypatch.setattr(os, function, denied)


def test_unreadable_files_and_folders_are_diagnostics_beside_the_other_problems(project, monkeypatch):
    project.entry("gb/broken.yaml", "name: [\n")
    locked = project.entry("gb/locked.yaml")
    project.entry("ie/hidden.yaml")
    refuse(monkeypatch, "open", locked)
    refuse(monkeypatch, "scandir", project.root / "content/entries/ie")
    for stream in (False, True):
        loaded, diagnostics = load_project(project.root, stream=stream)
        diagnostics += [item for item in loaded.entries if not hasattr(item, "slug")]
        assert [(d.path, d.code) for d in sorted(diagnostics)] == [
            ("content/entries/gb/broken.yaml", "yaml-syntax"),
            ("content/entries/gb/locked.yaml", "unreadable"),
            ("content/entries/ie", "unreadable")]
        assert all("permission denied; make it readable" in d.message for d in sorted(diagnostics)[1:])
