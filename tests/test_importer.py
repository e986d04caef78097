"""Import: the sample's own exports come back as the same entries; what a source lacks is TODO,
which check explains; nothing is overwritten; a bad record is named by file and JSON pointer."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import check
from generator.cli import cli
from generator.exports import export_files
from generator.importer import ImportProblems, import_csv, import_hsds
from generator.model import build_site
from tests.conftest import GOOD_ENTRY, ROOT, TODAY


def facts(root: Path) -> dict[str, tuple]:
    """What must survive the round trip, per entry name."""
    valid, diagnostics = check(root, TODAY)
    assert valid is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics
    found = {}
    for item in valid.entries:
        e = item.entry
        contacts = [(c.type, c.value, c.url, c.address, c.keyword, c.country, c.label,
                     None if c.opening is None else (c.opening.always, tuple(c.opening.weekly())),
                     tuple(c.closed), tuple(c.open_extra))
                    for c in e.contacts]
        found[e.name] = (e.kind, e.summary, tuple(e.countries), tuple(e.languages), tuple(e.topics),
                         tuple(e.audiences), e.cost, e.crisis, e.status, e.alert, tuple(contacts), e.timezone,
                         e.website, tuple(e.sources), e.last_verified, item.doc.body.strip())
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    valid, _ = check(ROOT, TODAY)
    out = tmp_path_factory.mktemp("export")
    for path, data in export_files(build_site(valid)).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    return out / "data"


def empty_project(tmp_path: Path) -> Path:
    root = tmp_path / "new"
    (root / "content" / "entries").mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    return root


@pytest.mark.parametrize("kind", ["hsds", "csv"])
def test_the_sample_comes_back_the_same_through_its_own_export(exported, tmp_path, kind):
    root = empty_project(tmp_path)
    report = import_hsds(root, exported / "hsds") if kind == "hsds" else import_csv(root, exported / "entries.csv")
    assert report.todos == 0 and not report.skipped
    before, after = facts(ROOT), facts(root)
    assert sorted(after) == sorted(before)
    for name in before:
        assert after[name] == before[name], name


@pytest.mark.parametrize("kind", ["hsds", "csv"])
def test_closures_and_extra_openings_come_back_through_the_export(project, tmp_path, kind):
    contacts = ('  - type: phone\n    value: "0800 068 4141"\n    hours: [{days: mon-fri, open: "09:00", close: "17:00"}]\n'
                '    closed: [{date: 2026-12-25, label: "Christmas; Boxing Day"}, {from: 2027-01-01, to: 2027-01-03}]\n'
                '    open_extra: [{date: 2026-12-24, open: "20:00", close: "02:00", label: Christmas Eve}]\n'
                '  - {type: sms, value: "85258", keyword: SHOUT, closed: [{date: 2026-12-31}]}\n')
    project.entry("gb/line.yaml", GOOD_ENTRY.replace('  - {type: phone, value: "0800 068 4141", hours: "24/7"}\n', contacts)
                  + "timezone: Europe/London\n")
    valid, _ = check(project.root, TODAY)
    out = tmp_path / "export"
    for path, data in export_files(build_site(valid)).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    root = empty_project(tmp_path)
    (root / "site.yaml").write_text((project.root / "site.yaml").read_text())
    report = import_hsds(root, out / "data/hsds") if kind == "hsds" else import_csv(root, out / "data/entries.csv")
    assert report.todos == 0 and len(report.written) == 1
    before, after = facts(project.root), facts(root)
    assert after == before
    closed = before["Good Line"][10][0][8]
    assert [(c.first.isoformat(), c.last.isoformat(), c.label) for c in closed] == [
        ("2026-12-25", "2026-12-25", "Christmas; Boxing Day"), ("2027-01-01", "2027-01-03", None)]


def test_nothing_is_overwritten_and_a_second_import_skips_everything(exported, tmp_path):
    root = empty_project(tmp_path)
    first = import_hsds(root, exported / "hsds")
    texts = {path: path.read_bytes() for path in first.written}
    path = first.written[0]
    path.write_text(path.read_text().replace("name:", "# edited by hand\nname:"))
    again = import_hsds(root, exported / "hsds/services.json")
    assert again.written == [] and len(again.skipped) == len(first.written)
    assert "edited by hand" in path.read_text()
    assert all(p.read_bytes() == t for p, t in texts.items() if p != path)


def test_what_the_source_lacks_is_todo_and_check_explains_it(tmp_path):
    root = empty_project(tmp_path)
    source = tmp_path / "other.json"
    source.write_text(json.dumps({"id": "8a7c1f4e-2a6b-4c1e-9f0a-1d2e3f405162", "name": "Another Line",
                                  "status": "active", "description": "A line from another directory.",
                                  "phones": [{"id": "9b8d2e5f-3b7c-4d2f-8e1b-2e3f40516273", "number": "116 123"}],
                                  "service_areas": [{"id": "0c9e3f60-4c8d-4e3a-9f2c-3f4051627384", "extent": "GB",
                                                     "extent_type": "text"}]}))
    report = import_hsds(root, source)
    text = report.written[0].read_text()
    assert report.written[0] == root / "content/entries/gb/another-line.yaml"
    assert "# TODO: the source has no sources" in text and "last_verified: TODO" in text
    _, diagnostics = check(root, TODAY)
    todo = {d.message.split(" is still")[0] for d in diagnostics if d.code == "todo"}
    assert todo == {"kind", "languages", "topics", "website", "sources", "last_verified"}
    assert all("write " in d.message for d in diagnostics if d.code == "todo")


def test_a_record_that_is_not_hsds_is_named_by_file_and_pointer(tmp_path):
    root = empty_project(tmp_path)
    source = tmp_path / "services.json"
    source.write_text(json.dumps({"contents": [{"id": "8a7c1f4e-2a6b-4c1e-9f0a-1d2e3f405162", "name": "Fine",
                                                "status": "active"},
                                               {"id": "not-a-uuid", "name": "Bad", "status": "active",
                                                "phones": [{"id": "9b8d2e5f-3b7c-4d2f-8e1b-2e3f40516273"}]}]}))
    with pytest.raises(ImportProblems) as caught:
        import_hsds(root, source)
    message = caught.value.message
    assert f"{source}#/contents/1/id: 'not-a-uuid' is not a 'uuid'" in message
    assert f"{source}#/contents/1/phones/0: 'number' is a required property" in message
    assert "nothing was written" in message and not list((root / "content/entries").iterdir())
    result = CliRunner().invoke(cli, ["import", "hsds", str(source), str(root)])
    assert result.exit_code == 1 and "#/contents/1/id" in result.output and "Traceback" not in result.output


def test_a_csv_row_that_cannot_be_read_is_named_by_file_and_line(tmp_path):
    root = empty_project(tmp_path)
    (tmp_path / "entries.csv").write_text("slug,name,kind\nline,A Line,helpline\n")
    (tmp_path / "contacts.csv").write_text("slug,position,type,value,hours\nline,1,phone,116 123,mon-fri 9 to 5\n")
    with pytest.raises(ImportProblems) as caught:
        import_csv(root, tmp_path / "entries.csv")
    assert f"{tmp_path / 'contacts.csv'}:2: hours 'mon-fri 9 to 5'" in caught.value.message
    (tmp_path / "entries.csv").write_text("slug,title\nline,A Line\n")
    with pytest.raises(ImportProblems, match="entries.csv:1: the header row lacks name"):
        import_csv(root, tmp_path)


def test_a_quote_left_open_in_a_csv_is_named_by_the_line_it_opens_on_and_nothing_is_written(tmp_path):
    # Read leniently, the open quote's field swallowed every row after it: three rows became one.
    root = empty_project(tmp_path)
    source = tmp_path / "entries.csv"
    source.write_text('slug,name,summary\nfirst,First,"two\nlines"\nsecond,"Second,x\nthird,Third,x\n')
    with pytest.raises(ImportProblems) as caught:
        import_csv(root, source)
    assert f"{source}:4: not readable as CSV (unexpected end of data)" in caught.value.message
    assert "quoted whole, its quotes doubled" in caught.value.message
    assert not list((root / "content/entries").iterdir())


def test_a_closed_or_open_extra_cell_that_does_not_parse_is_named_with_the_form_to_write(tmp_path):
    root = empty_project(tmp_path)
    (tmp_path / "entries.csv").write_text("slug,name,kind\nline,A Line,helpline\n")
    (tmp_path / "contacts.csv").write_text("slug,position,type,value,closed,open_extra\n"
                                           "line,1,phone,116 123,25/12/2026,2026-12-24 10:00-14:00 Christmas Eve\n"
                                           "line,2,phone,116 006,2026-12-25 Christmas Day,2026-12-24 ten to two\n")
    with pytest.raises(ImportProblems) as caught:
        import_csv(root, tmp_path / "entries.csv")
    problems = caught.value.message
    assert f"{tmp_path / 'contacts.csv'}:2: closed '25/12/2026' is not dates like '2026-12-25 Christmas Day'" in problems
    assert f"{tmp_path / 'contacts.csv'}:3: open_extra '2026-12-24 ten to two' is not openings like" in problems
    assert "contacts.csv:2: open_extra" not in problems and "contacts.csv:3: closed" not in problems
    assert not list((root / "content/entries").rglob("*.yaml"))  # nothing written
