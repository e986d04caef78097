"""Import: entry files from another directory's data, HSDS 3.0 JSON or our own CSV tables.

Each record becomes content/entries/<cc>/<slug>.yaml (or .md when it has a longer description).
What our schema needs and the source lacks (sources, last_verified, often kind and topics) is
written TODO, which `signpost check` reports with what to write, as for `signpost new`. An entry
that exists is never overwritten: its record is skipped and said so. Records that do not match
HSDS stop the import before anything is written, each named by file and JSON pointer.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SignpostError, UsageError
from generator.hsds import STATUS, COSTS
from generator.hsds_schema import pointer, validator
from generator.loader import entry_files, load_document
from generator.scaffold import HINTS, SCHEMA_HINT, TODO, folder_for, quoted, slugify
from generator.schema import DAYS, SiteConfig

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LAST_MINUTE = 23 * 60 + 59
FIELD_ORDER = ("name", "kind", "summary", "countries", "languages", "topics", "audiences", "cost", "crisis",
               "status", "alert", "contacts", "timezone", "website", "sources", "last_verified")
LISTS = {"countries", "languages", "topics", "audiences", "sources"}
PHONE_CHANNELS = {"voice": "phone", "text": "sms", "cell": "phone"}


@dataclass
class Imported:
    """One record, as entry fields (TODO where the source has nothing), and where it came from."""

    origin: str
    fields: dict
    body: str = ""
    notes: dict[str, str] = field(default_factory=dict)  # field → why it is TODO

    given_slug: str = ""

    @property
    def slug(self) -> str:
        return self.given_slug or slugify(self.fields["name"])


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    todos: int = 0


class ImportProblems(SignpostError):
    """Source records that do not match the format: nothing was written."""

    def __init__(self, problems: list[str]):
        shown = "\n".join(problems[:50]) + (f"\n… and {len(problems) - 50} more" if len(problems) > 50 else "")
        super().__init__(f"{shown}\n{len(problems)} problem{'s' * (len(problems) != 1)} in the source; nothing was written")


# --- HSDS ----------------------------------------------------------------------------------


def hsds_records(path: Path) -> list[tuple[str, dict]]:
    """(file#pointer, service) for every service in a file or a publication's folder: a folder's
    services/*.json, else its services.json page; a file holding one service, a list, or a Page."""
    if path.is_dir():
        files = sorted((path / "services").glob("*.json")) or [path / "services.json"]
    else:
        files = [path]
    found = []
    for file in files:
        if not file.is_file():
            raise UsageError(f"{path} holds no HSDS services (services/*.json or services.json)")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ImportProblems([f"{file}: not readable as JSON ({exc})"]) from None
        items = data.get("contents") if isinstance(data, dict) and "contents" in data else data
        where = "/contents" if items is not data else ""
        if isinstance(items, list):
            found += [(f"{file}#{where}/{n}", item) for n, item in enumerate(items)]
        else:
            found.append((f"{file}#{where}", items))
    return found


def check_hsds(records: list[tuple[str, dict]]) -> list[str]:
    """Every way each record does not match HSDS 3.0's service schema, as file#pointer: message."""
    problems = []
    check = validator("service.json")
    for origin, record in records:
        for error in sorted(check.iter_errors(record), key=lambda e: list(map(str, e.absolute_path))):
            problems.append(f"{origin}{pointer(error.absolute_path)}: {error.message}")
    return problems


def from_hsds(origin: str, s: dict, config: SiteConfig) -> Imported:
    terms = attribute_codes(s)
    description = (s.get("description") or "").strip()
    summary, _, body = description.partition("\n\n")
    fields: dict = {"name": s["name"].strip()}
    kinds = [code for code in terms.get("kinds", []) if code in config.kinds]
    fields["kind"] = kinds[0] if kinds else TODO
    fields["summary"] = summary.strip()[:200] or TODO
    fields["countries"] = countries_of(s) or [TODO]
    fields["languages"] = [lang["code"] for lang in s.get("languages", []) if re.fullmatch(r"[a-z]{2}", lang.get("code", ""))] or [TODO]
    fields["topics"] = [code for code in terms.get("topics", []) if code in config.topics] or [TODO]
    audiences = [code for code in terms.get("audiences", []) if code in config.audiences]
    if audiences and audiences != ["everyone"]:
        fields["audiences"] = audiences
    cost = {label: key for key, label in COSTS.items()}.get(s.get("fees_description", ""))
    if cost and cost != "free":
        fields["cost"] = cost
    if "crisis" in terms.get("flags", []):
        fields["crisis"] = True
    status = {value: key for key, value in STATUS.items()}.get(s.get("status"), "closed" if s.get("status") == "inactive" else None)
    if status and status != "active":
        fields["status"] = status
    if s.get("alert"):
        fields["alert"] = s["alert"]
    contacts, zone = hsds_contacts(s)
    if contacts:
        fields["contacts"] = contacts
    if zone:
        fields["timezone"] = zone
    elif any(isinstance(c.get("hours"), list) for c in contacts):
        fields["timezone"] = TODO
    fields["website"] = s.get("url") or (s.get("organization") or {}).get("website") or TODO
    fields["sources"] = list(s.get("x-signpost-sources") or []) or [TODO]
    fields["last_verified"] = s.get("assured_date") or TODO
    return Imported(origin, fields, body.strip())


def attribute_codes(s: dict) -> dict[str, list[str]]:
    """Attribute term codes by taxonomy ("Signpost topics" → "topics")."""
    found: dict[str, list[str]] = {}
    for attribute in s.get("attributes", []):
        term = attribute.get("taxonomy_term") or {}
        name = (term.get("taxonomy") or attribute.get("link_type") or "").removeprefix("Signpost ")
        if term.get("code"):
            found.setdefault(name, []).append(term["code"])
    return found


def countries_of(s: dict) -> list[str]:
    found = []
    for area in s.get("service_areas", []):
        extent = area.get("extent") or ""
        if area.get("extent_type") == "text" and re.fullmatch(r"[A-Z]{2}", extent):
            found.append(extent)
        elif (area.get("name") or "").casefold() == "international":
            found.append("international")
    return found


def hsds_contacts(s: dict) -> tuple[list[dict], str | None]:
    """The service's contacts in their original order (x-signpost-position when there is one),
    and the IANA zone of their hours."""
    found: list[tuple[int, dict]] = []
    zone = None
    for n, phone in enumerate(s.get("phones", [])):
        found.append((phone.get("x-signpost-position", 1000 + n), labelled(phone_contact(phone), phone)))
    emails = [c for c in s.get("contacts", []) if c.get("email")]
    if s.get("email") and s["email"] not in [c["email"] for c in emails]:
        emails.insert(0, {"email": s["email"]})
    for n, c in enumerate(emails):
        found.append((c.get("x-signpost-position", 2000 + n), labelled({"type": "email", "value": c["email"]}, c)))
    for n, link in enumerate(s.get("service_at_locations", [])):
        contact = location_contact(link)
        if contact is None:
            continue
        schedules = link.get("schedules") or []
        if schedules:
            contact["hours"] = hours_of(schedules)
            zone = zone or next((x["x-signpost-timezone"] for x in schedules if x.get("x-signpost-timezone")), None)
        found.append((link.get("x-signpost-position", 3000 + n), labelled(contact, link)))
    return [contact for _, contact in sorted(found, key=lambda pair: pair[0])], zone


def labelled(contact: dict, source: dict) -> dict:
    if source.get("x-signpost-dial-country") and "country" not in contact:
        contact["country"] = source["x-signpost-dial-country"]
    if source.get("x-signpost-label"):
        contact["label"] = source["x-signpost-label"]
    for key, name in (("x-signpost-closed", "closed"), ("x-signpost-open-extra", "open_extra")):
        if source.get(key):
            contact[name] = source[key]
    return contact


def phone_contact(phone: dict) -> dict:
    kind = phone.get("x-signpost-channel") or PHONE_CHANNELS.get(phone.get("type", "voice"), "phone")
    if "whatsapp" in (phone.get("description") or "").casefold():
        kind = "whatsapp"
    contact = {"type": kind, "value": phone["number"]}
    if phone.get("x-signpost-keyword"):
        contact["keyword"] = phone["x-signpost-keyword"]
    if phone.get("x-signpost-dial-country"):
        contact["country"] = phone["x-signpost-dial-country"]
    return contact


def location_contact(link: dict) -> dict | None:
    location = link.get("location") or {}
    channel = link.get("x-signpost-channel")
    if link.get("phones"):
        return phone_contact({**link["phones"][0], "x-signpost-channel": channel or link["phones"][0].get("x-signpost-channel")})
    if location.get("location_type") == "physical":
        address = location.get("description") or location.get("name")
        return {"type": "in-person", "address": address} if address else None
    url = location.get("url") or ""
    if url.startswith("https://"):
        return {"type": channel if channel in ("chat", "website", "app") else "website", "url": url}
    return None


def hours_of(schedules: list[dict]) -> str | list[dict]:
    """Schedules back into hours: "24/7", or ranges, the halves of a range split at midnight
    joined again. Only the first validity period counts: the others repeat it at another offset.
    One-off schedules (`count` 1: extra openings) are not weekly hours."""
    schedules = [x for x in schedules if x.get("count") != 1]
    first = min((x.get("valid_from") or "" for x in schedules), default="")
    rules = [(days_of(x["byday"]), minutes_of(x["opens_at"]), minutes_of(x["closes_at"]))
             for x in schedules if (x.get("valid_from") or "") == first and x.get("byday") and x.get("opens_at")
             and x.get("closes_at")]
    if any(days == tuple(range(7)) and opens == 0 and closes >= LAST_MINUTE for days, opens, closes in rules):
        return "24/7"
    partners, used = {}, set()
    for i, (days, _, closes) in enumerate(rules):
        if closes >= LAST_MINUTE:
            j = next((j for j, (later, opens, ends) in enumerate(rules) if j != i and j not in used and opens == 0
                      and ends < LAST_MINUTE and later == shifted(days)), None)
            if j is not None:
                partners[i] = j
                used.add(j)
    ranges = []
    for i, (days, opens, closes) in enumerate(rules):
        if i in used:
            continue
        closes = rules[partners[i]][2] if i in partners else 24 * 60 if closes >= LAST_MINUTE else closes
        ranges.append(day_range(days, opens, closes))
    return ranges


def shifted(days: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted((d + 1) % 7 for d in days))


def days_of(byday: str) -> tuple[int, ...]:
    return tuple(sorted(BYDAY.index(code.strip()[-2:]) for code in byday.split(",") if code.strip()[-2:] in BYDAY))


def minutes_of(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:5])


def day_range(days: tuple[int, ...], opens: int, closes: int) -> dict:
    return {"days": day_text(days), "open": f"{opens // 60:02d}:{opens % 60:02d}",
            "close": f"{closes // 60:02d}:{closes % 60:02d}"}


def day_text(days: tuple[int, ...]) -> str:
    """Weekday numbers as an editor writes them: (0, 1, 2, 3, 4, 6) → "mon-fri,sun"."""
    if len(days) == 7:
        return "daily"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ",".join(DAYS[a] + (f"-{DAYS[b]}" if b != a else "") for a, b in runs)


# --- CSV -----------------------------------------------------------------------------------


def csv_records(path: Path) -> tuple[list[tuple[str, dict]], dict[str, list[tuple[str, dict]]]]:
    """Rows of entries.csv (file:line, row) and of contacts.csv beside it, by slug."""
    entries = path / "entries.csv" if path.is_dir() else path
    contacts = entries.with_name("contacts.csv")
    rows = read_csv(entries, required=("name",))
    by_slug: dict[str, list[tuple[str, dict]]] = {}
    if contacts.is_file():
        for origin, row in read_csv(contacts, required=("slug", "type")):
            by_slug.setdefault(row["slug"], []).append((origin, row))
    return rows, by_slug


def read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[str, dict]]:
    if not path.is_file():
        raise UsageError(f"{path} is not a file; give entries.csv or the folder that holds it")
    line = 1  # where the record being read begins: a record may span lines
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            # strict: a quote left open is an error, not a field that swallows every row after it
            reader = csv.DictReader(stream, strict=True)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                raise ImportProblems([f"{path}:1: the header row lacks {', '.join(missing)}"])
            rows, line = [], reader.line_num + 1
            for row in reader:
                rows.append((f"{path}:{line}", row))
                line = reader.line_num + 1
            return rows
    except csv.Error as exc:
        raise ImportProblems([f"{path}:{line}: not readable as CSV ({exc}); a field that holds a quote, comma or "
                              f"line break must be quoted whole, its quotes doubled: \"say \"\"hello\"\"\""]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblems([f"{path}: not readable as UTF-8 CSV ({exc})"]) from None


def from_csv(origin: str, row: dict, contacts: list[tuple[str, dict]], config: SiteConfig) -> tuple[Imported, list[str]]:
    problems = []
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    fields: dict = {"name": get("name")}
    for name in ("kind", "summary"):
        fields[name] = get(name) or TODO
    for name in ("countries", "languages", "topics"):
        fields[name] = split(get(name)) or [TODO]
    if split(get("audiences")) not in ([], ["everyone"]):
        fields["audiences"] = split(get("audiences"))
    for name, default in (("cost", "free"), ("status", "active")):
        if get(name) and get(name) != default:
            fields[name] = get(name)
    if get("crisis").lower() in ("true", "yes", "1"):
        fields["crisis"] = True
    if get("alert"):
        fields["alert"] = get("alert")
    items = []
    for where, c in sorted(contacts, key=lambda pair: int(pair[1].get("position") or 0)):
        item = {key: c[key].strip() for key in ("type", "value", "url", "address", "keyword", "country", "label")
                if (c.get(key) or "").strip()}
        if (c.get("hours") or "").strip():
            hours = parse_hours(c["hours"].strip())
            if hours is None:
                problems.append(f"{where}: hours '{c['hours']}' are not 24/7 or ranges like 'mon-fri 09:00-17:00'")
            else:
                item["hours"] = hours
        for key in DATED:
            if (c.get(key) or "").strip():
                dated = parse_dated(key, c[key].strip())
                if dated is None:
                    problems.append(f"{where}: {key} '{c[key]}' is not {DATED[key][2]}")
                else:
                    item[key] = dated
        items.append(item)
    if items:
        fields["contacts"] = items
    if get("timezone"):
        fields["timezone"] = get("timezone")
    elif any(isinstance(c.get("hours"), list) for c in items):
        fields["timezone"] = TODO
    fields["website"] = get("website") or TODO
    fields["sources"] = split(get("sources")) or [TODO]
    fields["last_verified"] = get("last_verified") or TODO
    if not fields["name"]:
        problems.append(f"{origin}: the row has no name")
    slug = get("slug") if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", get("slug")) else ""
    return Imported(origin, fields, (row.get("body") or "").strip(), given_slug=slug), problems


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_hours(text: str) -> str | list[dict] | None:
    if text == "24/7":
        return text
    ranges = []
    for part in split(text):
        found = re.fullmatch(r"(\S+)\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)", part)
        if not found:
            return None
        ranges.append({"days": found[1], "open": found[2], "close": found[3]})
    return ranges


DATE = r"\d{4}-\d\d-\d\d"
# contacts.csv's dated columns: (the pattern of one item before its label, the item it gives, the
# form said when a cell does not match).
DATED = {
    "closed": (rf"({DATE})(?:/({DATE}))?", lambda m: {"date": m[1]} if m[2] is None else {"from": m[1], "to": m[2]},
               "dates like '2026-12-25 Christmas Day' or '2027-01-01/2027-01-03' joined by ';'"),
    "open_extra": (rf"({DATE})\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)", lambda m: {"date": m[1], "open": m[2], "close": m[3]},
                   "openings like '2026-12-24 10:00-14:00 Christmas Eve' joined by ';'"),
}


def parse_dated(column: str, text: str) -> list[dict] | None:
    """A `closed` or `open_extra` cell as entry items, None when an item does not match. Items
    are split at each ';' that a date follows, so that a label may hold a ';' of its own."""
    pattern, item, _ = DATED[column]
    found = []
    for part in filter(None, (p.strip() for p in re.split(rf";\s*(?={DATE})", text))):
        match = re.fullmatch(pattern + r"(?:\s+(?P<label>.+))?", part)
        if not match:
            return None
        found.append(item(match) | ({"label": match["label"].strip()} if match["label"] else {}))
    return found


# --- writing -------------------------------------------------------------------------------


def entry_text(item: Imported) -> str:
    """The entry file: fields in the usual order, JSON flow values (valid YAML) for contacts,
    and a TODO comment with what to write above each value the source did not have."""
    lines = [SCHEMA_HINT, f"# Imported from {item.origin}"]
    for name in FIELD_ORDER:
        if name not in item.fields:
            continue
        value = item.fields[name]
        if value == TODO or value == [TODO]:
            lines.append(f"# TODO: the source has no {name}; write {HINTS.get(name, 'the real value')}.")
        lines += yaml_lines(name, value)
    text = "\n".join(lines) + "\n"
    return f"---\n{text}---\n{item.body}\n" if item.body else text


def yaml_lines(name: str, value) -> list[str]:
    if name == "contacts":
        return ["contacts:"] + [f"  - {json.dumps(contact, ensure_ascii=False)}" for contact in value]
    if isinstance(value, list):
        return [f"{name}: [{', '.join(v if name != 'sources' else quoted(v) for v in value)}]"]
    if isinstance(value, bool):
        return [f"{name}: {'true' if value else 'false'}"]
    if value == TODO or name in ("kind", "cost", "status", "last_verified", "timezone", "website"):
        return [f"{name}: {value}"]
    return [f"{name}: {quoted(value)}"]


def write_entries(root: Path, items: list[Imported]) -> ImportReport:
    report = ImportReport()
    taken = {path.stem: path for path in entry_files(root)}
    for item in items:
        slug = item.slug
        if not slug:
            report.skipped.append(f"{item.origin}: the name gives no file name")
            continue
        if slug in taken:
            report.skipped.append(f"{item.origin}: {taken[slug].relative_to(root).as_posix()} exists; left as it is")
            continue
        countries = [c for c in item.fields["countries"] if c != TODO]
        folder = folder_for(countries[0]) if countries else "intl"
        path = root / "content" / "entries" / folder / f"{slug}{'.md' if item.body else '.yaml'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
            stream.write(entry_text(item))
        taken[slug] = path
        report.written.append(path)
        report.todos += sum(value == TODO or value == [TODO] for value in item.fields.values())
    return report


def site_config(root: Path) -> SiteConfig:
    try:
        return SiteConfig.model_validate(load_document(root / "site.yaml", root).data)
    except Exception:  # noqa: BLE001 - said plainly below
        raise SignpostError(f"{root / 'site.yaml'} has errors; run `signpost check {root}` and fix them first") from None


def import_hsds(root: Path, source: Path) -> ImportReport:
    """`signpost import hsds`: every service of an HSDS 3.0 file or publication folder."""
    config = site_config(root)
    records = hsds_records(source)
    problems = check_hsds(records)
    if problems:
        raise ImportProblems(problems)
    return write_entries(root, [from_hsds(origin, record, config) for origin, record in records])


def import_csv(root: Path, source: Path) -> ImportReport:
    """`signpost import csv`: entries.csv (with contacts.csv beside it) in our export's columns."""
    config = site_config(root)
    rows, contacts = csv_records(source)
    items, problems = [], []
    for origin, row in rows:
        item, found = from_csv(origin, row, contacts.get((row.get("slug") or "").strip(), []), config)
        items.append(item)
        problems += found
    if problems:
        raise ImportProblems(problems)
    return write_entries(root, items)
