"""The entry contract as data: pydantic models that check each field's type and form.

This is the source of truth for the fields of an entry; `signpost schema` exports it as JSON
Schema. Checks that need other data (the site's vocabularies, the entry's country for a phone
number, other entries) live in validate.py.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from difflib import get_close_matches
from typing import Annotated, Literal
from zoneinfo import available_timezones

import pycountry
from pydantic import (AfterValidator, BeforeValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo,
                      field_validator, model_validator)

Kind = Literal["helpline", "textline", "chat", "forum", "initiative", "app", "directory"]
ContactType = Literal["phone", "sms", "whatsapp", "email", "chat", "website", "app", "in-person"]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COUNTRY_HINTS = {"UK": "GB", "EN": "GB", "EL": "GR"}


def https_url(value: str) -> str:
    if not re.fullmatch(r"https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", value):
        raise ValueError(f"'{value}' is not an https URL; write it in full, like https://www.example.org/")
    return value


@lru_cache(maxsize=None)
def country_code(value: str) -> str:
    if value in COUNTRY_HINTS:
        raise ValueError(f"'{value}' is not an ISO 3166 country code; write {COUNTRY_HINTS[value]}")
    if not re.fullmatch(r"[A-Z]{2}", value) or pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (two capital letters, like GB or ZW)")
    return value


def entry_country(value: str) -> str:
    return value if value == "international" else country_code(value)


@lru_cache(maxsize=None)
def language_code(value: str) -> str:
    """ISO 639-1, or ISO 639-3 for a language that has no two-letter code (Ndebele has nd, Xhosa
    xh; Scots has only sco)."""
    if re.fullmatch(r"[a-z]{2}", value) and pycountry.languages.get(alpha_2=value) is not None:
        return value
    found = pycountry.languages.get(alpha_3=value) if re.fullmatch(r"[a-z]{3}", value) else None
    if found is not None and not getattr(found, "alpha_2", None):
        return value
    if found is not None:
        raise ValueError(f"'{value}' has a two-letter ISO 639-1 code: write {found.alpha_2}")
    raise ValueError(f"'{value}' is not an ISO 639-1 language code (two small letters, like en or sn), "
                     "nor an ISO 639-3 one for a language without them (three letters, like sco)")


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone(value: str) -> str:
    if value not in time_zones():
        raise ValueError(f"'{value}' is not an IANA time zone; write one like Europe/London or Africa/Harare")
    return value


class Clock(str):
    """A time of day as written ("09:00"), carrying its minutes after midnight (24:00 is 1440)."""

    minutes: int


def clock_time(value: str) -> Clock:
    if re.fullmatch(r"\d:[0-5]\d", value):  # people write 9:00 as often as 09:00
        value = "0" + value
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|24:00", value):
        raise ValueError(f"'{value}' is not a time; write it as HH:MM in quotes, like \"09:00\"")
    clock = Clock(value)
    clock.minutes = int(value[:2]) * 60 + int(value[3:])
    return clock


class Days(str):
    """Days as written ("mon-fri,sun"), carrying the weekdays they name (0 is Monday), sorted,
    and the ranges as written ((0, 4), (6, 6)); a range such as fri-mon is (4, 0)."""

    numbers: tuple[int, ...]
    ranges: tuple[tuple[int, int], ...]


def day_list(value: str) -> Days:
    """Days are `mon-fri`, `sat`, `mon,wed,fri`, `daily` or mixes such as `mon-wed,fri`; a range
    such as fri-mon wraps round the week. The one place a day string is read."""
    ranges = []
    for part in "mon-sun".split(",") if value == "daily" else value.split(","):
        ends = part.strip().split("-")
        if len(ends) > 2 or any(day not in DAYS for day in ends):
            raise ValueError(f"'{value}' is not a day range; write days like mon-fri, sat, mon,wed or daily")
        ranges.append((DAYS.index(ends[0]), DAYS.index(ends[-1])))
    days = Days(value)
    days.ranges = tuple(ranges)
    days.numbers = tuple(sorted({(first + i) % 7 for first, last in ranges for i in range((last - first) % 7 + 1)}))
    return days


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: object) -> dt.date:
    raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD, like 2026-11-01")


HttpsUrl = Annotated[str, AfterValidator(https_url)]
Country = Annotated[str, AfterValidator(country_code)]
Language = Annotated[str, AfterValidator(language_code)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    # Unknown fields are errors: a misspelt field must not vanish silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class HoursRange(Strict):
    """Opening hours on some days; `close` earlier than `open` runs past midnight."""

    days: Annotated[str, AfterValidator(day_list)] = Field(description="mon-fri, sat, mon,wed or daily")
    open: Annotated[str, AfterValidator(clock_time)] = Field(description='"HH:MM" in the service\'s time zone')
    close: Annotated[str, AfterValidator(clock_time)] = Field(description='"HH:MM"; earlier than open means the next day')


Hours = Literal["24/7"] | list[HoursRange]
Date = Annotated[dt.date, BeforeValidator(iso_date)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class Closure(Strict):
    """Days a contact is closed whatever its usual hours (a public holiday, a temporary closure):
    one `date`, or `from` and `to` (both included), midnight to midnight in the service's time zone."""

    date: Date | None = Field(None, description="YYYY-MM-DD: closed all this day")
    from_: Date | None = Field(None, alias="from", description="YYYY-MM-DD: the first day closed")
    to: Date | None = Field(None, description="YYYY-MM-DD: the last day closed")
    label: Label | None = Field(None, description='Why, shown beside the dates, e.g. "Christmas Day"')

    @model_validator(mode="after")
    def one_day_or_a_range(self) -> "Closure":
        if (self.date is None) == (self.from_ is None and self.to is None):
            raise ValueError("a closure is either `date: YYYY-MM-DD` or `from:` and `to:` dates")
        if self.date is None and (self.from_ is None or self.to is None or self.to < self.from_):
            raise ValueError("a closed range needs `from:` and `to:`, with `to` on or after `from`")
        return self

    @property
    def first(self) -> dt.date:
        return self.date or self.from_  # type: ignore[return-value]

    @property
    def last(self) -> dt.date:
        return self.date or self.to  # type: ignore[return-value]


class ExtraOpening(Strict):
    """Hours on one date besides the usual ones: a holiday opening, or shorter hours on a day
    that `closed` lists (an extra opening counts even then)."""

    date: Date = Field(description="YYYY-MM-DD")
    open: Annotated[str, AfterValidator(clock_time)] = Field(description='"HH:MM" in the service\'s time zone')
    close: Annotated[str, AfterValidator(clock_time)] = Field(description='"HH:MM"; earlier than open means the next day')
    label: Label | None = Field(None, description='Why, shown beside the hours, e.g. "Christmas Eve"')


@dataclass(frozen=True)
class Span:
    """Open on `days` (0 is Monday) from `opens` to `closes`, in minutes after midnight in the
    service's time zone. `closes` at or before `opens` runs into the next day (past midnight)."""

    days: tuple[int, ...]
    opens: int
    closes: int
    ranges: tuple[tuple[int, int], ...]  # the days as the editor grouped them, for text

    @property
    def past_midnight(self) -> bool:
        return self.closes <= self.opens


@dataclass(frozen=True)
class OpeningHours:
    """A contact's hours, read once: always open (24/7), or weekly spans. Every output (page text,
    data-hours, JSON-LD, exports) formats from this; closed dates are the contact's own."""

    always: bool
    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, hours: Hours | None) -> "OpeningHours | None":
        if hours is None:
            return None
        if hours == "24/7":
            return cls(True)
        return cls(False, tuple(Span(r.days.numbers, r.open.minutes, r.close.minutes, r.days.ranges) for r in hours))

    def weekly(self) -> list[tuple[int, int, int]]:
        """(weekday, opens, closes) per day of every span, sorted; [] when always open."""
        return sorted((day, span.opens, span.closes) for span in self.spans for day in span.days)


def clock(minutes: int) -> str:
    """Minutes after midnight as HH:MM (1440 is 24:00)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class ContactKind:
    """What a type of contact is: the field that holds it, whether it is a number people dial
    (checked and linked through phones.py), the action a visitor takes, and how it is linked."""

    field: str
    dialled: bool
    action: str
    link: str  # a format with {tel}, {digits}, {value}, {url}, {body}; "" for no link
    noun: str  # what it is, in words ("phone line"): JSON-LD's contactType, exports


CONTACT_KINDS: dict[str, ContactKind] = {
    "phone": ContactKind("value", True, "Call", "tel:{tel}", "phone line"),
    "sms": ContactKind("value", True, "Text", "sms:{tel}{body}", "text line"),
    "whatsapp": ContactKind("value", True, "WhatsApp", "https://wa.me/{digits}", "WhatsApp line"),
    "email": ContactKind("value", False, "Email", "mailto:{value}", "email"),
    "chat": ContactKind("url", False, "Chat online", "{url}", "online chat"),
    "website": ContactKind("url", False, "Website", "{url}", "website"),
    "app": ContactKind("url", False, "App", "{url}", "app"),
    "in-person": ContactKind("address", False, "In person", "", "in-person service"),
}
DIALLED = frozenset(name for name, kind in CONTACT_KINDS.items() if kind.dialled)
VALUE_TYPES = frozenset(name for name, kind in CONTACT_KINDS.items() if kind.field == "value")
URL_TYPES = frozenset(name for name, kind in CONTACT_KINDS.items() if kind.field == "url")


class Contact(Strict):
    """One way to reach a service. Phone, SMS, WhatsApp and email take `value`; chat, website and
    app take `url`; in-person takes `address`."""

    type: ContactType = Field(description="How people reach the service")
    value: Text | None = Field(None, description='Number or address as written locally, e.g. "116 123"')
    url: HttpsUrl | None = Field(None, description="For chat, website and app: the https address")
    address: Text | None = Field(None, description="For in-person: where to go")
    keyword: Text | None = Field(None, description="For sms: the word to text")
    country: Country | None = Field(None, description="Country the number is dialled in; default: the entry's only country")
    hours: Hours | None = Field(None, description='"24/7" or a list of {days, open, close}')
    label: Annotated[str, StringConstraints(max_length=120)] | None = Field(None, description="A short note shown beside the contact")
    closed: list[Closure] = Field([], description="Dates or date ranges it is closed whatever its hours: {date} or {from, to}")
    open_extra: list[ExtraOpening] = Field([], description="Openings on particular dates besides its hours: {date, open, close}")
    languages: list[Language] = Field([], description="Languages this contact answers in, when not all of the entry's")

    @cached_property
    def opening(self) -> OpeningHours | None:
        """The hours as a value object, made on first use and kept."""
        return OpeningHours.of(self.hours)

    @model_validator(mode="after")
    def has_its_target(self) -> "Contact":
        needed = CONTACT_KINDS[self.type].field
        if getattr(self, needed) is None:
            raise ValueError(f"a {self.type} contact needs `{needed}`")
        if self.keyword is not None and self.type != "sms":
            raise ValueError("`keyword` is only for sms contacts")
        return self


class EntryText(Strict):
    """An entry's own words in one more language; what it leaves out is shown from the entry."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] | None = None
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    body: str | None = Field(None, description="The long description in Markdown")


class Entry(Strict):
    """One service in the directory: one file under content/entries/<cc>/<slug>.yaml or .md."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] = Field(
        description="The service's own name, as it writes it")
    kind: Kind = Field(description="What sort of service it is")
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        description="One sentence in plain words, at most 200 characters, no Markdown")
    countries: list[Annotated[str, AfterValidator(entry_country)]] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes, or [international]")
    languages: list[Language] = Field(min_length=1, description="ISO 639-1 codes")
    topics: list[Slug] = Field(min_length=1, description="Keys of the topic vocabulary in site.yaml")
    audiences: list[Slug] = Field(["everyone"], description="Keys of the audience vocabulary in site.yaml")
    cost: Literal["free", "low-cost", "paid"] = Field("free", description="What it costs the person who uses it")
    crisis: bool = Field(False, description="Answers people in crisis now; only these appear in crisis blocks")
    status: Literal["active", "temporarily-closed", "closed"] = Field("active", description="Whether it is running now")
    alert: Annotated[str, StringConstraints(max_length=200)] | None = Field(None, description="A short notice shown prominently")
    contacts: list[Contact] = Field([], description="Required unless kind is initiative")
    timezone: Annotated[str, AfterValidator(time_zone)] | None = Field(None, description="IANA zone; required when any hours are not 24/7")
    website: HttpsUrl = Field(description="The service's home page, https")
    sources: list[HttpsUrl] = Field(min_length=1, description="Where the facts were checked")
    last_verified: Annotated[dt.date, BeforeValidator(iso_date)] = Field(description="YYYY-MM-DD")
    translations: dict[Language, EntryText] = Field({}, description="Name, summary and body in other languages, by language code")


class Page(Strict):
    """A content page under content/pages/: front matter, then a Markdown body."""

    title: Text
    summary: str | None = None


class Emergency(Strict):
    numbers: list[Annotated[str, StringConstraints(pattern=r"^[0-9 ]{2,12}$")]] = Field(min_length=1)
    note: str | None = None


class SearchConfig(Strict):
    """site.yaml `search`: the words people use that the entries' own words do not, reviewed by
    pull request like the vocabularies (issue 13)."""

    synonyms: dict[str, list[Text]] = Field({}, description=(
        "Per topic, audience or kind key, country code (GB) or language code (hi): words and phrases "
        "people type for it, indexed with every entry that has it"))
    crisis_phrases: list[Text] = Field([], description=(
        "Phrases that mark a query as crisis intent, in the site's languages: the visitor's crisis lines come first"))


class SiteConfig(Strict):
    """site.yaml: the site's settings and vocabularies."""

    title: Text
    description: str = ""
    base_url: HttpsUrl
    language: Language = "en"  # the default language, at the site's root
    languages: list[Language] = Field([], description="Every language the site is built in; the others go under /<code>/")
    repository: HttpsUrl | None = None
    exit_url: HttpsUrl = "https://www.bbc.co.uk/weather"
    # Where "Email a correction" on entry pages writes to: reporting needs no forge account.
    report_email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")] | None = None
    review_interval_months: int = Field(12, ge=1, le=120)
    default_country: Country | None = None
    kinds: dict[Kind, Text]
    topics: dict[Slug, Text] = Field(min_length=1)
    audiences: dict[Slug, Text] = Field(min_length=1)
    emergency: dict[Country, Emergency] = {}
    # Vocabulary labels in the other languages, beside the English ones above: {fr: {kinds: {helpline: ...}}}.
    translations: dict[Language, dict[Literal["kinds", "topics", "audiences"], dict[Slug, Text]]] = {}
    data_license: Text | None = Field(None, description="Licence of the data exports, as an SPDX id like CC-BY-4.0")
    search: SearchConfig = SearchConfig()

    @field_validator("search")
    @classmethod
    def synonyms_name_known_keys(cls, search: SearchConfig, info: ValidationInfo) -> SearchConfig:
        """A synonym's key must be a vocabulary key, a country or a language: a typo must not
        leave its words unused in silence."""
        vocab = [*info.data.get("topics", {}), *info.data.get("audiences", {}), *info.data.get("kinds", {})]
        for key in search.synonyms:
            if key in vocab or (key.isupper() and _is_country(key)) or (key.islower() and _is_language(key)):
                continue
            close = get_close_matches(key, vocab, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ValueError(f"synonyms: '{key}' is not a topic, audience or kind key, a country code (GB) "
                             f"or a language code (hi){hint}")
        return search


def _is_country(value: str) -> bool:
    try:
        return bool(country_code(value))
    except ValueError:
        return False


def _is_language(value: str) -> bool:
    try:
        return bool(language_code(value))
    except ValueError:
        return False


def entry_json_schema(site: SiteConfig | None = None) -> dict:
    """JSON Schema of an entry for editors' YAML tools, with the site's vocabularies as enums."""
    schema = Entry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Signpost entry"
    if site is not None:
        schema["properties"]["topics"]["items"]["enum"] = sorted(site.topics)
        schema["properties"]["audiences"]["items"]["enum"] = sorted(site.audiences)
    return schema
