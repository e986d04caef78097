#!/usr/bin/env python3
"""Relevance benchmark: our search against Pagefind on the same built pages, in headless Chromium.

    python benchmarks/relevance.py [--project DIR] [--queries FILE] [--work DIR] [--show]

It builds the project (default: this repository's sample) with `signpost build`, copies the output
and runs Pagefind (pip `pagefind[extended]`, the `bench` extra) over every HTML page of the copy,
as a site owner adding Pagefind would; then, for each query of benchmarks/relevance-queries.yaml,
it reads the first ten entries each engine shows:

- ours: /search/#q=… with the query's visitor country remembered as the country picker does
  (localStorage "signpost-country"), the cards in the order drawn; when nothing matched, the crisis
  lines the page then shows are not counted as results;
- Pagefind: `pagefind.search(q)` in a page of the same site, its results in order, kept only
  where they are entry pages (/entries/<slug>/), which favours Pagefind: its list pages never
  count against it.

Printed per query kind and overall, both engines side by side: success@1 and success@3 (an
expected entry in the first 1 or 3), MRR (1 / rank of the first expected entry in the first ten),
recall@10 (the share of expected entries in the first ten), and how many answerable queries
found nothing. A query expecting nothing succeeds (all four figures 1) when the engine shows no
result. `--show` prints each query's first results, for looking at failures.
"""
from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.serve import SiteHandler  # noqa: E402 - after the path is set

KINDS = ("crisis", "feeling", "need", "place", "language", "typo", "name", "number", "nothing")

# Ours: set the remembered country, change the fragment, wait for the results event, read the cards.
OURS = """async ([q, country]) => {
  if (country) localStorage.setItem("signpost-country", country); else localStorage.removeItem("signpost-country");
  const form = document.getElementById("search-form");
  const done = new Promise((resolve, reject) => {
    form.addEventListener("signpost:results", (e) => resolve(e.detail), {once: true});
    form.addEventListener("signpost:failed", () => reject(new Error("search failed")), {once: true});
  });
  location.hash = "#q=" + encodeURIComponent(q);
  const detail = await done;
  if (detail.count === 0) return [];
  return Array.from(document.querySelectorAll("#search-results .card-title a"), (a) => new URL(a.href).pathname);
}"""

PAGEFIND = """async (q) => {
  window.pf ||= await import("/pagefind/pagefind.js");
  const found = await window.pf.search(q);
  const urls = [];
  for (const result of found.results.slice(0, 40)) {
    const data = await result.data();
    urls.push(new URL(data.url, location.href).pathname);
  }
  return urls;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=HERE.parent)
    parser.add_argument("--queries", type=Path, default=HERE / "relevance-queries.yaml")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "signpost-relevance",
                        help="where both builds go: outside the project, where a build may not write")
    parser.add_argument("--show", action="store_true", help="print each query's first results")
    args = parser.parse_args()
    queries = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    for query in queries:  # YAML reads a slug such as 3114 as a number
        query["q"], query["expect"] = str(query["q"]), [str(slug) for slug in query["expect"]]
    ours_dir, pagefind_dir = build_both(args.project, args.work)
    ours = run_queries(ours_dir, queries, "ours")
    theirs = run_queries(pagefind_dir, queries, "pagefind")
    if args.show:
        for query, a, b in zip(queries, ours, theirs):
            print(f"{query['kind']:9} {query['q']!r:32} ours {a[:3]}  pagefind {b[:3]}  want {query['expect'][:3]}")
    print(table(queries, ours, theirs))


def build_both(project: Path, work: Path) -> tuple[Path, Path]:
    """Our build, and a copy of it with Pagefind's bundle over its HTML pages."""
    ours, theirs = work / "ours", work / "pagefind"
    for folder in (ours, theirs):
        shutil.rmtree(folder, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    signpost = Path(sys.executable).with_name("signpost")
    subprocess.run([str(signpost), "build", str(project), "--out", str(ours)], check=True, capture_output=True)
    shutil.copytree(ours, theirs)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(theirs)], check=True, capture_output=True)
    return ours, theirs


def run_queries(folder: Path, queries: list[dict], engine: str) -> list[list[str]]:
    """Each query's first ten entry slugs, as the engine shows them."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, LAUNCH_ARGS

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    found = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            # Pagefind needs WebAssembly, which our pages' CSP refuses: its context bypasses it.
            context = browser.new_context(locale="en-GB", service_workers="block", bypass_csp=engine == "pagefind")
            page = context.new_page()
            page.goto(base + ("/search/" if engine == "ours" else "/404.html"))
            for query in queries:
                if engine == "ours":
                    urls = page.evaluate(OURS, [query["q"], query.get("country", "")])
                else:
                    urls = page.evaluate(PAGEFIND, query["q"])
                found.append(slugs(urls)[:10])
            browser.close()
    finally:
        server.shutdown()
    return found


def slugs(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        parts = urlsplit(path).path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "entries" and parts[1] not in out:
            out.append(parts[1])
    return out


def scores(expect: list[str], shown: list[str]) -> dict[str, float]:
    if not expect:
        ok = float(not shown)
        return {"s1": ok, "s3": ok, "mrr": ok, "r10": ok, "empty": 0}
    ranks = [shown.index(slug) + 1 for slug in expect if slug in shown]
    first = min(ranks, default=None)
    return {"s1": float(first == 1), "s3": float(first is not None and first <= 3),
            "mrr": 1 / first if first else 0.0, "r10": len(ranks) / len(expect), "empty": int(not shown)}


def table(queries: list[dict], ours: list[list[str]], theirs: list[list[str]]) -> str:
    groups: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for query, a, b in zip(queries, ours, theirs):
        pair = (scores(query["expect"], a), scores(query["expect"], b))
        groups[query["kind"]].append(pair)
        groups["all"].append(pair)
    rows = ["| kind | queries | success@1 ours / Pagefind | success@3 | MRR | recall@10 | answerable, no result |",
            "|---|---:|---|---|---|---|---|"]
    for kind in [k for k in KINDS if k in groups] + ["all"]:
        pairs = groups[kind]
        cell = lambda key: " / ".join(f"{sum(p[i][key] for p in pairs) / len(pairs):.2f}" for i in (0, 1))  # noqa: E731
        empty = " / ".join(str(sum(p[i]["empty"] for p in pairs)) for i in (0, 1))
        name = f"**{kind}**" if kind == "all" else kind
        rows.append(f"| {name} | {len(pairs)} | {cell('s1')} | {cell('s3')} | {cell('mrr')} | {cell('r10')} | {empty} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
