"""The one dialling rule (generator/phones.py) over every number of the sample: contacts and
emergency numbers. E.164 only where phonenumbers says a number can be dialled from abroad."""
from __future__ import annotations

from functools import lru_cache

import phonenumbers
import pytest

from generator.build import check
from generator.model import build_site, country_name
from generator.phones import parse_number
from generator.validate import contact_region
from tests.conftest import ROOT, TODAY


@lru_cache(maxsize=1)
def sample_site_model():
    valid, diagnostics = check(ROOT, TODAY)
    assert valid is not None, diagnostics
    return valid, build_site(valid)


def sample_contacts() -> list[tuple[str, str, str, str]]:
    """(slug, type, value as written, region it is dialled in) for every phone-like contact."""
    valid, _ = sample_site_model()
    return [(item.doc.slug, c.type, c.value, contact_region(item.entry, c))
            for item in valid.entries for c in item.entry.contacts if c.type in ("phone", "sms", "whatsapp")]


def test_every_contact_of_the_sample_is_linked_by_the_rule():
    _, site = sample_site_model()
    views = {(listing.slug, c.type, c.text): c for listing in site.entries for c in listing.contacts}
    contacts = sample_contacts()
    assert len(contacts) > 30
    for slug, kind, value, region in contacts:
        number = parse_number(value, region)
        assert number is not None, (slug, value)
        parsed = phonenumbers.parse(value, region)
        abroad = phonenumbers.is_valid_number(parsed) and phonenumbers.can_be_internationally_dialled(parsed)
        view = views[(slug, kind, value)]
        if abroad:
            assert view.tel == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            assert view.only_within is None
        else:  # the digits as dialled at home, never a +CC form that does not connect
            assert not view.tel.startswith("+") and view.tel.isdigit(), (slug, value, view.tel)
            assert view.only_within[0] == region, (slug, value)
        scheme = {"phone": "tel:", "sms": "sms:", "whatsapp": "https://wa.me/"}[kind]
        assert view.href.split("?")[0] == scheme + (view.tel.lstrip("+") if kind == "whatsapp" else view.tel)


def test_every_emergency_number_is_a_number_there_and_linked_by_the_rule():
    valid, site = sample_site_model()
    numbers = [(place.code, shown, tel) for place in site.countries_help for shown, tel in place.numbers]
    assert {code for code, _, _ in numbers} == set(valid.site.emergency)
    for code, shown, tel in numbers:
        number = parse_number(shown, code)
        assert number is not None, (code, shown)
        assert tel == number.tel == shown.replace(" ", "")  # short codes: the digits, never +CC
        assert not number.international


@pytest.mark.parametrize("value, region, tel, abroad", [
    ("13 11 14", "AU", "131114", False),             # Lifeline Australia: no +61 form connects
    ("1800 55 1800", "AU", "1800551800", False),      # Kids Helpline
    ("1800 891 4416", "IN", "18008914416", False),    # Tele-MANAS
    ("0477 13 11 14", "AU", "+61477131114", True),    # a mobile: fine from abroad
    ("0800 068 4141", "GB", "+448000684141", True),
    ("116 123", "GB", "116123", False),               # a short code
    ("000", "AU", "000", False),
])
def test_the_rule_on_known_numbers(value, region, tel, abroad):
    number = parse_number(value, region)
    assert (number.tel, number.international) == (tel, abroad)


def test_every_country_with_an_entry_has_its_numbers_or_says_it_has_none():
    valid, site = sample_site_model()
    with_entries = {code for item in valid.entries for code in item.entry.countries} - {"international"}
    places = {place.code: place for place in site.countries_help}
    assert with_entries <= set(places)
    assert places["ZW"].numbers == []  # no checked number in the shared facts: none is invented
    assert [listing.slug for listing in places["international"].crisis_lines] == [
        "befrienders-worldwide", "find-a-helpline"]


def test_a_whatsapp_number_that_cannot_be_dialled_from_abroad_is_refused(project):
    """wa.me knows a number only in its international form; Kids Helpline's 1800 number has none."""
    from tests.conftest import GOOD_ENTRY

    project.write("site.yaml", (project.root / "site.yaml").read_text() + "  AU: {numbers: [\"000\"]}\n")
    project.entry("au/chat-line.yaml", GOOD_ENTRY.replace("countries: [GB]", "countries: [AU]")
                  .replace('{type: phone, value: "0800 068 4141", hours: "24/7"}', '{type: whatsapp, value: "1800 55 1800"}'))
    _, diagnostics = check(project.root, TODAY)
    assert [(d.code, d.path) for d in diagnostics if d.severity == "error"] == [
        ("phone", "content/entries/au/chat-line.yaml")]
