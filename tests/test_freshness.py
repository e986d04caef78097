"""Freshness that visitors see, closures in hours, and reporting a problem by email: the built
pages (no browser), and in real Chromium "open now" at a fixed clock on and off closure dates."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from generator.build import build, check
from generator.model import build_site
from tests.browser import open_context, serve_folder
from tests.conftest import GOOD_ENTRY, SITE_YAML, TODAY, Project

OLD = GOOD_ENTRY.replace("name: Good Line", "name: Old Line").replace("2026-10-01", "2021-03-15") \
    .replace("0800 068 4141", "116 123").replace("good.example", "old.example") + "crisis: true\n"
FRESH = GOOD_ENTRY + "crisis: true\n"
HOLIDAY = """\
name: Holiday Line
kind: helpline
summary: Office hours, closed on public holidays.
countries: [GB]
languages: [en]
topics: [anxiety]
contacts:
  - type: phone
    value: "0300 123 3393"
    hours: [{days: mon-fri, open: "09:00", close: "18:00"}]
    closed:
      - {date: 2026-12-25, label: Christmas Day}
      - {from: 2026-12-31, to: 2027-01-02}
      - {date: 2026-01-01, label: long past}
    open_extra:
      - {date: 2026-12-26, open: "10:00", close: "14:00", label: Boxing Day}
      - {date: 2027-01-01, open: "22:00", close: "02:00"}
  - type: sms
    value: "85258"
    hours: "24/7"
    closed: [{date: 2026-12-25}]
timezone: Europe/London
website: https://holiday.example.org/
sources: [https://holiday.example.org/about]
last_verified: 2026-10-01
"""
SITE = SITE_YAML + "report_email: corrections@example.org\n"


@pytest.fixture(scope="module")
def site_root(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("fresh") / "site")
    project.write("site.yaml", SITE)
    project.entry("gb/old-line.yaml", OLD)
    project.entry("gb/good-line.yaml", FRESH)
    project.entry("gb/holiday-line.yaml", HOLIDAY)
    build(project.root, project.root / "output", on=TODAY)
    return project.root


def page(root, path: str) -> str:
    return (root / "output" / path).read_text()


def test_an_entry_past_review_says_so_near_its_contacts(site_root):
    html = page(site_root, "entries/old-line/index.html")
    notice = ('<p class="freshness">Last checked March 2021. Details may have changed: check '
              '<a href="https://old.example.org/" rel="noopener noreferrer">the service\'s own site</a>.</p>')
    assert notice in html and html.index(notice) < html.index('<ul class="contacts">')
    assert '<li class="contact contact-phone" data-hours="always" data-unconfirmed>' in html
    fresh = page(site_root, "entries/good-line/index.html")
    assert 'class="freshness"' not in fresh and "data-unconfirmed" not in fresh


def test_cards_and_the_crisis_block_mark_lines_past_review(site_root):
    cards = page(site_root, "kinds/helpline/index.html")
    assert cards.count('<p class="card-stale">Last checked March 2021: details may have changed.</p>') == 1
    home = page(site_root, "index.html")
    old = home[home.index(">Old Line</a>"):]
    assert old[:old.index("</li>")].count("<small>Last checked March 2021</small>") == 1
    good = home[home.index(">Good Line</a>"):]
    assert "Last checked" not in good[:good.index("</li>")]


def test_staleness_is_judged_on_the_builds_day(site_root):
    valid, _ = check(site_root, on=dt.date(2022, 3, 14))
    assert {e.slug: e.stale for e in build_site(valid).entries}["old-line"] is False
    valid, _ = check(site_root, on=dt.date(2022, 3, 16))
    assert {e.slug: e.stale for e in build_site(valid).entries}["old-line"] is True


def test_closures_are_printed_and_given_to_the_browser(site_root):
    html = page(site_root, "entries/holiday-line/index.html")
    phone = html[html.index('<li class="contact contact-phone"'):]
    phone = phone[:phone.index("</li>")]
    # The closure of January 2026 is over on the build's day (2026-11-24): left out.
    assert """data-closed='[["2026-12-25", "2026-12-25"], ["2026-12-31", "2027-01-02"]]'""" in phone
    assert """data-extra='[["2026-12-26", 600, 840], ["2027-01-01", 1320, 120]]'""" in phone
    assert [line.split(">")[1] for line in phone.split('<span class="dates"')[1:]] == [
        "Closed 25 December 2026 (Christmas Day)</span", "Closed 31 December 2026 to 2 January 2027</span",
        "Open 26 December 2026, 10:00–14:00 (Boxing Day)</span", "Open 1 January 2027, 22:00–02:00</span"]
    assert """data-hours="always" data-tz="Europe/London" data-closed='[["2026-12-25", "2026-12-25"]]'""" in html


def test_the_json_schema_describes_closures(site_root):
    schema = json.loads(page(site_root, "schema/entry.schema.json"))
    closure = schema["$defs"]["Closure"]["properties"]
    assert set(closure) == {"date", "from", "to", "label"}
    assert set(schema["$defs"]["ExtraOpening"]["properties"]) == {"date", "open", "close", "label"}


@pytest.mark.parametrize("closed, message", [
    ("[{date: 2026-12-25, from: 2026-12-24, to: 2026-12-26}]", "either `date: YYYY-MM-DD` or `from:` and `to:`"),
    ("[{from: 2026-12-24}]", "needs `from:` and `to:`"),
    ("[{from: 2026-12-26, to: 2026-12-24}]", "`to` on or after `from`"),
    ("[{date: 25/12/2026}]", "is not a date; write it as YYYY-MM-DD"),
    ("[{day: 2026-12-25}]", "day"),
])
def test_bad_closures_are_errors_at_their_line(project, closed, message):
    project.entry("gb/bad.yaml", GOOD_ENTRY.replace('hours: "24/7"}', f'hours: "24/7", closed: {closed}}}')
                  + "timezone: Europe/London\n")
    _, found = check(project.root, on=TODAY)
    errors = [d for d in found if d.severity == "error"]
    assert errors and all(d.line == 8 for d in errors) and any(message in d.message for d in errors), errors


def test_closures_need_the_time_zone(project):
    project.entry("gb/bad.yaml", GOOD_ENTRY.replace('hours: "24/7"}', 'hours: "24/7", closed: [{date: 2026-12-25}]}'))
    _, found = check(project.root, on=TODAY)
    assert [(d.code, d.line) for d in found if d.severity == "error"] == [("timezone-required", 8)]


def test_report_by_email_fills_in_the_entry(site_root):
    html = page(site_root, "entries/old-line/index.html")
    href = html.split('No account? <a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "corrections@example.org"
    query = {key: unquote(value[0]) for key, value in parse_qs(parts.query).items()}
    assert query["subject"] == "Problem with Old Line"
    assert query["body"].startswith("Entry: Old Line\nPage: https://example.org/entries/old-line/\n")
    assert "template=entry-problem.yml" in html  # the forge's form stays beside it


def test_no_email_link_without_an_address(project):
    project.entry("gb/good-line.yaml")
    build(project.root, project.root / "output", on=TODAY)
    assert "mailto:" not in (project.root / "output/entries/good-line/index.html").read_text()


# "Open now" in real Chromium, at a fixed clock -----------------------------------------------

@pytest.fixture(scope="module")
def served(site_root):
    server = serve_folder(site_root / "output")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


# London is on UTC in winter. 2026-12-25 and 2027-01-01 are Fridays; 2026-12-26 is a Saturday.
@pytest.mark.parametrize("when, contact, badge", [
    ("2026-12-24T12:00", "phone", "Open now"),       # Thursday noon, the day before
    ("2026-12-25T12:00", "phone", "Closed now"),     # Christmas Day at noon: a weekday, closed
    ("2026-12-25T12:00", "sms", "Closed now"),       # 24/7, but closed that day
    ("2026-12-25T23:59", "sms", "Closed now"),
    ("2026-12-26T00:00", "sms", "Open now"),         # midnight in London: the closure is over
    ("2026-12-26T11:00", "phone", "Open now"),       # a Saturday, open by an extra opening
    ("2026-12-26T15:00", "phone", "Closed now"),     # ... which has ended
    ("2026-12-31T12:00", "phone", "Closed now"),     # inside a closed range
    ("2027-01-01T23:00", "phone", "Open now"),       # an extra opening on a closed day
    ("2027-01-02T01:00", "phone", "Open now"),       # ... that runs past midnight
    ("2027-01-04T12:00", "phone", "Open now"),       # the Monday after: usual hours again
    ("2026-12-24T23:30", "sms", "Open now"),
])
def test_open_now_honours_closures_at_a_fixed_clock(chromium, served, when, contact, badge):
    watched = open_context(chromium, served, service_workers="block")
    tab = watched.page()
    tab.clock.set_fixed_time(utc(when))
    tab.goto(f"{served}/entries/holiday-line/")
    assert tab.locator(f".contact-{contact} .badge").inner_text() == badge
    assert watched.errors == []
    watched.context.close()


def test_closures_are_judged_in_the_services_time_zone(chromium, served):
    watched = open_context(chromium, served, service_workers="block", timezone_id="America/New_York")
    tab = watched.page()
    # 2026-12-25 00:30 in London, but still the 24th in New York: the visitor's zone must not matter.
    tab.clock.set_fixed_time(utc("2026-12-25T00:30"))
    tab.goto(f"{served}/entries/holiday-line/")
    assert tab.locator(".contact-sms .badge").inner_text() == "Closed now"
    watched.context.close()


def test_open_now_says_the_hours_are_unconfirmed_past_review(chromium, served):
    watched = open_context(chromium, served, service_workers="block")
    tab = watched.page()
    tab.goto(f"{served}/entries/old-line/")
    assert tab.locator(".contact-phone .badge").inner_text() == "Open now (hours unconfirmed)"
    tab.goto(f"{served}/entries/good-line/")
    assert tab.locator(".contact-phone .badge").inner_text() == "Open now"
    watched.context.close()


def test_serve_keeps_a_listing_only_for_the_same_day(site_root):
    """serve's memo of listings: a new day may make an entry due, so it is judged again."""
    memo = {}
    valid, _ = check(site_root, on=dt.date(2022, 3, 14))
    first = {e.slug: e for e in build_site(valid, memo).entries}["old-line"]
    same = {e.slug: e for e in build_site(valid, memo).entries}["old-line"]
    valid.today = dt.date(2022, 3, 16)
    later = {e.slug: e for e in build_site(valid, memo).entries}["old-line"]
    assert same is first and not first.stale and later.stale
