"""Outputs: one list of producers makes every file, for `build` and for `serve` alike."""
from __future__ import annotations

from generator import outputs
from generator.build import build, check
from generator.model import build_site
from generator.outputs import Producer, chosen, render_all
from generator.rebuild import LiveSite
from generator.write import MARKER
from tests.conftest import TODAY


def files_under(out):
    """Every file a build wrote, less the marker that says the folder is ours (write.py)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MARKER}


def test_build_writes_exactly_what_the_producers_make(project, tmp_path):
    project.entry("gb/line.yaml")
    build(project.root, tmp_path / "out", TODAY)
    made = render_all(build_site(check(project.root, TODAY)[0]), project.root / "templates")
    assert files_under(tmp_path / "out") == made
    assert {"index.html", "sw.js", "sitemap.xml", "search/facets.json", "data/entries.json",
            "data/hsds/index.json"} <= set(made)


def test_a_new_output_is_one_producer_and_both_build_and_serve_have_it(project, tmp_path, monkeypatch):
    def hello(ctx):
        return {"hello.txt": f"{len(ctx.site.entries)} entries\n".encode()}

    monkeypatch.setattr(outputs, "PRODUCERS", (*outputs.PRODUCERS, Producer("hello", hello)))
    project.entry("gb/line.yaml")
    build(project.root, tmp_path / "out", TODAY)
    assert (tmp_path / "out/hello.txt").read_text() == "1 entries\n"
    live = LiveSite(project.root, project.root / "output")
    assert live.rebuild().ok and live.files["hello.txt"] == b"1 entries\n"


def test_no_search_and_no_data_leave_their_producers_out():
    assert [p.name for p in chosen(search=False, data=False)] == ["assets", "strings", "pages", "feeds", "service worker"]
    assert [p.name for p in chosen()] == [p.name for p in outputs.PRODUCERS]
