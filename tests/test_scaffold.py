"""signpost new: slugs, prompts and options, TODO marks that check explains, and no overwriting."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator.build import check
from generator.cli import cli
from generator.scaffold import slugify
from tests.conftest import ROOT, TODAY

OPTIONS = ["--name", "Télé-Accueil Ñandú & Co", "--kind", "helpline", "--country", "gb",
           "--website", "https://tele.example.org/", "--contact-type", "phone", "--contact-value", "0800 068 4141"]


@pytest.mark.parametrize("name, slug", [("Samaritans", "samaritans"), ("Shout 85258", "shout-85258"),
                                        ("Télé-Accueil Ñandú & Co", "tele-accueil-nandu-and-co"),
                                        ("  Straße – Øresund!  ", "strasse-oresund"), ("いのちの電話", "")])
def test_slugs_are_lower_case_ascii_with_hyphens(name, slug):
    assert slugify(name) == slug


def todo_only(project, rel):
    _, diagnostics = check(project.root, TODAY)
    return [d for d in diagnostics if d.path == rel]


def test_new_with_options_writes_an_entry_that_check_explains(project):
    result = CliRunner().invoke(cli, ["new", str(project.root), *OPTIONS])
    assert result.exit_code == 0, result.output
    rel = "content/entries/gb/tele-accueil-nandu-and-co.yaml"
    text = (project.root / rel).read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../schema/entry.schema.json\n")
    assert 'value: "0800 068 4141"' in text
    found = todo_only(project, rel)
    assert {d.code for d in found} == {"todo"}
    assert {d.message.split()[0] for d in found} == {"summary", "languages", "topics", "sources", "last_verified"}
    assert any("YYYY-MM-DD" in d.message for d in found)


def test_filled_in_todos_pass_check(project):
    CliRunner().invoke(cli, ["new", str(project.root), *OPTIONS])
    path = project.root / "content/entries/gb/tele-accueil-nandu-and-co.yaml"
    filled = (path.read_text().replace("summary: TODO", "summary: A line.").replace("languages: [TODO]", "languages: [en]")
              .replace("topics: [TODO]", "topics: [stress]").replace("sources: [TODO]", "sources: [https://tele.example.org/]")
              .replace("last_verified: TODO", "last_verified: 2026-11-01"))
    path.write_text(filled)
    assert todo_only(project, "content/entries/gb/tele-accueil-nandu-and-co.yaml") == []


def test_new_asks_for_each_value_and_asks_again_after_a_mistake(project):
    answers = "\n".join(["Friendship Bench", "initiative", "Zimbabwe", "ZW", "http://bad.example.org",
                         "https://www.friendshipbenchzimbabwe.org/", "in-person", "Harare, Zimbabwe"]) + "\n"
    result = CliRunner().invoke(cli, ["new", str(project.root)], input=answers)
    assert result.exit_code == 0, result.output
    assert "not an ISO 3166-1" in result.output and "not an https URL" in result.output
    text = (project.root / "content/entries/zw/friendship-bench.yaml").read_text()
    assert 'address: "Harare, Zimbabwe"' in text and "countries: [ZW]" in text


def test_international_entries_go_in_intl(project):
    options = [o if o != "gb" else "intl" for o in OPTIONS]
    assert CliRunner().invoke(cli, ["new", str(project.root), *options, "--slug", "tele"]).exit_code == 0
    assert "countries: [international]" in (project.root / "content/entries/intl/tele.yaml").read_text()


def test_new_refuses_to_overwrite_or_reuse_a_slug(project):
    project.entry("ie/tele-accueil-nandu-and-co.yaml")
    before = (project.root / "content/entries/ie/tele-accueil-nandu-and-co.yaml").read_text()
    result = CliRunner().invoke(cli, ["new", str(project.root), *OPTIONS])
    assert result.exit_code == 1
    assert "content/entries/ie/tele-accueil-nandu-and-co.yaml already exists" in result.output
    assert (project.root / "content/entries/ie/tele-accueil-nandu-and-co.yaml").read_text() == before
    assert not (project.root / "content/entries/gb").exists()


def test_a_name_without_latin_letters_needs_a_slug(project):
    options = [o if o != "Télé-Accueil Ñandú & Co" else "いのちの電話" for o in OPTIONS]
    result = CliRunner().invoke(cli, ["new", str(project.root), *options])
    assert result.exit_code == 1 and "--slug" in result.output


def test_the_committed_schema_is_current():
    """Regenerate with: signpost schema . > schema/entry.schema.json"""
    result = CliRunner().invoke(cli, ["schema", str(ROOT)])
    assert json.loads(result.output) == json.loads((ROOT / "schema/entry.schema.json").read_text())
