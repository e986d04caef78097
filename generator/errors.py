"""The one base for every failure a user can cause: shown as a message, never a traceback."""
from __future__ import annotations

import re
import traceback

import click


class SignpostError(click.ClickException):
    """Something the user can fix (bad content, a bad path or option, unreadable input).

    The CLI prints the message and exits with `exit_code`; tracebacks only with `--debug`."""

    exit_code = 1


class UsageError(SignpostError):
    """The command was called wrongly (a refused --out, a missing project folder): exit 2."""

    exit_code = 2


def as_message(exc: Exception) -> SignpostError:
    """Any failure as the message the user sees (see cli.Commands)."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError) and exc.name:
        return SignpostError(f"templates/{exc.name}:{exc.lineno}: {exc.message}; fix the template")
    if isinstance(exc, TemplateNotFound):
        return SignpostError(f"{template_line(exc)}templates/{exc.name} is missing; "
                             f"copy it from Signpost's own templates/ folder")
    if isinstance(exc, TemplateError):
        return SignpostError(f"{template_line(exc)}{exc.message or exc}; fix the template")
    if isinstance(exc, OSError):
        return SignpostError(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc))
    if where := template_line(exc):  # raised while drawing a template: most likely the template's doing
        return SignpostError(f"{where}{type(exc).__name__}: {exc}; check the template (--debug shows the traceback)")
    return SignpostError(f"unexpected failure ({type(exc).__name__}: {exc}); this is a bug in Signpost: "
                         f"run the command again with --debug and report the traceback")


def template_line(exc: Exception) -> str:
    """"templates/<file>:<line>: " of the innermost template frame in the traceback, or "". Jinja
    gives template frames the template's own file and line; an error in a forked renderer
    arrives with its traceback as text (multiprocessing's RemoteTraceback), so the text is read."""
    text = "".join(traceback.format_exception(exc))
    frames = re.findall(r'File "(?:[^"]*/)?(templates/[^"]+)", line (\d+)', text)
    return f"{frames[-1][0]}:{frames[-1][1]}: " if frames else ""
