"""Build state: a digest of every input, so a build whose inputs have not changed does nothing.

Keyed by content, never by modification time (mtime-based skipping is how other generators
collected "stale page" bugs). The state lives in the project's .signpost-cache/, not in the
published output.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.loader import read_bytes

GENERATOR = Path(__file__).resolve().parent
STATE_FILE = Path(".signpost-cache") / "build-state.json"
KEEP = 8  # build records kept, one per output folder


def input_digest(root: Path, *extra: str) -> str:
    """One hash over the generator's code, site.yaml, content/, templates/, locales/ and `extra`."""
    digest = hashlib.sha256("\0".join(extra).encode())
    for base in (GENERATOR, root / "site.yaml", root / "content", root / "templates", root / "locales"):
        for path in files_under(base):
            digest.update(os.fsencode(path) + b"\0" + read_bytes(path) + b"\0")
    return digest.hexdigest()


def files_under(base: Path) -> list[str]:
    """Every file below `base` (or `base` itself), in a stable order; os.walk is several times
    faster than Path.rglob on 10,000 files."""
    if base.is_file():
        return [str(base)]
    found = []
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(folder, name) for name in sorted(names)]
    return found


def _read(root: Path) -> dict:
    try:
        return json.loads((root / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write(root: Path, state: dict) -> None:
    path = root / STATE_FILE
    path.parent.mkdir(exist_ok=True)
    staged = path.with_suffix(".tmp")
    # Compact: json's C encoder runs only without indentation (a record holds every warning).
    staged.write_text(json.dumps(state, separators=(",", ":")))
    os.replace(staged, path)


def unchanged(root: Path, out: Path, digest: str) -> list[Diagnostic] | None:
    """The diagnostics of the last build when it had the same inputs and its output is intact."""
    record = _read(root).get(str(out.resolve()))
    if not record or record["digest"] != digest or not (out / "404.html").is_file():
        return None
    return [Diagnostic(**d) for d in record["diagnostics"]]


def remember(root: Path, out: Path, digest: str, diagnostics: list[Diagnostic]) -> None:
    """Record this build, the newest last; records of output folders that are gone, and all but
    the KEEP newest, are dropped: building into a new folder each time (as a benchmark or a
    script may) grew the file by a record of every warning each build, read and written by
    every build after (41 MB after a day's benchmarks)."""
    key = str(out.resolve())
    state = {path: record for path, record in _read(root).items() if path != key and Path(path).is_dir()}
    state[key] = {"digest": digest, "diagnostics": [asdict(d) for d in diagnostics]}
    _write(root, dict(list(state.items())[-KEEP:]))


def forget(root: Path, out: Path) -> None:
    """Drop the record for `out`: something other than `build` (serve) has written it."""
    state = _read(root)
    if state.pop(str(out.resolve()), None) is not None:
        _write(root, state)
