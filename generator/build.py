"""The spine: load → validate → model → render → write, one step after another."""
from __future__ import annotations

import datetime as dt
import gc
import os
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.diagnostics import Diagnostic, format_all, has_errors, summary
from generator.loader import load_project
from generator.model import Site, build_site
from generator.parallel import in_background
from generator.render import render_site
from generator.search import index_site
from generator.state import input_digest, remember, unchanged
from generator.validate import ValidProject, validate_project
from generator.write import check_output, staged


class ContentProblems(click.ClickException):
    """The content has errors: the build stops before writing anything."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"content has {summary(diagnostics)}; nothing was written")
        self.diagnostics = diagnostics


@dataclass
class BuildReport:
    diagnostics: list[Diagnostic]
    pages: int = 0
    files: int = 0
    skipped: bool = False
    timings: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str):
        start = time.perf_counter()
        yield
        self.timings.append((name, time.perf_counter() - start))


@contextmanager
def no_cycle_collection():
    """A build makes millions of objects that live until it ends, and frees what it drops by
    reference counting. The cyclic collector's passes over them found nothing to free, yet cost
    a third of loading and half of modelling (benchmarks/build.py), so it is off while building."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def today() -> dt.date:
    """The date freshness is judged against: SOURCE_DATE_EPOCH when set, so runs can be repeated."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()


@no_cycle_collection()
def check(root: Path, on: dt.date | None = None) -> tuple[ValidProject | None, list[Diagnostic]]:
    """Load and validate everything; returns every problem found, in every file."""
    project, diagnostics = load_project(root, stream=True)  # validated while the rest loads
    if project is None:
        return None, diagnostics
    valid, found = validate_project(project, on or today())
    return valid, diagnostics + found


@no_cycle_collection()
def build(root: Path, out: Path, on: dt.date | None = None, search: bool = True) -> BuildReport:
    """Build the site in `root` into `out`, with its search index unless `search` is false.

    Raises ContentProblems, leaving `out` untouched, on any error."""
    report = BuildReport([])
    check_output(out, root)
    on = on or today()
    # Nothing changed since the last build into `out`: its output stands as it is.
    with report.step("digest inputs"):
        digest = input_digest(root, str(on), f"search={search}")
        previous = unchanged(root, out, digest)
    if previous is not None:
        report.diagnostics, report.skipped = previous, True
        return report
    # Load and validate every file first: nothing is rendered from content that has errors.
    with report.step("load + validate"):
        valid, report.diagnostics = check(root, on)
    if valid is None or has_errors(report.diagnostics):
        raise ContentProblems(report.diagnostics)
    # Model: plain data for the templates, sorted so output is the same every time.
    with report.step("model"):
        site: Site = build_site(valid)
    # Search index, from the model alone: started first, it runs beside the rendering. Render
    # and write into a folder next to `out`, which takes its place only if everything succeeds.
    # Pages are written by the processes that render them.
    with (in_background(index_site, site) if search else nullcontext()) as search_files, staged(out) as write:
        with report.step("render + write"):
            files = render_site(site, root / "templates", write=write)
        if search_files:
            with report.step("search index (rest)"):
                for path, data in search_files().items():
                    write(path, data)
                    files[path] = None
    report.pages = sum(path.endswith(".html") for path in files)
    report.files = len(files)
    remember(root, out, digest, report.diagnostics)
    return report


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> None:
    if diagnostics:
        click.echo(format_all(diagnostics, fmt))
