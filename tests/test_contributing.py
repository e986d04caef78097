"""CONTRIBUTING.md: the field tables match the schema, and the commands it shows exist."""
from __future__ import annotations

import re

from generator.cli import cli
from generator.scaffold import fields_markdown
from generator.schema import Contact, Entry
from tests.conftest import ROOT

TEXT = (ROOT / "CONTRIBUTING.md").read_text()


def test_field_tables_are_generated_from_the_schema():
    """Regenerate the part between the markers with: signpost schema --markdown"""
    section = TEXT.split("<!-- fields:start -->\n", 1)[1].split("<!-- fields:end -->", 1)[0]
    assert section == fields_markdown()


def test_every_field_is_described():
    for model in (Entry, Contact):
        for name, info in model.model_fields.items():
            assert f"| `{name}` |" in TEXT
            assert info.description and info.description in TEXT, f"{model.__name__}.{name} needs a description"


def test_commands_shown_exist():
    for name in re.findall(r"signpost (\w+)", TEXT):
        assert name in cli.commands, f"CONTRIBUTING.md mentions `signpost {name}`"


def test_it_covers_what_editors_need():
    for topic in ("web editor", "sources", "last_verified", "Never invent", "What reviewers check", "emergency number"):
        assert topic.lower() in TEXT.lower(), topic


def test_re_verification_is_three_commands_that_exist():
    section = TEXT.split("## Re-verify an entry", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].split() for line in block.splitlines() if line.strip()]
    assert len(commands) == 3 and commands[2][:2] == ["git", "commit"]
    assert [c[1] for c in commands[:2]] == ["verify", "check"]
    verify = cli.commands["verify"]
    with verify.make_context("verify", commands[0][2:]) as ctx:
        assert ctx.params["slug"] == "samaritans"
    assert (ROOT / "content/entries/gb/samaritans.md").is_file()
