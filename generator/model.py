"""Model: the plain data the templates read, built from validated entries. No I/O."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import groupby
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pycountry

from generator.markdown import render_markdown
from generator.phones import parse_number
from generator.schema import Contact, Entry, HoursRange, SiteConfig
from generator.validate import ValidProject, contact_region

ACTIONS = {"phone": "Call", "sms": "Text", "whatsapp": "WhatsApp", "email": "Email", "chat": "Chat online",
           "website": "Website", "app": "App", "in-person": "In person"}
DAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}
TAXONOMIES = (("kinds", "Kinds of service", "kind"), ("topics", "Topics", "topic"),
              ("audiences", "Who it is for", "audience"), ("countries", "Countries", "country"),
              ("languages", "Languages", "language"))


@dataclass
class ContactView:
    """A contact ready to show: what to do, what to show, and the link that does it."""

    type: str
    action: str
    text: str
    href: str | None
    keyword: str | None
    note: str | None
    hours: str | list[HoursRange] | None
    hours_text: str | None
    # [[weekday 0=Mon, open minute, close minute], ...] for the browser's "open now" badge.
    schedule: list[list[int]] | None = None
    tel: str | None = None  # E.164, for phone-like contacts


@dataclass
class Listing:
    """One entry as the site shows it."""

    slug: str
    entry: Entry
    source: str
    body: str
    contacts: list[ContactView]
    countries: list[tuple[str, str]]
    languages: list[tuple[str, str]]

    @cached_property
    def body_html(self) -> str:
        # Rendered on first use, so it happens where the entry page is rendered (in parallel
        # for large builds), not once up front; kept, as the page reads it twice.
        return render_markdown(self.body)

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def url(self) -> str:
        return f"/entries/{self.slug}/"

    @property
    def jsonld(self) -> dict:
        """schema.org Organization data for search engines and assistive tools."""
        return entry_jsonld(self)


@dataclass
class Term:
    """One value of a taxonomy (the topic 'anxiety', the country 'GB') and its entries."""

    taxonomy: str
    key: str
    label: str
    entries: list[Listing] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/{self.taxonomy}/{self.key.lower()}/"


@dataclass
class Taxonomy:
    name: str
    title: str
    singular: str
    terms: list[Term]


@dataclass
class CountryHelp:
    """What the crisis block shows for one country."""

    code: str
    name: str
    numbers: list[str]
    note: str | None
    crisis_lines: list[Listing]


@dataclass
class PageView:
    slug: str
    title: str
    summary: str | None
    html: str

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


@dataclass
class Site:
    config: SiteConfig
    entries: list[Listing]
    taxonomies: dict[str, Taxonomy]
    countries_help: list[CountryHelp]
    pages: list[PageView]
    updated: dt.date
    a_to_z: list[tuple[str, list[Listing]]]


def build_site(valid: ValidProject, memo: dict[str, Listing] | None = None) -> Site:
    """Turn validated content into the site's model, everything sorted for stable output.

    `memo` (kept by `serve` between rebuilds) reuses the listing of an entry validated to the
    very same Entry object."""
    config = valid.site
    entries = sorted((listing_for(item, memo) for item in valid.entries), key=lambda e: (e.name.casefold(), e.slug))
    taxonomies = make_taxonomies(config, entries)
    pages = sorted((PageView(doc.slug, page.title, page.summary, render_markdown(doc.body))
                    for doc, page in valid.pages), key=lambda p: p.slug)
    updated = max((e.entry.last_verified for e in entries), default=dt.date(2000, 1, 1))
    return Site(config, entries, taxonomies, make_countries_help(config, entries), pages, updated, a_to_z(entries))


def a_to_z(entries: list[Listing]) -> list[tuple[str, list[Listing]]]:
    """Entries (already in name order, ignoring case) grouped by their first letter, as capitals."""
    return [(letter, list(group)) for letter, group in groupby(entries, key=lambda e: e.name[:1].upper())]


def listing_for(item, memo: dict[str, Listing] | None) -> Listing:
    hit = memo.get(item.doc.rel) if memo is not None else None
    if hit is not None and hit.entry is item.entry and hit.body == item.doc.body:
        return hit
    listing = make_listing(item.doc.slug, item.doc.rel, item.doc.body, item.entry)
    if memo is not None:
        memo[item.doc.rel] = listing
    return listing


def make_listing(slug: str, source: str, body: str, entry: Entry) -> Listing:
    contacts = [make_contact(entry, contact) for contact in entry.contacts]
    countries = [(code, country_name(code)) for code in entry.countries]
    languages = [(code, language_name(code)) for code in entry.languages]
    return Listing(slug, entry, source, body, contacts, countries, languages)


def make_contact(entry: Entry, contact: Contact) -> ContactView:
    href, tel, text = None, None, contact.value or contact.url or contact.address or ""
    if contact.type in ("phone", "sms", "whatsapp"):
        number = parse_number(contact.value or "", contact_region(entry, contact) or "")
        tel = number.tel if number else ""
        href = {"phone": f"tel:{tel}", "sms": f"sms:{tel}" + (f"?body={contact.keyword}" if contact.keyword else ""),
                "whatsapp": f"https://wa.me/{tel.lstrip('+')}"}[contact.type]
    elif contact.type == "email":
        href = f"mailto:{contact.value}"
    elif contact.url:
        href = contact.url
        text = contact.url.split("://", 1)[1].rstrip("/")
    return ContactView(contact.type, ACTIONS[contact.type], text, href, contact.keyword, contact.label,
                       contact.hours, hours_text(contact.hours), schedule(contact.hours), tel or None)


def schedule(hours: str | list[HoursRange] | None) -> list[list[int]] | None:
    """Hours as [weekday, open, close] in minutes after midnight, one item per day; None when always
    open or unknown. A close at or before open runs into the next day, which the browser handles."""
    if not isinstance(hours, list):
        return None
    return sorted([day, minutes(r.open), minutes(r.close)] for r in hours for day in day_numbers(r.days))


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def day_numbers(days: str) -> list[int]:
    """`mon-fri,sun` → [0, 1, 2, 3, 4, 6]; a range such as fri-mon wraps round the week."""
    if days == "daily":
        return list(range(7))
    order = list(DAY_NAMES)
    found: list[int] = []
    for part in days.split(","):
        ends = [order.index(d) for d in part.strip().split("-")]
        first, last = ends[0], ends[-1]
        found += [(first + i) % 7 for i in range((last - first) % 7 + 1)]
    return sorted(set(found))


SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CONTACT_TYPES = {"phone": "phone line", "sms": "text line", "whatsapp": "WhatsApp line"}


def entry_jsonld(listing: Listing) -> dict:
    """An Organization with one ContactPoint per phone-like contact (schema.org)."""
    e = listing.entry
    points = [contact_point(listing, c) for c in listing.contacts if c.type in CONTACT_TYPES and c.tel]
    data = {"@context": "https://schema.org", "@type": "Organization", "name": e.name,
            "description": e.summary, "url": e.website}
    if points:
        data["contactPoint"] = points
    return data


def contact_point(listing: Listing, c: ContactView) -> dict:
    e = listing.entry
    point = {"@type": "ContactPoint", "telephone": c.tel,
             "contactType": ("crisis " if e.crisis else "") + CONTACT_TYPES[c.type],
             "areaServed": [code for code in e.countries if code != "international"] or "Worldwide",
             "availableLanguage": list(e.languages)}
    if c.hours == "24/7":
        point["hoursAvailable"] = {"@type": "OpeningHoursSpecification", "dayOfWeek": list(SCHEMA_DAYS),
                                   "opens": "00:00", "closes": "23:59"}
    elif c.schedule:
        point["hoursAvailable"] = [{"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[day],
                                    "opens": clock(start), "closes": clock(end)} for day, start, end in c.schedule]
    return point


def clock(mins: int) -> str:
    return f"{mins // 60:02d}:{mins % 60:02d}"


def hours_text(hours: str | list[HoursRange] | None) -> str | None:
    if hours is None:
        return None
    if hours == "24/7":
        return "24 hours a day, every day"
    return "; ".join(f"{days_text(r.days)} {r.open}–{r.close}" for r in hours)


def days_text(days: str) -> str:
    if days == "daily":
        return "Every day"
    return ", ".join("–".join(DAY_NAMES[d] for d in part.strip().split("-")) for part in days.split(","))


@lru_cache(maxsize=None)
def country_name(code: str) -> str:
    if code == "international":
        return "International"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=None)
def language_name(code: str) -> str:
    return pycountry.languages.get(alpha_2=code).name


def make_taxonomies(config: SiteConfig, entries: list[Listing]) -> dict[str, Taxonomy]:
    """Group entries under every value of each taxonomy; only values with entries get a page."""
    members: dict[str, dict[str, list[Listing]]] = {name: defaultdict(list) for name, _, _ in TAXONOMIES}
    for listing in entries:
        e = listing.entry
        for name, keys in (("kinds", [e.kind]), ("topics", e.topics), ("audiences", e.audiences),
                           ("countries", e.countries), ("languages", e.languages)):
            for key in dict.fromkeys(keys):
                members[name][key].append(listing)
    labels = {"kinds": config.kinds, "topics": config.topics, "audiences": config.audiences,
              "countries": {k: country_name(k) for k in members["countries"]},
              "languages": {k: language_name(k) for k in members["languages"]}}
    return {name: Taxonomy(name, title, singular, sorted(
                (Term(name, key, labels[name].get(key, key), found) for key, found in members[name].items()),
                key=lambda t: (t.label.casefold(), t.key)))
            for name, title, singular in TAXONOMIES}


def make_countries_help(config: SiteConfig, entries: list[Listing]) -> list[CountryHelp]:
    """Emergency numbers and active crisis lines for each country that has either."""
    lines: dict[str, list[Listing]] = defaultdict(list)
    for listing in entries:
        if listing.entry.crisis and listing.entry.status == "active":
            for code in listing.entry.countries:
                lines[code].append(listing)
    codes = sorted((set(config.emergency) | set(lines)) - {"international"})
    return [CountryHelp(code, country_name(code), list(config.emergency[code].numbers) if code in config.emergency else [],
                        config.emergency[code].note if code in config.emergency else None, lines.get(code, []))
            for code in codes]
