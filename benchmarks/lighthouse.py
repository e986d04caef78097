"""Lighthouse 12 (mobile preset, its default simulated throttling) on the built sample site: the
home page, an entry page, a topic list and /search/. Prints each page's four category scores and
its CLS, and exits 1 when one misses the budget (100 in every category, CLS 0).

    .venv/bin/python benchmarks/lighthouse.py [--runs N] [--languages fr,ar]

`--languages` audits the home and entry pages in those languages too (/fr/, /fr/entries/samaritans/).

It installs Lighthouse 12.8 from npm into benchmarks/work/lighthouse/ on first use (Lighthouse 13
wants Node 22; this machine has Node 20), builds the sample into a temporary folder outside the project,
serves it on 127.0.0.1 and drives the system Chromium (CHROME_PATH=/usr/bin/chromium). With
several runs, each page's median score is shown. See docs/site.md for the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build  # noqa: E402
from tests.browser import serve_folder  # noqa: E402

WORK = ROOT / "benchmarks" / "work"
TOOL = WORK / "lighthouse"
LIGHTHOUSE = TOOL / "node_modules" / ".bin" / "lighthouse"
VERSION = "~12.8.0"
CHROME = "/usr/bin/chromium"
PAGES = {"home": "/", "entry": "/entries/samaritans/", "topic list": "/topics/anxiety/", "search": "/search/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking " \
               "--disable-component-update --disable-sync"


def install() -> None:
    if LIGHTHOUSE.exists():
        return
    TOOL.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", f"lighthouse@{VERSION}"],
                   cwd=TOOL, check=True)


def audit(url: str, report: Path) -> dict:
    """One Lighthouse run: {category: score 0-100, 'cls': value}."""
    env = dict(os.environ, CHROME_PATH=CHROME)
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--chrome-flags={CHROME_FLAGS}"], env=env, check=True)
    data = json.loads(report.read_text())
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    scores["cls"] = data["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["version"] = data["lighthouseVersion"]
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    parser.add_argument("--languages", default="", help="also audit home and entry in these languages, e.g. fr,ar")
    args = parser.parse_args()
    pages = dict(PAGES)
    for code in filter(None, args.languages.split(",")):
        pages |= {f"{name} ({code})": f"/{code}{PAGES[name]}" for name in ("home", "entry")}
    install()
    # Outside the project: a build never writes inside it, except into its own output/.
    site = Path(tempfile.gettempdir()) / "signpost-lighthouse-site"
    shutil.rmtree(site, ignore_errors=True)
    build(ROOT, site)
    server = serve_folder(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    missed = False
    try:
        print("| Page | Performance | Accessibility | Best practices | SEO | CLS |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, path in pages.items():
            runs = [audit(base + path, WORK / f"lighthouse-{name.replace(' ', '-')}-{i}.json") for i in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in (*CATEGORIES, "cls")}
            print(f"| {name} ({path}) | " + " | ".join(f"{median[c]:g}" for c in CATEGORIES) + f" | {median['cls']:.3f} |")
            missed |= any(median[c] < 100 for c in CATEGORIES) or median["cls"] > 0
        print(f"\nLighthouse {runs[0]['version']}, mobile preset, {args.runs} run(s) a page, median shown.")
    finally:
        server.shutdown()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
