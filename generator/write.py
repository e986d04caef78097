"""Write: build the whole site into a temporary folder next to the output, then swap it in.

A failed build never touches the previous output. A build replaces only a folder that is
empty or carries our marker file (MARKER), which every build writes first into its staging
folder: a folder of someone else's, even another static site with a 404.html, is never ours.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from generator.errors import UsageError

MARKER = ".signpost-output"
MARKER_TEXT = (b"This folder is a site built by Signpost (signpost build). The next build replaces it\n"
               b"whole: anything else put here is deleted then.\n")


class UnsafeOutput(UsageError):
    """The output folder is one we must not replace: the project, a folder inside or above it,
    a file, or a folder that is not empty and not an earlier build of ours. Exit 2, nothing changed."""


def check_output(out: Path, root: Path) -> None:
    """Refuse `out` unless it is empty, missing, or an earlier build of ours outside the project
    (or the project's own output/)."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        raise UnsafeOutput(f"refusing to replace {out}: it holds the project; choose an output folder such as {root / 'output'}")
    if root in out.parents and out != root / "output":
        raise UnsafeOutput(f"refusing to write the site into {out}: it is inside the project, whose files a build "
                           f"would replace; use the default {root / 'output'} or a folder outside the project")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"refusing to replace {out}: it is a file, not a folder; choose a folder")
    if out.is_dir() and not is_ours(out) and any(out.iterdir()):
        if (out / "schema" / "entry.schema.json").is_file():  # what every Signpost build has published
            raise UnsafeOutput(f"refusing to replace {out}: it looks like a build by an older Signpost, which left "
                               f"no {MARKER} marker; if nothing else is in it, delete it once (rm -r {out}) "
                               f"and build again")
        raise UnsafeOutput(f"refusing to replace {out}: it is not empty and has no {MARKER} file, so it is not a "
                           f"build of ours; choose an empty or new folder")


def is_ours(folder: Path) -> bool:
    return (folder / MARKER).is_file() and not folder.is_symlink()


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write `files` (output path → bytes) to `out`, atomically replacing what was there."""
    with staged(out) as write:
        for rel in sorted(files):
            write(rel, files[rel])


@contextmanager
def staged(out: Path) -> Iterator[Callable[[str, bytes], None]]:
    """A writer of files (output path, bytes) into a temporary folder next to `out`; when the block
    ends without an error, the folder takes the place of `out`, and otherwise it is removed.

    The writer may be called from forked processes too: it only needs the folder's name."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    (staging / MARKER).write_bytes(MARKER_TEXT)  # first, so a build killed at any point leaves it marked

    made: set[str] = set()  # folders this process has made (or found) in the staging folder

    def write(rel: str, data: bytes) -> None:
        # String paths and a set of folders made: pathlib and a caught FileNotFoundError per new
        # folder cost about 35 µs of Python a page, a third of a second at 10,000 entries.
        target = os.path.join(staging, rel)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        # os.open and os.write, not open(): no buffered file object for a file written whole (10,000
        # files took 0.23 s of CPU through open(), 0.16 s so).
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    try:
        yield write
        os.chmod(staging, 0o755)
        swap_in(staging, out)
    except BaseException:
        remove_build(staging)
        raise


def swap_in(staging: Path, out: Path) -> None:
    """Two renames: the old output steps aside, the new one takes its name, the old is removed."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    remove_build(retired)


def remove_build(folder: Path) -> None:
    """Delete a build folder, its marker last: a removal cut short leaves a folder that is still
    marked as ours (or empty), so the next build can recognise it and finish the job."""
    if not folder.is_dir():
        return
    for item in folder.iterdir():
        if item.name == MARKER:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)
    if [item.name for item in folder.iterdir()] in ([], [MARKER]):  # else keep the mark, and what is left
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()


def remove_abandoned(out: Path) -> None:
    """Remove the staging and retired folders that a build killed mid-way left beside `out`:
    those named by our prefix and the id of a process that has ended, marked as ours or empty.
    A build still running (into the same folder) keeps its own."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-(\d+)-[a-z0-9_]{{8}}")
    for item in out.parent.iterdir():
        match = pattern.fullmatch(item.name)
        if (match and item.is_dir() and not item.is_symlink() and not running(int(match.group(1)))
                and (is_ours(item) or not any(item.iterdir()))):
            remove_build(item)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
