"""Scaffold: write a new entry file with what an editor knows, and TODO marks for what needs checking.

Fields that need a person to look at the service's own pages (the summary, languages, topics,
sources and the date they were checked) are written as `TODO`, which `signpost check` reports
as an error with what to write instead, so a half-filled entry can never be published.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import BaseModel

from generator.diagnostics import Diagnostic
from generator.errors import SignpostError
from generator.loader import Document, entry_files
from generator.schema import URL_TYPES, VALUE_TYPES

TODO = "TODO"
SCHEMA_HINT = "# yaml-language-server: $schema=../../../schema/entry.schema.json"
# What to write in place of each TODO; shown in the file and by `signpost check`.
HINTS = {
    "summary": "one sentence in plain words, at most 200 characters, no Markdown",
    "languages": "the ISO 639-1 codes of the languages it answers in, like [en] or [en, cy]",
    "topics": "topics from the vocabulary in site.yaml, like [anxiety, stress]",
    "sources": "the https pages where you checked these facts, like [https://www.example.org/contact]",
    "last_verified": "the day you checked the facts against the sources, as YYYY-MM-DD",
    "kind": "what sort of service it is: helpline, textline, chat, forum, initiative, app or directory",
    "countries": "the ISO 3166-1 alpha-2 codes of the countries it serves, like [GB], or [international]",
    "timezone": "the IANA time zone of its hours, like Europe/London",
    "website": "its home page, https://...",
}
# Spelt-out letters that NFKD does not split into a base letter and an accent.
LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
                         "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "&": " and "})


class ScaffoldError(SignpostError):
    """The entry cannot be written as asked (it exists, or the name gives no slug)."""


@dataclass
class NewEntry:
    """What `signpost new` asks for."""

    name: str
    kind: str
    country: str  # ISO 3166-1 alpha-2, or "international"
    website: str
    contact_type: str
    contact_value: str


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'Télé-Accueil Ñandú' → 'tele-accueil-nandu'."""
    plain = unicodedata.normalize("NFKD", name.translate(LETTERS))
    ascii_only = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")


def folder_for(country: str) -> str:
    return "intl" if country == "international" else country.lower()


def quoted(value: str) -> str:
    """A YAML double-quoted scalar, so numbers like "0800 ..." and values with ': ' stay as written."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def contact_line(kind: str, value: str) -> str:
    field = "value" if kind in VALUE_TYPES else "url" if kind in URL_TYPES else "address"
    return f"  - {{type: {kind}, {field}: {quoted(value)}}}"


def todo_lines(field: str, flow_list: bool = False) -> list[str]:
    return [f"# TODO: {HINTS[field]}.", f"{field}: [{TODO}]" if flow_list else f"{field}: {TODO}"]


def render_entry(new: NewEntry) -> str:
    """The file's text: a schema hint for editors' YAML tools, the fields, and TODO marks."""
    lines = [SCHEMA_HINT, f"name: {quoted(new.name)}", f"kind: {new.kind}", *todo_lines("summary"),
             f"countries: [{new.country}]", *todo_lines("languages", True), *todo_lines("topics", True),
             "contacts:", contact_line(new.contact_type, new.contact_value),
             f"website: {new.website}", *todo_lines("sources", True), *todo_lines("last_verified")]
    return "\n".join(lines) + "\n"


def create_entry(root: Path, new: NewEntry, slug: str | None = None) -> Path:
    """Write content/entries/<cc>/<slug>.yaml; refuses to overwrite or to reuse a slug."""
    slug = slug or slugify(new.name)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise ScaffoldError(f"cannot make a file name from {new.name!r}; give one with --slug, like --slug my-service")
    for existing in entry_files(root):
        if existing.stem == slug:
            raise ScaffoldError(f"{existing.relative_to(root).as_posix()} already exists with the slug '{slug}'; "
                                f"edit that file, or choose another name with --slug")
    path = root / "content" / "entries" / folder_for(new.country) / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
        stream.write(render_entry(new))
    return path


def check_placeholders(doc: Document) -> list[Diagnostic]:
    """Every top-level value (or list item) still written TODO, as an error saying what to write.

    Only the top level: that is where `signpost new` writes them, and this runs on every entry."""
    found = []
    for field, value in doc.data.items():
        if value != TODO and not (isinstance(value, list) and TODO in value):
            continue  # nearly every field of nearly every entry: the build checks 10,000 of them
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            if item == TODO:
                line, col = doc.where((field,) if index is None else (field, index))
                found.append(Diagnostic(doc.rel, line, col, "error", "todo",
                                        f"{field} is still TODO; write {HINTS.get(field, 'the real value')}"))
    return found


def fields_table(model: type[BaseModel]) -> str:
    """A Markdown table of a schema model's fields, for CONTRIBUTING.md (`signpost schema --markdown`)."""
    rows = ["| field | required | what to write |", "|---|---|---|"]
    for name, info in model.model_fields.items():
        text = info.description or ""
        choices = literal_choices(info.annotation)
        if choices:
            text = f"{text}: {' · '.join(f'`{c}`' for c in choices)}" if text else " · ".join(f"`{c}`" for c in choices)
        default = "" if info.is_required() or info.default in (None, []) else f" (default `{json_value(info.default)}`)"
        rows.append(f"| `{info.alias or name}` | {'yes' if info.is_required() else 'no'} | {text}{default} |")
    return "\n".join(rows)


def literal_choices(annotation) -> list[str]:
    """The allowed values when a field is a Literal (possibly inside Optional)."""
    if get_origin(annotation) is Literal:
        return [str(arg) for arg in get_args(annotation)]
    others = [arg for arg in get_args(annotation) if arg is not type(None)]
    return literal_choices(others[0]) if len(others) == 1 and others[0] is not annotation else []


def json_value(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value).replace("'", "")


def fields_markdown() -> str:
    """The field tables of an entry, a contact and a range of hours."""
    from generator.schema import Closure, Contact, Entry, ExtraOpening, HoursRange

    return "\n\n".join(f"{title}\n\n{fields_table(model)}" for title, model in (
        ("#### An entry", Entry), ("#### Each item under `contacts:`", Contact),
        ("#### Each range under `hours:`", HoursRange), ("#### Each item under `closed:`", Closure),
        ("#### Each item under `open_extra:`", ExtraOpening))) + "\n"
