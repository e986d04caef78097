"""Validate: check every loaded document against the schema, the site's vocabularies, real-world
facts (countries, languages, phone numbers, time zones) and each other, collecting every problem."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic
from generator.loader import Document, Project
from generator.phones import parse_number
from generator.scaffold import check_placeholders
from generator.schema import DIALLED, Contact, Entry, HoursRange, Page, SiteConfig

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


@dataclass
class Checked:
    """An entry that passed validation, with the document it came from."""

    doc: Document
    entry: Entry


@dataclass
class ValidProject:
    site: SiteConfig
    entries: list[Checked]
    pages: list[tuple[Document, Page]]
    today: dt.date | None = None  # the day freshness was judged against


def validate_project(project: Project, today: dt.date,
                     memo: dict | None = None) -> tuple[ValidProject | None, list[Diagnostic]]:
    """Validate site.yaml, every entry and page, then the entries against each other.

    `memo` (kept by `serve` between rebuilds) skips re-validating an entry whose document object,
    site.yaml document and date are the ones it was last validated with."""
    diagnostics: list[Diagnostic] = []
    site = check_model(project.site, SiteConfig, diagnostics)
    if site is None:  # entries cannot be checked without it; files that cannot be read still show
        return None, diagnostics + [doc for doc in project.entries if isinstance(doc, Diagnostic)]
    entries, docs = [], []
    for doc in project.entries:
        if isinstance(doc, Diagnostic):  # a file that could not be read (see load_project's `stream`)
            diagnostics.append(doc)
            continue
        docs.append(doc)
        hit = memo.get(doc.rel) if memo is not None else None
        if hit and hit[0] is doc and hit[1] is project.site and hit[2] == today:
            entry, found = hit[3], hit[4]
        else:
            entry, found = validate_entry(doc, site, today)
            if memo is not None:
                memo[doc.rel] = (doc, project.site, today, entry, found)
        diagnostics += found
        if entry is not None:
            entries.append(Checked(doc, entry))
    pages = [(doc, page) for doc in project.pages if (page := check_model(doc, Page, diagnostics))]
    diagnostics += check_slugs(docs) + check_duplicates(entries)
    return ValidProject(site, entries, pages, today), diagnostics


def validate_entry(doc: Document, site: SiteConfig, today: dt.date) -> tuple[Entry | None, list[Diagnostic]]:
    """Every check of one entry that needs nothing but the entry and the site's settings."""
    entry = check_model(doc, Entry, found := check_placeholders(doc))
    found = without_repeats(found + check_vocabularies(doc, site))
    if entry is not None:
        found += check_entry(doc, entry, site, today)
    return entry, found


def without_repeats(found: list[Diagnostic]) -> list[Diagnostic]:
    """A value still written TODO gets the scaffold's hint, not also the schema's complaint about it."""
    todo = {(d.line, d.col) for d in found if d.code == "todo"}
    return [d for d in found if d.code == "todo" or (d.line, d.col) not in todo]


def check_model(doc: Document, model: type[BaseModel], diagnostics: list[Diagnostic]) -> Any:
    """Validate a document against a pydantic model, turning its errors into diagnostics."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        diagnostics += [schema_diagnostic(doc, model, untagged(error, doc.data)) for error in exc.errors()
                        if not wrong_branch(error, doc.data)]
        return None


def union_tags(loc: tuple, data: Any) -> list[str]:
    """The parts of a pydantic location that name a union's branch (`list[HoursRange]`), not a
    key or index of the data: a key may contain '[' too."""
    tags = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            tags.append(part)
    return tags


def wrong_branch(error: dict, data: Any) -> bool:
    """`hours` is "24/7" or a list: report only the branch matching what the editor wrote."""
    tags = union_tags(tuple(error["loc"]), data)
    if not tags:
        return False
    value = error.get("input")
    return (tags[-1].startswith("literal") and isinstance(value, list)) or (
        tags[-1].startswith("list") and isinstance(value, str) and error["type"] == "list_type")


def untagged(error: dict, data: Any) -> dict:
    """Drop pydantic's union branch names (`list[HoursRange]`) from a location."""
    tags = union_tags(tuple(error["loc"]), data)
    return {**error, "loc": tuple(part for part in error["loc"] if part not in tags)}


def schema_diagnostic(doc: Document, model: type[BaseModel], error: dict) -> Diagnostic:
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    name = ".".join(str(part) for part in loc) or "the file"
    if kind == "extra_forbidden":
        known = fields_at(model, loc[:-1])
        line, col = doc.where_key(loc)
        message = f"unknown field '{loc[-1]}'{did_you_mean(str(loc[-1]), known)}; the fields are: {', '.join(known)}"
        return Diagnostic(doc.rel, line, col, "error", "unknown-field", message)
    if kind == "missing":
        line, col = doc.where(loc[:-1])
        return Diagnostic(doc.rel, line, col, "error", "missing-field",
                          f"required field '{loc[-1]}' is missing; add `{loc[-1]}: ...`")
    line, col = doc.where(loc)
    if kind == "literal_error":
        choices = re.findall(r"'([^']+)'", error["msg"])
        message = f"{name}: '{value}' is not one of {', '.join(choices)}{did_you_mean(str(value), choices)}"
    elif kind == "string_type" and isinstance(value, bool):
        message = (f"{name}: YAML reads an unquoted yes/no/on/off/NO as true or false; "
                   f"put the value in quotes, like \"NO\"")
    elif kind == "string_type" and loc[-1:] in (("open",), ("close",)):
        message = f"{name}: write the time as HH:MM in quotes, like \"09:30\""
    elif kind == "string_type" and isinstance(value, (int, float)):
        message = f"{name}: write {value} in quotes, like \"{value}\", so it stays as written"
    elif kind == "too_short" and isinstance(value, list):
        message = f"{name}: the list is empty; give at least one, like `{name}: [...]`"
    elif kind == "value_error":
        message = f"{name}: {error['msg'].removeprefix('Value error, ')}"
    else:
        message = f"{name}: {error['msg'][0].lower()}{error['msg'][1:]}"
    return Diagnostic(doc.rel, line, col, "error", "schema", message)


def fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the (nested) model that a location points into."""
    nested = {"contacts": Contact, "hours": HoursRange}
    for part in loc:
        model = nested.get(part, model) if isinstance(part, str) else model
    return list(model.model_fields)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def check_entry(doc: Document, entry: Entry, site: SiteConfig, today: dt.date) -> list[Diagnostic]:
    """Checks that need more than the entry's own fields: vocabularies, numbers, zones, dates."""
    found = [*check_contacts(doc, entry), *check_dates(doc, entry, site, today), *check_folder(doc, entry)]
    if entry.kind != "initiative" and not entry.contacts:
        line, col = doc.where_key(("kind",))
        found.append(Diagnostic(doc.rel, line, col, "error", "no-contacts",
                                f"a {entry.kind} needs at least one item under `contacts:`"))
    if "international" in entry.countries and len(entry.countries) > 1:
        found.append(error(doc, ("countries",), "countries",
                           "`international` stands alone; list countries, or write [international]"))
    return found


def check_folder(doc: Document, entry: Entry) -> list[Diagnostic]:
    """The folder of an entry is its country's code in small letters, or intl for an international
    one; an entry for several countries lives in the folder of any one of them."""
    parts = doc.rel.split("/")
    if len(parts) != 4 or parts[:2] != ["content", "entries"]:
        return []
    folder, name = parts[2], parts[3]
    folders = ["intl"] if "international" in entry.countries else [code.lower() for code in entry.countries]
    if folder in folders:
        return []
    serves = "is international" if folders == ["intl"] else f"serves {', '.join(entry.countries)}"
    others = f" (or {', '.join(f + '/' for f in folders[1:])})" if len(folders) > 1 else ""
    return [error(doc, ("countries",), "wrong-folder",
                  f"the file is in content/entries/{folder}/ but the entry {serves}; "
                  f"move it to content/entries/{folders[0]}/{name}{others}")]


def check_vocabularies(doc: Document, site: SiteConfig) -> list[Diagnostic]:
    """Topics and audiences against site.yaml, on the raw data so they are checked even when
    other fields of the entry are wrong."""
    return [*check_vocab(doc, "topics", site.topics), *check_vocab(doc, "audiences", site.audiences)]


def check_vocab(doc: Document, field: str, vocab: dict[str, str]) -> list[Diagnostic]:
    values = doc.data.get(field)
    if not isinstance(values, list):
        return []
    return [error(doc, (field, i), "vocabulary",
                  f"'{value}' is not in the {field} of site.yaml{did_you_mean(value, list(vocab))}"
                  f"{'' if did_you_mean(value, list(vocab)) else '; propose it in site.yaml first'}")
            for i, value in enumerate(values) if isinstance(value, str) and value not in vocab]


def check_contacts(doc: Document, entry: Entry) -> list[Diagnostic]:
    found = []
    for index, contact in enumerate(entry.contacts):
        at = ("contacts", index)
        if contact.type in DIALLED:
            found += check_number(doc, entry, contact, at)
        if contact.type == "email" and not EMAIL.fullmatch(contact.value or ""):
            found.append(error(doc, at + ("value",), "email", f"'{contact.value}' is not an email address"))
        if isinstance(contact.hours, list) and entry.timezone is None:
            found.append(error(doc, at + ("hours",), "timezone-required",
                               "hours need the service's time zone; add `timezone:` (like Europe/London) to the entry"))
        for dated in ("closed", "open_extra"):
            if getattr(contact, dated) and entry.timezone is None:
                found.append(error(doc, at + (dated,), "timezone-required",
                                   f"`{dated}` dates are days in the service's time zone; add `timezone:` "
                                   f"(like Europe/London) to the entry"))
    return found


def contact_region(entry: Entry, contact: Contact) -> str | None:
    """The country a contact's number is dialled in: its own, or the entry's only country."""
    if contact.country:
        return contact.country
    countries = [c for c in entry.countries if c != "international"]
    return countries[0] if len(countries) == 1 else None


def check_number(doc: Document, entry: Entry, contact: Contact, at: tuple) -> list[Diagnostic]:
    region = contact_region(entry, contact)
    if region is None:
        return [error(doc, at, "contact-country",
                      f"this {contact.type} contact needs `country:` (the entry covers {', '.join(entry.countries)})")]
    number = parse_number(contact.value or "", region)
    if number is None:
        return [error(doc, at + ("value",), "phone",
                      f"'{contact.value}' is not a valid {contact.type} number in {region}; write it as it is "
                      f"dialled there (like \"0800 068 4141\" or \"116 123\"), or set `country:` on the contact")]
    # WhatsApp knows a number only in its international form (wa.me/<E.164 digits>).
    if contact.type == "whatsapp" and not number.international:
        return [error(doc, at + ("value",), "phone",
                      f"'{contact.value}' cannot be dialled from outside {region}, so WhatsApp cannot reach it; "
                      f"write the service's WhatsApp number (a mobile number)")]
    return []


def check_dates(doc: Document, entry: Entry, site: SiteConfig, today: dt.date) -> list[Diagnostic]:
    verified = entry.last_verified
    if verified > today:
        return [error(doc, ("last_verified",), "date-in-future",
                      f"last_verified {verified} is in the future; write the day the facts were checked")]
    due = add_months(verified, site.review_interval_months)
    if due < today:
        line, col = doc.where_field("last_verified")
        return [Diagnostic(doc.rel, line, col, "warning", "stale",
                           f"last verified {verified}, more than {site.review_interval_months} months ago; "
                           f"re-check the facts against the sources and update last_verified")]
    return []


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_slugs(docs: list[Document]) -> list[Diagnostic]:
    """Slugs are file names; they must be unique across every country folder."""
    first: dict[str, Document] = {}
    found = []
    for doc in docs:
        slug = doc.slug
        if not SLUG.fullmatch(slug):
            found.append(Diagnostic(doc.rel, 1, 1, "error", "slug",
                                    f"file name '{slug}' is not a slug; rename it with small letters, digits and hyphens"))
        if slug in first:
            found.append(Diagnostic(doc.rel, 1, 1, "error", "duplicate-slug",
                                    f"slug '{slug}' is also used by {first[slug].rel}; rename one of the files"))
        first.setdefault(slug, doc)
    return found


def check_duplicates(entries: list[Checked]) -> list[Diagnostic]:
    """The same number or website on two entries is usually a copy-paste slip: warn, naming both."""
    seen: dict[str, Document] = {}
    found = []
    for item in entries:
        for key, shown, at in identities(item.entry):
            other = seen.setdefault(key, item.doc)
            if other is not item.doc:
                line, col = item.doc.where(at)
                found.append(Diagnostic(item.doc.rel, line, col, "warning", "duplicate",
                                        f"{shown} is also listed in {other.rel}; "
                                        f"check that these are different services"))
    return found


def identities(entry: Entry) -> list[tuple[str, str, tuple]]:
    """(key, what to show, where) for the website and each number of an entry."""
    found = [(f"web|{entry.website.lower().rstrip('/')}", f"website {entry.website}", ("website",))]
    for index, contact in enumerate(entry.contacts):
        region = contact_region(entry, contact)
        if region and contact.type in DIALLED:
            number = parse_number(contact.value or "", region)
            if number:
                found.append((f"{contact.type}|{number.key}", f"{contact.type} number {contact.value}",
                              ("contacts", index, "value")))
    return found


def error(doc: Document, at: tuple, code: str, message: str) -> Diagnostic:
    line, col = doc.where(at)
    return Diagnostic(doc.rel, line, col, "error", code, message)
