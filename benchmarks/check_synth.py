#!/usr/bin/env python3
"""Check a synthetic Signpost corpus made by synth.py against the facts the validator checks.

    python benchmarks/check_synth.py OUTDIR

Independent of the generator package: parses every entry with PyYAML and checks the contract's
fields, vocabulary keys against OUTDIR/site.yaml, ISO countries and languages (pycountry), phone
numbers (phonenumbers, for the contact's country), time zones (zoneinfo), https URLs, unique
slugs, phone numbers and URLs, and summary length. Exit status 1 when anything is wrong.
"""
import datetime as dt
import re
import sys
import zoneinfo
from pathlib import Path

import phonenumbers as pn
import pycountry
import yaml

FIELDS = {"name", "kind", "summary", "countries", "languages", "topics", "audiences", "cost", "crisis",
          "status", "alert", "contacts", "timezone", "website", "sources", "last_verified"}
REQUIRED = {"name", "kind", "summary", "countries", "languages", "topics", "website", "sources", "last_verified"}
CONTACT_FIELDS = {"phone": {"value"}, "sms": {"value"}, "whatsapp": {"value"}, "email": {"value"},
                  "chat": {"url"}, "website": {"url"}, "app": {"url"}, "in-person": {"address"}}
OPTIONAL = {"type", "label", "hours", "country", "keyword"}
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def main(out: Path) -> int:
    site = yaml.safe_load((out / "site.yaml").read_text(encoding="utf-8"))
    zones = zoneinfo.available_timezones()
    errors, slugs, seen = [], {}, {}
    n = 0
    for f in sorted((out / "content" / "entries").rglob("*")):
        if f.suffix not in (".md", ".yaml"):
            continue
        n += 1
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".md":
            assert text.startswith("---\n"), f
            text = text[4:text.index("\n---\n", 4) + 1]
        e = yaml.safe_load(text)

        def err(msg):
            errors.append(f"{f.relative_to(out)}: {msg}")

        if set(e) - FIELDS:
            err(f"unknown fields {sorted(set(e) - FIELDS)}")
        if REQUIRED - set(e):
            err(f"missing {sorted(REQUIRED - set(e))}")
        if f.stem in slugs:
            err(f"slug also used by {slugs[f.stem]}")
        slugs[f.stem] = f
        cc_dir = f.parent.name
        if e["countries"] == ["international"]:
            if cc_dir != "intl":
                err("international entry outside intl/")
        else:
            for c in e["countries"]:
                if not pycountry.countries.get(alpha_2=c):
                    err(f"unknown country {c}")
            if cc_dir != e["countries"][0].lower():
                err(f"folder {cc_dir} is not {e['countries'][0]}")
        for l in e["languages"]:
            if not pycountry.languages.get(alpha_2=l):
                err(f"unknown language {l}")
        if e["kind"] not in site["kinds"]:
            err(f"unknown kind {e['kind']}")
        for key in ("topics", "audiences"):
            for t in e.get(key, []):
                if t not in site[key]:
                    err(f"unknown {key[:-1]} {t}")
        if len(e["summary"]) > 200 or "\n" in e["summary"]:
            err("summary too long")
        if e.get("cost", "free") not in ("free", "low-cost", "paid"):
            err("bad cost")
        if e.get("status", "active") not in ("active", "temporarily-closed", "closed"):
            err("bad status")
        if not isinstance(e["last_verified"], dt.date):
            err("last_verified is not a date")
        elif not dt.date(2026, 5, 1) <= e["last_verified"] <= dt.date(2026, 11, 1):
            err("last_verified outside the six months before 2026-11-01")
        for u in [e["website"], *e["sources"]]:
            if not u.startswith("https://"):
                err(f"not https: {u}")
        tz = e.get("timezone")
        if tz is not None and tz not in zones:
            err(f"unknown time zone {tz}")
        if not 1 <= len(e["contacts"]) <= 3:
            err("contacts: not 1-3")
        needs_tz = False
        for c in e["contacts"]:
            t = c.get("type")
            if t not in CONTACT_FIELDS:
                err(f"bad contact type {t}")
                continue
            extra = set(c) - CONTACT_FIELDS[t] - OPTIONAL
            if extra or CONTACT_FIELDS[t] - set(c):
                err(f"contact fields {sorted(c)}")
            h = c.get("hours")
            if h is not None and h != "24/7":
                needs_tz = True
                for r in h:
                    if set(r) != {"days", "open", "close"} or not (HOURS_RE.match(r["open"]) and HOURS_RE.match(r["close"])):
                        err(f"bad hours {r}")
            if t in ("phone", "sms", "whatsapp"):
                region = c.get("country") or (e["countries"][0] if len(e["countries"]) == 1 else None)
                if region is None or region == "international":
                    err(f"phone without a country: {c}")
                    continue
                try:
                    num = pn.parse(c["value"], region)
                except pn.NumberParseException as x:
                    err(f"phone {c['value']}: {x}")
                    continue
                if not pn.is_valid_number_for_region(num, region):
                    err(f"invalid phone {c['value']} for {region}")
                key = pn.format_number(num, pn.PhoneNumberFormat.E164)
            elif t == "email":
                key = c["value"].lower()
            elif "url" in c:
                key = c["url"]
                if not key.startswith("https://"):
                    err(f"not https: {key}")
            else:
                continue
            if seen.get(key, f) != f:
                err(f"{key} also in {seen[key].relative_to(out)}")
            seen[key] = f
        if needs_tz and not tz:
            err("hours given but no timezone")
        if seen.get(e["website"], f) != f:
            err(f"website also in {seen[e['website']].relative_to(out)}")
        seen[e["website"]] = f
    print("\n".join(errors[:50]))
    print(f"{n} entries, {len(errors)} problems", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
