"""Source drift (`signpost links --facts`) and `signpost verify`, against fixture pages served on
127.0.0.1: no test touches the internet."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.drift import Wanted, check_facts, diagnostics, page_numbers
from generator.links import Settings
from generator.phones import parse_number

FAST = Settings(concurrency=8, timeout=2, retries=0, backoff=0.01)

PAGES = {
    "/contact": "<p>Call us free on <b>0800</b>&nbsp;068&nbsp;4141, any time.</p><p>Open 24/7 since 1999.</p>",
    "/text": '<ul><li>Text <a href="sms:88247">us</a> any time</li></ul>',
    "/changed": "<p>Our new number is 0300 123 3393.</p><script>var n = '08000684141';</script>",
    "/new-home": "<footer>Helpline: +44 (0)800 068 4141</footer>",
    "/leaflet.pdf": "%PDF-1.4 0800 068 4141",
}


class Pages(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        type(self).hits[self.path] = type(self).hits.get(self.path, 0) + 1
        if self.path == "/old-home":
            return self.reply(301, b"", location="/new-home")
        if self.path not in PAGES:
            return self.reply(404, b"<p>Not found. Call 0800 068 4141.</p>")
        kind = "application/pdf" if self.path.endswith(".pdf") else "text/html; charset=utf-8"
        self.reply(200, PAGES[self.path].encode(), kind=kind)

    def reply(self, status: int, body: bytes, location: str | None = None, kind: str = "text/html") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


@pytest.fixture
def server():
    Pages.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


ENTRY = """\
name: Papyrus Test
kind: helpline
summary: A test line.
countries: [GB]
languages: [en]
topics: [suicide]
# The editor's own comment, which verify must keep.
contacts:
  - {{type: phone, value: "0800 068 4141", hours: "24/7"}}
  - type: sms
    value: '88247'
website: https://papyrus.example.org/
sources:
{sources}
last_verified: 2024-01-01   # checked by phone
"""


def entry(server: str, *paths: str) -> str:
    return ENTRY.format(sources="\n".join(f"  - {server}{path}" for path in paths))


# Finding a number however a page writes it ---------------------------------------------------

@pytest.mark.parametrize("html", [
    "0800 068 4141", "0800-068-4141", "0800.068.4141", "(0800) 068 4141", "08000684141",
    "+44 800 068 4141", "+44 (0)800 068 4141", "0044 800 068 4141", "+448000684141",
    '<a href="tel:+448000684141">Call us</a>', '<a href="tel:0800%20068%204141">Call</a>',
    "<span>0800</span> <span>068 4141</span>", "0800&#8209;068&#8209;4141", "0800\u2011068\u20114141",
    '<script type="application/ld+json">{"telephone": "+44 800 068 4141"}</script>',
])
def test_a_national_number_is_found_in_every_way_pages_write_it(html):
    assert Wanted(parse_number("0800 068 4141", "GB"), "GB").on(page_numbers(html))


@pytest.mark.parametrize("html", ["116 123", "116123", "Call 116&nbsp;123 free", '<a href="tel:116123">free</a>',
                                  "24/7 on 116 123"])
def test_a_short_code_is_found_by_its_digits(html):
    assert Wanted(parse_number("116 123", "GB"), "GB").on(page_numbers(html))


@pytest.mark.parametrize("html", [
    "0800 068 4142", "0800 068 41410", "<p>0800 068</p><p>4141</p>", "10800 068 4141",
    "<script>call('08000684141')</script>", "<style>/* 0800 068 4141 */</style>",
    "<template><p>0800 068 4141</p></template>",
])
def test_other_numbers_and_hidden_text_do_not_count(html):
    assert not Wanted(parse_number("0800 068 4141", "GB"), "GB").on(page_numbers(html))


def test_a_short_code_inside_a_longer_number_does_not_count():
    assert not Wanted(parse_number("116 123", "GB"), "GB").on(page_numbers("Call 0116 1234 567"))


def test_a_us_number_with_its_trunk_prefix():
    wanted = Wanted(parse_number("1-866-488-7386", "US"), "US")
    assert wanted.on(page_numbers("Call (866) 488-7386")) and wanted.on(page_numbers("1.866.488.7386"))


def test_a_number_that_connects_only_from_home_is_looked_for_too():
    """India's 1800 numbers cannot be dialled from abroad: their link holds the national digits."""
    wanted = Wanted(parse_number("1800 891 4416", "IN"), "IN")
    assert not wanted.number.international
    assert wanted.on(page_numbers("Toll-free: 1800-891-4416")) and wanted.on(page_numbers('<a href="tel:18008914416">Call</a>'))
    assert not wanted.on(page_numbers("Toll-free: 1800-891-4417"))


# Against the local server ------------------------------------------------------------------

def test_numbers_present_removed_redirected_and_pages_gone(project, server):
    project.entry("gb/present.yaml", entry(server, "/contact", "/text"))
    project.entry("gb/removed.yaml", entry(server, "/changed", "/text"))
    project.entry("gb/redirected.yaml", entry(server, "/old-home", "/text"))
    project.entry("gb/gone.yaml", entry(server, "/gone", "/text"))
    project.entry("gb/all-gone.yaml", entry(server, "/gone", "/leaflet.pdf"))
    report = check_facts(project.root, FAST, max_age=0)
    facts = {e.doc.slug: e for e in report.entries}
    assert facts["present"].confirmed and not diagnostics([facts["present"]])
    assert facts["redirected"].confirmed
    assert facts["redirected"].numbers[0].found_on == [f"{server}/old-home"]

    [drift] = diagnostics([facts["removed"]])
    assert (drift.path, drift.line, drift.severity, drift.code) == ("content/entries/gb/removed.yaml", 9, "warning", "number-drift")
    assert drift.message.startswith("Papyrus Test: 0800 068 4141 (phone) is on none of its sources any more")
    assert f"fetched {server}/changed, {server}/text" in drift.message

    # A page that is gone is reported as such, never as drift; nor is a PDF that cannot be read.
    gone = diagnostics([facts["gone"]])
    assert [(d.line, d.code) for d in gone] == [(9, "number-unconfirmed"), (14, "source-unreachable")]
    assert "404 Not Found" in gone[1].message and not facts["gone"].drift()
    all_gone = diagnostics([facts["all-gone"]])
    assert {d.code for d in all_gone} == {"source-unreachable"} and len(all_gone) == 2
    assert any("is not a web page (application/pdf)" in d.message for d in all_gone)
    assert not facts["all-gone"].confirmed


def test_each_page_is_fetched_once_and_cached(project, server):
    project.entry("gb/one.yaml", entry(server, "/contact", "/text"))
    project.entry("gb/two.yaml", entry(server, "/contact", "/gone").replace("88247", "85258"))
    check_facts(project.root, FAST, max_age=3600)
    assert Pages.hits == {"/contact": 1, "/text": 1, "/gone": 1}
    cache = json.loads((project.root / ".signpost-cache/facts.json").read_text())
    assert cache[f"{server}/contact"]["state"] == "ok" and "0800 068 4141" in cache[f"{server}/contact"]["runs"]
    report = check_facts(project.root, FAST, max_age=3600)
    assert Pages.hits == {"/contact": 1, "/text": 1, "/gone": 2}  # only what could not be read is asked again
    assert report.cached == 2


def test_links_facts_cli_warns_and_names_entry_number_and_sources(project, server):
    project.entry("gb/removed.yaml", entry(server, "/changed"))
    result = CliRunner().invoke(cli, ["links", str(project.root), "--facts", "--format", "github", "--timeout", "2"])
    assert result.exit_code == 1, result.output  # the entry's website is unreachable: a broken link
    assert "::warning file=content/entries/gb/removed.yaml,line=9,col=" in result.output
    assert "title=number-drift::Papyrus Test: 0800 068 4141 (phone)" in result.output
    assert "checked 2 numbers of 1 entries on 1 source pages" in result.output


# signpost verify -----------------------------------------------------------------------------

def test_verify_sets_only_the_date_line(project, server, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796342400")  # 2026-12-04
    path = project.entry("gb/present.yaml", entry(server, "/gone", "/contact", "/text"))
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["verify", "present", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "last_verified set to 2026-12-04" in result.output
    assert "could not read " + server + "/gone (404 Not Found)" in result.output
    after = path.read_bytes()
    assert after == before.replace(b"last_verified: 2024-01-01   # checked by phone",
                                   b"last_verified: 2026-12-04   # checked by phone")
    again = CliRunner().invoke(cli, ["verify", "present", str(project.root)])
    assert again.exit_code == 0 and "was already 2026-12-04" in again.output and path.read_bytes() == after


def test_verify_keeps_a_markdown_body_and_quoting(project, server, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796342400")
    front = entry(server, "/contact", "/text").replace("last_verified: 2024-01-01   # checked by phone",
                                                        "last_verified: '2024-01-01'")
    body = "A body  with odd   spacing,\n\n* a list\n---\n\ttabs and no final newline"
    path = project.entry("gb/present.md", "---\n" + front + "---\n" + body)
    before = path.read_bytes()
    assert CliRunner().invoke(cli, ["verify", "present", str(project.root)]).exit_code == 0
    assert path.read_bytes() == before.replace(b"last_verified: '2024-01-01'", b"last_verified: '2026-12-04'")


def test_verify_changes_nothing_when_a_number_is_not_confirmed(project, server):
    path = project.entry("gb/removed.yaml", entry(server, "/changed", "/text"))
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["verify", "removed", str(project.root)])
    assert result.exit_code == 1
    assert "0800 068 4141 (phone): on none of the sources read" in result.output
    assert "could not confirm 0800 068 4141; nothing was changed" in result.output
    assert path.read_bytes() == before


def test_verify_refuses_when_no_source_can_be_read(project, server):
    path = project.entry("gb/gone.yaml", entry(server, "/gone"))
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["verify", "gone", str(project.root)])
    assert result.exit_code == 1 and "could not confirm" in result.output and path.read_bytes() == before


def test_verify_names_a_missing_entry(project):
    project.entry("gb/samaritans.yaml")
    result = CliRunner().invoke(cli, ["verify", "samaritan", str(project.root)])
    assert result.exit_code == 1 and "did you mean 'samaritans'?" in result.output


def test_verify_refuses_to_rewrite_an_unusual_layout(project, server, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796342400")
    text = entry(server, "/contact", "/text").replace("contacts:\n  - {type", "contacts:\n  -   {type")
    path = project.entry("gb/present.yaml", text)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["verify", "present", str(project.root)])
    assert result.exit_code == 1 and "write `last_verified: 2026-12-04` in it by hand" in result.output
    assert path.read_bytes() == before


def test_links_facts_json_is_one_document(project, server):
    project.entry("gb/removed.yaml", entry(server, "/changed"))
    result = CliRunner().invoke(cli, ["links", str(project.root), "--facts", "--format", "json",
                                        "--timeout", "2"])
    codes = {d["code"] for d in json.loads(result.stdout)}
    assert {"link-broken", "number-drift"} <= codes


def test_verify_in_a_real_subprocess(project, server):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = project.entry("gb/removed.yaml", entry(server, "/changed", "/text"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796342400"}
    failed = subprocess.run([sys.executable, "-m", "generator", "verify", "removed", str(project.root)],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    assert failed.returncode == 1 and "Error: content/entries/gb/removed.yaml: could not confirm" in failed.stderr
    assert "Traceback" not in failed.stderr
    path.write_text(path.read_text().replace(f"{server}/changed", f"{server}/contact"))
    done = subprocess.run([sys.executable, "-m", "generator", "verify", "removed", str(project.root)],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert "last_verified: 2026-12-04   # checked by phone" in path.read_text()
