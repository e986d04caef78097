"""The `signpost` command: thin wrappers that parse options and call the pipeline."""
from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from generator import build as pipeline
from generator.diagnostics import has_errors, summary
from generator.schema import entry_json_schema
from generator.write import UnsafeOutput

PROJECT = click.argument("project_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
                      show_default=True, help="text for people, github for CI annotations, json for tools.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected failures.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Signpost: build a directory of mental-health support as a static site."""
    ctx.obj = {"debug": debug}


@cli.command()
@PROJECT
@FORMAT
def check(project_dir: Path, fmt: str) -> None:
    """Validate site.yaml and every file under content/, printing every problem.

    Exits 1 when there is an error; warnings alone do not fail.
    """
    _, diagnostics = pipeline.check(project_dir)
    pipeline.print_diagnostics(diagnostics, fmt)
    if fmt == "text":
        click.echo(f"{summary(diagnostics)} in {project_dir}", err=True)
    if has_errors(diagnostics):
        sys.exit(1)


@cli.command()
@PROJECT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: PROJECT_DIR/output].")
@click.option("--no-search", is_flag=True, help="Skip the search index (pages only).")
@FORMAT
@click.option("-v", "--verbose", is_flag=True, help="Print how long each step took.")
def build(project_dir: Path, out: Path | None, no_search: bool, fmt: str, verbose: bool) -> None:
    """Validate, then render the site. With any error nothing is written and the previous output stays."""
    out = out or project_dir / "output"
    try:
        report = pipeline.build(project_dir, out, search=not no_search)
    except pipeline.ContentProblems as problems:
        pipeline.print_diagnostics(problems.diagnostics, fmt)
        raise
    except UnsafeOutput as exc:
        raise click.UsageError(str(exc)) from None
    warnings = [d for d in report.diagnostics if d.severity == "warning"]
    if warnings and fmt != "text":
        pipeline.print_diagnostics(warnings, fmt)
    if verbose:
        for name, seconds in report.timings:
            click.echo(f"  {name:<18} {seconds * 1000:8.1f} ms", err=True)
    click.echo(f"built {report.pages} pages ({report.files} files) into {out}"
               f"{f'; {len(warnings)} warnings (run signpost check)' if warnings else ''}", err=True)


@cli.command()
@PROJECT
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve(project_dir: Path, port: int, host: str) -> None:
    """Build the site, then serve it for preview on localhost until Ctrl-C."""
    from generator.serve import make_server

    out = project_dir / "output"
    try:
        pipeline.build(project_dir, out)
    except pipeline.ContentProblems as problems:
        pipeline.print_diagnostics(problems.diagnostics, "text")
        raise
    server = make_server(out, host, port)
    click.echo(f"Serving {out} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


@cli.command()
@PROJECT
def schema(project_dir: Path) -> None:
    """Print the JSON Schema of an entry, with the site's vocabularies when site.yaml is valid."""
    valid, _ = pipeline.check(project_dir)
    click.echo(json.dumps(entry_json_schema(valid.site if valid else None), indent=2))


def main(prog_name: str | None = None) -> None:
    """Run the CLI; unexpected failures print one line unless --debug asks for the traceback."""
    try:
        cli.main(prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:
        if "--debug" in sys.argv:
            traceback.print_exc()
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
