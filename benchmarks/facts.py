"""How long `signpost links --facts` takes over the sample content, against a local fixture.

There is no internet here, so every source URL of the sample is served by a local HTTP server
(127.0.0.1, port 0) instead: a page of about 40 KB of filler text in which the entry's own
phone and SMS numbers are written in another form than the entry's (international with
spaces, national with dashes, or only as a tel: link), and `delay` seconds of latency per
response to stand in for a real server. Every source is on one host here, so the per-host
limit of links.py (2 at once) bounds the whole run: real sources spread over many hosts.

    .venv/bin/python benchmarks/facts.py [--delay 0.2] [--runs 3]

Prints entries, numbers and pages checked, and the time of a cold run (every page fetched)
and a warm one (every page from the cache), the median of --runs each.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import phonenumbers  # noqa: E402

from generator.drift import check_facts, contacts_of, entry_documents, region_of, sources_of  # noqa: E402
from generator.links import Settings  # noqa: E402
from generator.phones import parse_number  # noqa: E402

FILLER = "<p>" + "Support is free and confidential. " * 40 + "</p>\n"


def page_for(doc, turn: int) -> str:
    """A page that writes each of the entry's numbers differently from the entry."""
    shown = []
    for contact in contacts_of(doc):
        number = parse_number(str(contact.get("value", "")), region_of(doc, contact))
        if contact.get("type") not in ("phone", "sms") or number is None:
            continue
        if number.short:
            shown.append(f'<a href="tel:{number.tel}">Call or text {" ".join(number.tel)}</a>')
            continue
        # A number that connects only from home has no +CC form: its tel is as dialled there.
        parsed = phonenumbers.parse(number.tel, number.region)
        style = [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL][turn % 2]
        written = phonenumbers.format_number(parsed, style).replace(" ", "-" if turn % 2 else " ")
        shown.append(f'<p>Call <a href="tel:{number.tel}">{written}</a></p>')
    return "<!doctype html><title>Source</title>" + FILLER * 15 + "\n".join(shown) + FILLER * 15


def fixture_project(target: Path) -> tuple[dict[str, str], Path, dict[str, str]]:
    """A copy of the sample whose sources point at local paths; returns (path → page, root, source URL → path)."""
    root = target / "site"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    docs, _ = entry_documents(root)
    pages, moved = {}, {}
    for turn, doc in enumerate(sorted(docs, key=lambda d: d.rel)):
        for url in sources_of(doc):
            path = moved.setdefault(url, f"/source/{len(moved)}")
            pages[path] = pages.get(path, "") + page_for(doc, turn)
    return pages, root, moved


def serve(pages: dict[str, str], delay: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(delay)
            body = pages.get(self.path, "").encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def point_sources(root: Path, moved: dict[str, str], base: str) -> None:
    for path in (root / "content" / "entries").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        for url, local in sorted(moved.items(), key=lambda item: -len(item[0])):
            text = re.sub(rf"(?<=[\s\[,]){re.escape(url)}(?=[\s\],])", base + local, text)
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.2, help="seconds of latency per response")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages, root, moved = fixture_project(Path(tmp))
        httpd = serve(pages, args.delay)
        point_sources(root, moved, f"http://127.0.0.1:{httpd.server_address[1]}")
        settings = Settings(timeout=10, retries=0)
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(root / ".signpost-cache", ignore_errors=True)
            cold.append(check_facts(root, settings, max_age=0))
            warm.append(check_facts(root, settings, max_age=86400))
        httpd.shutdown()
    report = cold[0]
    drift = sum(len(e.drift()) for e in report.entries)
    confirmed = sum(e.confirmed for e in report.entries if e.numbers)
    print(f"{len(report.entries)} entries, {report.numbers} phone/SMS numbers, {len(report.pages)} source pages "
          f"({sum(len(p) for p in pages.values()) // 1024} KB), {args.delay:.2f} s latency per page")
    print(f"entries with numbers confirmed: {confirmed}/{sum(bool(e.numbers) for e in report.entries)}; "
          f"numbers on no source: {drift}")
    print(f"cold (every page fetched): median {statistics.median(r.seconds for r in cold):.2f} s of {args.runs}")
    print(f"warm (every page cached):  median {statistics.median(r.seconds for r in warm):.2f} s of {args.runs}")


if __name__ == "__main__":
    main()
