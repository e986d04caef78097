"""Benchmark `signpost serve`: seconds from saving one entry to its page being served again.

    python benchmarks/serve.py [PROJECT_DIR] [--copies N] [--runs 10]

PROJECT_DIR defaults to the sample site; for a large one, `python benchmarks/synth.py 10000 DIR`
and pass DIR (a project without templates/ gets the repository's). It is copied to a temporary
folder first (the benchmark edits an entry). `--copies N` instead makes an N-entry site by
copying the project's YAML entries under new slugs.

Timing: the clock starts when the edited file is closed and stops when the entry's page, fetched
as an open page does on the live-reload event, shows the new text: it includes the file-watch
latency, the rebuild, the event and the HTTP round trip, what an editor waits for. (Polling the
page instead would compete with the rebuild for the server's interpreter.)
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


def next_reload(stream) -> None:
    """Read the live-reload event stream up to its next `reload` event."""
    event = None
    for raw in stream:
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[len("event: "):]
        elif not line and event == "reload":
            return
    raise SystemExit("the event stream ended")


def edit_and_wait(entry: Path, url: str, events_url: str, token: str) -> float:
    """Save an edit, then do what an open page does: wait for the reload event and fetch the page,
    again at each event until it shows the edit."""
    text = re.sub(r"(?m)^summary:.*$", f"summary: Benchmark edit {token}.", entry.read_text())
    with urllib.request.urlopen(events_url, timeout=30) as stream:
        next_reload(stream)  # the version now, sent on connecting
        with entry.open("w") as handle:
            handle.write(text)
        saved = time.perf_counter()
        while True:
            next_reload(stream)
            if token in fetch(url):
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
            times = []
            for n in range(args.runs):
                finished = sum(line.startswith("rebuilt") for line in lines)
                times.append(edit_and_wait(entry, url, f"{base}__signpost/events", f"run{n}x"))
                # The edited page is served first; wait for the rest of the rebuild before the next
                # edit, or that edit would queue behind it.
                deadline = time.monotonic() + 120
                while sum(line.startswith("rebuilt") for line in lines) == finished:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("the rebuild did not finish:\n" + "\n".join(lines[-20:]))
                    time.sleep(0.01)
            time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait()
    print(f"save → served, {args.runs} runs: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s")
    print("each run, s:", " ".join(f"{t:.3f}" for t in times))
    print("server's own rebuild lines (last 3):", *[l for l in lines if l.startswith("rebuilt")][-3:], sep="\n  ")


if __name__ == "__main__":
    main()
