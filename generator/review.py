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


# A forge issue holds at most 65,536 characters: the first MAX_ROWS of each list fit with room.
MAX_ROWS = 60


def worklist_markdown(items: list[Due], facts: list | None, read_on: dt.date | None, today: dt.date,
                      months: int, repository: str | None) -> str:
    """The maintainers' worklist as Markdown, for the weekly issue or for anyone to paste: the
    entries due for review, then what the last `signpost links --facts` found on their sources
    (`facts`, EntryFacts judged on the cached pages; None when none were read)."""
    def file(path: str, line: int | None = None) -> str:
        text = f"`{path}`" + (f" line {line}" if line else "")
        return f"[{text}]({repository}/blob/HEAD/{path}{f'#L{line}' if line else ''})" if repository else text

    lines = ["## Entries due for re-verification", "",
             f"{len(items)} entries were last checked more than {months} months before {today}, oldest first. "
             "Re-check each against its sources, then run `signpost verify SLUG`.", ""]
    if items:
        lines += ["| Last checked | Due since | Entry | File |", "|---|---|---|---|"]
        lines += capped([f"| {d.last_verified} | {d.due} | {cell(d.name)} | {file(d.path)} |" for d in items],
                        "| … | | {} more: `signpost check --stale` lists them all | |")
        lines.append("")
    lines += ["## Numbers no source shows", ""]
    if facts is None:
        return "\n".join(lines + ["Not checked yet: run `signpost links --facts`.", ""])
    lines += [f"From the source pages `signpost links --facts` read, the oldest on {read_on}.", ""]
    more = "- {} more: `signpost links --facts` lists them all"
    lines += capped([f"- [ ] **{cell(entry_name(e.doc))}**: `{c.value}` ({c.type}) at {file(e.doc.rel, c.line)} "
                     f"is on none of {', '.join(e.fetched)}" for e in facts for c in e.drift()], more) \
        or ["None: every number checked is on one of its sources."]
    unread = [f"- [ ] **{cell(entry_name(e.doc))}** ({file(e.doc.rel)}): {p.url} ({p.detail})"
              for e in facts for p in e.unreachable]
    if unread:
        lines += ["", "## Sources that could not be read", ""] + capped(unread, more)
    return "\n".join(lines + [""])


def capped(rows: list[str], more: str) -> list[str]:
    """The first MAX_ROWS rows, and a last one saying how many were left out."""
    return rows if len(rows) <= MAX_ROWS else rows[:MAX_ROWS] + [more.format(len(rows) - MAX_ROWS)]


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("\n", " ")


def entry_name(doc) -> str:
    from generator.drift import entry_name as name

    return name(doc)


def format_due(items: list[Due], fmt: str) -> str:
    """Oldest first in every format (not sorted by path as diagnostics usually are)."""
    if fmt == "github":
        return "\n".join(item.diagnostic().github() for item in items)
    if fmt == "json":
        return json.dumps([{**asdict(item), "last_verified": str(item.last_verified), "due": str(item.due)}
                           for item in items], indent=2)
    width = max((len(item.path) for item in items), default=0)
    return "\n".join(f"{item.last_verified}  {item.path:<{width}}  {item.name}" for item in items)
