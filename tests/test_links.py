"""signpost links: against a local HTTP server on 127.0.0.1; no test touches the internet."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.links import Settings, check_links, collect_links, diagnostics, parse_age

FAST = Settings(concurrency=8, timeout=0.3, retries=2, backoff=0.01)


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    active = 0
    most_active = 0
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        cls = type(self)
        if self.path == "/sleepy":  # still asleep after the client gave up: not a request in flight
            cls.hits[self.path] = cls.hits.get(self.path, 0) + 1
            return self.answer(0)
        with cls.lock:
            cls.hits[self.path] = cls.hits.get(self.path, 0) + 1
            cls.active += 1
            cls.most_active = max(cls.most_active, cls.active)
        try:
            self.answer(cls.hits[self.path])
        finally:
            with cls.lock:
                cls.active -= 1

    def do_GET(self) -> None:
        self.do_HEAD()

    def answer(self, hit: int) -> None:
        path = self.path
        if path == "/moved":
            return self.reply(301, location="/ok")
        if path == "/found":
            return self.reply(302, location="/ok")
        if path == "/missing":
            return self.reply(404)
        if path == "/error":
            return self.reply(500)
        if path == "/flaky":
            return self.reply(503 if hit == 1 else 200)
        if path == "/sleepy":
            time.sleep(1)
        if path == "/no-head" and self.command == "HEAD":
            return self.reply(405)
        self.reply(200)

    def reply(self, status: int, location: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server():
    Handler.hits, Handler.active, Handler.most_active = {}, 0, 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def entry(base: str) -> str:
    # kind: hotline is a validation error: links are checked all the same.
    return f"""\
name: Link Test
kind: hotline
website: {base}/ok
contacts:
  - {{type: chat, url: {base}/moved}}
sources:
  - {base}/missing
  - {base}/found
  - {base}/flaky
  - {base}/no-head
"""


def markdown(base: str) -> str:
    return f"""\
---
name: Body Test
website: {base}/ok
---
Intro paragraph.

See [the old page]({base}/error) and
also <{base}/sleepy>, then http://127.0.0.1:{closed_port()}/nothing-listens.
"""


def test_links_are_found_in_fields_and_bodies_with_their_lines(project, server):
    project.entry("gb/link-test.yaml", entry(server))
    project.entry("gb/body-test.md", markdown(server))
    links, unreadable = collect_links(project.root)
    where = {link.url.removeprefix(server): (link.path.rsplit("/", 1)[1], link.line) for link in links}
    assert where["/moved"] == ("link-test.yaml", 5)
    assert where["/missing"] == ("link-test.yaml", 7)
    assert where["/error"] == ("body-test.md", 7)
    assert where["/sleepy"] == ("body-test.md", 8)
    assert unreadable == []


def test_states_retries_and_politeness(project, server):
    project.entry("gb/link-test.yaml", entry(server))
    project.entry("gb/body-test.md", markdown(server))
    report = check_links(project.root, FAST, max_age=86400)
    states = {url.removeprefix(server): r.state for url, r in report.results.items() if url.startswith(server)}
    assert states == {"/ok": "ok", "/moved": "redirected", "/found": "redirected", "/missing": "broken",
                      "/error": "broken", "/flaky": "ok", "/no-head": "ok", "/sleepy": "broken"}
    assert Handler.hits["/error"] == 3 and Handler.hits["/missing"] == 1  # 5xx retried, 4xx not
    assert Handler.most_active <= 2  # never more than two requests at once to one host
    found = {(d.path.rsplit("/", 1)[1], d.line, d.severity, d.code) for d in diagnostics(report)}
    assert ("link-test.yaml", 5, "warning", "link-moved") in found
    assert ("link-test.yaml", 7, "error", "link-broken") in found
    assert ("body-test.md", 7, "error", "link-broken") in found
    assert [d.message for d in diagnostics(report) if d.code == "link-moved"] == [
        f"{server}/moved has moved permanently; write {server}/ok instead"]
    assert any("could not connect" in d.message for d in diagnostics(report))
    assert any("timed out" in d.message for d in diagnostics(report))


def test_cli_exit_status_cache_and_github_format(project, server):
    # No broken or flaky links here: the CLI's real backoff would slow the test down.
    project.entry("gb/link-test.yaml", entry(server).replace(f"  - {server}/missing\n", "").replace(f"  - {server}/flaky\n", ""))
    runner = CliRunner()
    result = runner.invoke(cli, ["links", str(project.root), "--timeout", "0.5"])
    assert result.exit_code == 0, result.output  # redirects alone do not fail
    assert "redirected" in result.output and "content/entries/gb/link-test.yaml:5:" in result.output
    cache = json.loads((project.root / ".signpost-cache/links.json").read_text())
    assert f"{server}/ok" in cache
    hits = dict(Handler.hits)
    again = runner.invoke(cli, ["links", str(project.root), "--format", "github"])
    assert Handler.hits == hits  # every answer came from the cache
    assert "::warning file=content/entries/gb/link-test.yaml,line=5" in again.output
    runner.invoke(cli, ["links", str(project.root), "--max-age", "0"])
    assert Handler.hits["/ok"] > hits["/ok"]


def test_cli_fails_on_a_broken_link(project, server):
    project.entry("gb/link-test.yaml", f"name: X\nwebsite: {server}/missing\n")
    result = CliRunner().invoke(cli, ["links", str(project.root), "--format", "github"])
    assert result.exit_code == 1
    assert "::error file=content/entries/gb/link-test.yaml,line=2" in result.output


def test_ages():
    assert parse_age("1d") == 86400 and parse_age("30m") == 1800 and parse_age("0") == 0
    with pytest.raises(ValueError, match="like 1d"):
        parse_age("soon")


def test_with_the_network_down_no_link_is_called_broken_and_the_status_says_so(project, server):
    # One host answers (a real 404 among its links); the others cannot be reached at all.
    dead = [f"http://127.0.0.1:{closed_port()}/page", "https://nothing-here.invalid/contact",
            "https://also-gone.invalid/", f"http://127.0.0.1:{closed_port()}/"]
    sources = "".join(f"  - {url}\n" for url in [f"{server}/missing", *dead])
    project.entry("gb/offline.yaml", f"name: Offline\nwebsite: {server}/ok\nsources:\n{sources}")
    for fmt in ("text", "json"):
        result = CliRunner().invoke(cli, ["links", str(project.root), "--retries", "0", "--format", fmt])
        assert result.exit_code == 3, result.output
        assert "the network looks unreachable: 4 of 5 hosts could not be connected to" in result.output
        if fmt == "text":
            assert "  broken          1\n  unchecked       4\n" in result.output
    found = json.loads(result.output[: result.output.rindex("]") + 1])
    assert [(d["line"], d["severity"], d["code"]) for d in found] == [
        (4, "error", "link-broken"), *[(line, "warning", "link-unchecked") for line in range(5, 9)]]
    assert "fix or remove" not in " ".join(d["message"] for d in found if d["code"] != "link-broken")
    assert found[1]["message"].startswith(f"{dead[0]} was not checked: the network looks unreachable (could not connect")


def test_one_unreachable_host_among_many_that_answer_is_a_broken_link(project, server):
    dead = f"http://127.0.0.1:{closed_port()}/"
    others = "".join(f"  - http://localhost:{server.rsplit(':', 1)[1]}/ok?{n}\n" for n in range(2))
    project.entry("gb/one-dead.yaml", f"name: X\nwebsite: {server}/ok\nsources:\n  - {dead}\n{others}")
    result = CliRunner().invoke(cli, ["links", str(project.root), "--retries", "0"])
    assert result.exit_code == 1 and "network" not in result.output
    assert f"{dead} is broken: could not connect" in result.output
