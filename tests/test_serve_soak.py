"""serve survives everything: a seeded run of random edits, breaks, undos, deletions, renames and
template and site.yaml errors. After each one, the preview answers; with errors, it shows them;
without, it serves byte for byte the files a fresh full build makes.

SIGNPOST_SOAK_EDITS (default 500) and SIGNPOST_SOAK_SEED (default 15) set the run's size and seed.
"""
from __future__ import annotations

import os
import random
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.build import build, check
from generator.diagnostics import has_errors
from generator.model import build_site
from generator.outputs import render_all
from generator.rebuild import LiveSite, fault_diagnostic
from generator.serve import inject_reload, make_preview_server
from generator.write import MARKER
from tests.conftest import GOOD_ENTRY, TODAY

EDITS = int(os.environ.get("SIGNPOST_SOAK_EDITS", "500"))
SEED = int(os.environ.get("SIGNPOST_SOAK_SEED", "15"))
HOURS = ('  - {type: chat, url: "https://good.example.org/chat", hours: [{days: mon-fri, open: "19:00", close: "02:00"}, '
         '{days: sat, open: "10:00", close: "12:00"}]}\n')
BREAKS = [("kind: helpline", "kind: hotline"), ("topics: [anxiety]", "topics: [anxiety"),
          ("summary: ", "summery: "), ("last_verified: 2026-10-01", "last_verified: 2026-13-01"),
          ("languages: [en]", "languages: [xx]")]
TEMPLATE_BREAKS = [("partials/entry-card.html", "{% if %}"), ("entry.html", "{{ no_such_name }}"),
                   ("base.html", "{% endfor %}"), ("feed.xml", "{{ entries.nothing.at_all }}")]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.mktime(TODAY.timetuple()))))


def variant(rng: random.Random, n: int) -> str:
    """A good entry: its own website, one of three topics, sometimes hours past midnight."""
    text = GOOD_ENTRY.replace("Good Line", f"Line {n}").replace("good.example.org", f"line{n}.example.org")
    text = text.replace("[anxiety]", f"[{rng.choice(['anxiety', 'stress', 'suicide'])}]")
    text = text.replace("A test line.", f"Line number {n}, edit {rng.randrange(1000)}.")
    if rng.random() < 0.5:
        text = text.replace("contacts:\n", "contacts:\n" + HOURS.replace("good.example.org", f"line{n}.example.org"))
        text += "timezone: Europe/London\n"
    return text


def expected(root: Path):
    """What a fresh full build in this process makes: (files, None), or (None, errors)."""
    valid, diagnostics = check(root, TODAY)
    if valid is None or has_errors(diagnostics):
        return None, sorted(d for d in diagnostics if d.severity == "error")
    try:
        return render_all(build_site(valid), root / "templates"), None
    except Exception as exc:  # noqa: BLE001 - a template fault: the preview must show it
        return None, [fault_diagnostic(exc, root)]


class Editor:
    """Random edits to a project, each returning the paths it touched."""

    def __init__(self, project, rng: random.Random):
        self.root, self.rng, self.project = project.root, rng, project
        self.good: dict[Path, str] = {}  # entry path → its last good text
        self.templates = {name: (self.root / "templates" / name).read_text() for name, _ in TEMPLATE_BREAKS}
        self.site_yaml = (self.root / "site.yaml").read_text()
        self.count = 0
        for _ in range(3):
            self.new_entry()

    def entries(self) -> list[Path]:
        return sorted(p for p in self.good if p.exists())

    def new_entry(self) -> list[Path]:
        self.count += 1
        path = self.project.entry(f"{self.rng.choice(['gb', 'ie'])}/line-{self.count}.yaml", variant(self.rng, self.count))
        if "ie/" in path.as_posix():
            path.write_text(path.read_text().replace("countries: [GB]", "countries: [IE]")
                            .replace('value: "0800 068 4141"', 'value: "116 123"'))
        self.good[path] = path.read_text()
        return [path]

    def edit(self) -> list[Path]:
        path = self.pick()
        n = int(path.stem.split("-")[1])
        text = variant(self.rng, n)
        if "/ie/" in path.as_posix():
            text = text.replace("countries: [GB]", "countries: [IE]").replace('value: "0800 068 4141"', 'value: "116 123"')
        path.write_text(text)
        self.good[path] = text
        return [path]

    def break_entry(self) -> list[Path]:
        path = self.pick()
        old, new = self.rng.choice(BREAKS)
        path.write_text(path.read_text().replace(old, new))
        return [path]

    def undo(self) -> list[Path]:
        """Every file back to its last good bytes: the case that once killed the watcher."""
        touched = [p for p in self.entries() if p.read_text() != self.good[p]]
        for path in touched:
            path.write_text(self.good[path])
        for name, text in self.templates.items():
            path = self.root / "templates" / name
            if path.read_text() != text:
                path.write_text(text)
                touched.append(path)
        if (self.root / "site.yaml").read_text() != self.site_yaml:
            (self.root / "site.yaml").write_text(self.site_yaml)
            touched.append(self.root / "site.yaml")
        return touched

    def delete(self) -> list[Path]:
        if len(self.entries()) < 2:
            return self.new_entry()
        path = self.pick()
        path.unlink()
        del self.good[path]
        return [path]

    def rename(self) -> list[Path]:
        path = self.pick()
        self.count += 1
        target = path.with_name(f"line-{self.count}.yaml")
        path.rename(target)
        self.good[target] = self.good.pop(path)
        return [path, target]

    def break_template(self) -> list[Path]:
        name, bad = self.rng.choice(TEMPLATE_BREAKS)
        path = self.root / "templates" / name
        path.write_text(path.read_text() + bad)
        return [path]

    def break_site(self) -> list[Path]:
        path = self.root / "site.yaml"
        path.write_text(path.read_text().replace("kinds: {", "kinds: {{", 1) if self.rng.random() < 0.5
                        else path.read_text() + "unknown_setting: 1\n")
        return [path]

    def edit_page(self) -> list[Path]:
        return [self.project.write("content/pages/about.md", f"---\ntitle: About\n---\nEdit {self.rng.randrange(99)}.\n")]

    def pick(self) -> Path:
        return self.rng.choice(self.entries())

    def step(self) -> tuple[str, list[Path]]:
        actions = [(self.edit, 5), (self.break_entry, 3), (self.undo, 4), (self.new_entry, 1), (self.delete, 1),
                   (self.rename, 1), (self.break_template, 1), (self.break_site, 1), (self.edit_page, 1)]
        action = self.rng.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
        return action.__name__, action()


def fetch(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_serve_survives_a_seeded_run_of_random_edits(project):
    rng = random.Random(SEED)
    editor = Editor(project, rng)
    live = LiveSite(project.root, project.root / "output")
    server = make_preview_server(live, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = server.server_address[1]
    live.rebuild()
    kinds: dict[str, int] = {}
    broken = 0
    try:
        for n in range(EDITS):
            name, changed = editor.step()
            kinds[name] = kinds.get(name, 0) + 1
            outcome = live.rebuild(changed)
            files, errors = expected(project.root)
            status, body = fetch(port, "/")
            where = f"edit {n} ({name} of {[p.name for p in changed]})"
            if files is None:
                broken += 1
                assert not outcome.ok and live.broken, where
                assert {(d.path, d.line, d.code) for d in errors} <= {(d.path, d.line, d.code) for d in live.diagnostics}, where
                assert status == 500 and errors[0].path.encode() in body, where
            else:
                assert outcome.ok and not live.broken, where
                assert sorted(live.files) == sorted(files), where
                assert [p for p in files if live.files[p] != files[p]] == [], where
                assert (status, body) == (200, inject_reload(files["index.html"])), where
                assert fetch(port, "/search/facets.json") == (200, files["search/facets.json"]), where
            if n % 100 == 99:  # output/ is kept in step with memory, and `signpost build` agrees
                on_disk = {p.relative_to(live.out).as_posix(): p.read_bytes() for p in live.out.rglob("*") if p.is_file() and p.name != MARKER}
                assert on_disk == live.files, where  # less the marker of ours, as in a build
                if files is not None:
                    out = project.root.parent / f"build-{n}"
                    build(project.root, out, TODAY)
                    built = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MARKER}
                    assert built == live.files, where
        # Last, everything back to its good bytes: the preview equals what `signpost build` writes.
        assert live.rebuild(editor.undo()).ok
        out = project.root.parent / "build-last"
        build(project.root, out, TODAY)
        assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MARKER} == live.files
    finally:
        server.shutdown()
        server.server_close()
    print(f"\nsoak: {EDITS} edits (seed {SEED}), {broken} left the site with errors; {sorted(kinds.items())}")
    assert broken and broken < EDITS  # the run exercised both states
