"""A build whose exports are only made, or only written: which half of their cost is which.

    python benchmarks/export_variants.py made|written PROJECT OUT [signpost build options]

`made`: the exports are made in full, in their background process as always, and thrown away
instead of written. `written`: their files are the ones a build of PROJECT makes, made once
beforehand and kept in benchmarks/work/ (the first run makes them; `build.py` counts no warm-up
run), and the build's background process only writes them. Loading that file (86 MB at 10,000
entries) is part of the timed run, so `written` is slightly overstated. `build.py --tools
signpost,signpost-data,signpost-data-made,signpost-data-written` runs both beside the real thing.
"""
from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path

import generator.outputs as outputs
from generator.build import check
from generator.cli import main
from generator.exports import export_stream
from generator.model import build_site

WORK = Path(__file__).resolve().parent / "work"


def made_only(site, memo=None):
    for _ in export_stream(site, memo):
        pass
    return iter(())


def made_before(project: Path) -> list[tuple[str, bytes]]:
    key = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:12]
    kept = WORK / f"export-bytes-{key}.pickle"
    if not kept.exists():
        valid, _ = check(project)
        kept.write_bytes(pickle.dumps(list(export_stream(build_site(valid)))))
    return pickle.loads(kept.read_bytes())


if __name__ == "__main__":
    variant, project, out, *options = sys.argv[1:]
    if variant == "made":
        outputs.export_stream = made_only
    else:
        files = made_before(Path(project))
        outputs.export_stream = lambda site, memo=None: iter(files)
    sys.argv = ["signpost", "build", project, "--out", out, *options]
    main()
