"""Shared fixtures: the sample project, and small projects written into tmp_path."""
from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

# The browser fixtures live in one place for the whole session: importing them into each test module
# would make one Playwright per module, and a second sync Playwright in one process fails.
pytest_plugins = ("tests.browser",)

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)

SITE_YAML = """\
title: Test Directory
base_url: https://example.org/
repository: https://github.com/example/directory
kinds: {helpline: Helplines, textline: Text lines, chat: Chat, forum: Forums, initiative: Initiatives, app: Apps, directory: Directories}
topics: {anxiety: Anxiety, suicide: Suicidal thoughts, stress: Stress}
audiences: {everyone: Everyone, young-people: Young people}
emergency:
  GB: {numbers: ["999", "112"]}
"""

GOOD_ENTRY = """\
name: Good Line
kind: helpline
summary: A test line.
countries: [GB]
languages: [en]
topics: [anxiety]
contacts:
  - {type: phone, value: "0800 068 4141", hours: "24/7"}
website: https://good.example.org/
sources: [https://good.example.org/about]
last_verified: 2026-10-01
"""


class Project:
    """A small Signpost project in a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        (root / "content" / "entries").mkdir(parents=True)
        (root / "content" / "pages").mkdir(parents=True)
        shutil.copytree(ROOT / "templates", root / "templates")
        self.write("site.yaml", SITE_YAML)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def entry(self, rel: str, text: str = GOOD_ENTRY) -> Path:
        return self.write(f"content/entries/{rel}", text)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "site")


@pytest.fixture(scope="session")
def sample_root() -> Path:
    return ROOT
