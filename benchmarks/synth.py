#!/usr/bin/env python3
"""Seeded generator of realistic *fake* Signpost entries, for benchmarks.

    python benchmarks/synth.py N OUTDIR [--seed S] [--format signpost|hugo|pelican]

The same N, seed and format give byte-identical output (given the same site.yaml and the same
`phonenumbers` metadata). Everything is fictional: names, websites (https://example-<n>.org/,
unique per entry) and phone numbers. Phone numbers come from ranges reserved for drama/fiction
where such a range exists and is valid for `phonenumbers` (GB, AU, NANP 555-01xx), otherwise from
the region's example number with other trailing digits; each is checked with
`phonenumbers.is_valid_number_for_region` and unique across the corpus.

Formats (see benchmarks/README.md):
  signpost  OUTDIR/site.yaml, OUTDIR/content/entries/<cc>/<slug>.md|.yaml, OUTDIR/content/pages/about.md
  hugo      a Hugo site (config.toml, layouts/, content/entries/<slug>.md, content/about.md)
  pelican   a Pelican project (pelicanconf.py, theme/, content/entries/<slug>.md, content/pages/about.md)

Needs PyYAML and phonenumbers (both in the project's .venv).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import phonenumbers as pn
import yaml

# phonenumbers compiles its metadata patterns through re.compile, whose cache (512) is too small
# for numbers from 60 regions: without this, 3/4 of the run is spent recompiling regexes.
if hasattr(pn, "enable_pattern_cache"):
    pn.enable_pattern_cache()

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SITE_YAML = REPO / "site.yaml"
FACTS_EMERGENCY = REPO.parent / "shared" / "facts" / "emergency.yaml"

# ---------------------------------------------------------------------------------------------
# Countries: code -> (English name, weight, languages (ISO 639-1, first = main), IANA time zones
# valid for the country (zone.tab), cities for in-person addresses).
# 60 real ISO 3166-1 alpha-2 codes: Europe 18, Americas 12, Africa 11, Asia 16, Oceania 3.
# ---------------------------------------------------------------------------------------------
COUNTRIES = {
    # Europe
    "GB": ("United Kingdom", 6, ["en", "cy"], ["Europe/London"], ["London", "Manchester", "Cardiff", "Glasgow"]),
    "IE": ("Ireland", 2, ["en", "ga"], ["Europe/Dublin"], ["Dublin", "Cork", "Galway"]),
    "FR": ("France", 3, ["fr"], ["Europe/Paris"], ["Paris", "Lyon", "Marseille"]),
    "DE": ("Germany", 3, ["de"], ["Europe/Berlin"], ["Berlin", "München", "Köln"]),
    "ES": ("Spain", 2, ["es", "ca", "eu", "gl"], ["Europe/Madrid", "Atlantic/Canary"], ["Madrid", "Barcelona", "A Coruña"]),
    "PT": ("Portugal", 1, ["pt"], ["Europe/Lisbon", "Atlantic/Azores"], ["Lisboa", "Porto"]),
    "IT": ("Italy", 2, ["it"], ["Europe/Rome"], ["Roma", "Milano", "Napoli"]),
    "NL": ("Netherlands", 2, ["nl"], ["Europe/Amsterdam"], ["Amsterdam", "Utrecht", "Rotterdam"]),
    "BE": ("Belgium", 1, ["nl", "fr", "de"], ["Europe/Brussels"], ["Bruxelles", "Antwerpen", "Liège"]),
    "CH": ("Switzerland", 1, ["de", "fr", "it", "rm"], ["Europe/Zurich"], ["Zürich", "Genève", "Bern"]),
    "AT": ("Austria", 1, ["de"], ["Europe/Vienna"], ["Wien", "Graz"]),
    "SE": ("Sweden", 1, ["sv"], ["Europe/Stockholm"], ["Stockholm", "Göteborg", "Malmö"]),
    "NO": ("Norway", 1, ["nb", "nn"], ["Europe/Oslo"], ["Oslo", "Bergen", "Tromsø"]),
    "DK": ("Denmark", 1, ["da"], ["Europe/Copenhagen"], ["København", "Aarhus"]),
    "FI": ("Finland", 1, ["fi", "sv"], ["Europe/Helsinki"], ["Helsinki", "Tampere", "Oulu"]),
    "PL": ("Poland", 1, ["pl"], ["Europe/Warsaw"], ["Warszawa", "Kraków", "Łódź"]),
    "CZ": ("Czechia", 1, ["cs"], ["Europe/Prague"], ["Praha", "Brno"]),
    "GR": ("Greece", 1, ["el"], ["Europe/Athens"], ["Athens", "Thessaloniki"]),
    # Americas
    "US": ("United States", 8, ["en", "es"],
           ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix", "Pacific/Honolulu"],
           ["New York", "Chicago", "Denver", "Los Angeles", "Atlanta", "Seattle"]),
    "CA": ("Canada", 3, ["en", "fr"],
           ["America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax"],
           ["Toronto", "Montréal", "Vancouver", "Calgary"]),
    "MX": ("Mexico", 2, ["es"], ["America/Mexico_City", "America/Tijuana", "America/Cancun"], ["Ciudad de México", "Guadalajara", "Monterrey"]),
    "BR": ("Brazil", 3, ["pt"], ["America/Sao_Paulo", "America/Manaus", "America/Recife"], ["São Paulo", "Rio de Janeiro", "Belo Horizonte"]),
    "AR": ("Argentina", 1, ["es"], ["America/Argentina/Buenos_Aires"], ["Buenos Aires", "Córdoba", "Rosario"]),
    "CL": ("Chile", 1, ["es"], ["America/Santiago"], ["Santiago", "Valparaíso"]),
    "CO": ("Colombia", 1, ["es"], ["America/Bogota"], ["Bogotá", "Medellín", "Cali"]),
    "PE": ("Peru", 1, ["es", "qu"], ["America/Lima"], ["Lima", "Cusco", "Arequipa"]),
    "UY": ("Uruguay", 1, ["es"], ["America/Montevideo"], ["Montevideo"]),
    "JM": ("Jamaica", 1, ["en"], ["America/Jamaica"], ["Kingston", "Montego Bay"]),
    "CR": ("Costa Rica", 1, ["es"], ["America/Costa_Rica"], ["San José"]),
    "EC": ("Ecuador", 1, ["es", "qu"], ["America/Guayaquil"], ["Quito", "Guayaquil"]),
    # Africa
    "ZA": ("South Africa", 2, ["en", "af", "zu", "xh", "st"], ["Africa/Johannesburg"], ["Johannesburg", "Cape Town", "Durban"]),
    "ZW": ("Zimbabwe", 1, ["en", "sn", "nd"], ["Africa/Harare"], ["Harare", "Bulawayo"]),
    "KE": ("Kenya", 1, ["en", "sw"], ["Africa/Nairobi"], ["Nairobi", "Mombasa", "Kisumu"]),
    "NG": ("Nigeria", 2, ["en", "ha", "yo", "ig"], ["Africa/Lagos"], ["Lagos", "Abuja", "Kano"]),
    "GH": ("Ghana", 1, ["en", "ak", "ee"], ["Africa/Accra"], ["Accra", "Kumasi"]),
    "UG": ("Uganda", 1, ["en", "sw", "lg"], ["Africa/Kampala"], ["Kampala", "Gulu"]),
    "TZ": ("Tanzania", 1, ["sw", "en"], ["Africa/Dar_es_Salaam"], ["Dar es Salaam", "Arusha"]),
    "EG": ("Egypt", 1, ["ar"], ["Africa/Cairo"], ["Cairo", "Alexandria"]),
    "MA": ("Morocco", 1, ["ar", "fr"], ["Africa/Casablanca"], ["Casablanca", "Rabat", "Marrakech"]),
    "RW": ("Rwanda", 1, ["rw", "en", "fr"], ["Africa/Kigali"], ["Kigali"]),
    "SN": ("Senegal", 1, ["fr", "wo"], ["Africa/Dakar"], ["Dakar", "Saint-Louis"]),
    # Asia
    "IN": ("India", 5, ["hi", "en", "bn", "ta", "te", "mr"], ["Asia/Kolkata"], ["Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata"]),
    "JP": ("Japan", 2, ["ja"], ["Asia/Tokyo"], ["Tokyo", "Osaka", "Sapporo"]),
    "KR": ("South Korea", 1, ["ko"], ["Asia/Seoul"], ["Seoul", "Busan"]),
    "SG": ("Singapore", 1, ["en", "zh", "ms", "ta"], ["Asia/Singapore"], ["Singapore"]),
    "MY": ("Malaysia", 1, ["ms", "en", "zh", "ta"], ["Asia/Kuala_Lumpur", "Asia/Kuching"], ["Kuala Lumpur", "Penang", "Kuching"]),
    "PH": ("Philippines", 2, ["tl", "en"], ["Asia/Manila"], ["Manila", "Cebu", "Davao"]),
    "ID": ("Indonesia", 2, ["id"], ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"], ["Jakarta", "Surabaya", "Makassar"]),
    "TH": ("Thailand", 1, ["th"], ["Asia/Bangkok"], ["Bangkok", "Chiang Mai"]),
    "VN": ("Viet Nam", 1, ["vi"], ["Asia/Ho_Chi_Minh"], ["Hà Nội", "Hồ Chí Minh City", "Đà Nẵng"]),
    "PK": ("Pakistan", 1, ["ur", "en"], ["Asia/Karachi"], ["Karachi", "Lahore", "Islamabad"]),
    "BD": ("Bangladesh", 1, ["bn"], ["Asia/Dhaka"], ["Dhaka", "Chattogram"]),
    "LK": ("Sri Lanka", 1, ["si", "ta"], ["Asia/Colombo"], ["Colombo", "Kandy"]),
    "NP": ("Nepal", 1, ["ne"], ["Asia/Kathmandu"], ["Kathmandu", "Pokhara"]),
    "IL": ("Israel", 1, ["he", "ar"], ["Asia/Jerusalem"], ["Tel Aviv", "Haifa"]),
    "TR": ("Türkiye", 1, ["tr"], ["Europe/Istanbul"], ["İstanbul", "Ankara", "İzmir"]),
    "AE": ("United Arab Emirates", 1, ["ar", "en"], ["Asia/Dubai"], ["Dubai", "Abu Dhabi"]),
    # Oceania
    "AU": ("Australia", 3, ["en"],
           ["Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth", "Australia/Adelaide"],
           ["Sydney", "Melbourne", "Brisbane", "Perth"]),
    "NZ": ("New Zealand", 1, ["en", "mi"], ["Pacific/Auckland"], ["Auckland", "Wellington", "Christchurch"]),
    "FJ": ("Fiji", 1, ["en", "fj", "hi"], ["Pacific/Fiji"], ["Suva", "Lautoka"]),
}
CODES = list(COUNTRIES)  # fixed order
assert len(CODES) == 60

# Entries that serve several neighbouring countries.
GROUPS = [["GB", "IE"], ["DE", "AT", "CH"], ["AU", "NZ"], ["US", "CA"], ["BE", "NL"], ["SE", "NO", "DK", "FI"],
          ["ES", "MX", "AR", "CO"], ["KE", "UG", "TZ", "RW"], ["PT", "BR"], ["FR", "BE", "CH"], ["MY", "SG"]]

# Ranges reserved for fiction that phonenumbers accepts: region -> [(national prefix, digits appended)].
FICTION = {
    "GB": [("020 7946 0", 3), ("0113 496 0", 3), ("0121 496 0", 3), ("0131 496 0", 3), ("0141 496 0", 3),
           ("0151 496 0", 3), ("0161 496 0", 3), ("0117 496 0", 3), ("0118 496 0", 3), ("029 2018 0", 3)],
    "AU": [("02 5550 ", 4), ("03 5550 ", 4), ("07 5550 ", 4), ("08 5550 ", 4),
           ("02 7010 ", 4), ("03 7010 ", 4), ("07 7010 ", 4), ("08 7010 ", 4)],
    # NANP: NXX-555-0100..0199 is reserved for fiction.
    "US": [(f"({a}) 555-01", 2) for a in ("201", "202", "212", "213", "303", "305", "312", "404", "415", "503",
                                          "512", "602", "617", "702", "713", "808", "206", "614", "919", "720")],
    "CA": [(f"({a}) 555-01", 2) for a in ("416", "604", "514", "403", "780", "613", "204", "902", "306", "647")],
}
FICTION_MOBILE = {
    "GB": [("07700 900", 3)],
    "AU": [("0491 570 ", 3), ("0491 571 ", 3), ("0491 572 ", 3), ("0491 573 ", 3), ("0491 574 ", 3)],
}

KIND_WEIGHTS = {"helpline": 22, "textline": 8, "chat": 15, "forum": 18, "initiative": 12, "app": 12, "directory": 13}
KIND_NOUNS = {
    "helpline": ["Helpline", "Listening Line", "Support Line", "Lifeline", "Crisis Line", "Phone Line", "Warmline"],
    "textline": ["Text Line", "Textline", "Text Support", "Text Service"],
    "chat": ["Chat", "Online Chat", "Web Chat", "Chat Support"],
    "forum": ["Forum", "Community", "Peer Space", "Circle", "Message Boards", "Peer Forum"],
    "initiative": ["Bench", "Project", "Collective", "Network", "Walk and Talk", "Men's Shed", "Café"],
    "app": ["App", "Companion", "Pocket Guide", "Mood Tracker"],
    "directory": ["Directory", "Service Finder", "Guide", "Map of Support"],
}
KIND_PHRASE = {
    "helpline": "phone line", "textline": "text service", "chat": "online chat service",
    "forum": "peer-support forum", "initiative": "community initiative", "app": "self-help app",
    "directory": "directory of local services",
}
NAME_WORDS = ["Open Door", "Calm Harbour", "Bright Path", "Safe Haven", "Kindred", "Lighthouse", "Willow", "Compass",
              "Anchor", "Evergreen", "Harbour", "Northstar", "Riverside", "Hillside", "Hopeful", "Steady Ground",
              "Common Ground", "Second Wind", "Quiet Corner", "Little Steps", "Kind Words", "Better Days", "Morning Light",
              "Mind Matters", "Heartwood", "Blue Sky", "Solid Rock", "Bridgeway", "Open Arms", "Good Neighbour"]
TOPIC_WORDS = {
    "anxiety": "Anxiety", "depression": "Low Mood", "suicide": "Suicide Prevention", "self-harm": "Self-Harm",
    "grief": "Bereavement", "loneliness": "Friendship", "stress": "Stress", "trauma": "Trauma",
    "eating-disorders": "Eating Disorders", "substance-use": "Recovery", "psychosis": "Hearing Voices",
    "bipolar": "Bipolar", "ocd": "OCD", "abuse": "Safe Home", "relationships": "Relationships",
    "perinatal": "New Parents", "wellbeing": "Wellbeing", "recovery": "Recovery",
}
AUDIENCE_PHRASE = {
    "everyone": "anyone", "children": "children", "young-people": "young people", "adults": "adults",
    "older-people": "older people", "lgbtq": "LGBTQ+ people", "carers": "carers", "parents": "parents",
    "veterans": "veterans", "students": "students", "men": "men", "women": "women",
}
AUDIENCE_WORDS = {"children": "Kids", "young-people": "Youth", "older-people": "Silver", "lgbtq": "Rainbow",
                  "carers": "Carers", "parents": "Parents", "veterans": "Veterans", "students": "Student",
                  "men": "Men's", "women": "Women's"}

SENT_INTRO = [
    "{name} is a {kphrase} for {aud} in {where}.",
    "Run by trained volunteers, {name} offers a {kphrase} for {aud} across {where}.",
    "{name} started as a small local group and is now a {kphrase} used by {aud} throughout {where}.",
    "Set up by people with lived experience, {name} is a {kphrase} for {aud} in {where}.",
]
SENT_MIDDLE = [
    "You can talk about {t1}, {t2} or anything else that is on your mind, and nobody will judge you.",
    "Many people get in touch about {t1} or {t2}, but you do not need a reason to reach out.",
    "Volunteers listen without judging and help you think through what might help with {t1} and {t2}.",
    "It is a place to share what you are going through with {t1}, learn from others and feel less alone.",
    "Support is confidential, and you can stay anonymous if you prefer.",
    "The service does not replace a doctor, but it can help you find the next step.",
    "Staff can also point you to local services for {t1} if you would like longer-term help.",
    "Sessions are unhurried: you decide what to talk about and when to stop.",
    "Some people come back regularly, others only once; both are welcome.",
    "There is also practical information about {t2}, written in plain language.",
    "Family members and friends who are worried about {t1} can use it too.",
]
LIST_ITEMS = [
    "Free and confidential support", "No referral needed", "You can stay anonymous",
    "Trained volunteers and staff", "Information about local services", "Support for family and friends",
    "Accessible formats on request", "Moderated around the clock", "Interpreters can be arranged",
    "Works on older phones and slow connections", "Groups meet in a quiet, private space",
    "Resources written with people with lived experience",
]
SENT_LINK = [
    "Read more about how it works on [their website]({url}).",
    "The [about page]({url}) explains how your information is kept private.",
    "Before you get in touch, you may find it helpful to read [what to expect]({url}).",
]
SENT_END = [
    "If you are in immediate danger, call your local emergency number.",
    "If you are worried about someone else, you can get in touch on their behalf.",
    "Waiting times are usually short, but can be longer in the evenings.",
    "Feedback from the people who use the service shapes how it develops.",
]

SAFE_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .'()/+-]*$")
YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def q(s: str) -> str:
    """A YAML scalar for s: plain when that is unambiguous in flow and block context, else quoted."""
    if SAFE_PLAIN.match(s) and s.lower() not in YAML_WORDS and not s.endswith(" ") and " #" not in s:
        return s
    return json.dumps(s, ensure_ascii=False)


def slugify(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


# ---------------------------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------------------------
class Phones:
    """Unique, valid numbers per region, in a deterministic order, written the local way."""

    MOBILE_TYPES = (pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE)

    def __init__(self):
        self.used: set[str] = set()
        self.iters: dict[tuple[str, bool], object] = {}

    def _candidates(self, region: str, mobile: bool):
        ranges = (FICTION_MOBILE if mobile else FICTION).get(region, [])
        for prefix, width in ranges:
            for i in range(10 ** width):
                yield prefix + str(i).zfill(width)
        types = [pn.PhoneNumberType.MOBILE] if mobile else [
            pn.PhoneNumberType.FIXED_LINE, pn.PhoneNumberType.TOLL_FREE, pn.PhoneNumberType.MOBILE]
        bases = []
        for t in types:
            ex = pn.example_number_for_type(region, t)
            if ex is not None:
                bases.append(pn.national_significant_number(ex))
        # Vary 3, then 4, then 5 trailing digits of each example number in turn.
        for width in (3, 4, 5):
            for i in range(10 ** width):
                for nsn in bases:
                    if len(nsn) > width + 2:
                        yield "+%d%s" % (pn.country_code_for_region(region), nsn[:-width] + str(i).zfill(width))

    def take(self, region: str, mobile: bool = False) -> tuple[str, str]:
        """Return (value as written locally, E.164)."""
        key = (region, mobile)
        it = self.iters.get(key)
        if it is None:
            it = self.iters[key] = self._candidates(region, mobile)
        for cand in it:
            num = pn.parse(cand, region)
            if not pn.is_valid_number_for_region(num, region):
                continue
            if mobile and pn.number_type(num) not in self.MOBILE_TYPES:
                continue
            e164 = pn.format_number(num, pn.PhoneNumberFormat.E164)
            if e164 in self.used:
                continue
            self.used.add(e164)
            return pn.format_number(num, pn.PhoneNumberFormat.NATIONAL), e164
        raise RuntimeError(f"ran out of phone numbers for {region}")


# ---------------------------------------------------------------------------------------------
# The entry model (plain dicts, fields in contract order)
# ---------------------------------------------------------------------------------------------
def load_site():
    with open(SITE_YAML, encoding="utf-8") as f:
        site = yaml.safe_load(f)
    return site


class Synth:
    def __init__(self, seed: int, site: dict, stale: float = 0.25, long_bodies: bool = False):
        self.rng = random.Random(seed)
        # Review dates and body lengths draw from their own generator, so every other field is
        # what it was before these two options existed.
        self.varied = random.Random(seed + 1_000_003)
        self.stale, self.long_bodies = stale, long_bodies
        self.site = site
        self.kinds = [k for k in KIND_WEIGHTS if k in site["kinds"]] or list(site["kinds"])
        self.kind_w = [KIND_WEIGHTS.get(k, 5) for k in self.kinds]
        self.topics = list(site["topics"])
        self.audiences = list(site["audiences"])
        self.country_w = [COUNTRIES[c][1] for c in CODES]
        self.phones = Phones()
        self.slugs: set[str] = set()
        self.today = _dt.date(2026, 11, 1)

    def entry(self, n: int) -> dict:
        r = self.rng
        kind = r.choices(self.kinds, self.kind_w)[0]
        # Where: ~5% international, ~7% a group of neighbours, else one country.
        x = r.random()
        if x < 0.05:
            countries = ["international"]
            home = r.choice(CODES)
        elif x < 0.12:
            g = r.choice(GROUPS)
            countries = sorted(r.sample(g, r.randint(2, len(g))), key=g.index)
            home = countries[0]
        else:
            home = r.choices(CODES, self.country_w)[0]
            countries = [home]
        cname, _, langs, zones, cities = COUNTRIES[home]
        # Languages
        if countries == ["international"]:
            languages = ["en"] + r.sample(["es", "fr", "ar", "pt", "de", "zh", "hi", "sw"], r.randint(0, 3))
        elif len(countries) > 1:
            languages = []
            for c in countries:
                l0 = COUNTRIES[c][2][0]
                if l0 not in languages:
                    languages.append(l0)
        else:
            languages = [langs[0]]
            if len(langs) > 1 and r.random() < 0.3:
                languages.append(r.choice(langs[1:]))
            if "en" not in languages and r.random() < 0.2:
                languages.append("en")
        topics = r.sample(self.topics, r.choices([1, 2, 3, 4], [2, 4, 3, 1])[0])
        if r.random() < 0.55:
            audiences = ["everyone"] if "everyone" in self.audiences else [self.audiences[0]]
        else:
            audiences = r.sample([a for a in self.audiences if a != "everyone"], r.choices([1, 2], [3, 1])[0])
        # Name and slug
        aw = AUDIENCE_WORDS.get(audiences[0])
        noun = r.choice(KIND_NOUNS.get(kind, ["Service"]))
        style = r.random()
        if style < 0.3:
            first = r.choice(cities) if countries != ["international"] else "Global"
        elif style < 0.55:
            first = TOPIC_WORDS.get(topics[0], "Wellbeing")
        elif style < 0.7 and aw:
            first = aw + " " + TOPIC_WORDS.get(topics[0], "Wellbeing")
        else:
            first = r.choice(NAME_WORDS)
        name = f"{first} {noun}"
        slug = f"{slugify(name)}-{n}"
        assert slug not in self.slugs
        self.slugs.add(slug)
        where = "many countries" if countries == ["international"] else (
            cname if len(countries) == 1 else ", ".join(COUNTRIES[c][0] for c in countries[:-1]) + " and " + COUNTRIES[countries[-1]][0])
        aud_phrase = " and ".join(AUDIENCE_PHRASE.get(a, a) for a in audiences)
        tl = [lab if lab.isupper() else lab[:1].lower() + lab[1:] for lab in (self.site["topics"][t] for t in topics)]
        if len(tl) == 1:
            tphrase = tl[0]
        else:
            tphrase = ", ".join(tl[:-1]) + " and " + tl[-1]
        cost = r.choices(["free", "low-cost", "paid"], [85, 10, 5])[0]
        summary = f"{'Free' if cost == 'free' else 'Affordable' if cost == 'low-cost' else 'Professional'}, " \
                  f"confidential {KIND_PHRASE.get(kind, 'service')} for {aud_phrase} dealing with {tphrase}."
        if len(summary) > 200:
            summary = f"Confidential {KIND_PHRASE.get(kind, 'service')} for {aud_phrase}."
        crisis = kind in ("helpline", "textline", "chat") and r.random() < 0.6
        status = r.choices(["active", "temporarily-closed", "closed"], [96, 3, 1])[0]
        alert = None
        if status == "temporarily-closed":
            alert = f"The service is paused until {r.randint(1, 28)} {r.choice(['January', 'February', 'March'])}."
        elif r.random() < 0.02:
            alert = "Opening hours change over the holidays."
        site_url = f"https://example-{n}.org/"
        # Contacts
        contacts = self.contacts(n, kind, countries, home, cities, cname, site_url)
        needs_tz = any(isinstance(c.get("hours"), list) for c in contacts)
        timezone = None
        if needs_tz or r.random() < 0.4:
            timezone = "Etc/UTC" if countries == ["international"] else r.choice(zones)
        last = self.today - _dt.timedelta(days=r.randint(0, 183))
        if self.varied.random() < self.stale:  # past the 12-month review: a warning each
            last = self.today - _dt.timedelta(days=self.varied.randint(400, 1100))
        e = {
            "slug": slug, "dir": "intl" if countries == ["international"] else home.lower(),
            "name": name, "kind": kind, "summary": summary, "countries": countries, "languages": languages,
            "topics": topics, "audiences": audiences, "cost": cost, "crisis": crisis, "status": status,
            "alert": alert, "contacts": contacts, "timezone": timezone, "website": site_url,
            "sources": [site_url], "last_verified": last.isoformat(),
        }
        e["body"] = self.body(e, where, aud_phrase, tl, site_url) if r.random() < 0.8 else None
        return e

    def hours(self):
        r = self.rng
        if r.random() < 0.45:
            return "24/7"
        return [{"days": "mon-fri", "open": r.choice(["08:00", "09:00", "10:00"]),
                 "close": r.choice(["17:00", "18:00", "20:00", "22:00"])}]

    def contacts(self, n, kind, countries, home, cities, cname, site_url):
        r = self.rng
        host = site_url[len("https://"):-1]
        intl = countries == ["international"]
        phone_region = home
        explicit = intl or len(countries) > 1 or r.random() < 0.1

        def phone(t="phone", mobile=False):
            value, e164 = self.phones.take(phone_region, mobile)
            c = {"type": t, "value": value}
            if explicit:
                c["country"] = phone_region
            c["_e164"] = e164
            return c

        out = []
        if kind == "helpline":
            c = phone(); c["hours"] = self.hours(); out.append(c)
            if r.random() < 0.15:
                c = phone("whatsapp", mobile=True); out.append(c)
        elif kind == "textline":
            c = phone("sms", mobile=True)
            if r.random() < 0.6:
                c["keyword"] = r.choice(["HELLO", "TALK", "SHOUT", "HOME", "CONNECT", "HELP"])
            c["hours"] = self.hours(); out.append(c)
        elif kind == "chat":
            out.append({"type": "chat", "url": f"{site_url}chat", "hours": self.hours()})
        elif kind == "forum":
            out.append({"type": "website", "url": f"{site_url}forum", "label": "Forum"})
        elif kind == "initiative":
            city = r.choice(cities) if not intl else "Online"
            out.append({"type": "in-person", "address": f"{city}, {cname}" if not intl else "Online meetings"})
            if r.random() < 0.3:
                c = phone(); c["hours"] = self.hours(); out.append(c)
        elif kind == "app":
            out.append({"type": "app", "url": f"{site_url}app"})
        else:
            out.append({"type": "website", "url": f"{site_url}services"})
            if r.random() < 0.1:
                out.append(phone())
        extra = r.choices([0, 1, 2], [4, 4, 2])[0]
        pool = ["email", "website", "chat"]
        r.shuffle(pool)
        for t in pool:
            if len(out) >= 3 or extra == 0:
                break
            if any(c["type"] == t for c in out):
                continue
            if t == "email":
                out.append({"type": "email", "value": f"{r.choice(['help', 'hello', 'support', 'info'])}@{host}"})
            elif t == "chat":
                out.append({"type": "chat", "url": f"{site_url}chat", "hours": self.hours()})
            else:
                if any(c.get("url") == f"{site_url}contact" for c in out):
                    continue
                out.append({"type": "website", "url": f"{site_url}contact", "label": "Contact form"})
            extra -= 1
        return out

    def body(self, e, where, aud_phrase, tl, site_url):
        r = self.rng
        t1 = tl[0]
        t2 = tl[1] if len(tl) > 1 else r.choice(["stress", "loneliness", "low mood"])
        fmt = {"name": e["name"], "kphrase": KIND_PHRASE.get(e["kind"], "service"), "aud": aud_phrase,
               "where": where, "t1": t1, "t2": t2, "url": site_url + "about"}
        mid = [s.format(**fmt) for s in r.sample(SENT_MIDDLE, 5)]
        # Bodies of about 75 to 200 words (long_bodies: all about 200), as real entries vary.
        keep = 7 if self.long_bodies else self.varied.randint(1, 7)
        extra = [s.format(**fmt) for s in self.varied.sample([s for s in SENT_MIDDLE if s.format(**fmt) not in mid], 2)]
        mid = (mid + extra)[:keep]
        if keep < 3:
            mid = mid + [""] * (3 - keep)
        p1 = " ".join([r.choice(SENT_INTRO).format(**fmt)] + [m for m in mid[:-2] if m])
        items = "\n".join("- " + i for i in r.sample(LIST_ITEMS, r.randint(3, 4)))
        p2 = " ".join([m for m in mid[-2:] if m] + [r.choice(SENT_LINK).format(**fmt)])
        p3 = " ".join(r.sample(SENT_END, 2))
        return f"{p1}\n\n## What to expect\n\n{items}\n\n{p2}\n\n{p3}\n"


# ---------------------------------------------------------------------------------------------
# Serialisers
# ---------------------------------------------------------------------------------------------
def flow_list(xs) -> str:
    return "[" + ", ".join(q(x) for x in xs) + "]"


SAFE_EMAIL = re.compile(r"^[a-z0-9.+-]+@[a-z0-9.-]+$")


def flow_map(d: dict) -> str:
    parts = []
    for k, v in d.items():
        if k.startswith("_"):
            continue
        if isinstance(v, list):  # hours
            v = "[" + ", ".join(flow_map(h) for h in v) + "]"
        elif k == "url" or (k == "value" and SAFE_EMAIL.match(v)):
            pass  # https URLs and plain e-mail addresses need no quotes, as in DESIGN.md
        elif k in ("value", "hours", "open", "close"):
            v = json.dumps(v, ensure_ascii=False)  # phone numbers and times: always quoted
        else:
            v = q(v)
        parts.append(f"{k}: {v}")
    return "{" + ", ".join(parts) + "}"


def entry_yaml(e: dict, hugo: bool = False) -> str:
    """The entry in Signpost's contract, in the style of the examples in DESIGN.md.

    With hugo=True: the same data as Hugo front matter (title/slug/date, plural taxonomy keys,
    and each contact with a ready link `href`, a `text` and `hours_text`)."""
    if hugo:
        lines = [f"title: {q(e['name'])}", f"slug: {e['slug']}", f"date: {e['last_verified']}",
                 f"kinds: [{e['kind']}]"]
    else:
        lines = [f"name: {q(e['name'])}", f"kind: {e['kind']}"]
    lines += [
        f"summary: {q(e['summary'])}",
        f"countries: {flow_list(e['countries'])}",
        f"languages: {flow_list(e['languages'])}",
        f"topics: {flow_list(e['topics'])}",
        f"audiences: {flow_list(e['audiences'])}",
        f"cost: {e['cost']}",
        f"crisis: {'true' if e['crisis'] else 'false'}",
    ]
    if e["status"] != "active":
        lines.append(f"status: {e['status']}")
    if e["alert"]:
        lines.append(f"alert: {q(e['alert'])}")
    lines.append("contacts:")
    for c in e["contacts"]:
        if hugo:
            c = dict(c, href=contact_href(c), text=contact_text(c))
            if "hours" in c:
                c["hours_text"] = hours_text(c["hours"])
        lines.append(f"  - {flow_map(c)}")
    if e["timezone"]:
        lines.append(f"timezone: {e['timezone']}")
    lines += [f"website: {e['website']}", f"sources: [{', '.join(e['sources'])}]",
              f"last_verified: {e['last_verified']}"]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def clean(out: Path):
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)


def emergency_block(site: dict, used: list[str]) -> dict:
    """Emergency numbers for the countries used, from site.yaml and the shared facts (high/medium only)."""
    em = dict(site.get("emergency") or {})
    if FACTS_EMERGENCY.exists():
        with open(FACTS_EMERGENCY, encoding="utf-8") as f:
            facts = yaml.safe_load(f) or {}
        for cc, v in facts.items():
            if cc not in em and v.get("confidence") in ("high", "medium"):
                em[cc] = {k: v[k] for k in ("numbers", "note") if k in v}
    return {cc: em[cc] for cc in sorted(em) if cc in used}


ABOUT_BODY = ("This is a synthetic directory generated for benchmarks. Every service, website and "
              "phone number on it is fictional.\n\nIf you need help now, call your local emergency number.\n")


def gen_signpost(entries, out: Path, site: dict):
    clean(out)
    s = dict(site)
    s["base_url"] = "https://example.org/"
    used = sorted({c for e in entries for c in e["countries"] if c != "international"})
    s["emergency"] = emergency_block(site, used)
    write(out / "site.yaml", "# Synthetic benchmark site, generated by benchmarks/synth.py.\n"
          + yaml.safe_dump(s, sort_keys=False, allow_unicode=True, width=1000))
    (out / "content" / "pages").mkdir(parents=True)
    write(out / "content" / "pages" / "about.md", f"---\ntitle: About this directory\n---\n\n{ABOUT_BODY}")
    made = set()
    base = out / "content" / "entries"
    for e in entries:
        d = base / e["dir"]
        if e["dir"] not in made:
            d.mkdir(parents=True, exist_ok=True)
            made.add(e["dir"])
        y = entry_yaml(e)
        if e["body"] is None:
            write(d / f"{e['slug']}.yaml", y)
        else:
            write(d / f"{e['slug']}.md", f"---\n{y}---\n\n{e['body']}")


def contact_href(c: dict) -> str:
    t = c["type"]
    if t in ("phone",):
        return "tel:" + c["_e164"]
    if t in ("sms",):
        return "sms:" + c["_e164"]
    if t == "whatsapp":
        return "https://wa.me/" + c["_e164"].lstrip("+")
    if t == "email":
        return "mailto:" + c["value"]
    return c.get("url", "")


def contact_text(c: dict) -> str:
    return c.get("value") or c.get("url") or c.get("address") or ""


def hours_text(h) -> str:
    if h is None:
        return ""
    if isinstance(h, str):
        return h
    return "; ".join(f"{x['days']} {x['open']}–{x['close']}" for x in h)


# --- Hugo -----------------------------------------------------------------------------------
HUGO_CONFIG = '''# Synthetic benchmark site for Hugo, generated by benchmarks/synth.py.
# Mapping to Signpost: one page per entry at /entries/<slug>/, taxonomy term lists at
# /kinds/<k>/, /topics/<t>/, /audiences/<a>/, /countries/<cc>/, /languages/<l>/ (paginated by 100),
# an A-Z list at /entries/, a home page, sitemap.xml, robots.txt and one RSS feed (50 items).
# Taxonomy links on entry pages are built from the front matter (cheaper than .GetTerms).
baseURL = "https://example.org/"
languageCode = "en"
title = "Signpost (synthetic)"
buildFuture = true
enableRobotsTXT = true
paginate = 100
rssLimit = 50
disableKinds = []

[taxonomies]
  kind = "kinds"
  topic = "topics"
  audience = "audiences"
  country = "countries"
  language = "languages"

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
  page = ["HTML"]

[markup.goldmark.renderer]
  unsafe = false
'''

HUGO_LAYOUTS = {
    "_default/baseof.html": '''<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "/kinds/" | relURL }}">Kinds</a> <a href="{{ "/topics/" | relURL }}">Topics</a> <a href="{{ "/countries/" | relURL }}">Countries</a> <a href="{{ "/entries/" | relURL }}">A–Z</a></nav>
<a class="exit" href="https://www.bbc.co.uk/weather" rel="noreferrer">Exit this page</a>
</header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><p>If you are in immediate danger, call your local emergency number.</p></footer>
</body>
</html>
''',
    "_default/single.html": '''{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="summary">{{ .Params.summary }}</p>
{{ with .Params.alert }}<p class="alert">{{ . }}</p>{{ end }}
<h2>Contact</h2>
<ul class="contacts">
{{ range .Params.contacts }}<li><span class="type">{{ .type }}</span> <a href="{{ .href | safeURL }}">{{ .text }}</a>{{ with .keyword }} (text {{ . }}){{ end }}{{ with .hours_text }} <span class="hours">{{ . }}</span>{{ end }}</li>
{{ end }}</ul>
{{ with .Params.timezone }}<p>Hours are in {{ . }}.</p>{{ end }}
{{ .Content }}
<dl>
<dt>Kind</dt><dd>{{ range .Params.kinds }}<a href="{{ print "/kinds/" (urlize .) "/" | relURL }}">{{ . }}</a> {{ end }}</dd>
<dt>Topics</dt><dd>{{ range .Params.topics }}<a href="{{ print "/topics/" (urlize .) "/" | relURL }}">{{ . }}</a> {{ end }}</dd>
<dt>For</dt><dd>{{ range .Params.audiences }}<a href="{{ print "/audiences/" (urlize .) "/" | relURL }}">{{ . }}</a> {{ end }}</dd>
<dt>Countries</dt><dd>{{ range .Params.countries }}<a href="{{ print "/countries/" (urlize .) "/" | relURL }}">{{ . }}</a> {{ end }}</dd>
<dt>Languages</dt><dd>{{ range .Params.languages }}<a href="{{ print "/languages/" (urlize .) "/" | relURL }}">{{ . }}</a> {{ end }}</dd>
<dt>Cost</dt><dd>{{ .Params.cost }}</dd>
</dl>
<p>Last checked {{ .Params.last_verified }}. Sources: {{ range .Params.sources }}<a href="{{ . }}">{{ . }}</a> {{ end }}</p>
</article>
{{ end }}
''',
    "_default/list.html": '''{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $p := .Paginate (.Pages.ByTitle) }}
<ul class="entries">
{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Params.summary }}</li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
''',
    "_default/term.html": '''{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $p := .Paginate (.Pages.ByTitle) }}
<ul class="entries">
{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Params.summary }}</li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
''',
    "_default/taxonomy.html": '''{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
''',
    "index.html": '''{{ define "main" }}
<section class="crisis"><h1>In immediate danger?</h1><p>Call your local emergency number.</p></section>
<form action="{{ "/search/" | relURL }}" role="search"><label for="q">Search</label> <input id="q" name="q"></form>
<h2>Browse by kind</h2>
<ul>{{ range .Site.Taxonomies.kinds.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Browse by topic</h2>
<ul>{{ range .Site.Taxonomies.topics.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Browse by country</h2>
<ul>{{ range .Site.Taxonomies.countries.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
''',
}

SITE_CSS = """body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem}
.exit{float:right;background:#b00;color:#fff;padding:.5rem}.crisis{border:4px solid #b00;padding:1rem}
.alert{background:#fff3cd;padding:.5rem}a:focus{outline:3px solid #fd0}
"""


def gen_hugo(entries, out: Path, site: dict):
    clean(out)
    write(out / "config.toml", HUGO_CONFIG)
    for rel, text in HUGO_LAYOUTS.items():
        p = out / "layouts" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        write(p, text)
    (out / "static" / "css").mkdir(parents=True)
    write(out / "static" / "css" / "site.css", SITE_CSS)
    d = out / "content" / "entries"
    d.mkdir(parents=True)
    write(out / "content" / "about.md", f"---\ntitle: About this directory\n---\n\n{ABOUT_BODY}")
    write(d / "_index.md", "---\ntitle: All services A–Z\n---\n")
    for e in entries:
        write(d / f"{e['slug']}.md", f"---\n{entry_yaml(e, hugo=True)}---\n\n{e['body'] or ''}")


# --- Pelican --------------------------------------------------------------------------------
PELICAN_CONF = '''# Synthetic benchmark site for Pelican, generated by benchmarks/synth.py.
#
# Mapping to Signpost (Pelican has one category and one flat tag set per article, and no
# structured metadata without plugins):
#   kind                         -> Category        -> /kinds/<kind>/
#   topics, audiences, countries,
#   languages                    -> Tags, prefixed   -> /tags/topic-<t>/, /tags/audience-<a>/,
#                                   (topic-, audience-, country-, language-)   /tags/country-<cc>/, ...
#   entry page                   -> Article          -> /entries/<slug>/
#   contacts, hours, sources     -> a Markdown "Contact" list at the top of the article body
#                                   (links already in tel:/sms:/mailto: form)
#   summary, cost, website,
#   last_verified, timezone      -> article metadata (Summary, Cost, Website, Verified, Timezone)
#   A-Z                          -> index (sorted by title), paginated by 100 like the lists
#   feed                         -> one Atom feed; no per-category/tag/author feeds
AUTHOR = "Signpost"
SITENAME = "Signpost (synthetic)"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["entries"]
PAGE_PATHS = ["pages"]
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"
DEFAULT_PAGINATION = 100
ARTICLE_ORDER_BY = "title"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
ARTICLE_URL = "entries/{slug}/"
ARTICLE_SAVE_AS = "entries/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "kinds/{slug}/"
CATEGORY_SAVE_AS = "kinds/{slug}/index.html"
CATEGORIES_SAVE_AS = "kinds/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories"]
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None}
FEED_DOMAIN = "https://example.org"
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 50
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TAG_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RELATIVE_URLS = True
LOAD_CONTENT_CACHE = False
'''

PELICAN_THEME = {
    "base.html": '''<!doctype html>
<html lang="{{ DEFAULT_LANG }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="stylesheet" href="{{ SITEURL }}/theme/css/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="{{ SITEURL }}/">{{ SITENAME }}</a>
<nav><a href="{{ SITEURL }}/kinds/">Kinds</a> <a href="{{ SITEURL }}/tags/">Topics and places</a> <a href="{{ SITEURL }}/">A–Z</a></nav>
<a class="exit" href="https://www.bbc.co.uk/weather" rel="noreferrer">Exit this page</a>
</header>
<main id="main">{% block content %}{% endblock %}</main>
<footer><p>If you are in immediate danger, call your local emergency number.</p></footer>
</body>
</html>
''',
    "article.html": '''{% extends "base.html" %}
{% block title %}{{ article.title }} · {{ SITENAME }}{% endblock %}
{% block content %}
<article>
<h1>{{ article.title }}</h1>
<div class="summary">{{ article.summary }}</div>
{% if article.alert %}<p class="alert">{{ article.alert }}</p>{% endif %}
{{ article.content }}
<dl>
<dt>Kind</dt><dd><a href="{{ SITEURL }}/{{ article.category.url }}">{{ article.category }}</a></dd>
<dt>Topics, audiences, places, languages</dt><dd>{% for tag in article.tags %}<a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> {% endfor %}</dd>
<dt>Cost</dt><dd>{{ article.cost }}</dd>
</dl>
<p>Last checked {{ article.locale_date }}. Source: <a href="{{ article.website }}">{{ article.website }}</a></p>
</article>
{% endblock %}
''',
    "page.html": '''{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ SITENAME }}{% endblock %}
{% block content %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}
''',
    "_list.html": '''<ul class="entries">
{% for a in articles_page.object_list %}<li><a href="{{ SITEURL }}/{{ a.url }}">{{ a.title }}</a> — {{ a.summary|striptags }}</li>
{% endfor %}</ul>
{% if articles_page.has_other_pages() %}<nav class="pages">
{% if articles_page.has_previous() %}<a href="{{ SITEURL }}/{{ articles_previous_page.url }}">Previous</a>{% endif %}
Page {{ articles_page.number }} of {{ articles_paginator.num_pages }}
{% if articles_page.has_next() %}<a href="{{ SITEURL }}/{{ articles_next_page.url }}">Next</a>{% endif %}
</nav>{% endif %}
''',
    "index.html": '''{% extends "base.html" %}
{% block content %}
{% if not articles_page or articles_page.number == 1 %}
<section class="crisis"><h1>In immediate danger?</h1><p>Call your local emergency number.</p></section>
<h2>Browse by kind</h2>
<ul>{% for category, arts in categories %}<li><a href="{{ SITEURL }}/{{ category.url }}">{{ category }}</a> ({{ arts|count }})</li>{% endfor %}</ul>
{% endif %}
<h2>All services A–Z</h2>
{% include "_list.html" %}
{% endblock %}
''',
    "category.html": '''{% extends "base.html" %}
{% block title %}{{ category }} · {{ SITENAME }}{% endblock %}
{% block content %}<h1>{{ category }}</h1>{% include "_list.html" %}{% endblock %}
''',
    "tag.html": '''{% extends "base.html" %}
{% block title %}{{ tag }} · {{ SITENAME }}{% endblock %}
{% block content %}<h1>{{ tag }}</h1>{% include "_list.html" %}{% endblock %}
''',
    "tags.html": '''{% extends "base.html" %}
{% block content %}<h1>Topics, audiences, countries and languages</h1>
<ul>{% for tag, arts in tags|sort %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> ({{ arts|count }})</li>{% endfor %}</ul>
{% endblock %}
''',
    "categories.html": '''{% extends "base.html" %}
{% block content %}<h1>Kinds</h1>
<ul>{% for category, arts in categories %}<li><a href="{{ SITEURL }}/{{ category.url }}">{{ category }}</a> ({{ arts|count }})</li>{% endfor %}</ul>
{% endblock %}
''',
    "author.html": '''{% extends "base.html" %}{% block content %}{% endblock %}
''',
    "authors.html": '''{% extends "base.html" %}{% block content %}{% endblock %}
''',
    "archives.html": '''{% extends "base.html" %}{% block content %}{% endblock %}
''',
    "period_archives.html": '''{% extends "base.html" %}{% block content %}{% endblock %}
''',
}


def md_escape(s: str) -> str:
    return s.replace("[", "\\[").replace("]", "\\]")


def pelican_article(e: dict) -> str:
    tags = ([f"topic-{t}" for t in e["topics"]] + [f"audience-{a}" for a in e["audiences"]]
            + [f"country-{c.lower()}" for c in e["countries"]] + [f"language-{l}" for l in e["languages"]])
    meta = [
        f"Title: {e['name']}",
        f"Slug: {e['slug']}",
        f"Date: {e['last_verified']}",
        f"Category: {e['kind']}",
        f"Tags: {', '.join(tags)}",
        f"Summary: {e['summary']}",
        f"Cost: {e['cost']}",
        f"Crisis: {'true' if e['crisis'] else 'false'}",
        f"Website: {e['website']}",
    ]
    if e["timezone"]:
        meta.append(f"Timezone: {e['timezone']}")
    if e["status"] != "active":
        # Pelican's own "Status" means draft/hidden/published: keep every entry published.
        meta.append(f"ServiceStatus: {e['status']}")
    if e["alert"]:
        meta.append(f"Alert: {e['alert']}")
    lines = ["## Contact", ""]
    for c in e["contacts"]:
        s = f"- {c['type']}: [{md_escape(contact_text(c))}]({contact_href(c)})" if contact_href(c) else \
            f"- {c['type']}: {md_escape(contact_text(c))}"
        if c.get("keyword"):
            s += f" (text {c['keyword']})"
        if "hours" in c:
            s += f" — {hours_text(c['hours'])}"
        lines.append(s)
    if e["timezone"]:
        lines += ["", f"Hours are in {e['timezone']}."]
    lines += ["", "Sources: " + ", ".join(f"<{u}>" for u in e["sources"]), ""]
    return "\n".join(meta) + "\n\n" + "\n".join(lines) + "\n" + (e["body"] or "")


def gen_pelican(entries, out: Path, site: dict):
    clean(out)
    write(out / "pelicanconf.py", PELICAN_CONF)
    for rel, text in PELICAN_THEME.items():
        p = out / "theme" / "templates" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        write(p, text)
    (out / "theme" / "static" / "css").mkdir(parents=True)
    write(out / "theme" / "static" / "css" / "site.css", SITE_CSS)
    (out / "content" / "pages").mkdir(parents=True)
    write(out / "content" / "pages" / "about.md", f"Title: About this directory\n\n{ABOUT_BODY}")
    d = out / "content" / "entries"
    d.mkdir(parents=True)
    for e in entries:
        write(d / f"{e['slug']}.md", pelican_article(e))


FORMATS = {"signpost": gen_signpost, "hugo": gen_hugo, "pelican": gen_pelican}


def generate(n: int, seed: int = 1, stale: float = 0.25, long_bodies: bool = False) -> tuple[list[dict], dict]:
    site = load_site()
    s = Synth(seed, site, stale, long_bodies)
    return [s.entry(i) for i in range(1, n + 1)], site


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of entries")
    ap.add_argument("outdir", type=Path, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=sorted(FORMATS), default="signpost")
    ap.add_argument("--stale", type=float, default=0.25, help="share of entries past their review date (warnings)")
    ap.add_argument("--long-bodies", action="store_true", help="every Markdown body about 200 words")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("N must be at least 1")
    out = a.outdir.resolve()
    if out in (REPO, REPO.parent, Path("/")) or (out / ".git").exists():
        ap.error(f"refusing to replace {out}")
    entries, site = generate(a.n, a.seed, a.stale, a.long_bodies)
    FORMATS[a.format](entries, out, site)
    print(f"wrote {len(entries)} {a.format} entries to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
