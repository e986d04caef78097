"""The entry contract as data: pydantic models that check each field's type and form.

This is the source of truth for the fields of an entry; `signpost schema` exports it as JSON
Schema. Checks that need other data (the site's vocabularies, the entry's country for a phone
number, other entries) live in validate.py.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import available_timezones

import pycountry
from pydantic import AfterValidator, BeforeValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Kind = Literal["helpline", "textline", "chat", "forum", "initiative", "app", "directory"]
ContactType = Literal["phone", "sms", "whatsapp", "email", "chat", "website", "app", "in-person"]
VALUE_TYPES = {"phone", "sms", "whatsapp", "email"}
URL_TYPES = {"chat", "website", "app"}
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
    if not re.fullmatch(r"[a-z]{2}", value) or pycountry.languages.get(alpha_2=value) is None:
        raise ValueError(f"'{value}' is not an ISO 639-1 language code (two small letters, like en or sn)")
    return value


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone(value: str) -> str:
    if value not in time_zones():
        raise ValueError(f"'{value}' is not an IANA time zone; write one like Europe/London or Africa/Harare")
    return value


def clock_time(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|24:00", value):
        raise ValueError(f"'{value}' is not a time; write it as HH:MM in quotes, like \"09:00\"")
    return value


def day_list(value: str) -> str:
    """Days are `mon-fri`, `sat`, `mon,wed,fri`, `daily` or mixes such as `mon-wed,fri`."""
    if value == "daily":
        return value
    for part in value.split(","):
        ends = part.strip().split("-")
        if len(ends) > 2 or any(day not in DAYS for day in ends):
            raise ValueError(f"'{value}' is not a day range; write days like mon-fri, sat, mon,wed or daily")
    return value


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

    @model_validator(mode="after")
    def has_its_target(self) -> "Contact":
        needed = "value" if self.type in VALUE_TYPES else "url" if self.type in URL_TYPES else "address"
        if getattr(self, needed) is None:
            raise ValueError(f"a {self.type} contact needs `{needed}`")
        if self.keyword is not None and self.type != "sms":
            raise ValueError("`keyword` is only for sms contacts")
        return self


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


class Page(Strict):
    """A content page under content/pages/: front matter, then a Markdown body."""

    title: Text
    summary: str | None = None


class Emergency(Strict):
    numbers: list[Annotated[str, StringConstraints(pattern=r"^[0-9 ]{2,12}$")]] = Field(min_length=1)
    note: str | None = None


class SiteConfig(Strict):
    """site.yaml: the site's settings and vocabularies."""

    title: Text
    description: str = ""
    base_url: HttpsUrl
    language: Language = "en"
    repository: HttpsUrl | None = None
    exit_url: HttpsUrl = "https://www.bbc.co.uk/weather"
    review_interval_months: int = Field(12, ge=1, le=120)
    default_country: Country | None = None
    kinds: dict[Kind, Text]
    topics: dict[Slug, Text] = Field(min_length=1)
    audiences: dict[Slug, Text] = Field(min_length=1)
    emergency: dict[Country, Emergency] = {}


def entry_json_schema(site: SiteConfig | None = None) -> dict:
    """JSON Schema of an entry for editors' YAML tools, with the site's vocabularies as enums."""
    schema = Entry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Signpost entry"
    if site is not None:
        schema["properties"]["topics"]["items"]["enum"] = sorted(site.topics)
        schema["properties"]["audiences"]["items"]["enum"] = sorted(site.audiences)
    return schema
