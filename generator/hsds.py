"""HSDS: the directory as an Open Referral HSDS 3.0 JSON publication under data/hsds/.

The read-only shape of the API's required endpoints (`/`, `/services`, `/services/{id}`), as
../shared/hsds-3.0/MAPPING.md recommends; docs/data.md is the profile that documents the
choices and extensions below. Validated against the official schemas in tests/test_hsds.py.
- Ids are uuid5 of a name in a namespace made from the site's base_url, so they stay the same
  from build to build ("service/<slug>", "phone/<slug>/<n>", ...).
- Hours hang off contacts, and HSDS schedules cannot hang off a phone: each contact with hours
  becomes a service_at_location with a virtual location (its link), its phone and schedules.
  Contacts without hours are service.phones (dialled), service.email / contacts (email) or
  locations without schedules.
- A range past midnight is split at midnight (mon-fri 19:00–02:00 is MO..FR 19:00–23:59 plus
  TU..SA 00:00–02:00); each range is its own schedule (split shifts); 24/7 is every day
  00:00–23:59. HSDS knows only UTC offsets, so each weekly rule is split where its zone's offset
  changes over the review interval (valid_from / valid_to), and the IANA zone is kept in
  `x-signpost-timezone`.
- Closures and extra openings: HSDS has no closed dates, so each weekly schedule's `notes` says
  those still to come in words, as the English pages do, and `x-signpost-closed` carries them all
  as the entry has them; each extra opening is
  also a one-off schedule (`dtstart` = `valid_from` = `valid_to` = its date, `count` 1) and is
  kept in `x-signpost-open-extra`.
- Kind, topics, audiences and crisis are attributes under Signpost's taxonomies, published in
  data/hsds/taxonomies.json; `x-signpost-sources` lists where the facts were checked.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from functools import lru_cache
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

import orjson

from generator.i18n import Formats
from generator.model import Listing, Site
from generator.schema import CONTACT_KINDS, OpeningHours, Span, clock

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STATUS = {"active": "active", "temporarily-closed": "temporarily closed", "closed": "defunct"}
COSTS = {"free": "Free", "low-cost": "Low cost", "paid": "Paid"}
PHONE_TYPES = {"phone": "voice", "sms": "text", "whatsapp": "cell"}
TAXONOMIES = {  # name → (vocabulary in site.yaml, description)
    "kinds": "What sort of service it is (Signpost's `kind`)",
    "topics": "What the service helps with (Signpost's `topics`)",
    "audiences": "Who the service is for (Signpost's `audiences`)",
    "flags": "Facts about the service: `crisis` answers people in crisis now",
}
LAST_MINUTE = 23 * 60 + 59
ENGLISH = Formats("en", lambda message: message)  # the words of HSDS's free-text fields


@lru_cache(maxsize=4)
def namespace(base_url: str):
    """SHA-1 fed with the site's uuid5 namespace, to be copied for each id."""
    return hashlib.sha1(uuid.uuid5(uuid.NAMESPACE_URL, base_url).bytes)


def make_id(site: Site, name: str) -> str:
    """uuid5 of `name` ("phone/<slug>/<n>") in the site's namespace (see id_maker)."""
    return id_maker(site.config.base_url)(name)


def id_maker(base_url: str) -> Callable[[str], str]:
    """uuid5 of a name in the site's namespace, as uuid.uuid5 makes it, without its objects: a
    10,000-entry export makes 140,000 ids, and uuid.uuid5 took 2 s of it. Names are given whole,
    not as parts to join (0.20 → 0.13 s), and the namespace is found once per export, not once
    per id (0.11 s)."""
    copy = namespace(base_url).copy

    def new_id(name: str) -> str:
        digest = copy()
        digest.update(name.encode())
        h = digest.hexdigest()
        return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
    return new_id


VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}  # RFC 4122's variant bits


def hsds_files(site: Site, memo: dict | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file of the publication, as (output path, bytes), one service at a time, so a build
    never holds them all (85 MB at 10,000 entries).

    `memo` (serve keeps one between rebuilds) holds each listing's service file while the listing
    is the very same object and the site's settings and date are the same: an edit then makes
    one service again, not 10,000 (two seconds)."""
    key = (site.config, site.updated)
    old = memo if memo is not None and memo.get("site") == key else {}
    made: dict = {"site": key}
    maker: Maker | None = None
    flats = []
    for listing in sorted(site.entries, key=lambda l: l.slug):
        hit = old.get(id(listing))
        if hit is None or hit[0] is not listing:
            maker = maker or Maker(site)
            flat, nested = service(maker, listing)
            hit = (listing, f"data/hsds/services/{flat['id']}.json", dumps(nested), flat)
        if memo is not None:
            made[id(listing)] = hit
        flats.append(hit[3])
        yield hit[1], hit[2]
    if memo is not None:
        memo.clear()
        memo.update(made)
    yield "data/hsds/services.json", dumps(page(flats))
    yield "data/hsds/index.json", dumps({"version": HSDS_VERSION, "profile": profile_url(site), "openapi_url": OPENAPI_URL})
    yield "data/hsds/taxonomies.json", dumps(taxonomies(site))


def dumps(value) -> bytes:
    """Compact UTF-8 JSON and a newline, by orjson: the same bytes as json.dumps(value,
    ensure_ascii=False, separators=(",", ":")), made in 0.12 s instead of 0.40 s for the 10,000
    service files of a 10,000-entry export (indented, with json, it had been 2.6 s)."""
    return orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE)


def profile_url(site: Site) -> str:
    """Where the profile (docs/data.md) is read: in the repository when there is one."""
    repo = site.config.repository
    return f"{repo.rstrip('/')}/blob/main/docs/data.md" if repo else site.config.base_url + "data/"


def page(flat: list[dict]) -> dict:
    """The /services response: one Page of every service's one-to-one fields."""
    return {"total_items": len(flat), "total_pages": 1, "page_number": 1, "size": len(flat),
            "first_page": True, "last_page": True, "empty": not flat, "contents": flat}


class Maker:
    """What every service of one export shares: the site, its id maker, and each taxonomy term
    (made once, nested by every attribute that uses it)."""

    def __init__(self, site: Site):
        self.site = site
        self.new_id = id_maker(site.config.base_url)
        self.terms = nested_terms(site)


def service(maker: Maker, listing: Listing) -> tuple[dict, dict]:
    """One service: its one-to-one fields (an item of /services) and the whole of it, fully
    nested (the /services/{id} response), which begins with the same fields."""
    e, slug, new_id = listing.entry, listing.slug, maker.new_id
    sid, org = new_id(f"service/{slug}"), new_id(f"organization/{slug}")
    body = listing.body.strip()
    flat = {"id": sid, "organization_id": org, "name": e.name, "description": f"{e.summary}\n\n{body}" if body else e.summary,
            "url": e.website, "status": STATUS[e.status], "fees_description": COSTS[e.cost],
            "eligibility_description": ", ".join([maker.site.config.audiences[a] for a in e.audiences]),
            "assured_date": e.last_verified.isoformat()}
    contacts = e.contacts
    emails = [(n, c) for n, c in enumerate(contacts) if c.type == "email"]
    if emails:
        flat["email"] = emails[0][1].value  # and every email address under contacts, where its position is kept
    if e.alert:
        flat["alert"] = e.alert
    data = dict(flat)
    data["organization"] = {"id": org, "name": e.name, "description": e.summary, "website": e.website}
    phones, channels = [], []
    for n, c in enumerate(contacts):
        kind = CONTACT_KINDS[c.type]
        if c.opening is not None or kind.field in ("url", "address"):
            channels.append(channel(maker, listing, n, sid))
        elif kind.dialled:
            phones.append(phone(maker, slug, n, c, listing))
    data["phones"] = phones
    data["contacts"] = [{"id": new_id(f"contact/{slug}/{n}"), "service_id": sid, "email": c.value, **extensions(c, n)}
                        for n, c in emails]
    data["service_at_locations"] = channels
    data["languages"] = [{"id": new_id(f"language/{slug}/{code}"), "service_id": sid, "code": code, "name": name}
                         for code, name in listing.languages]
    data["service_areas"] = [service_area(new_id, slug, sid, code, name) for code, name in listing.countries]
    data["attributes"] = attributes(maker, listing, sid)
    data["x-signpost-sources"] = list(e.sources)
    return flat, data


def phone(maker: Maker, slug: str, n: int, contact, listing: Listing) -> dict:
    """A dialled contact as an HSDS phone: the number as dialled locally (short codes have no
    E.164 form that works from abroad), the E.164 form in an extension only when there is one."""
    view = listing.contacts[n]
    data = {"id": maker.new_id(f"phone/{slug}/{n}"), "number": contact.value, "type": PHONE_TYPES[contact.type]}
    notes = [f"Text {contact.keyword} to {contact.value}"] if contact.keyword else []
    notes += ["WhatsApp"] * (contact.type == "whatsapp") + ([contact.label] if contact.label else [])
    if notes:
        data["description"] = "; ".join(notes)
    if contact.keyword:
        data["x-signpost-keyword"] = contact.keyword
    if view.tel and view.tel.startswith("+"):
        data["x-signpost-e164"] = view.tel
    return data | extensions(contact, n)


def extensions(contact, n: int) -> dict:
    """What HSDS has no field for, so that an import gives the contact back as it was."""
    found = {"x-signpost-channel": contact.type, "x-signpost-position": n}
    if contact.country:
        found["x-signpost-dial-country"] = contact.country
    if contact.label:
        found["x-signpost-label"] = contact.label
    if contact.closed:
        found["x-signpost-closed"] = [c.model_dump(mode="json", by_alias=True, exclude_none=True)
                                      for c in contact.closed]
    if contact.open_extra:
        found["x-signpost-open-extra"] = [x.model_dump(mode="json", exclude_none=True) for x in contact.open_extra]
    return found


def channel(maker: Maker, listing: Listing, n: int, sid: str) -> dict:
    """A contact as a service_at_location: a virtual location (its link) or a physical one (its
    address), with its phone and its schedules."""
    contact, view, slug, new_id = listing.entry.contacts[n], listing.contacts[n], listing.slug, maker.new_id
    lid = new_id(f"location/{slug}/{n}")
    if contact.type == "in-person":
        location = {"id": lid, "location_type": "physical", "name": contact.label or listing.name,
                    "description": contact.address}
    else:
        location = {"id": lid, "location_type": "virtual", "name": f"{view.action}: {view.text}"}
        if view.href:
            location["url"] = view.href
    link = {"id": new_id(f"service_at_location/{slug}/{n}"), "service_id": sid, "location_id": lid,
            "location": location, **extensions(contact, n)}
    if CONTACT_KINDS[contact.type].dialled:
        link["phones"] = [phone(maker, slug, n, contact, listing)]
    if contact.opening is not None:
        link["schedules"] = schedules(maker, listing, n, contact.opening, link["id"])
    return link


def schedules(maker: Maker, listing: Listing, n: int, opening: OpeningHours, link_id: str) -> list[dict]:
    slug, zone, contact, new_id = listing.slug, listing.entry.timezone, listing.entry.contacts[n], maker.new_id
    dates = ENGLISH.dates(listing.contacts[n])  # the closures and extra openings still to come, as the pages say them
    notes = {"notes": "; ".join(dates)} if dates else {}
    if opening.always:
        return [{"id": new_id(f"schedule/{slug}/{n}/always"), "service_at_location_id": link_id,
                 "freq": "WEEKLY", "wkst": "MO", "byday": ",".join(BYDAY), "opens_at": "00:00:00",
                 "closes_at": "23:59:00", "description": "Open 24 hours, every day", **notes}] + \
            extra_schedules(new_id, slug, n, contact.open_extra, zone, link_id)
    found = []
    periods = offset_periods(zone, maker.site.updated, maker.site.config.review_interval_months)
    for k, (days, opens, closes) in enumerate(weekly_rules(opening.spans)):
        byday = by_day(days)
        for start, end, offset in periods:
            found.append({"id": new_id(f"schedule/{slug}/{n}/{k}/{start.isoformat()}"),
                          "service_at_location_id": link_id, "freq": "WEEKLY", "wkst": "MO",
                          "byday": byday, "opens_at": at(opens, offset),
                          "closes_at": at(closes, offset), "timezone": offset_hours(offset),
                          "valid_from": start.isoformat(), "valid_to": end.isoformat(),
                          "x-signpost-timezone": zone, **notes})
    return found + extra_schedules(new_id, slug, n, contact.open_extra, zone, link_id)


@lru_cache(maxsize=None)
def by_day(days: tuple[int, ...]) -> str:
    return ",".join(BYDAY[d] for d in days)


def extra_schedules(new_id: Callable[[str], str], slug: str, n: int, extras, zone: str | None, link_id: str) -> list[dict]:
    """Each extra opening as a one-off schedule at its date's UTC offset; one past midnight is
    split at midnight, as the weekly rules are."""
    found = []
    for x in extras:
        day = x.date
        offset = dt.datetime.combine(day, dt.time(12), ZoneInfo(zone)).utcoffset() if zone else dt.timedelta(0)
        opens, closes = x.open.minutes, x.close.minutes
        pieces = [(day, opens, min(closes, LAST_MINUTE))] if closes > opens else \
            [(day, opens, LAST_MINUTE)] + ([(day + dt.timedelta(days=1), 0, closes)] if closes > 0 else [])
        for k, (date, start, end) in enumerate(pieces):
            found.append({"id": new_id(f"schedule/{slug}/{n}/extra/{x.date.isoformat()}/{x.open}/{k}"),
                          "service_at_location_id": link_id, "valid_from": date.isoformat(),
                          "valid_to": date.isoformat(), "dtstart": date.isoformat(), "count": 1,
                          "opens_at": at(start, offset), "closes_at": at(end, offset),
                          "timezone": offset_hours(offset),
                          "description": "Extra opening" + (f": {x.label}" if x.label else ""),
                          **({"x-signpost-timezone": zone} if zone else {})})
    return found


def weekly_rules(spans: tuple[Span, ...]) -> list[tuple[tuple[int, ...], int, int]]:
    """(days, opens, closes) within one day each: a span past midnight becomes the evening on its
    days and the early hours on the days after; 24:00 becomes 23:59."""
    rules = []
    for span in spans:
        if span.past_midnight:
            rules.append((span.days, span.opens, LAST_MINUTE))
            if span.closes > 0:
                rules.append((tuple(sorted((d + 1) % 7 for d in span.days)), 0, span.closes))
        else:
            rules.append((span.days, span.opens, min(span.closes, LAST_MINUTE)))
    return rules


@lru_cache(maxsize=None)
def offset_periods(zone: str, start: dt.date, months: int) -> tuple[tuple[dt.date, dt.date, dt.timedelta], ...]:
    """(first day, last day, UTC offset) over the next `months` from `start`, one per offset the
    zone keeps; a zone without daylight saving gives one period."""
    tz, end = ZoneInfo(zone), start + dt.timedelta(days=round(months * 30.44))
    periods: list[list] = []
    day = start
    while day <= end:
        offset = dt.datetime.combine(day, dt.time(12), tz).utcoffset()
        if periods and periods[-1][2] == offset:
            periods[-1][1] = day
        else:
            periods.append([day, day, offset])
        day += dt.timedelta(days=1)
    return tuple((a, b, offset) for a, b, offset in periods)


@lru_cache(maxsize=None)
def at(minutes: int, offset: dt.timedelta) -> str:
    """HH:MM:SS±HH:MM, the form both the JSON and the tabular HSDS accept."""
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    return f"{clock(minutes)}:00{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


@lru_cache(maxsize=None)
def offset_hours(offset: dt.timedelta) -> float | int:
    hours = offset.total_seconds() / 3600
    return int(hours) if hours.is_integer() else hours


def service_area(new_id: Callable[[str], str], slug: str, sid: str, code: str, name: str) -> dict:
    """One area per country; HSDS has no country-code field, so the code is the text extent."""
    area = {"id": new_id(f"service_area/{slug}/{code}"), "service_id": sid, "name": name}
    if code == "international":
        area["description"] = "Open to people in any country"
    else:
        area |= {"extent": code, "extent_type": "text", "uri": f"https://www.iso.org/obp/ui/#iso:code:3166:{code}"}
    return area


def terms(site: Site) -> dict[str, dict[str, str]]:
    config = site.config
    return {"kinds": dict(config.kinds), "topics": dict(config.topics), "audiences": dict(config.audiences),
            "flags": {"crisis": "Answers people in crisis now"}}


def taxonomy(site: Site, name: str) -> dict:
    return {"id": make_id(site, f"taxonomy/{name}"), "name": f"Signpost {name}", "description": TAXONOMIES[name],
            "uri": site.config.base_url + "data/hsds/taxonomies.json"}


def term(site: Site, name: str, key: str, label: str) -> dict:
    return {"id": make_id(site, f"taxonomy_term/{name}/{key}"), "code": key, "name": label, "description": label,
            "taxonomy": f"Signpost {name}", "taxonomy_id": make_id(site, f"taxonomy/{name}")}


def taxonomies(site: Site) -> dict:
    """Signpost's taxonomies and their terms: what the services' attributes point at."""
    return {"taxonomies": [taxonomy(site, name) for name in TAXONOMIES],
            "taxonomy_terms": [term(site, name, key, label) for name, found in terms(site).items()
                               for key, label in found.items()]}


def attributes(maker: Maker, listing: Listing, sid: str) -> list[dict]:
    """One attribute per kind, topic, audience and the crisis flag, each nesting its term (made
    once per export, shared by every service that uses it)."""
    e, slug, new_id, nested = listing.entry, listing.slug, maker.new_id, maker.terms
    keys = [("kinds", e.kind)] + [("topics", t) for t in e.topics] + [("audiences", a) for a in e.audiences]
    keys += [("flags", "crisis")] * e.crisis
    return [{"id": new_id(f"attribute/{slug}/{name}/{key}"), "link_id": sid, "link_type": name,
             "link_entity": "service", "taxonomy_term_id": (term := nested[name, key])["id"], "taxonomy_term": term}
            for name, key in keys]


def nested_terms(site: Site) -> dict[tuple[str, str], dict]:
    """Each term as an attribute nests it; its taxonomy is named and linked by `taxonomy_id`, and
    described once in taxonomies.json (nesting it in every attribute made the export a tenth
    larger)."""
    return {(name, key): term(site, name, key, label) for name, found in terms(site).items() for key, label in found.items()}
