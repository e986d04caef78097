"""Review: which entries are due for re-verification, oldest first.

An entry is due when its `last_verified` is older than `review_interval_months` in site.yaml:
the same rule as the `stale` warning of validation, listed as a worklist for maintainers.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from generator.diagnostics import Diagnostic
from generator.validate import ValidProject, add_months


@dataclass(frozen=True)
class Due:
    """One entry to re-check against its sources."""

    path: str
    line: int
    name: str
    last_verified: dt.date
    due: dt.date

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.path, self.line, 1, "warning", "stale",
                          f"{self.name}: last verified {self.last_verified}, due since {self.due}; "
                          f"re-check the facts against the sources and update last_verified")


def due_for_review(valid: ValidProject, today: dt.date) -> list[Due]:
    """Entries whose review date has passed, the longest unverified first."""
    months = valid.site.review_interval_months
    found = []
    for item in valid.entries:
        verified = item.entry.last_verified
        due = add_months(verified, months)
        if due < today:
            line, _ = item.doc.where(("last_verified",))
            found.append(Due(item.doc.rel, line, item.entry.name, verified, due))
    return sorted(found, key=lambda d: (d.last_verified, d.path))


def format_due(items: list[Due], fmt: str) -> str:
    """Oldest first in every format (not sorted by path as diagnostics usually are)."""
    if fmt == "github":
        return "\n".join(item.diagnostic().github() for item in items)
    if fmt == "json":
        return json.dumps([{**asdict(item), "last_verified": str(item.last_verified), "due": str(item.due)}
                           for item in items], indent=2)
    width = max((len(item.path) for item in items), default=0)
    return "\n".join(f"{item.last_verified}  {item.path:<{width}}  {item.name}" for item in items)
