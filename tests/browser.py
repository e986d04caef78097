"""Real-browser test support: the system Chromium driven by Playwright, and a built site served
on 127.0.0.1. The fixtures `chromium` and `sample_site` reach every test through conftest.py's
`pytest_plugins`; import only the helper `open_context` (importing the fixtures too would start a
second Playwright, which fails)."""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build import build
from generator.serve import SiteHandler

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               # Anything not on loopback goes to a dead proxy: it fails fast, and is still seen.
               "--proxy-server=http://127.0.0.1:9"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@dataclass
class Served:
    """A built site served over HTTP on a free port."""

    root: Path
    url: str
    server: ThreadingHTTPServer


def serve_folder(folder: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory, sample_root) -> Served:
    """The sample project, built once per test session and served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("sample") / "output"
    build(sample_root, out)
    server = serve_folder(out)
    yield Served(out, f"http://127.0.0.1:{server.server_address[1]}", server)
    server.shutdown()


# Each test module that imports these fixtures gets its own copy of them, so two modules would
# start Playwright twice, which its sync API refuses ("inside the asyncio loop"). One browser is
# shared instead, closed when the last copy is torn down.
_shared: dict = {"users": 0}


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    if _shared["users"] == 0:
        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    _shared["users"] += 1
    yield _shared["browser"]
    _shared["users"] -= 1
    if _shared["users"] == 0:
        _shared["browser"].close()
        _shared["playwright"].stop()


@dataclass
class Watched:
    """A browser context that records requests to other origins and console errors."""

    context: object
    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def page(self):
        page = self.context.new_page()
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return page


def open_context(browser, base_url: str, **options) -> Watched:
    context = browser.new_context(**options)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    watched = Watched(context, origin)
    context.on("request", lambda request: None if request.url.startswith((origin, "data:"))
               else watched.foreign.append(request.url))
    return watched
