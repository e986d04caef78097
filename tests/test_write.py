"""Write: a build replaces only an empty folder or one of its own (marked), never the project,
and clears away what a killed build left behind."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.write import MARKER, UnsafeOutput, staged
from tests.conftest import ROOT, TODAY


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with a hash of each file."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "/"
            for p in sorted(folder.rglob("*"))}


def signpost(*args):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def built(project):
    project.entry("gb/entry.yaml")
    return project


@pytest.mark.parametrize("target", ["templates", "content", "content/entries", "site.yaml", ".", "..", "public",
                                    "output/sub"])
def test_a_refused_out_exits_2_and_changes_nothing(built, target):
    before = tree(built.root.parent)
    result = signpost("build", built.root, "--out", built.root / target)
    assert result.returncode == 2, result.stderr
    assert ("Error: refusing to " in result.stderr or "is a file" in result.stderr) and "Traceback" not in result.stderr
    assert tree(built.root.parent) == before


def test_another_static_site_is_never_replaced(built, tmp_path):
    # Any folder with a 404.html used to pass for an earlier build of ours.
    site = tmp_path / "blog"
    site.mkdir()
    (site / "index.html").write_text("<h1>My blog</h1>")
    (site / "404.html").write_text("<h1>Not found</h1>")
    before = tree(site)
    result = signpost("build", built.root, "--out", site)
    assert result.returncode == 2
    assert f"refusing to replace {site}: it is not empty and has no {MARKER} file, so it is not a build of ours; " \
           f"choose an empty or new folder" in result.stderr and "rm -r" not in result.stderr
    assert tree(site) == before


def test_an_output_built_before_the_marker_is_refused_with_what_to_do(built):
    out = built.root / "output"
    build(built.root, out, TODAY)
    (out / MARKER).unlink()  # as Signpost 0.1 left it
    with pytest.raises(UnsafeOutput, match=r"it looks like a build by an older Signpost, which left no "
                                           r"\.signpost-output marker; if nothing else is in it, delete it once "
                                           r"\(rm -r .*output\) and build again"):
        build(built.root, out, TODAY)


def test_a_build_marks_its_output_and_replaces_only_marked_or_empty_folders(built, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (built.root / "output", empty, tmp_path / "new" / "folder"):
        build(built.root, out, TODAY)
        assert (out / MARKER).is_file() and (out / "entries/entry/index.html").is_file()
        (out / "stray.txt").write_text("put here by hand")
        build(built.root, out, TODAY, search=False)  # its inputs changed: not skipped
        assert not (out / "stray.txt").exists()


def test_the_project_output_may_be_a_link_to_a_folder_elsewhere(built, tmp_path):
    (tmp_path / "www").mkdir()
    (built.root / "output").symlink_to(tmp_path / "www")
    build(built.root, built.root / "output", TODAY)
    assert (tmp_path / "www" / MARKER).is_file()


def kill_mid_build(out: Path) -> None:
    """A build process that dies (as by kill -9) after writing some pages, leaving its folder."""
    pid = os.fork()
    if pid == 0:
        with staged(out) as write:
            write("index.html", b"half a site")
            os._exit(1)  # no clean-up runs, as when the process is killed
    os.waitpid(pid, 0)


def staging_folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_folders_left_by_a_killed_build_are_removed_by_the_next(built):
    out = built.root / "output"
    build(built.root, out, TODAY)
    kill_mid_build(out)
    left = staging_folders(out)
    assert len(left) == 1 and left[0].startswith(".output.new-")
    # A build killed while removing the previous output leaves it half deleted, still marked.
    retired = out.parent / ".output.old-99999999-abcdefgh"
    (retired / "entries").mkdir(parents=True)
    (retired / MARKER).write_text("")
    build(built.root, out, TODAY, search=False)
    assert staging_folders(out) == []
    assert (out / "entries/entry/index.html").is_file()


def test_folders_that_are_not_provably_abandoned_builds_of_ours_stay(built):
    out = built.root / "output"
    parent = out.parent
    unmarked = parent / ".output.new-99999999-abcdefgh"  # our name, but not our marker: someone's files
    unmarked.mkdir()
    (unmarked / "notes.txt").write_text("mine")
    running = parent / f".output.new-{os.getpid()}-abcdefgh"  # a build still running (this process)
    running.mkdir()
    (running / MARKER).write_text("")
    other = parent / ".output.new-backup"  # not our pattern
    other.mkdir()
    (other / MARKER).write_text("")
    build(built.root, out, TODAY)
    assert staging_folders(out) == sorted([".output.new-99999999-abcdefgh", f".output.new-{os.getpid()}-abcdefgh",
                                           ".output.new-backup"])
    assert (unmarked / "notes.txt").read_text() == "mine"
