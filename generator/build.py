"""The spine: load → validate → model → outputs → write, one step after another."""
from __future__ import annotations

import datetime as dt
import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.diagnostics import Diagnostic, format_all, has_errors, summary
from generator.errors import SignpostError
from generator.loader import load_project
from generator.model import Site, build_site
from generator.outputs import Context, chosen, produce
from generator.render import Renderer
from generator.state import input_digest, remember, unchanged
from generator.validate import ValidProject, validate_project
from generator.write import check_output, staged


class ContentProblems(SignpostError):
    """The content has errors: the build stops before writing anything."""

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
def build(root: Path, out: Path, on: dt.date | None = None, search: bool = True, data: bool = True) -> BuildReport:
    """Build the site in `root` into `out`, with its search index and data exports unless
    `search` or `data` is false.

    Raises ContentProblems, leaving `out` untouched, on any error."""
    report = BuildReport([])
    check_output(out, root)
    on = on or today()
    # Nothing changed since the last build into `out`: its output stands as it is.
    with report.step("digest inputs"):
        try:
            digest = input_digest(root, str(on), f"search={search}", f"data={data}")
        except OSError:  # a file that cannot be read: check() reports it, with every other problem
            digest = ""
        previous = unchanged(root, out, digest) if digest else None
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
        renderer = Renderer.load(root / "templates", site.config.base_url, site.config)
    # Outputs, into a folder next to `out` that takes its place only if every producer succeeds.
    with staged(out) as write:
        files = produce(Context(site, renderer, write=write), chosen(search, data), step=report.step)
    report.pages = sum(path.endswith(".html") for path in files)
    report.files = len(files)
    remember(root, out, digest, report.diagnostics)
    return report


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> None:
    if diagnostics:
        click.echo(format_all(diagnostics, fmt))
