"""Build state: a digest of every input, so a build whose inputs have not changed does nothing.

Keyed by content, never by modification time (mtime-based skipping is how other generators
collected "stale page" bugs). The state lives in the project's .signpost-cache/, not in the
published output.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from generator.diagnostics import Diagnostic

GENERATOR = Path(__file__).resolve().parent
STATE_FILE = Path(".signpost-cache") / "build-state.json"


def input_digest(root: Path, *extra: str) -> str:
    """One hash over the generator's code, site.yaml, content/ and templates/, and `extra`."""
    digest = hashlib.sha256("\0".join(extra).encode())
    sources = [(GENERATOR, "*.py"), (root, "site.yaml"), (root / "content", "**/*"), (root / "templates", "**/*")]
    for base, pattern in sources:
        for path in sorted(p for p in base.glob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _state_path(root: Path) -> Path:
    return root / STATE_FILE


def unchanged(root: Path, out: Path, digest: str) -> list[Diagnostic] | None:
    """The diagnostics of the last build when it had the same inputs and its output is intact."""
    try:
        state = json.loads(_state_path(root).read_text())
    except (OSError, ValueError):
        return None
    record = state.get(str(out.resolve()))
    if not record or record["digest"] != digest or not (out / "404.html").is_file():
        return None
    return [Diagnostic(**d) for d in record["diagnostics"]]


def remember(root: Path, out: Path, digest: str, diagnostics: list[Diagnostic]) -> None:
    path = _state_path(root)
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        state = {}
    state[str(out.resolve())] = {"digest": digest, "diagnostics": [asdict(d) for d in diagnostics]}
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(state, indent=1, sort_keys=True))
