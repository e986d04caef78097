#!/usr/bin/env python3
"""Search benchmark: index build cost, index size, and what a visitor's browser fetches and waits.

    python benchmarks/search.py [N ...] [--seed S] [--work DIR]      (default N: 500 5000 50000)

For each N it writes a synthetic project with benchmarks/synth.py (cached in --work), builds it in a
child process (so peak memory is that build's own), then drives headless Chromium on the built
site served from 127.0.0.1 and prints one Markdown table row per N:

- indexing: seconds of the "search index" step, timed alone in a fresh process, and that process's
  peak RSS while indexing as "model held + what indexing adds"; peak RSS of the whole build;
- index size on disk: everything under search/ except the page itself;
- bytes fetched (uncompressed: the file sizes served) from opening /search/ to the first results
  of a query, split into the fixed part (HTML, CSS, scripts, wasm) and the index part; and to the
  facet counts, which load after the first results;
- latency, median and p95, from submitting a text query to its first result and to its first ten
  drawn, and the same from ticking or unticking a facet (all after a first warm-up query);
- their floor: the same page fetching one card block it has not fetched before, 20 times, median
  and p95 (a query whose files are not all loaded yet waits at least this long per round trip);
- the machine's one-minute load average when the row was printed: other work skews latencies.

A search that fails in the page (its status says so) stops the run with that message, rather than
leaving the browser waiting for results that never come.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.serve import SiteHandler  # noqa: E402 - after the path is set

WARM_UP = "support"
TEXT_QUERIES = ["anchor", "lighthouse helpline", "bereavement", "kids", "willow", "london", "harbour chat",
                "youth anxiety", "morning light", "recovery forum", "second wind", "bridgew", "evergr",
                "lighthuose", "bereavment", "eating disorders", "rainbow", "paris", "veterans", "blue sky"]
# (facet, value) pairs ticked in turn, then unticked in reverse, on the results of FACET_QUERY.
FACET_QUERY = "support"
FACET_STEPS = [("kind", "helpline"), ("topic", "anxiety"), ("cost", "free"), ("audience", "everyone"),
               ("kind", "chat"), ("language", "en"), ("topic", "grief"), ("country", "gb"),
               ("country", "us"), ("topic", "stress")]
FIXED = ("search/index.html", "assets/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 5000, 50000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/signpost-search-bench"))
    parser.add_argument("--build-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child:
        return build_child(*args.build_child)
    if args.index_child:
        return index_child(args.index_child)
    print(HEADER)
    for n in args.sizes:
        project, out = project_for(n, args.seed, args.work), args.work / f"out-{n}"
        built = json.loads(subprocess.run([sys.executable, __file__, "--build-child", project, out],
                                          check=True, capture_output=True, text=True).stdout)
        print(row(n, built, index_size(out), measure_browser(out)), flush=True)


def project_for(n: int, seed: int, work: Path) -> Path:
    project = work / f"site-{n}-seed{seed}"
    if not (project / "site.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(n), str(project), "--seed", str(seed)], check=True)
    return project


def build_child(project: Path, out: Path) -> None:
    """Build with search in this (child) process; print timings and peak memory as JSON."""
    from generator.build import build

    # The synthetic project has content only: draw it with this checkout's templates, and
    # translate it with its catalogues (site.yaml lists languages whose pages need locales/).
    for name in ("templates", "locales"):
        shutil.copytree(HERE.parent / name, project / name, dirs_exist_ok=True)
    # A whole build every time: with inputs unchanged since the last run, build() would keep the
    # old output and the figures would be of doing nothing.
    from generator.state import forget

    forget(project, out)
    report = build(project, out)
    if report.skipped:
        raise SystemExit("the build was skipped as unchanged; its figures would mean nothing")
    # The build indexes beside rendering, in a forked copy of itself; index once more in a fresh
    # process, alone, for the indexing time and what indexing adds to the model's memory.
    alone = json.loads(subprocess.run([sys.executable, __file__, "--index-child", project],
                                      check=True, capture_output=True, text=True).stdout)
    print(json.dumps({**alone, "build_s": sum(seconds for _, seconds in report.timings),
                      "build_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def index_child(project: Path) -> None:
    """Load the model, then index it; print the index step's time, the RSS with the model loaded,
    and the peak RSS while indexing (loading the model peaks higher than it then holds, so the
    peak is reset first where Linux allows: /proc/self/clear_refs)."""
    from generator.build import check
    from generator.model import build_site
    from generator.search import index_site

    site = build_site(check(project)[0])
    model_rss_mb = proc_status_mb("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    except OSError:
        pass
    start = time.perf_counter()
    for _ in index_site(site):  # made as they are asked for
        pass
    index_s = time.perf_counter() - start
    print(json.dumps({"index_s": index_s, "model_rss_mb": model_rss_mb, "index_rss_mb": proc_status_mb("VmHWM")}))


def proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_size(out: Path) -> int:
    files = [f for f in (out / "search").rglob("*") if f.name != "index.html"]
    return sum(f.stat().st_size for f in files if f.is_file())


class KeepAliveHandler(SiteHandler):
    """Like a real static host: keep-alive, and no Nagle delay. Python's http.server defaults to
    HTTP/1.0 with Nagle on, which adds 40 ms stalls that would measure the server, not search."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True


def measure_browser(out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, LAUNCH_ARGS

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(KeepAliveHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            # Service workers blocked: the offline worker precaches the home page in the background
            # on a first visit (docs/site.md); that is a cost of the visit, not of search.
            context = browser.new_context(service_workers="block")
            requested: list[str] = []
            context.on("request", lambda r: requested.append(urlsplit(r.url).path.lstrip("/")))
            page = context.new_page()
            page.goto(base + "/search/")
            page.wait_for_selector("#search-form")
            first_ms, _, shown_at, _ = submit(page, WARM_UP)
            # Requests started by then, on the page's own clock: the facet counts' fetch starts
            # just after the results are drawn, too close to tell apart by wall-clock time.
            before_results = ["search/"] + page.evaluate(RESOURCES, shown_at)
            page.wait_for_function("document.querySelector('#search-facets .count')?.textContent")
            before_counts = list(requested)
            text = [submit(page, q) for q in TEXT_QUERIES]
            submit(page, FACET_QUERY)
            facet = [toggle(page, f, v, True) for f, v in FACET_STEPS]
            facet += [toggle(page, f, v, False) for f, v in reversed(FACET_STEPS)]
            floor = page.evaluate(FETCH_FLOOR, len(list((out / "search" / "cards").iterdir())))
            browser.close()
    finally:
        server.shutdown()
    fixed, index = split_bytes(out, before_results)
    return {"first_ms": first_ms, "fixed": fixed, "index": index,
            "with_counts": sum(split_bytes(out, before_counts)),
            "text": [t[0] for t in text], "text_page": [t[3] for t in text],
            "facet": [t[0] for t in facet], "facet_page": [t[2] for t in facet], "floor": floor}


# Resolves with the results' detail, or rejects when search.js reports a failure ("signpost:failed").
OUTCOME = """const outcome = (form) => new Promise((resolve, reject) => {
  form.addEventListener("signpost:results", (e) => resolve({...e.detail, at: performance.now()}), {once: true});
  form.addEventListener("signpost:failed", () => reject(new Error(
    `search failed: ${document.getElementById("search-status").textContent}`)), {once: true});
});"""

SUBMIT = """async (q) => {
  """ + OUTCOME + """
  const form = document.getElementById("search-form");
  let first = null;
  form.addEventListener("signpost:first", () => { first ??= performance.now(); }, {once: true});
  const done = outcome(form);
  const start = performance.now();
  document.getElementById("search-q").value = q;
  form.requestSubmit();
  const detail = await done;
  const end = performance.now();
  return [(first ?? end) - start, detail.count, detail.at, end - start];
}"""

RESOURCES = """(until) => performance.getEntriesByType("resource")
  .filter((e) => e.startTime <= until).map((e) => new URL(e.name).pathname.replace(/^\\//, ""))"""

TOGGLE = """async ([facet, value, on]) => {
  """ + OUTCOME + """
  const form = document.getElementById("search-form");
  const box = form.querySelector(`input[name="${facet}"][value="${value}"]`);
  if (!box) return [0, -1];
  let first = null;
  form.addEventListener("signpost:first", () => { first ??= performance.now(); }, {once: true});
  const done = outcome(form);
  const start = performance.now();
  box.checked = on;
  box.dispatchEvent(new Event("change", {bubbles: true}));
  const detail = await done;
  const end = performance.now();
  return [(first ?? end) - start, detail.count, end - start];
}"""


# The peer of the latencies above, in the same page: the browser fetching one card block it has
# not fetched before, 20 times in turn. Any search that needs a file it has not yet got waits at
# least this long for it, whatever it does with the file.
FETCH_FLOOR = """async (blocks) => {
  const times = [];
  for (let b = blocks - 1; b >= blocks - 20; b--) {
    const start = performance.now();
    await (await fetch(`cards/${Math.max(b, 0)}.json`, {cache: "no-store"})).text();
    times.push(performance.now() - start);
  }
  return times;
}"""


def submit(page, query: str) -> tuple[float, int, float]:
    return tuple(page.evaluate(SUBMIT, query))


def toggle(page, facet: str, value: str, on: bool) -> tuple[float, int, float]:
    return tuple(page.evaluate(TOGGLE, [facet, value, on]))


def split_bytes(out: Path, paths: list[str]) -> tuple[int, int]:
    """Uncompressed bytes of the distinct files fetched: (fixed part, index part)."""
    fixed = index = 0
    for path in sorted(set(paths)):
        file = out / (path + "index.html" if path.endswith("/") or not path else path)
        size = file.stat().st_size if file.is_file() else 0
        if path.startswith(FIXED) or path == "search/":
            fixed += size
        else:
            index += size
    return fixed, index


HEADER = ("| entries | index s | index process peak MB: model + index | build peak MB | index on disk | first results: fixed + index"
          " = total | with facet counts | first query ms | text: first result, median / p95 ms | text: 10 results"
          " | facet: first result | facet: 10 results | one fetch, median / p95 ms | load avg |\n"
          "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")


def row(n: int, built: dict, size: int, b: dict) -> str:
    kb = lambda x: f"{x / 1024:,.0f} KB"  # noqa: E731
    ms = lambda xs: f"{statistics.median(xs):.1f} / {percentile(xs, 95):.1f}"  # noqa: E731
    index_mb = f"{built['index_rss_mb']:,.0f}: {built['model_rss_mb']:,.0f} + {built['index_rss_mb'] - built['model_rss_mb']:,.0f}"
    return (f"| {n:,} | {built['index_s']:.1f} | {index_mb} | {built['build_rss_mb']:,.0f} "
            f"| {size / 1024 / 1024:.1f} MB | {kb(b['fixed'])} + {kb(b['index'])} = {kb(b['fixed'] + b['index'])} "
            f"| {kb(b['with_counts'])} | {b['first_ms']:.0f} | {ms(b['text'])} | {ms(b['text_page'])} "
            f"| {ms(b['facet'])} | {ms(b['facet_page'])} | {ms(b['floor'])} | {os.getloadavg()[0]:.1f} |")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
