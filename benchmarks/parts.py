"""Where a build's time goes, part by part, in one process: what `benchmarks/build.py` cannot say.

    python benchmarks/parts.py PROJECT [--repeat 3] [--profile TEMPLATE]

Times, for PROJECT (a corpus from synth.py, or any project), in one process with no workers and
nothing written: load and validate, the model, every Markdown body, the pages of each template
(their Markdown already drawn, so a page's figure is its template's), and each part of the
exports, in CPU seconds of this process. Pages are drawn once, as a build draws them (a second
round would find every card already drawn); the rest is the best of `--repeat` runs.
`--profile entry.html` then prints cProfile's top functions over that template's pages.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time
from collections import defaultdict
from pathlib import Path

from generator import exports, hsds, parallel
from generator.build import check
from generator.markdown import PARSER
from generator.model import build_site
from generator.outputs import Context
from generator.render import Renderer, render_page


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", metavar="TEMPLATE")
    args = parser.parse_args()
    gc.disable()  # as a build runs (build.no_cycle_collection)
    parallel.PARALLEL_FROM = float("inf")  # all the work in this process, where process_time sees it
    rows = [("load + validate", 1, best(1, lambda: check(args.project)))]
    valid, _ = check(args.project)
    rows.append(("model", 1, best(args.repeat, lambda: build_site(valid))))
    site = build_site(valid)
    renderer = Renderer.load(args.project / "templates", site.config.base_url, site.config)
    bodies = [listing.body for listing in site.entries if listing.body.strip()]
    rows.append(("Markdown bodies", len(bodies), best(args.repeat, lambda: [PARSER.render(b) for b in bodies])))
    with renderer.showing(site):
        plans = Context(site, renderer).plans
        for plan in plans:  # every body drawn once, so the pages below time their templates alone
            if "listing" in plan.context:
                plan.context["listing"].body_html
        by_template = defaultdict(list)
        for plan in plans:
            by_template[plan.template].append(plan)
        for template, chosen in sorted(by_template.items(), key=lambda item: -len(item[1])):
            envs = {plan.prefix: renderer.env_of(plan.prefix) for plan in chosen}
            rows.append((template, len(chosen), best(1, lambda: [render_page(envs[p.prefix], p) for p in chosen])))
        if args.profile:
            chosen = by_template[args.profile]
            for language in renderer.by_prefix.values():  # the cards and rows drawn again, as the first time
                language.fragments.clear()
            profile = cProfile.Profile()
            profile.runcall(lambda: [render_page(renderer.env_of(p.prefix), p) for p in chosen])
    parts = {"data/entries.json": lambda: exports.entries_json(site),
             "data/entries.csv": lambda: exports.table(exports.ENTRY_COLUMNS, exports.entry_rows(site)),
             "data/contacts.csv": lambda: exports.table(exports.CONTACT_COLUMNS, exports.contact_rows(site)),
             "data/hsds/ (every file)": lambda: list(hsds.hsds_files(site))}
    for name, work in parts.items():
        rows.append((name, len(site.entries), best(args.repeat, work)))
    print("| part | items | CPU s | µs an item |\n|---|---|---|---|")
    for name, count, seconds in rows:
        print(f"| {name} | {count:,} | {seconds:.3f} | {seconds / max(count, 1) * 1e6:,.0f} |")
    if args.profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
