"""The one base for every failure a user can cause: shown as a message, never a traceback."""
from __future__ import annotations

import click


class SignpostError(click.ClickException):
    """Something the user can fix (bad content, a bad path or option, unreadable input).

    The CLI prints the message and exits with `exit_code`; tracebacks only with `--debug`."""

    exit_code = 1


class UsageError(SignpostError):
    """The command was called wrongly (a refused --out, a missing project folder): exit 2."""

    exit_code = 2
