"""Model: the plain data the templates read, built from validated entries. No I/O."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import groupby
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pycountry

from generator.markdown import render_markdown
from generator.phones import Number, emergency_tel, parse_number
from generator.schema import CONTACT_KINDS, Contact, clock, Entry, HoursRange, OpeningHours, SiteConfig
from generator.validate import ValidProject, add_months, contact_region

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
    # [[weekday 0=Mon, open minute, close minute], ...] for the browser's "open now" badge.
    schedule: list[list[int]] | None = None
    tel: str | None = None  # the number as linked (phones.py), for dialled contacts
    dialled: bool = False
    opening: OpeningHours | None = None
    # Closures and extra openings from the build's day on, for "open now" and for the page:
    # [[first, last], ...] and [[date, open minute, close minute], ...], dates as YYYY-MM-DD.
    closed: list[list[str]] = field(default_factory=list)
    extra: list[list] = field(default_factory=list)
    # Closures and extra openings as values, worded by each page in its language (i18n.Formats.dates):
    # (first, last, label) and (date, open minute, close minute, label).
    closures: list[tuple] = field(default_factory=list)
    extras: list[tuple] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # when it answers in fewer than the entry's
    only_within: list[str] | None = None  # country codes where the number connects, when it cannot be dialled from abroad


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
    # Past its review date on the build's day: the pages say the details may have changed.
    stale: bool = False
    judged: dt.date | None = None  # the day `stale` and the contacts' dates were judged on

    @cached_property
    def body_html(self) -> str:
        # Rendered on first use, so it happens where the entry page is rendered (in parallel
        # for large builds), not once up front; kept, as the page reads it twice.
        return render_markdown(self.body)

    @property
    def name(self) -> str:
        return self.entry.name

    def text(self, code: str, default: str) -> "EntryWords":
        """The entry's name, summary and body for a page in `code`: its own words in that
        language when it has them, else the entry's (names in the service's own language,
        summaries and bodies in the site's `default` one), with `fallback` saying so."""
        own = self.entry.translations.get(code) if code != default else None
        first = self.entry.languages[0]
        name_lang = None if (own and own.name) or first == code else first
        if own is None:
            return EntryWords(self.entry.name, self.entry.summary, None, code != default, name_lang)
        return EntryWords(own.name or self.entry.name, own.summary or self.entry.summary,
                          own.body, own.summary is None, name_lang)

    @property
    def url(self) -> str:
        return f"/entries/{self.slug}/"

    @property
    def jsonld(self) -> dict:
        """schema.org Organization data for search engines and assistive tools."""
        return entry_jsonld(self)


@dataclass(frozen=True)
class EntryWords:
    name: str
    summary: str
    body: str | None       # Markdown; None: the entry's own body
    fallback: bool         # the summary is not in the page's language
    name_lang: str | None  # the name's language, when not the page's

    @cached_property
    def body_html(self) -> str | None:
        # Rendered only where a page shows it: a search card reads the name and summary alone.
        return render_markdown(self.body) if self.body else None


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
    numbers: list[tuple[str, str]]  # (as written, what the tel: link dials), from site.yaml only
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
    entries = sorted((listing_for(item, memo, valid.today, config.review_interval_months) for item in valid.entries),
                     key=lambda e: (e.name.casefold(), e.slug))
    taxonomies = make_taxonomies(config, entries)
    pages = sorted((PageView(doc.slug, page.title, page.summary, render_markdown(doc.body))
                    for doc, page in valid.pages), key=lambda p: p.slug)
    updated = max((e.entry.last_verified for e in entries), default=dt.date(2000, 1, 1))
    return Site(config, entries, taxonomies, make_countries_help(config, entries), pages, updated, a_to_z(entries))


def a_to_z(entries: list[Listing]) -> list[tuple[str, list[Listing]]]:
    """Entries (already in name order, ignoring case) grouped by their first letter, as capitals."""
    return [(letter, list(group)) for letter, group in groupby(entries, key=lambda e: e.name[:1].upper())]


def listing_for(item, memo: dict[str, Listing] | None, today: dt.date | None = None, months: int = 12) -> Listing:
    hit = memo.get(item.doc.rel) if memo is not None else None
    if hit is not None and hit.entry is item.entry and hit.body == item.doc.body and hit.judged == today:
        return hit
    listing = make_listing(item.doc.slug, item.doc.rel, item.doc.body, item.entry, today, months)
    if memo is not None:
        memo[item.doc.rel] = listing
    return listing


def make_listing(slug: str, source: str, body: str, entry: Entry, today: dt.date | None = None,
                 months: int = 12) -> Listing:
    contacts = [with_dates(make_contact(entry, contact), contact, today) for contact in entry.contacts]
    countries = [(code, country_name(code)) for code in entry.countries]
    languages = [(code, language_name(code)) for code in entry.languages]
    stale = today is not None and add_months(entry.last_verified, months) < today  # validate's `stale` rule
    return Listing(slug, entry, source, body, contacts, countries, languages, stale, today)


def with_dates(view: ContactView, contact: Contact, today: dt.date | None) -> ContactView:
    """The contact's closures and extra openings that are not over on the build's day. A day of
    slack: the visitor's day may still be the day before, somewhere west of the build."""
    since = today - dt.timedelta(days=1) if today else dt.date.min
    closures = sorted((c for c in contact.closed if c.last >= since), key=lambda c: (c.first, c.last))
    extras = sorted((x for x in contact.open_extra if x.date >= since), key=lambda x: (x.date, x.open))
    view.closed = [[c.first.isoformat(), c.last.isoformat()] for c in closures]
    view.extra = [[x.date.isoformat(), x.open.minutes, x.close.minutes] for x in extras]
    view.closures = [(c.first, c.last, c.label) for c in closures]
    view.extras = [(x.date, x.open.minutes, x.close.minutes, x.label) for x in extras]
    return view


def make_contact(entry: Entry, contact: Contact) -> ContactView:
    """The contact as shown, from the table of contact kinds: a dialled number is linked in the
    form phones.py gives (E.164 or as dialled locally), the rest as the table says."""
    kind = CONTACT_KINDS[contact.type]
    text = getattr(contact, kind.field) or ""
    tel, within = None, None
    if kind.dialled:
        number = parse_number(contact.value or "", contact_region(entry, contact) or "")
        tel = number.tel if number else ""
        within = home_countries(entry, contact.value or "", number) if number and not number.international else None
    body = f"?body={contact.keyword}" if contact.keyword else ""
    href = kind.link.format(tel=tel or "", digits=(tel or "").lstrip("+"), value=contact.value, url=contact.url,
                            body=body) or None
    if kind.field == "url":
        text = contact.url.split("://", 1)[1].rstrip("/")
    opening = contact.opening
    return ContactView(contact.type, kind.action, text, href, contact.keyword, contact.label, contact.hours,
                       schedule(opening), tel or None, kind.dialled, opening,
                       only_within=within, languages=list(contact.languages))


def home_countries(entry: Entry, value: str, number: Number) -> list[str]:
    """Where a number that cannot be dialled from abroad connects: its own country, and those of
    the entry's other countries where the same digits are a number too (116 123: UK and Ireland)."""
    return [number.region] + [code for code in entry.countries if code not in ("international", number.region)
                              and (there := parse_number(value, code)) and there.tel == number.tel]


def schedule(opening: OpeningHours | None) -> list[list[int]] | None:
    """Hours as [weekday, open, close] in minutes after midnight, one item per day; None when always
    open or unknown. A close at or before open runs into the next day, which the browser handles."""
    if opening is None or opening.always:
        return None
    return [list(day) for day in opening.weekly()]


SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def entry_jsonld(listing: Listing) -> dict:
    """An Organization with one ContactPoint per phone-like contact (schema.org)."""
    e = listing.entry
    points = [contact_point(listing, c) for c in listing.contacts if c.dialled and c.tel]
    data = {"@context": "https://schema.org", "@type": "Organization", "name": e.name,
            "description": e.summary, "url": e.website}
    if points:
        data["contactPoint"] = points
    return data


def contact_point(listing: Listing, c: ContactView) -> dict:
    e = listing.entry
    point = {"@type": "ContactPoint", "telephone": c.tel,
             "contactType": ("crisis " if e.crisis else "") + CONTACT_KINDS[c.type].noun,
             "areaServed": [code for code in e.countries if code != "international"] or "Worldwide",
             "availableLanguage": list(e.languages)}
    if c.opening and c.opening.always:
        point["hoursAvailable"] = {"@type": "OpeningHoursSpecification", "dayOfWeek": list(SCHEMA_DAYS),
                                   "opens": "00:00", "closes": "23:59"}
    elif c.schedule:
        point["hoursAvailable"] = [{"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[day],
                                    "opens": clock(start), "closes": clock(end)} for day, start, end in c.schedule]
    return point


@lru_cache(maxsize=None)
def country_name(code: str) -> str:
    if code == "international":
        return "International"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=None)
def language_name(code: str) -> str:
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return found.name


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
    """Emergency numbers and active crisis lines for each country that has an entry or a number.

    A country with entries but no checked emergency number (Zimbabwe in the sample) is listed
    too, with no numbers: the crisis block says so and points to the international lines."""
    lines: dict[str, list[Listing]] = defaultdict(list)
    for listing in entries:
        for code in listing.entry.countries:
            if listing.entry.crisis and listing.entry.status == "active":
                lines[code].append(listing)
            lines.setdefault(code, [])
    codes = sorted(set(config.emergency) | set(lines))
    return [CountryHelp(code, country_name(code), emergency_numbers(config, code),
                        config.emergency[code].note if code in config.emergency else None, lines.get(code, []))
            for code in codes]


def emergency_numbers(config: SiteConfig, code: str) -> list[tuple[str, str]]:
    if code == "international" or code not in config.emergency:
        return []
    return [(number, emergency_tel(number, code)) for number in config.emergency[code].numbers]
