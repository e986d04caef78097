"""Exports: entries.json matches the entry schema, the CSV tables are a valid Frictionless
package, every build writes /data/, and `signpost export` writes the chosen formats."""
from __future__ import annotations

import csv
import io
import json

import frictionless
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.build import build, check
from generator.cli import cli
from generator.exports import export_files, table
from generator.model import build_site
from generator.schema import entry_json_schema
from tests.conftest import GOOD_ENTRY, ROOT, TODAY

HOURS = GOOD_ENTRY.replace('hours: "24/7"', 'hours: [{days: "mon-fri,sun", open: "19:00", close: "02:00"}]') + \
    "timezone: Europe/London\n"


def sample_files():
    valid, _ = check(ROOT, TODAY)
    return valid, export_files(build_site(valid))


def test_entries_json_holds_every_entry_as_the_schema_has_it():
    valid, files = sample_files()
    data = json.loads(files["data/entries.json"])
    schema = Draft202012Validator(entry_json_schema(valid.site))
    assert data["schema"] == "https://example.org/schema/entry.schema.json"
    assert [e["slug"] for e in data["entries"]] == sorted(item.doc.slug for item in valid.entries)
    for item in data["entries"]:
        assert list(schema.iter_errors(item["entry"])) == [], item["slug"]
        assert item["url"] == f"https://example.org/entries/{item['slug']}/"


def test_the_csv_tables_are_a_valid_frictionless_package(tmp_path):
    _, files = sample_files()
    for path, data in files.items():
        if path.count("/") == 1:
            (tmp_path / path.split("/")[1]).write_bytes(data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = list(csv.DictReader(io.StringIO(files["data/entries.csv"].decode())))
    assert len(rows) == len(json.loads(files["data/entries.json"])["entries"])
    entries = {e["slug"]: e["entry"] for e in json.loads(files["data/entries.json"])["entries"]}
    assert all(r["languages"].split(";") == entries[r["slug"]]["languages"] for r in rows)
    assert any(";" in r["languages"] for r in rows)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(st.text(alphabet=st.sampled_from('ab ,"\r\n;é\u2028\t'), max_size=8) | st.text(max_size=8),
                              min_size=3, max_size=3), max_size=5))
def test_csv_tables_are_the_bytes_the_csv_module_writes(rows):
    columns = [("first", "string", ""), ("second, with a comma", "string", ""), ('"third"', "string", "")]
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in columns])
    writer.writerows(rows)
    assert table(columns, rows) == expected.getvalue().encode()
    assert list(csv.reader(io.StringIO(table(columns, rows).decode(), newline=""))) == [[n for n, _, _ in columns], *rows]


def test_contacts_csv_writes_hours_as_an_editor_does(project):
    project.entry("gb/line.yaml", HOURS)
    valid, _ = check(project.root, TODAY)
    rows = list(csv.DictReader(io.StringIO(export_files(build_site(valid))["data/contacts.csv"].decode())))
    assert [(r["type"], r["hours"], r["link"]) for r in rows] == [("phone", "mon-fri,sun 19:00-02:00", "tel:+448000684141")]


def test_every_build_writes_the_data_and_no_data_skips_it(project, tmp_path):
    project.entry("gb/line.yaml")
    build(project.root, tmp_path / "out", TODAY)
    assert {p.name for p in (tmp_path / "out/data").iterdir()} == {"entries.json", "entries.csv", "contacts.csv",
                                                                    "datapackage.json", "hsds"}
    build(project.root, tmp_path / "pages", TODAY, search=False, data=False)
    assert not (tmp_path / "pages/data").exists() and not (tmp_path / "pages/search/facets.json").exists()


def test_export_command_writes_the_chosen_formats_and_refuses_the_project(project, tmp_path):
    project.entry("gb/line.yaml")
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(project.root), "--format", "hsds", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["hsds"]
    assert (tmp_path / "x/hsds/index.json").is_file()
    refused = runner.invoke(cli, ["export", str(project.root), "--out", str(project.root / "content")])
    assert refused.exit_code == 2 and "refusing" in refused.output
    project.entry("gb/bad.yaml", GOOD_ENTRY.replace("kind: helpline", "kind: hotline"))
    failed = runner.invoke(cli, ["export", str(project.root), "--out", str(tmp_path / "y")])
    assert failed.exit_code == 1 and not (tmp_path / "y").exists()
