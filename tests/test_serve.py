"""serve: incremental rebuilds, safe paths, and a real server process with live reload."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.build import build
from generator.model import build_site
from generator.rebuild import LiveSite, affected, plan_keys, value_key
from generator.outputs import render_all
from generator.render import plan_pages
from generator.serve import RELOAD_TAG, content_type, inject_reload, output_path
from generator.validate import validate_project
from generator.loader import load_project
from tests.conftest import GOOD_ENTRY, TODAY

OTHER = GOOD_ENTRY.replace("Good Line", "Other Line").replace("0800 068 4141", "116 123").replace(
    "good.example", "other.example").replace("[anxiety]", "[stress]")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.mktime(TODAY.timetuple()))))


def full_render(root: Path) -> dict[str, bytes]:
    project, _ = load_project(root)
    valid, _ = validate_project(project, TODAY)
    return render_all(build_site(valid), root / "templates")


def test_an_edit_rerenders_only_the_pages_that_show_the_entry(project):
    good = project.entry("gb/good-line.yaml")
    project.entry("gb/other-line.yaml", OTHER)
    live = LiveSite(project.root, project.root / "output")
    assert live.rebuild().ok
    good.write_text(GOOD_ENTRY.replace("A test line.", "An edited line."))
    outcome = live.rebuild([good])
    assert outcome.ok
    assert "entries/good-line/index.html" in outcome.written
    assert "entries/other-line/index.html" not in outcome.written
    assert "topics/stress/index.html" not in outcome.written
    # Only the other entry's page and the list it alone is on are left alone in so small a site.
    assert outcome.rendered == len([p for p in live.files if p.endswith(".html")]) - 2
    assert live.files == full_render(project.root)
    assert b"An edited line." in (project.root / "output/entries/good-line/index.html").read_bytes()


def test_an_edited_entry_page_is_published_before_the_pages_that_list_it(project):
    good = project.entry("gb/good-line.yaml")
    project.entry("gb/other-line.yaml", OTHER)
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    before = live.version
    good.write_text(GOOD_ENTRY.replace("A test line.", "An edited line."))
    outcome = live.rebuild([good])
    (first, first_paths), (second, second_paths) = live.history[-2:]
    assert (first, second) == (before + 1, before + 2) == (before + 1, live.version)
    assert first_paths == ["entries/good-line/index.html"]
    assert "entries/good-line/index.html" not in second_paths and "topics/anxiety/index.html" in second_paths
    assert live.changed_since(before) == sorted(outcome.written) == sorted([*first_paths, *second_paths])
    assert live.files == full_render(project.root)


def test_an_edit_with_errors_and_its_fix_change_every_page(project):
    good = project.entry("gb/good-line.yaml")
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    good.write_text(GOOD_ENTRY.replace("kind: helpline", "kind: hotline"))
    live.rebuild([good])
    assert live.history[-1][1] is None and live.changed_since(live.version - 1) is None
    good.write_text(GOOD_ENTRY.replace("A test line.", "Fixed."))
    live.rebuild([good])
    assert live.history[-1][1] is None  # the overlay leaves every page
    assert live.files == full_render(project.root)


def test_moving_an_entry_between_lists_matches_a_full_build(project):
    good = project.entry("gb/good-line.yaml")
    project.entry("gb/other-line.yaml", OTHER)
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    good.write_text(GOOD_ENTRY.replace("[anxiety]", "[stress]"))
    outcome = live.rebuild([good])
    assert "topics/anxiety/index.html" in outcome.removed
    assert live.files == full_render(project.root)
    assert not (project.root / "output/topics/anxiety/index.html").exists()


def test_affected_pages_of_one_entry(project):
    """The selection itself: the entry's page, the lists it is on, the pages that summarise all."""
    project.entry("gb/good-line.yaml")
    project.entry("gb/other-line.yaml", OTHER)
    site = build_site(validate_project(load_project(project.root)[0], TODAY)[0])
    plans = plan_pages(site)
    digests = {"content/entries/gb/good-line.yaml": "a", "content/entries/gb/other-line.yaml": "b"}
    before = plan_keys(plans, digests, "chrome")
    after = plan_keys(plans, {**digests, "content/entries/gb/good-line.yaml": "c"}, "chrome")
    assert affected(plans, before, after) == {
        "entries/good-line/index.html", "topics/anxiety/index.html",  # its own page, its own list
        "kinds/helpline/index.html", "countries/gb/index.html", "languages/en/index.html",  # shared lists
        "audiences/everyone/index.html", "index.html", "a-z/index.html", "404.html", "kinds/index.html",
        "topics/index.html", "audiences/index.html", "countries/index.html", "languages/index.html",
        "search/index.html", "entries/index.html", "offline.html"}
    assert affected(plans, before, plan_keys(plans, digests, "new chrome")) == {p.path for p in plans}


def test_new_and_deleted_entries_and_template_edits(project):
    project.entry("gb/good-line.yaml")
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    other = project.entry("gb/other-line.yaml", OTHER)
    assert "entries/other-line/index.html" in live.rebuild([other]).written
    other.unlink()
    assert "entries/other-line/index.html" in live.rebuild([other]).removed
    base = project.root / "templates/base.html"
    base.write_text(base.read_text().replace("Skip to main content", "Skip to the content"))
    outcome = live.rebuild([base])
    assert outcome.rendered == len([p for p in live.files if p.endswith(".html")])
    assert live.files == full_render(project.root)


def test_errors_keep_the_last_good_site_until_fixed(project):
    good = project.entry("gb/good-line.yaml")
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    before = dict(live.files)
    good.write_text(GOOD_ENTRY.replace("kind: helpline", "kind: hotline"))
    outcome = live.rebuild([good])
    assert not outcome.ok and live.broken
    assert any(d.path == "content/entries/gb/good-line.yaml" and d.line == 2 for d in live.diagnostics)
    assert live.files == before
    good.write_text(GOOD_ENTRY.replace("A test line.", "Fixed."))
    assert live.rebuild([good]).ok and not live.broken


@pytest.mark.parametrize("url", ["/../site.yaml", "/%2e%2e/site.yaml", "/entries/%2E%2E/%2e%2e/site.yaml",
                                 "/..%2fsite.yaml", "/a\\..\\site.yaml", "/x%00"])
def test_paths_outside_the_output_are_refused(url):
    assert output_path(url, "/") is None


def test_paths_map_to_output_files():
    assert output_path("/", "/") == "index.html"
    assert output_path("/entries/x/?q=1", "/") == "entries/x/index.html"
    assert output_path("/sub/feed.xml", "/sub/") == "feed.xml"
    assert output_path("/feed.xml", "/sub/") is None
    assert content_type("a/b.css") == "text/css; charset=utf-8"
    assert content_type("schema/entry.schema.json") == "application/json; charset=utf-8"
    assert inject_reload(b"<html><head></head></html>") == b"<html><head>" + RELOAD_TAG + b"</head></html>"


# A real server process -----------------------------------------------------------------------

def fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def wait_for(predicate, seconds: float = 2.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.02)
    raise AssertionError(f"not true within {seconds} s")


def start_server(root: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(root), "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    for line in proc.stderr:
        if match := re.search(r"http://127\.0\.0\.1:\d+/", line):
            return proc, match.group(0)
    raise AssertionError(f"serve printed no URL; exit {proc.wait()}")


def test_serve_process_live_reload_overlay_and_clean_stop(project):
    entry = project.entry("gb/good-line.yaml")
    proc, url = start_server(project.root)
    try:
        status, page, headers = fetch(url + "entries/good-line/")
        assert status == 200 and "A test line." in page and headers["Content-Type"].startswith("text/html")
        assert '<script src="/__signpost/reload.js"' in page
        assert fetch(url + "__signpost/reload.js")[2]["Content-Type"].startswith("text/javascript")
        assert fetch(url + "no/such/page/")[0] == 404
        assert fetch(url + "%2e%2e/site.yaml")[0] == 404
        events = urllib.request.urlopen(url + "__signpost/events", timeout=5)
        assert events.readline() == b"event: reload\n"
        events.readline(), events.readline()

        entry.write_text(GOOD_ENTRY.replace("A test line.", "A freshly edited line."))
        wait_for(lambda: "A freshly edited line." in fetch(url + "entries/good-line/")[1])
        assert events.readline() == b"event: reload\n"

        entry.write_text(GOOD_ENTRY.replace("kind: helpline", "kind: hotline"))
        status, overlay, _ = wait_for(lambda: (r := fetch(url + "entries/good-line/"))[0] == 500 and r)
        assert "content/entries/gb/good-line.yaml:2:" in overlay and "hotline" in overlay

        entry.write_text(GOOD_ENTRY)
        wait_for(lambda: fetch(url + "entries/good-line/")[0] == 200)
        events.close()

        # Editors save by writing a new file and renaming it over the old one.
        site_yaml = project.root / "site.yaml"
        (project.root / "site.yaml.new").write_text(site_yaml.read_text().replace("Test Directory", "Renamed Directory"))
        os.replace(project.root / "site.yaml.new", site_yaml)
        wait_for(lambda: "Renamed Directory" in fetch(url)[1])
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0  # generous: CI machines are shared


def test_a_catalogue_edited_while_serve_runs_changes_the_pages_and_the_search_cards(project):
    import shutil
    from tests.conftest import ROOT
    project.write("site.yaml", (project.root / "site.yaml").read_text() + "languages: [en, fr]\n")
    shutil.copytree(ROOT / "locales", project.root / "locales")
    project.entry("gb/good-line.yaml")
    proc, url = start_server(project.root)
    try:
        assert "Quitter cette page" in fetch(url + "fr/")[1]
        assert '"Appeler"' in fetch(url + "fr/search/cards/0.json")[1]
        po = project.root / "locales/fr/LC_MESSAGES/messages.po"
        text = po.read_text(encoding="utf-8")
        (po.parent / "messages.po.new").write_text(text.replace('msgstr "Quitter cette page"', 'msgstr "Quitter vite"')
                                                   .replace('msgstr "Appeler"', 'msgstr "Téléphoner"'), encoding="utf-8")
        os.replace(po.parent / "messages.po.new", po)  # saved as editors do: renamed over the old
        wait_for(lambda: "Quitter vite" in fetch(url + "fr/")[1], seconds=10)
        assert '"Téléphoner"' in fetch(url + "fr/search/cards/0.json")[1]
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0


def test_an_open_page_reloads_only_when_a_rebuild_changed_it(project, chromium):
    good = project.entry("gb/good-line.yaml")
    project.entry("gb/other-line.yaml", OTHER)
    proc, url = start_server(project.root)
    context = chromium.new_context(bypass_csp=True)  # for wait_for_function's evaluated predicates
    try:
        edited, other = context.new_page(), context.new_page()
        for page, slug in ((edited, "good-line"), (other, "other-line")):
            page.goto(f"{url}entries/{slug}/")
            page.wait_for_function("document.documentElement.dataset.previewVersion !== undefined")
            page.evaluate("window.loadedBefore = true")
        good.write_text(GOOD_ENTRY.replace("A test line.", "A freshly edited line."))
        edited.wait_for_function("document.body.textContent.includes('A freshly edited line.')", timeout=10_000)
        assert edited.evaluate("window.loadedBefore === undefined")  # it reloaded
        # The other entry's page did not change, so it was left alone (the lists it shares did change).
        wait_for(lambda: "A freshly edited line." in fetch(url + "topics/anxiety/")[1], seconds=10)
        time.sleep(0.3)
        assert other.evaluate("window.loadedBefore === true")
    finally:
        context.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0


def test_search_works_in_the_preview(project, chromium):
    """The preview serves every file a build writes: the search page finds entries (it once said
    "Search is not available", as serve had no index)."""
    project.entry("gb/good-line.yaml")
    proc, url = start_server(project.root)
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(url + "search/")
        page.fill("#search-q", "good line")
        page.locator("#search-results a[href='/entries/good-line/']").wait_for(timeout=10_000)
        assert "not available" not in page.locator("main").inner_text()
    finally:
        context.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0


def test_serve_makes_the_next_build_run_again(project):
    """build skips when its inputs match its last run; serve rewrites output, so that must not hold."""
    good = project.entry("gb/good-line.yaml")
    out = project.root / "output"
    build(project.root, out)
    live = LiveSite(project.root, out)
    live.rebuild()
    good.write_text(GOOD_ENTRY.replace("A test line.", "Served only."))
    live.rebuild([good])
    good.write_text(GOOD_ENTRY)  # back to what the last build saw, while serve is stopped
    assert not build(project.root, out).skipped
    assert b"Served only." not in (out / "entries/good-line/index.html").read_bytes()


def test_serve_starts_on_broken_content_and_recovers(project):
    bad = project.entry("gb/good-line.yaml", GOOD_ENTRY.replace("summary: A test line.\n", ""))
    live = LiveSite(project.root, project.root / "output")
    assert not live.rebuild().ok and live.broken and live.files == {}
    assert any(d.code == "missing-field" for d in live.diagnostics)
    bad.write_text(GOOD_ENTRY)
    assert live.rebuild([bad]).ok
    assert live.files == full_render(project.root)
    assert (project.root / "output/entries/good-line/index.html").is_file()


def test_serve_without_a_project_says_so_and_exits_1(tmp_path):
    result = subprocess.run([sys.executable, "-m", "generator", "serve", str(tmp_path), "--port", "0"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "no site.yaml in" in result.stdout and "Traceback" not in result.stderr


def test_a_list_of_strings_keys_each_string_whole():
    """Page URLs go into a list page's key: ["/a,b/"] and ["/a", "b/"] must not look alike."""
    assert value_key(["/a,b/"], {}, "all") != value_key(["/a", "b/"], {}, "all")
    assert value_key(["/x/"], {}, "all") == value_key(["/x/"], {}, "all")


def test_undoing_a_break_byte_for_byte_recovers(project):
    """Issue 15: restoring a broken entry to its exact bytes once killed the watcher with
    KeyError 'index.html' (nothing to re-render left the service worker without its pages)."""
    good = project.entry("gb/good-line.yaml")
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    for broken in (GOOD_ENTRY.replace("kind: helpline", "kind: hotline"), GOOD_ENTRY.replace("[anxiety]", "[anxiety")):
        good.write_text(broken)
        assert not live.rebuild([good]).ok
        good.write_text(GOOD_ENTRY)
        outcome = live.rebuild([good])
        assert outcome.ok and not live.broken
        assert live.files == full_render(project.root)


def test_a_template_fault_is_shown_at_its_line_and_the_next_good_save_recovers(project):
    project.entry("gb/good-line.yaml")
    live = LiveSite(project.root, project.root / "output")
    live.rebuild()
    card = project.root / "templates/partials/entry-card.html"
    text = card.read_text()
    card.write_text(text + "{{ listing.no_such_field.at_all }}\n")
    outcome = live.rebuild([card])
    assert not outcome.ok and live.broken
    [fault] = outcome.diagnostics
    assert (fault.path, fault.line, fault.code) == ("templates/partials/entry-card.html", text.count("\n") + 1, "fault")
    card.write_text(text + "{% if %}\n")
    assert live.rebuild([card]).diagnostics[0].path == "templates/partials/entry-card.html"
    card.write_text(text)
    assert live.rebuild([card]).ok and live.files == full_render(project.root)
    assert "search/facets.json" in live.files and "data/hsds/index.json" in live.files  # the preview has them
def test_serve_reports_the_files_it_does_not_load_as_a_build_does(project):
    project.entry("gb/entry.yaml")
    project.entry("gb/notes.txt")
    live = LiveSite(project.root, project.root / "output")
    assert [(d.path, d.code) for d in live.rebuild().diagnostics] == [("content/entries/gb/notes.txt", "not-loaded")]
    (project.root / "content/entries/gb/loop.yaml").symlink_to("loop.yaml")
    outcome = live.rebuild([project.root / "content/entries/gb/loop.yaml"])
    assert not outcome.ok and ("content/entries/gb/loop.yaml", "unreadable") in [(d.path, d.code) for d in outcome.diagnostics]
