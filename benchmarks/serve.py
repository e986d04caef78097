"""Benchmark `signpost serve`: seconds from saving one entry to its page being served again.

    python benchmarks/serve.py [PROJECT_DIR] [--copies N] [--runs 10]

PROJECT_DIR defaults to the sample site; for a large one, `python benchmarks/synth.py 10000 DIR`
and pass DIR (a project without templates/ gets the repository's). It is copied to a temporary
folder first (the benchmark edits an entry). `--copies N` instead makes an N-entry site by
copying the project's YAML entries under new slugs.

Timing: the clock starts when the edited file is closed and stops when a GET of the entry's page
returns the new text (polled every 2 ms), so it includes the file-watch latency, the rebuild and
the HTTP round trip: what an editor waits for.
"""
from __future__ import annotations

import argparse
import itertools
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_project(source: Path, target: Path, copies: int) -> None:
    for name in ("site.yaml", "templates", "content"):
        src = source / name if (source / name).exists() else ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    if copies:
        entries = sorted((target / "content" / "entries").glob("*/*.yaml"))
        for n, entry in zip(range(copies - len(entries)), itertools.cycle(entries)):
            entry.with_name(f"{entry.stem}-copy-{n}.yaml").write_bytes(entry.read_bytes())


def start(project: Path) -> tuple[subprocess.Popen, str, list[str]]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(project), "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
    lines: list[str] = []
    for line in proc.stderr:
        lines.append(line.rstrip())
        if match := re.search(r"http://127\.0\.0\.1:\d+/", line):
            print(f"first build and start: {time.perf_counter() - started:.2f} s ({lines[0]})")
            threading.Thread(target=lambda: lines.extend(l.rstrip() for l in proc.stderr), daemon=True).start()
            return proc, match.group(0), lines
    raise SystemExit("serve did not start:\n" + "\n".join(lines))


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def edit_and_wait(entry: Path, url: str, token: str) -> float:
    text = re.sub(r"(?m)^summary:.*$", f"summary: Benchmark edit {token}.", entry.read_text())
    with entry.open("w") as stream:
        stream.write(text)
    saved = time.perf_counter()
    while token not in fetch(url):
        time.sleep(0.002)
    return time.perf_counter() - saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--copies", type=int, default=0, help="make an N-entry site from the project's entries")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="signpost-serve-bench-") as tmp:
        project = Path(tmp)
        copy_project(args.project.resolve(), project, args.copies)
        entries = sorted(p for p in (project / "content" / "entries").glob("*/*") if p.suffix in (".yaml", ".md"))
        print(f"{len(list((project / 'content' / 'entries').glob('*/*')))} entries")
        proc, base, lines = start(project)
        try:
            entry = entries[0]
            url = f"{base}entries/{entry.stem}/"
            fetch(url)
            times = [edit_and_wait(entry, url, f"run{n}x") for n in range(args.runs)]
            time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait()
    print(f"save → served, {args.runs} runs: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s")
    print("server's own rebuild lines (last 3):", *[l for l in lines if l.startswith("rebuilt")][-3:], sep="\n  ")


if __name__ == "__main__":
    main()
