"""One type for every problem found in content, and the three ways of printing them."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in one file, pointing at the line and column of the offending value."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    def github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message.
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::{self.severity} file={self.path},line={self.line},col={self.col},"
            f"title={self.code}::{message}"
        )


class ContentError(Exception):
    """Raised when loading a file fails; carries the diagnostic to report."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.text())
        self.diagnostic = diagnostic


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_all(diagnostics: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics as `text`, `github` annotations or a `json` list."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([asdict(d) for d in ordered], indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in ordered)
    return "\n".join(d.text() for d in ordered)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
