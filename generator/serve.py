"""Serve: a local preview on 127.0.0.1 that rebuilds on every save and reloads open browsers.

The site is served from memory (rebuild.LiveSite keeps the last good build); output/ is kept in
step, one atomic write per changed file. Only in serve mode, HTML responses get a
`<script src="/__signpost/reload.js">` (an external file, so the pages' CSP `script-src 'self'`
holds) which listens for server-sent events on /__signpost/events and reloads the page. While the
content has errors, every page is replaced by an overlay listing them as file:line.
"""
from __future__ import annotations

import functools
import html
import json
import mimetypes
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import watchfiles

from generator.diagnostics import Diagnostic, format_all, summary
from generator.rebuild import LiveSite, Outcome

RELOAD_URL = "/__signpost/reload.js"
EVENTS_URL = "/__signpost/events"
RELOAD_TAG = f'<script src="{RELOAD_URL}" defer></script>'.encode()
RELOAD_JS = b"""// Signpost preview only: reload the page when a rebuild changed it.
(function () {
  var source = new EventSource("/__signpost/events");
  var seen = null;
  source.addEventListener("reload", function (event) {
    var update = JSON.parse(event.data);  // {version, pages: changed pages' paths, or null for all}
    var here = location.pathname.replace(/index\\.html$/, "");
    if (seen !== null && update.version !== seen && (update.pages === null || update.pages.indexOf(here) !== -1)) {
      location.reload();
    }
    seen = update.version;
    document.documentElement.dataset.previewVersion = seen;  // tells tests the stream is open
  });
})();
"""
MAX_PAGES_NAMED = 200  # an event naming more pages says "all" instead
KEEPALIVE_SECONDS = 10


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from a built output folder, with the site's own 404 page (no live reload)."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class names it so
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(out: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A plain static server for a built folder (the browser tests use it)."""
    handler = functools.partial(SiteHandler, directory=str(out.resolve()))
    return ThreadingHTTPServer((host, port), handler)


def output_path(url_path: str, base_path: str) -> str | None:
    """The output file a URL path names, or None for anything outside the site.

    Decodes %-escapes first, so `/%2e%2e/site.yaml` is refused like `/../site.yaml`."""
    path = unquote(urlsplit(url_path).path)
    if not path.startswith(base_path) or "\\" in path or "\0" in path:
        return None
    parts = [part for part in path[len(base_path):].split("/") if part]
    if any(part in ("..", ".") for part in parts):
        return None
    rel = "/".join(parts)
    if path.endswith("/"):
        rel = f"{rel}/index.html" if rel else "index.html"
    return rel


def content_type(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith(".json"):
        kind = "application/json"
    text = kind.startswith("text/") or kind.endswith(("json", "xml", "javascript"))
    return f"{kind}; charset=utf-8" if text else kind


def inject_reload(body: bytes) -> bytes:
    """Add the reload script before </head> (or at the end when there is no head)."""
    at = body.find(b"</head>")
    return body[:at] + RELOAD_TAG + body[at:] if at >= 0 else body + RELOAD_TAG


def overlay_html(diagnostics: list[Diagnostic]) -> bytes:
    """The page shown instead of the site while the content has errors."""
    errors = [d for d in sorted(diagnostics) if d.severity == "error"]
    items = "\n".join(f"<li><code>{html.escape(d.path)}:{d.line}:{d.col}</code> {html.escape(d.message)} "
                      f"<small>[{html.escape(d.code)}]</small></li>" for d in errors)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build error · Signpost preview</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#111;background:#fff5f5}}
h1{{color:#a00}}li{{margin:.5rem 0}}code{{background:#fee;padding:0 .2em}}</style>
</head><body><h1>The site cannot be built</h1>
<p>{len(errors)} error{"s" * (len(errors) != 1)} in the content. Fix {"it" if len(errors) == 1 else "them"} and
save: this page reloads by itself.</p>
<ol>
{items}
</ol></body></html>
""".encode()


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the LiveSite from memory, the reload script and its event stream."""

    live: LiveSite
    base_path = "/"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == RELOAD_URL:
            return self.respond(200, RELOAD_JS, "text/javascript; charset=utf-8")
        if path == EVENTS_URL:
            return self.stream_events()
        rel = output_path(self.path, self.base_path)
        files = self.live.files
        if path == "/" and self.base_path != "/":
            return self.redirect(self.base_path)
        if rel is not None and rel not in files and f"{rel}/index.html" in files:
            return self.redirect(self.base_path + rel + "/")
        if self.live.broken and (rel is None or rel.endswith(".html") or rel not in files):
            return self.respond(500, inject_reload(overlay_html(self.live.diagnostics)), "text/html; charset=utf-8")
        if rel is None or rel not in files:
            return self.not_found(files)
        body = files[rel]
        if rel.endswith(".html"):
            body = inject_reload(body)
        self.respond(200, body, content_type(rel))

    def not_found(self, files: dict[str, bytes]) -> None:
        body = files.get("404.html")
        if body is None:
            return self.respond(404, b"Not found\n", "text/plain; charset=utf-8")
        self.respond(404, inject_reload(body), "text/html; charset=utf-8")

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def respond(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a preview must never show a stale page
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def stream_events(self) -> None:
        """Server-sent events: the build version now, then again each time it changes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        sent = None
        try:
            while True:
                with self.live.changed:
                    self.live.changed.wait_for(lambda: self.live.version != sent, timeout=KEEPALIVE_SECONDS)
                    version, paths = self.live.version, self.live.changed_since(sent)
                data = json.dumps({"version": version, "pages": self.page_urls(paths)})
                message = f"event: reload\ndata: {data}\n\n" if version != sent else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                sent = version
        except (BrokenPipeError, ConnectionResetError):
            return

    def page_urls(self, paths: list[str] | None) -> list[str] | None:
        """The URL paths of the pages among output paths (None, or too many to name: all)."""
        pages = None if paths is None else [path for path in paths if path.endswith(".html")]
        if pages is None or len(pages) > MAX_PAGES_NAMED:
            return None
        return [self.base_path + path.removesuffix("index.html") for path in pages]


class PreviewServer(ThreadingHTTPServer):
    # Event streams never end by themselves: their threads must not keep the process alive.
    daemon_threads = True
    block_on_close = False


def make_preview_server(live: LiveSite, host: str, port: int, base_path: str = "/") -> PreviewServer:
    handler = type("Handler", (PreviewHandler,), {"live": live, "base_path": base_path})
    try:
        return PreviewServer((host, port), handler)
    except OSError as exc:
        raise OSError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                      f"pass --port 0 to use a free port, or stop what is using it") from None


class EitherEvent:
    """Set when any of its events is: what watchfiles' stop_event needs to end a watch early."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


def watch(live: LiveSite, stop: threading.Event, report: Callable[[Outcome, set[Path]], None],
          *paths: Path, only: tuple[str, ...] | None = None, again: threading.Event | None = None) -> None:
    """Rebuild on every change under `paths` until `stop` is set (`only`: file names to keep).

    The watch starts over, on the paths that exist then, when it fails (a watched folder was
    removed) or when `again` is set (one was made): a watcher never dies while serve runs."""
    keep = (lambda change, path: Path(path).name in only) if only else watchfiles.DefaultFilter()
    again = again or threading.Event()
    while not stop.is_set():
        again.clear()
        existing = [path for path in paths if path.exists()]
        try:
            if existing:
                for changes in watchfiles.watch(*existing, watch_filter=keep, stop_event=EitherEvent(stop, again),
                                                step=20, rust_timeout=500, raise_interrupt=False,
                                                recursive=only is None):
                    changed = {Path(path) for _, path in changes}
                    report(live.rebuild(changed), changed)
        except Exception:  # noqa: BLE001 - the folder went away under the watch: watch again
            pass
        stop.wait(0.2)


WATCHED = ("content", "templates", "locales")  # the folders a change in which changes the site


def start_watching(live: LiveSite, stop: threading.Event, echo: Callable[[str], None]) -> list[threading.Thread]:
    """Watch content/, templates/ and locales/ deeply, and the project folder itself for site.yaml
    and those folders only: editors save by renaming a new file over the old, which a watch on the
    file itself misses, and a folder made or removed restarts the deep watch. (One folder deep, so
    output/ and .venv/ are not watched.)"""
    def report(outcome: Outcome, changed: set[Path]) -> None:
        echo(describe(outcome, changed, live.root))
        if any(path.parent == live.root and path.name in WATCHED for path in changed):
            again.set()

    again = threading.Event()
    deep = [live.root / name for name in WATCHED]
    jobs = [(deep, None, again), ([live.root], ("site.yaml", *WATCHED), None)]
    threads = []
    for paths, only, restart in jobs:
        thread = threading.Thread(target=watch, args=(live, stop, report, *paths),
                                  kwargs={"only": only, "again": restart}, daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def describe(outcome: Outcome, changed: set[Path] | None, root: Path) -> str:
    """One line for the terminal about a rebuild, then the diagnostics when it failed."""
    names = ", ".join(sorted(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
                             for path in changed or ()))
    cause = f" after {names}" if names else ""
    if not outcome.ok:
        text = format_all([d for d in outcome.diagnostics if d.severity == "error"], "text")
        return f"{text}\nbuild failed{cause}: {summary(outcome.diagnostics)}; the browser shows them until you fix them"
    return (f"rebuilt {outcome.rendered} pages, wrote {len(outcome.written)} files"
            f"{f', removed {len(outcome.removed)}' if outcome.removed else ''} in {outcome.seconds * 1000:.0f} ms{cause}")


def run(root: Path, host: str, port: int, echo: Callable[[str], None]) -> None:
    """Build, serve and watch until Ctrl-C; content errors are shown, never fatal."""
    root = root.resolve()
    # Ctrl-C must stop the server even when it was started from a shell that ignores SIGINT
    # (background jobs of non-interactive shells do).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    live = LiveSite(root, root / "output")
    server = make_preview_server(live, host, port)  # first, so a busy port fails before a long build
    echo(describe(live.rebuild(), None, root))
    live.workers = 1
    # A rebuild's long pass runs while the browser fetches the page published first: hand the
    # interpreter over to the server's threads every millisecond, not every 5 (Python's default).
    sys.setswitchinterval(0.001)
    server.RequestHandlerClass.base_path = live.base_path
    stop = threading.Event()
    watchers = start_watching(live, stop, echo)
    echo(f"Serving {root.name} at http://{host}:{server.server_address[1]}{live.base_path} (Ctrl-C to stop)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        stop.set()
        server.server_close()
        # One deadline for all watchers, not one each: they are daemon threads, and a watcher in
        # the middle of a rebuild must not hold Ctrl-C up for seconds per watched folder.
        deadline = time.monotonic() + 2
        for watcher in watchers:
            watcher.join(timeout=max(0.0, deadline - time.monotonic()))
