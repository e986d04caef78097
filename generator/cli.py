"""The `signpost` command: thin wrappers that parse options and call the pipeline."""
from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn, get_args

import click

from generator import build as pipeline
from generator.diagnostics import has_errors, summary
from generator.errors import SignpostError, as_message
from generator.loader import missing_site
from generator.scaffold import NewEntry, create_entry, fields_markdown
from generator.schema import ContactType, Kind, country_code, entry_json_schema, https_url
from generator.write import check_output

# A project folder that does not exist is a usage error (exit 2); one without site.yaml is
# reported as the content problem it is (exit 1), beside the rest.
PROJECT = click.argument("project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
                      show_default=True, help="text for people, github for CI annotations, json for tools.")


class Commands(click.Group):
    """Every failure a command meets reaches the user as a message: a SignpostError as it is, a
    template error pointing at templates/<file>:<line>, an OSError with its path, anything else
    (a bug) in one line saying how to see more. --debug adds the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - shown as a message, the traceback only on request
            if ctx.params.get("debug"):
                traceback.print_exc()
            raise as_message(exc) from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="signpost", message="signpost %(version)s")
@click.option("--debug", is_flag=True, help="Show the traceback of a failure as well as its message.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Signpost: build a directory of mental-health support as a static site."""
    ctx.obj = {"debug": debug}


@cli.command()
@PROJECT
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json", "markdown"]), default="text",
              show_default=True, help="text for people, github for CI annotations, json for tools; "
                                      "markdown (with --stale) for the maintainers' worklist.")
@click.option("--stale", is_flag=True, help="Instead, list the entries due for re-verification, oldest first.")
def check(project_dir: Path, fmt: str, stale: bool) -> None:
    """Validate site.yaml and every file under content/, printing every problem.

    Exits 1 when there is an error; warnings alone do not fail. With --stale, lists the entries
    whose last_verified is older than the review interval in site.yaml, with file and date; with
    --format markdown also the numbers the last `links --facts` found on none of their sources.
    """
    if fmt == "markdown" and not stale:
        raise click.UsageError("--format markdown prints the worklist; add --stale")
    valid, diagnostics = pipeline.check(project_dir)
    if stale:
        from generator.review import due_for_review, format_due

        due = due_for_review(valid, pipeline.today()) if valid else []
        if fmt == "markdown" and valid:
            click.echo(worklist(project_dir, valid, due), nl=False)
        elif due:
            click.echo(format_due(due, fmt))
        click.echo(f"{len(due)} entries due for re-verification; {summary(diagnostics)}", err=True)
        sys.exit(1 if has_errors(diagnostics) else 0)
    pipeline.print_diagnostics(diagnostics, fmt)
    if fmt == "text":
        click.echo(f"{summary(diagnostics)} in {project_dir}", err=True)
    if has_errors(diagnostics):
        sys.exit(1)


def worklist(project_dir: Path, valid, due) -> str:
    import datetime as dt

    from generator.drift import judge_cached
    from generator.review import worklist_markdown

    facts, oldest = judge_cached(project_dir, [item.doc for item in valid.entries])
    read_on = dt.datetime.fromtimestamp(oldest, dt.timezone.utc).date() if oldest else None
    return worklist_markdown(due, facts if oldest else None, read_on, pipeline.today(),
                             valid.site.review_interval_months, valid.site.repository)


@cli.command()
@PROJECT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: PROJECT_DIR/output].")
@click.option("--no-search", is_flag=True, help="Skip the search index.")
@click.option("--no-data", is_flag=True, help="Skip the open-data exports under /data/.")
@FORMAT
@click.option("-v", "--verbose", is_flag=True, help="Print how long each step took.")
def build(project_dir: Path, out: Path | None, no_search: bool, no_data: bool, fmt: str, verbose: bool) -> None:
    """Validate, then render the site. With any error nothing is written and the previous output stays."""
    out = out or project_dir / "output"
    try:
        report = pipeline.build(project_dir, out, search=not no_search, data=not no_data)
    except pipeline.ContentProblems as problems:
        pipeline.print_diagnostics(problems.diagnostics, fmt)
        raise
    warnings = [d for d in report.diagnostics if d.severity == "warning"]
    if warnings and fmt != "text":
        pipeline.print_diagnostics(warnings, fmt)
    if verbose:
        for name, seconds in report.timings:
            click.echo(f"  {name:<18} {seconds * 1000:8.1f} ms", err=True)
    if report.skipped:
        click.echo(f"nothing changed since the last build; {out} is up to date", err=True)
        return
    click.echo(f"built {report.pages} pages ({report.files} files) into {out}"
               f"{f'; {len(warnings)} warnings (run signpost check)' if warnings else ''}", err=True)


@cli.command()
@PROJECT
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve(project_dir: Path, port: int, host: str) -> None:
    """Build the site and serve it on localhost, rebuilding what changed on every save.

    Open pages reload by themselves; content errors show in the terminal and in the browser until
    fixed. Ctrl-C stops the server.
    """
    from generator.serve import run

    require_project(project_dir)
    check_output(project_dir / "output", project_dir)
    run(project_dir, host, port, lambda line: click.echo(line, err=True))


def require_project(project_dir: Path) -> None:
    """Commands that work on a project say so when there is none, rather than act on nothing."""
    if not (project_dir / "site.yaml").is_file():
        pipeline.print_diagnostics([missing_site(project_dir)], "text")
        sys.exit(1)


def country_option(ctx, param, value: str) -> str:
    """GB, gb, intl or international; asks again at the prompt when the code is not a country."""
    code = value.strip()
    if code.lower() in ("intl", "international"):
        return "international"
    try:
        return country_code(code.upper())
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def https_option(ctx, param, value: str) -> str:
    try:
        return https_url(value.strip())
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@PROJECT
@click.option("--name", prompt="Name of the service", help="The service's own name, as it writes it.")
@click.option("--kind", prompt=True, type=click.Choice(get_args(Kind)), help="What sort of service it is.")
@click.option("--country", prompt="Country (ISO code like GB, or intl)", callback=country_option,
              help="ISO 3166-1 alpha-2 code, or intl for an international service.")
@click.option("--website", prompt=True, callback=https_option, help="Its website, https://...")
@click.option("--contact-type", prompt="First contact type", type=click.Choice(get_args(ContactType)),
              help="How people reach it first.")
@click.option("--contact-value", prompt="Number, address or URL of that contact",
              help="The number as written locally, the email address, the URL or the street address.")
@click.option("--slug", help="File name to use instead of one made from the name.")
def new(project_dir: Path, name: str, kind: str, country: str, website: str, contact_type: str,
        contact_value: str, slug: str | None) -> None:
    """Write a new entry file with TODO marks for the facts a person must check.

    Asks for each value, or takes them all as options for scripts. Never overwrites a file.
    """
    require_project(project_dir)
    entry = NewEntry(name.strip(), kind, country, website, contact_type, contact_value.strip())
    path = create_entry(project_dir, entry, slug)
    click.echo(f"wrote {path.relative_to(project_dir).as_posix()}: fill in the TODO lines, "
               f"then run `signpost check`", err=True)


def age_option(ctx, param, value: str) -> float:
    from generator.links import parse_age  # httpx is imported only by the command that needs it

    try:
        return parse_age(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@PROJECT
@FORMAT
@click.option("--max-age", default="1d", show_default=True, callback=age_option,
              help="Re-use cached good results younger than this (30m, 12h, 1d; 0 checks everything again).")
@click.option("--concurrency", default=16, show_default=True, type=click.IntRange(1, 256),
              help="Requests in flight at once (at most 2 per host).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0, 600, min_open=True),
              help="Seconds to wait for each response.")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0, 10),
              help="Retries after 429, 5xx or a failed connection.")
@click.option("--facts", is_flag=True, help="Also read each entry's sources and warn about numbers none of them shows.")
def links(project_dir: Path, fmt: str, max_age: float, concurrency: int, timeout: float, retries: int,
          facts: bool) -> None:
    """Check every external link in the content: fields and Markdown bodies.

    Works even when the content has other errors. Exits 1 when a link is broken (4xx or 5xx after
    retries, or no connection); redirects are reported, and permanent ones suggest the new URL.
    Exits 3, calling no link broken for want of a connection, when most hosts cannot be
    connected to: the network looks down.
    With --facts, each valid entry's sources are read too, and a phone or SMS number that none of
    them shows any more is a warning (sources that cannot be read are reported as such).
    """
    from generator.links import NETWORK_DOWN, Settings, check_links, diagnostics, offline_notice, summary_table

    def progress(done: int, total: int) -> None:
        click.echo(f"\rchecked {done}/{total} URLs", nl=done == total, err=True)

    require_project(project_dir)
    show = progress if sys.stderr.isatty() else None
    report = check_links(project_dir, Settings(concurrency, timeout=timeout, retries=retries), max_age, show)
    found = diagnostics(report)
    summaries = [summary_table(report)]
    if facts and not report.offline:  # offline, no source could be read either
        from generator.drift import check_facts, diagnostics as drift_diagnostics, summary_line

        facts_report = check_facts(project_dir, Settings(concurrency, timeout=timeout, retries=retries), max_age,
                                   progress=show)
        found += drift_diagnostics(facts_report.entries)
        summaries.append(summary_line(facts_report))
    pipeline.print_diagnostics(found, fmt)  # once, so that --format json stays one document
    if fmt != "json":
        click.echo("\n".join(summaries), err=True)
    elif report.offline:
        click.echo(offline_notice(report), err=True)
    if report.offline:
        sys.exit(NETWORK_DOWN)
    if has_errors(found):
        sys.exit(1)


@cli.command()
@click.argument("slug")
@PROJECT
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each response.")
def verify(slug: str, project_dir: Path, timeout: float) -> None:
    """Read the entry SLUG's sources now and, if they show every one of its phone and SMS
    numbers, set its last_verified to today (comments, order and quoting kept).

    Otherwise says what could not be confirmed, changes nothing and exits 1. Check the rest of
    the entry (hours, summary, links) against the sources yourself: this confirms the numbers.
    """
    from generator.drift import check_facts
    from generator.links import Settings
    from generator.verify import find_entry, set_last_verified

    require_project(project_dir)
    path = find_entry(project_dir, slug)
    rel = path.relative_to(project_dir).as_posix()
    facts = next(e for e in check_facts(project_dir, Settings(timeout=timeout), 0, {slug}).entries if e.doc.rel == rel)
    for page in facts.sources:
        click.echo(f"  {'read' if page.state == 'ok' else 'could not read'} {page.url}"
                   f"{'' if page.state == 'ok' else f' ({page.detail})'}", err=True)
    for check in facts.numbers:
        where = ", ".join(check.found_on) or "on none of the sources read"
        click.echo(f"  {check.value} ({check.type}): {'found on ' if check.found_on else ''}{where}", err=True)
    if not facts.confirmed:
        missing = ", ".join(c.value for c in facts.unconfirmed()) or "anything: no source could be read"
        raise SignpostError(f"{rel}: could not confirm {missing}; nothing was changed")
    day = pipeline.today()
    changed = set_last_verified(path, day)
    checked = f"{len(facts.numbers)} numbers confirmed" if facts.numbers else "no numbers to compare; its sources answer"
    click.echo(f"{rel}: {checked}; last_verified {'set to' if changed else 'was already'} {day}", err=True)


@cli.command()
@PROJECT
@click.option("--format", "formats", type=click.Choice(["hsds", "json", "csv"]), multiple=True,
              help="Only this format (repeatable) [default: all three].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into [default: PROJECT_DIR/export].")
def export(project_dir: Path, formats: tuple[str, ...], out: Path | None) -> None:
    """Write the directory as open data: entries.json, CSV tables with a datapackage.json, and an
    HSDS 3.0 publication under hsds/, the same files a build puts under /data/ (docs/data.md).

    Exits 1, writing nothing, when the content has errors."""
    from generator.exports import write_export

    require_project(project_dir)
    out = out or project_dir / "export"
    written = write_export(project_dir, out, list(formats))
    click.echo(f"wrote {written} files into {out}", err=True)


@cli.command("import")
@click.argument("source_format", metavar="FORMAT", type=click.Choice(["hsds", "csv"]))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.argument("project_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
def import_(source_format: str, source: Path, project_dir: Path) -> None:
    """Write entry files from another directory's data: HSDS 3.0 JSON (a service file, a
    services.json page or a publication folder) or CSV (entries.csv with contacts.csv beside it).

    What the source lacks is written TODO; `signpost check` says what to write. An existing entry
    is never overwritten. A record that does not match the format stops the import, naming its
    file and JSON pointer (or line), before anything is written."""
    from generator.importer import import_csv, import_hsds

    require_project(project_dir)
    report = (import_hsds if source_format == "hsds" else import_csv)(project_dir, source)
    for line in report.skipped:
        click.echo(f"skipped {line}", err=True)
    entries, marks = len(report.written), report.todos
    click.echo(f"wrote {entries} {'entry' if entries == 1 else 'entries'} ({marks} TODO mark{'' if marks == 1 else 's'}: run `signpost check "
               f"{project_dir}` to see what to fill in); skipped {len(report.skipped)}", err=True)


@cli.command()
@PROJECT
@click.option("--markdown", is_flag=True, help="Print the field tables of CONTRIBUTING.md instead.")
def schema(project_dir: Path, markdown: bool) -> None:
    """Print the JSON Schema of an entry, with the site's vocabularies when site.yaml is valid."""
    if markdown:
        click.echo(fields_markdown(), nl=False)
        return
    valid, _ = pipeline.check(project_dir)
    click.echo(json.dumps(entry_json_schema(valid.site if valid else None), indent=2))


def main(prog_name: str | None = None) -> NoReturn:
    """Run the CLI, then end the process at once, as mypy does: the interpreter's teardown, which
    frees every object and module one by one, took 0.13 s after a 10,000-entry build, and nothing
    is left to clean up (files are closed, worker processes joined). Output is flushed first."""
    code = run(prog_name)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run(prog_name: str | None = None) -> int:
    """The CLI's exit code; every failure arrives here as a message (see Commands)."""
    try:
        cli.main(prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SystemExit as exc:  # a command's own sys.exit(1); click returns from --help instead
        return exc.code or 0
    return 0
