"""Build: deterministic output, atomic swaps, and an output folder that is never the project."""
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator import parallel, render, write
from generator.build import ContentProblems, build
from generator.write import UnsafeOutput
from tests.conftest import GOOD_ENTRY, TODAY


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(project, tmp_path):
    project.entry("gb/entry.yaml")
    project.entry("gb/other.md", "---\n" + GOOD_ENTRY.replace("Good", "Other").replace("good.", "other.")
                  .replace("4141", "4142") + "---\nA *body*.\n")
    build(project.root, tmp_path / "one", TODAY)
    build(project.root, tmp_path / "two", TODAY)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def many_entries(project, n: int) -> None:
    for i in range(n):
        project.entry(f"gb/entry-{i}.yaml", GOOD_ENTRY.replace("Good Line", f"Line {i}")
                      .replace("4141", f"{4100 + i}").replace("good.", f"good{i}."))


@pytest.fixture
def forking(monkeypatch):
    """Render and load across processes even for a small site (the suite's browser threads
    would otherwise keep everything in one process)."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def test_pages_written_by_forked_renderers_are_the_pages_of_one_process(project, tmp_path, monkeypatch):
    many_entries(project, 12)
    build(project.root, tmp_path / "one", TODAY)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(render, "map_chunks", counting(parallel.map_chunks, calls := []))
    build(project.root, tmp_path / "forked", TODAY)
    assert len(calls[0][1]) > parallel.PARALLEL_FROM, "the pages were not rendered across processes"
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "one")


def counting(function, calls: list):
    def counted(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)
    return counted


def test_a_failure_in_a_render_worker_leaves_previous_output_and_no_debris(project, forking):
    many_entries(project, 12)
    out = project.root / "output"
    build(project.root, out, TODAY)
    before = snapshot(out)
    entry_template = project.root / "templates" / "entry.html"
    entry_template.write_text(entry_template.read_text().replace(
        "{% block main %}", "{% block main %}{% if listing.slug == 'entry-7' %}{{ no_such_name }}{% endif %}"))
    with pytest.raises(Exception, match="no_such_name"):
        build(project.root, out, TODAY)
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".output")] == []


def test_content_error_leaves_previous_output_untouched(project):
    project.entry("gb/entry.yaml")
    out = project.root / "output"
    build(project.root, out, TODAY)
    before = snapshot(out)
    project.entry("gb/broken.yaml", "name: [\n")
    with pytest.raises(ContentProblems) as caught:
        build(project.root, out, TODAY)
    assert caught.value.exit_code == 1
    assert caught.value.diagnostics[0].path == "content/entries/gb/broken.yaml"
    assert snapshot(out) == before


def test_failure_while_writing_leaves_previous_output_and_no_debris(project, monkeypatch):
    project.entry("gb/entry.yaml")
    out = project.root / "output"
    build(project.root, out, TODAY)
    before = snapshot(out)

    def fail(staging, target):
        raise OSError("disk full")

    monkeypatch.setattr(write, "swap_in", fail)
    project.entry("gb/entry.yaml", GOOD_ENTRY.replace("Good Line", "Changed Line"))
    with pytest.raises(OSError):
        build(project.root, out, TODAY)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".output")) == []


def test_rebuild_replaces_removed_pages(project):
    project.entry("gb/entry.yaml")
    out = project.root / "output"
    build(project.root, out, TODAY)
    (project.root / "content/entries/gb/entry.yaml").rename(project.root / "content/entries/gb/renamed.yaml")
    build(project.root, out, TODAY)
    assert (out / "entries/renamed/index.html").is_file()
    assert not (out / "entries/entry").exists()


@pytest.mark.parametrize("target", [".", "content", ".."])
def test_refuses_to_replace_the_project(project, target):
    with pytest.raises(UnsafeOutput):
        build(project.root, project.root / target, TODAY)
    assert (project.root / "site.yaml").is_file()


def test_sample_content_checks_clean(sample_root, tmp_path):
    report = build(sample_root, tmp_path / "out")
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    entries = list((sample_root / "content/entries").glob("*/*"))
    assert len(entries) >= 30
    assert len({p.parent.name for p in entries} - {"intl"}) >= 10
    assert report.pages > len(entries)


def test_unchanged_inputs_skip_the_build_and_any_change_rebuilds(project):
    project.entry("gb/entry.yaml", GOOD_ENTRY.replace("2026-10-01", "2025-01-01"))
    out = project.root / "output"
    first = build(project.root, out, TODAY)
    assert not first.skipped and [d.code for d in first.diagnostics] == ["stale"]
    second = build(project.root, out, TODAY)
    assert second.skipped and second.diagnostics == first.diagnostics
    project.entry("gb/entry.yaml", GOOD_ENTRY.replace("Good Line", "Renamed Line"))
    third = build(project.root, out, TODAY)
    assert not third.skipped and "Renamed Line" in (out / "entries/entry/index.html").read_text()


def test_a_removed_output_is_rebuilt_even_with_unchanged_inputs(project):
    project.entry("gb/entry.yaml")
    out = project.root / "output"
    build(project.root, out, TODAY)
    shutil.rmtree(out)
    assert not build(project.root, out, TODAY).skipped
    assert (out / "404.html").is_file()


def test_the_build_record_keeps_only_the_newest_output_folders_that_still_exist(project, tmp_path):
    from generator import state

    project.entry("gb/entry.yaml")
    outs = [tmp_path / f"out-{n}" for n in range(state.KEEP + 3)]
    for out in outs:
        build(project.root, out, TODAY)
    shutil.rmtree(outs[-2])
    build(project.root, outs[-1], TODAY)  # skipped: inputs unchanged; the record stays
    build(project.root, tmp_path / "out-last", TODAY)
    kept = json.loads((project.root / state.STATE_FILE).read_text())
    expected = [str(out.resolve()) for out in outs if out != outs[-2]][-(state.KEEP - 1):] + [str((tmp_path / "out-last").resolve())]
    assert list(kept) == expected and len(kept) == state.KEEP
    assert build(project.root, outs[-1], TODAY).skipped  # a kept record still skips an unchanged build


def test_refuses_to_replace_a_file(project, tmp_path):
    project.entry("gb/entry.yaml")
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    with pytest.raises(UnsafeOutput, match="is a file"):
        build(project.root, target, TODAY)
    assert target.read_text() == "keep me"
