"""Benchmark `signpost build` against Hugo and Pelican on the same synthetic corpus, in one run.

    python benchmarks/build.py [--sizes 1000 10000] [--runs 3] [--tools signpost,hugo,pelican,...]
                               [--corpus realistic|stale-long]
                               [--plot docs/build-time.png] [--json benchmarks/work/build.json]
                               [--outputs benchmarks/work]

Corpora (benchmarks/synth.py, seeded): `realistic` has a quarter of its entries past their review
date (a warning each) and Markdown bodies of 75–220 words; `stale-long` has every entry past its
review date and every body about 200 words, the shape that once slowed the build.

Tools (each a cold build into a new output folder, as whole processes; the folders are removed
when the invocation ends, see `remove_outputs`):
  signpost         `signpost build --no-search --no-data`: pages only, the same work Hugo does
  signpost-data    `signpost build --no-search`: pages plus the /data/ exports
  signpost-nodata  `signpost build --no-data`: pages and the search index; signpost-search ÷ this is
                   what the exports add to the default build
  signpost-data-made, signpost-data-written  as signpost-data, but the exports are only made (and
                   thrown away), or only written (made beforehand): which half of their cost is
                   which (benchmarks/export_variants.py)
  signpost-search  `signpost build`: pages, search index and exports (the whole build)
  signpost-2lang, signpost-search-2lang  the same in two languages (en, fr): every page twice,
                   the search cards, facets and country files twice, the text index and exports
                   once; ÷ signpost is the cost of a second language
                   (budget 2.1×). Every other signpost tool builds in English alone.
  hugo             Debian's `hugo` on the Hugo-shaped corpus (page per entry + taxonomy lists)
  hugo-pagefind    Hugo, then Pagefind over Hugo's HTML, as a Hugo user would add search
  pelican          Pelican from benchmarks/work/pelican-venv (made on first use)
Runs are interleaved tool by tool (A B C A B C ...) so a drifting machine hits each alike; the
ratios signpost/hugo and signpost/pelican are taken run by run, then their median reported.
It also times, at the largest size, a no-change rebuild (serve's one-entry edit: benchmarks/serve.py).
Peak memory is the largest resident set of any single process of the build (getrusage), so a
multi-process build's total can be higher; the figure shown is what one process needed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
PYTHON = sys.executable
SIGNPOST = [PYTHON, "-m", "generator"]
PELICAN_VENV = WORK / "pelican-venv"
OUTPUTS = WORK  # where each run's output folder goes (--outputs)
CPU: list[float] = []  # CPU seconds of each timed command: steadier than wall time on a loaded machine


def run_timed(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB, largest process) of one command, which must succeed.
    CPU seconds (user + system, of the process and every process it waited for) go to CPU[-1]."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    CPU.append(usage.ru_utime + usage.ru_stime)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{process.stderr.read().decode()}")
    return wall, usage.ru_maxrss


CORPORA = {"realistic": ["--stale", "0.25"], "stale-long": ["--stale", "1", "--long-bodies"]}
CORPUS = "realistic"  # set by --corpus


def corpus(n: int, fmt: str) -> Path:
    """The seeded corpus of n entries in a tool's shape, generated once and reused."""
    target = WORK / f"{fmt}{n}-{CORPUS}"
    if not (target / ".complete").exists():
        subprocess.run([PYTHON, str(ROOT / "benchmarks" / "synth.py"), str(n), str(target), "--format", fmt,
                        *CORPORA[CORPUS]], check=True, stdout=subprocess.DEVNULL)
        (target / ".complete").touch()
    if fmt == "signpost":  # always the repository's current templates and catalogues
        for name in ("templates", "locales"):
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name)
    return target


def ensure_pelican() -> Path:
    pelican = PELICAN_VENV / "bin" / "pelican"
    if not pelican.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run([str(PELICAN_VENV / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=True)
    return pelican


RUN = iter(range(1_000_000))


KEPT: list[Path] = []  # every run's output, removed when the invocation ends


def fresh(folder: Path) -> Path:
    """A new folder per run, kept until the whole invocation ends (see `remove_outputs`)."""
    folder = folder.with_name(f"{folder.name}-{next(RUN)}")
    KEPT.append(folder)
    return folder


def remove_outputs() -> None:
    """Outputs are removed only after the last run. On a file system without a journal (this
    machine's ext4), for 60 s after a file is deleted, and up to 300 s while that is not yet
    written back, creating a file in the same block group skips over every recently deleted inode
    one by one (`recently_deleted` in the kernel's fs/ext4/ialloc.c). Deleting one tool's 20,000
    files and folders just before the next tool's build cost that build up to 12 s of system time
    at 10,000 entries, whichever tool it was; the run order, not the tool, decided who paid. A
    folder's block group keeps that history, too: an earlier invocation's deletions near
    benchmarks/work can tax every tool's writes for minutes (10,000 files: 0.13 s of system time
    in a quiet folder, 0.5–1.2 s beside recent deletions). `--outputs` in RAM (a tmpfs such as
    /dev/shm) measures the builds without the disk's history; quote which was used."""
    for folder in KEPT:
        shutil.rmtree(folder, ignore_errors=True)
    KEPT.clear()


def set_languages(site: Path, codes: list[str]) -> None:
    """The languages the corpus is built in: site.yaml's `languages:`, written before each run."""
    config = site / "site.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["languages"] = codes
    config.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build_command(tool: str, n: int) -> tuple[list[list[str]], Path, Path | None]:
    """The commands of one cold build, its output folder and working directory."""
    if tool.startswith("signpost"):
        site = corpus(n, "signpost")
        shutil.rmtree(site / ".signpost-cache", ignore_errors=True)  # cold: no skip record
        set_languages(site, ["en", "fr"] if tool.endswith("-2lang") else ["en"])
        out = fresh(OUTPUTS / f"out-{tool}{n}")
        extra = {"signpost": ["--no-search", "--no-data"],
                 "signpost-data": ["--no-search"], "signpost-nodata": ["--no-data"]}.get(tool.removesuffix("-2lang"), [])
        if tool.startswith("signpost-data-"):  # made or written
            variant = Path(__file__).parent / "export_variants.py"
            return [[PYTHON, str(variant), tool.rsplit("-", 1)[1], str(site), str(out), "--no-search"]], out, ROOT
        return [[*SIGNPOST, "build", str(site), "--out", str(out), *extra]], out, ROOT
    if tool.startswith("hugo"):
        site, out = corpus(n, "hugo"), fresh(OUTPUTS / f"out-{tool}{n}")
        commands = [["hugo", "--quiet", "-s", str(site), "-d", str(out)]]
        if tool == "hugo-pagefind":
            commands.append([PYTHON, "-m", "pagefind", "--site", str(out)])
        return commands, out, None
    site, out = corpus(n, "pelican"), fresh(OUTPUTS / f"out-{tool}{n}")
    return [[str(ensure_pelican()), "content", "-o", str(out), "-s", "pelicanconf.py", "-q"]], out, site


def measure(tool: str, n: int) -> dict:
    commands, out, cwd = build_command(tool, n)
    wall, peak, cpu = 0.0, 0, 0.0
    for command in commands:
        seconds, rss = run_timed(command, cwd)
        wall, peak, cpu = wall + seconds, max(peak, rss), cpu + CPU[-1]
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"tool": tool, "n": n, "wall": wall, "cpu": cpu, "peak_mb": peak / 1024,
            "pages": sum(p.suffix == ".html" for p in files), "bytes": sum(p.stat().st_size for p in files)}


def no_change_rebuild(n: int, runs: int) -> list[float]:
    """A second `signpost build` with nothing changed: the whole process, start to exit."""
    site = corpus(n, "signpost")
    out = WORK / f"out-rebuild{n}"
    subprocess.run([*SIGNPOST, "build", str(site), "--out", str(out)], check=True, capture_output=True, cwd=ROOT)
    return [run_timed([*SIGNPOST, "build", str(site), "--out", str(out)], ROOT)[0] for _ in range(runs)]


PEERS = ("hugo", "hugo-pagefind", "pelican", "signpost", "signpost-nodata")  # the ratio columns, when run


def summarise(results: list[dict], tools: list[str], sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        for tool in tools:
            runs = [r for r in results if r["tool"] == tool and r["n"] == n]
            row = {"tool": tool, "n": n, "runs": len(runs),
                   "wall_median": statistics.median(r["wall"] for r in runs),
                   "wall_min": min(r["wall"] for r in runs), "wall_max": max(r["wall"] for r in runs),
                   "cpu_median": statistics.median(r["cpu"] for r in runs),
                   "peak_mb": max(r["peak_mb"] for r in runs), "pages": runs[-1]["pages"],
                   "mb_out": runs[-1]["bytes"] / 1e6}
            for peer in PEERS:
                mine = [r for r in results if r["n"] == n and r["tool"] == tool]
                theirs = [r for r in results if r["n"] == n and r["tool"] == peer]
                if tool.startswith("signpost") and tool != peer and theirs:
                    row[f"ratio_{peer}"] = statistics.median(a["wall"] / b["wall"] for a, b in zip(mine, theirs))
                    row[f"cpu_ratio_{peer}"] = statistics.median(a["cpu"] / b["cpu"] for a, b in zip(mine, theirs))
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    peers = [p for p in PEERS if any(f"ratio_{p}" in r for r in rows)]
    lines = ["| N | tool | wall median (min–max) s | CPU s | peak MB | pages | output MB | " +
             " | ".join(f"÷ {p} (CPU)" for p in peers) + " |", "|" + "---|" * (7 + len(peers))]
    for r in rows:
        ratios = " | ".join(f"{r[f'ratio_{p}']:.2f} ({r[f'cpu_ratio_{p}']:.2f})" if f"ratio_{p}" in r else ""
                            for p in peers)
        lines.append(f"| {r['n']:,} | {r['tool']} | {r['wall_median']:.2f} ({r['wall_min']:.2f}–{r['wall_max']:.2f}) "
                     f"| {r['cpu_median']:.1f} | {r['peak_mb']:.0f} | {r['pages']:,} | {r['mb_out']:.0f} | {ratios} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for tool in dict.fromkeys(r["tool"] for r in rows):
        mine = [r for r in rows if r["tool"] == tool]
        axes.plot([r["n"] for r in mine], [r["wall_median"] for r in mine], marker="o", label=tool)
    axes.set(xlabel="entries", ylabel="median wall seconds (cold build)", xscale="log", yscale="log",
             title="Build time against directory size (same corpus, same machine, one invocation)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default="signpost,signpost-search,hugo,hugo-pagefind,pelican")
    parser.add_argument("--plot", type=Path)
    parser.add_argument("--json", type=Path, default=WORK / "build.json")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="realistic")
    parser.add_argument("--outputs", type=Path, default=WORK,
                        help="folder for the builds' outputs, e.g. one in RAM (/dev/shm/...): see remove_outputs")
    args = parser.parse_args()
    global CORPUS, OUTPUTS
    CORPUS, OUTPUTS = args.corpus, args.outputs.resolve()
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    tools = args.tools.split(",")
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in args.sizes:
            for tool in tools:  # warm-up: corpora made, caches warm, nothing counted
                measure(tool, n)
            for run in range(args.runs):
                for tool in tools:
                    results.append(measure(tool, n))
                    print(f"N={n} run {run + 1} {tool}: {results[-1]['wall']:.2f} s", file=sys.stderr)
    finally:
        remove_outputs()
        # Leave the corpus in English alone, as the one-language tools build it, not in the last run's two.
        for n in args.sizes:
            if any(tool.endswith("-2lang") for tool in tools) and (WORK / f"signpost{n}-{CORPUS}").exists():
                set_languages(WORK / f"signpost{n}-{CORPUS}", ["en"])
    rows = summarise(results, tools, args.sizes)
    rebuild = no_change_rebuild(max(args.sizes), args.runs)
    print(table(rows))
    print(f"\nNo-change rebuild at {max(args.sizes):,} entries: median {statistics.median(rebuild):.2f} s "
          f"(min {min(rebuild):.2f}, max {max(rebuild):.2f}) over {len(rebuild)} runs")
    args.json.write_text(json.dumps({"rows": rows, "runs": results, "rebuild": rebuild}, indent=1))
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
