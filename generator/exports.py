"""Exports: the directory as open data under /data/, for others to reuse.

- `data/entries.json`: every entry as our schema has it, sorted by slug;
- `data/entries.csv` and `data/contacts.csv`: flat tables a spreadsheet opens, described by a
  Frictionless `data/datapackage.json`;
- `data/hsds/`: an Open Referral HSDS 3.0 publication (hsds.py).
docs/data.md describes every file for reusers.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import orjson

from generator.diagnostics import has_errors
from generator.errors import UsageError
from generator import hsds
from generator.hsds import hsds_files
from generator.model import Listing, Site, build_site
from generator.schema import DAYS, OpeningHours, Span, clock

LIST_SEPARATOR = ";"
ENTRY_COLUMNS = [  # (name, Frictionless type, description)
    ("slug", "string", "The entry's identifier: its file name, unique in the directory"),
    ("url", "string", "The entry's page on the site"),
    ("name", "string", "The service's own name"),
    ("kind", "string", "helpline, textline, chat, forum, initiative, app or directory"),
    ("summary", "string", "One sentence in plain words"),
    ("countries", "string", "ISO 3166-1 alpha-2 codes joined by ';', or international"),
    ("languages", "string", "ISO 639-1 codes joined by ';'"),
    ("topics", "string", "Keys of the site's topic vocabulary joined by ';'"),
    ("audiences", "string", "Keys of the site's audience vocabulary joined by ';'"),
    ("cost", "string", "free, low-cost or paid"),
    ("crisis", "boolean", "Answers people in crisis now"),
    ("status", "string", "active, temporarily-closed or closed"),
    ("alert", "string", "A short notice, when there is one"),
    ("timezone", "string", "IANA time zone of the hours in contacts.csv"),
    ("website", "string", "The service's home page"),
    ("sources", "string", "Where the facts were checked, URLs joined by ';'"),
    ("last_verified", "date", "The day the facts were last checked against the sources"),
    ("body", "string", "The long description in Markdown; empty when there is none"),
]
CONTACT_COLUMNS = [
    ("slug", "string", "The entry the contact belongs to (entries.csv)"),
    ("position", "integer", "Order of the contact within its entry, from 1"),
    ("type", "string", "phone, sms, whatsapp, email, chat, website, app or in-person"),
    ("value", "string", "Number or email address as written locally"),
    ("url", "string", "For chat, website and app: the address"),
    ("address", "string", "For in-person: where to go"),
    ("keyword", "string", "For sms: the word to text"),
    ("country", "string", "Country the number is dialled in, when the entry has several"),
    ("link", "string", "The link that reaches it (tel:, sms:, mailto:, https:)"),
    ("hours", "string", "24/7, or ranges such as 'mon-fri 09:00-17:00' joined by ';'; empty: unknown"),
    ("label", "string", "A short note shown beside the contact"),
    ("closed", "string", "Days closed whatever the hours: '2026-12-25 Christmas Day' or "
                         "'2027-01-01/2027-01-03', joined by ';'"),
    ("open_extra", "string", "Openings besides the hours: '2026-12-24 10:00-14:00 Christmas Eve', joined by ';'"),
]


FORMATS = {"json": ("data/entries.json",), "csv": ("data/entries.csv", "data/contacts.csv", "data/datapackage.json"),
           "hsds": ("data/hsds/",)}


def chosen_files(files: dict[str, bytes], formats: list[str]) -> dict[str, bytes]:
    """The files of `formats` (all when empty), keyed by path under data/."""
    prefixes = tuple(prefix for name in (formats or FORMATS) for prefix in FORMATS[name])
    return {path.removeprefix("data/"): data for path, data in files.items() if path.startswith(prefixes)}


def export_stream(site: Site, memo: dict | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file under data/, as (output path, bytes), made as they are asked for (`memo`: see
    hsds_files)."""
    yield "data/entries.json", entries_json(site)
    yield "data/entries.csv", table(ENTRY_COLUMNS, entry_rows(site))
    yield "data/contacts.csv", table(CONTACT_COLUMNS, contact_rows(site))
    yield "data/datapackage.json", datapackage(site)
    yield from hsds_files(site, memo)


def export_files(site: Site, memo: dict | None = None) -> dict[str, bytes]:
    """Every file under data/, keyed by output path."""
    return dict(export_stream(site, memo))


def by_slug(site: Site) -> list[Listing]:
    return sorted(site.entries, key=lambda listing: listing.slug)


def dumps(value, indent: int | None = None) -> bytes:
    """Compact UTF-8 JSON and a newline (hsds.dumps), or indented by json."""
    if indent:
        return (json.dumps(value, ensure_ascii=False, indent=indent) + "\n").encode()
    return hsds.dumps(value)


def entries_json(site: Site) -> bytes:
    """{schema, updated, entries: [{slug, url, entry, body}]}. Each entry is serialised by
    pydantic's own encoder, straight to JSON, and set in whole (orjson.Fragment): through Python
    dicts it cost a second at 10,000."""
    base = site.config.base_url.rstrip("/")
    return dumps({"schema": f"{base}/schema/entry.schema.json", "updated": site.updated.isoformat(),
                  "entries": [{"slug": l.slug, "url": base + l.url,
                               "entry": orjson.Fragment(l.entry.model_dump_json(exclude_none=True, by_alias=True)),
                               "body": l.body} for l in by_slug(site)]})


def joined(values) -> str:
    return LIST_SEPARATOR.join(values)


def hours_field(opening: OpeningHours | None) -> str:
    """The hours as an editor writes them, on one line: "24/7" or "mon-fri 09:00-17:00; sat ..."."""
    if opening is None:
        return ""
    if opening.always:
        return "24/7"
    return "; ".join(f"{day_codes(span)} {clock(span.opens)}-{clock(span.closes)}" for span in opening.spans)


def day_codes(span: Span) -> str:
    """The days as an editor writes them: "mon-fri,sun"; all seven → "daily"."""
    if len(span.days) == 7:
        return "daily"
    return ",".join(DAYS[a] + (f"-{DAYS[b]}" if b != a else "") for a, b in span.ranges)


def entry_rows(site: Site):
    base = site.config.base_url.rstrip("/")
    for l in by_slug(site):
        e = l.entry
        yield [l.slug, base + l.url, e.name, e.kind, e.summary, joined(e.countries), joined(e.languages),
               joined(e.topics), joined(e.audiences), e.cost, "true" if e.crisis else "false", e.status,
               e.alert or "", e.timezone or "", e.website, joined(e.sources), e.last_verified.isoformat(), l.body.strip()]


def contact_rows(site: Site):
    for l in by_slug(site):
        for n, (c, view) in enumerate(zip(l.entry.contacts, l.contacts), start=1):
            yield [l.slug, str(n), c.type, c.value or "", c.url or "", c.address or "", c.keyword or "", c.country or "",
                   view.href or "", hours_field(c.opening), c.label or "", closed_field(c), extra_field(c)]


def closed_field(contact) -> str:
    """Closures on one line: a date or "first/last", then the label, if any, after a space."""
    if not contact.closed:
        return ""
    return "; ".join((c.date.isoformat() if c.date else f"{c.from_.isoformat()}/{c.to.isoformat()}")
                     + (f" {c.label}" if c.label else "") for c in contact.closed)


def extra_field(contact) -> str:
    if not contact.open_extra:
        return ""
    return "; ".join(f"{x.date.isoformat()} {x.open}-{x.close}" + (f" {x.label}" if x.label else "")
                     for x in contact.open_extra)


def table(columns, rows) -> bytes:
    """CSV with a header row, UTF-8, lines ending CRLF as RFC 4180 has it: the bytes Python's
    csv.writer makes (QUOTE_MINIMAL), quoted here by hand because its writer, going character by
    character, took 0.15 s over the bodies of a 10,000-entry entries.csv, and this 0.04 s
    (tests/test_exports.py holds the two to the same bytes)."""
    # Each line encoded as it is made: one joined str would be two bytes a character throughout
    # (20 MB at 10,000 entries) as soon as one body holds a character beyond Latin-1.
    lines = [line([name for name, _, _ in columns])] + [line(row) for row in rows]
    return b"\r\n".join(lines) + b"\r\n"


def line(values: list[str]) -> bytes:
    """One row, joined as it is when no field needs quotes (most rows of contacts.csv: one search
    of the line instead of one a field), else field by field."""
    text = ",".join(values)
    if text.count(",") >= len(values) or '"' in text or "\n" in text or "\r" in text:
        text = ",".join([cell(value) for value in values])
    return text.encode()


def cell(value: str) -> str:
    """One field, quoted when it holds a comma, a quote or a line break, its quotes doubled."""
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return '"' + value + '"' if "," in value or "\n" in value or "\r" in value else value


def datapackage(site: Site) -> bytes:
    """A Frictionless Data Package descriptor for the two tables."""
    def schema(columns, key):
        return {"fields": [{"name": n, "type": t, "description": d} for n, t, d in columns], "primaryKey": key,
                "missingValues": [""]}

    contacts = schema(CONTACT_COLUMNS, ["slug", "position"])
    contacts["foreignKeys"] = [{"fields": "slug", "reference": {"resource": "entries", "fields": "slug"}}]
    package = {"profile": "tabular-data-package", "name": "signpost-entries", "title": site.config.title,
               "description": site.config.description, "homepage": site.config.base_url,
               "version": site.updated.isoformat(),
               "resources": [
                   {"name": "entries", "path": "entries.csv", "profile": "tabular-data-resource", "format": "csv",
                    "mediatype": "text/csv", "encoding": "utf-8", "schema": schema(ENTRY_COLUMNS, ["slug"])},
                   {"name": "contacts", "path": "contacts.csv", "profile": "tabular-data-resource", "format": "csv",
                    "mediatype": "text/csv", "encoding": "utf-8", "schema": contacts}]}
    if site.config.data_license:
        package["licenses"] = [{"name": site.config.data_license}]
    return dumps(package, indent=1)


def write_export(root: Path, out: Path, formats: list[str]) -> int:
    """`signpost export`: check the content, then write the chosen formats' files under `out`."""
    from generator.build import ContentProblems, check, print_diagnostics

    project, out = root.resolve(), out.resolve()
    if out == project or out in project.parents or any(out.is_relative_to(project / d) for d in ("content", "templates")):
        raise UsageError(f"refusing to write the export into {out}: it holds the project's own files; "
                         f"choose a folder such as {project / 'export'}")
    valid, diagnostics = check(root)
    if valid is None or has_errors(diagnostics):
        print_diagnostics(diagnostics, "text")
        raise ContentProblems(diagnostics)
    files = chosen_files(export_files(build_site(valid)), formats)
    for rel, data in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)
