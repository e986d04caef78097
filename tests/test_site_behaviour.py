"""What the visitor's JavaScript does, in real Chromium: exit this page, keyboard order, the
country picker and its consent to remember, "open now" at a mocked clock, and offline pages.
The crisis path on a phone (Shift timing, zoom, no-region home, offline notice) is in
test_crisis_path.py."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.build import build
from tests.browser import open_context, serve_folder
from tests.conftest import TODAY

ENTRY = "/entries/samaritans/"
EXIT_STUB = "<!doctype html><title>Weather</title><h1>Weather</h1>"


@pytest.fixture
def exit_context(chromium, sample_site):
    """A context where the exit URL answers with a local stub instead of the real site."""
    watched = open_context(chromium, sample_site.url, service_workers="block")
    watched.context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=EXIT_STUB))
    yield watched
    watched.context.close()


def test_tab_reaches_the_skip_link_then_the_exit_control(exit_context, sample_site):
    page = exit_context.page()
    page.goto(sample_site.url + ENTRY)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-exit')")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def visit_home_then_entry(page, sample_site) -> int:
    """Two pages in this tab's history; returns its length (the tab's blank start counts too)."""
    page.goto(sample_site.url + "/")
    page.goto(sample_site.url + ENTRY)
    return page.evaluate("history.length")


def assert_left_without_a_way_back(page, sample_site, length: int):
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert page.evaluate("history.length") == length  # replaced, not added
    page.go_back()
    assert page.url == sample_site.url + "/"  # Back skips the entry page we left


def test_shift_three_times_replaces_the_page(exit_context, sample_site):
    page = exit_context.page()
    length = visit_home_then_entry(page, sample_site)
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_without_a_way_back(page, sample_site, length)


def test_exit_control_replaces_the_page(exit_context, sample_site):
    page = exit_context.page()
    length = visit_home_then_entry(page, sample_site)
    page.locator("[data-exit]").click()
    assert_left_without_a_way_back(page, sample_site, length)


def test_exit_control_is_a_plain_link_without_javascript(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, java_script_enabled=False)
    watched.context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=EXIT_STUB))
    page = watched.page()
    page.goto(sample_site.url + "/")
    assert page.locator("[data-country-picker]").is_hidden()
    assert page.locator("[data-country='GB']").is_visible() and page.locator("[data-country='US']").is_hidden()
    assert page.locator(".badge").count() == 0
    page.locator("[data-exit]").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    watched.context.close()


def test_country_picker_stores_nothing_until_asked(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en-US", service_workers="block")
    page = watched.page()
    page.goto(sample_site.url + "/")
    stored = "localStorage.getItem('signpost-country')"
    # The browser's language is the first guess; nothing is written for it.
    assert page.locator("#country-choice").input_value() == "US"
    assert page.locator("[data-country='US']").is_visible() and page.locator("[data-country='GB']").is_hidden()
    page.locator("#country-choice").select_option("GB")
    assert page.locator("[data-country='GB'] a[href='tel:999']").is_visible()
    assert page.locator("[data-country='US']").is_hidden()
    assert page.evaluate(stored) is None
    page.locator("#country-remember").check()
    assert page.evaluate(stored) == "GB"
    page.reload()
    assert page.locator("#country-choice").input_value() == "GB" and page.locator("#country-remember").is_checked()
    page.locator("#country-remember").uncheck()
    assert page.evaluate(stored) is None
    assert watched.errors == [] and watched.foreign == [] and watched.context.cookies() == []
    watched.context.close()


HOURS_ENTRY = """\
name: Hours Line
kind: helpline
summary: Office hours, a night shift past midnight and a split day.
countries: [GB]
languages: [en]
topics: [anxiety]
contacts:
  - {type: phone, value: "0800 068 4141", hours: [{days: mon-fri, open: "09:00", close: "17:00"}]}
  - type: sms
    value: "85258"
    hours: [{days: fri, open: "22:00", close: "02:00"}, {days: sun, open: "22:00", close: "02:00"}]
  - type: email
    value: help@hours.example.org
    hours: [{days: mon, open: "09:00", close: "12:00"}, {days: mon, open: "14:00", close: "17:00"}]
timezone: Europe/London
website: https://hours.example.org/
sources: [https://hours.example.org/about]
last_verified: 2026-10-01
"""
NEW_YORK_ENTRY = """\
name: New York Line
kind: helpline
summary: Office hours in New York.
countries: [US]
languages: [en]
topics: [anxiety]
contacts:
  - {type: phone, value: "988", hours: [{days: mon-fri, open: "09:00", close: "17:00"}]}
timezone: America/New_York
website: https://ny.example.org/
sources: [https://ny.example.org/about]
last_verified: 2026-10-01
"""


@pytest.fixture(scope="module")
def hours_site(tmp_path_factory):
    """A small project published under a sub-path (/help/), as on a forge's project pages."""
    from tests.conftest import SITE_YAML, Project

    project = Project(tmp_path_factory.mktemp("hours") / "site")
    project.write("site.yaml", SITE_YAML.replace("https://example.org/", "https://example.org/help/"))
    project.entry("gb/hours-line.yaml", HOURS_ENTRY)
    project.entry("us/new-york-line.yaml", NEW_YORK_ENTRY)
    served = project.root.parent / "served"
    build(project.root, served / "help", on=TODAY)
    server = serve_folder(served)
    yield f"http://127.0.0.1:{server.server_address[1]}/help"
    server.shutdown()


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


# In November London is on UTC; 2026-11-25 is a Wednesday.
@pytest.mark.parametrize("when, slug, contact, badge", [
    ("2026-11-25T10:00", "hours-line", "phone", "Open now"),        # Wednesday 10:00, office hours
    ("2026-11-28T10:00", "hours-line", "phone", "Closed now"),      # Saturday
    ("2026-07-01T08:30", "hours-line", "phone", "Open now"),        # 09:30 in London's summer time
    ("2026-11-28T01:00", "hours-line", "sms", "Open now"),          # Friday's night shift, after midnight
    ("2026-11-28T03:00", "hours-line", "sms", "Closed now"),        # ... and after it ended
    ("2026-11-30T01:00", "hours-line", "sms", "Open now"),          # Sunday night into Monday: round the week
    ("2026-11-30T13:00", "hours-line", "email", "Closed now"),      # Monday's lunch gap in a split shift
    ("2026-11-30T15:00", "hours-line", "email", "Open now"),
    ("2026-11-25T10:00", "new-york-line", "phone", "Closed now"),   # 05:00 in New York
    ("2026-11-25T15:00", "new-york-line", "phone", "Open now"),     # 10:00 in New York
])
def test_open_now_badge_at_a_fixed_clock(chromium, hours_site, when, slug, contact, badge):
    watched = open_context(chromium, hours_site, service_workers="block")
    page = watched.page()
    page.clock.set_fixed_time(utc(when))
    page.goto(f"{hours_site}/entries/{slug}/")
    assert page.locator(f".contact-{contact} .badge").inner_text() == badge
    assert watched.errors == []
    watched.context.close()


# evaluate, not wait_for_function: the latter polls with eval(), which the page's CSP refuses.
WORKER_IN_CONTROL = """navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller || new Promise(
    done => navigator.serviceWorker.addEventListener('controllerchange', done)))"""


def test_crisis_pages_open_offline_after_a_first_visit(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en-GB")  # the picker shows GB first
    page = watched.page()
    page.goto(sample_site.url + "/")
    page.evaluate(WORKER_IN_CONTROL)
    page.goto(sample_site.url + ENTRY)  # a visited entry, cached as it passes through the worker
    assert watched.errors == [] and watched.foreign == []
    watched.context.set_offline(True)
    page.goto(sample_site.url + "/")
    assert page.locator("a[href='tel:999']").first.is_visible()
    page.goto(sample_site.url + ENTRY)
    assert page.locator("h1").inner_text() == "Samaritans"
    page.goto(sample_site.url + "/countries/us/")  # never visited: the offline page, with GB's numbers
    assert page.locator("h1").inner_text() == "You are offline"
    assert page.locator("[data-country='GB'] a[href='tel:999']").is_visible()
    assert page.locator("a[href='tel:911']:visible").count() == 0
    watched.context.close()


def test_under_a_sub_path_the_worker_keeps_to_it_and_pages_open_offline(chromium, hours_site):
    watched = open_context(chromium, hours_site)
    page = watched.page()
    page.goto(hours_site + "/")
    page.evaluate(WORKER_IN_CONTROL)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == hours_site + "/sw.js"
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == hours_site + "/"
    page.goto(hours_site + "/entries/hours-line/")
    assert watched.errors == [] and watched.foreign == []
    watched.context.set_offline(True)
    page.goto(hours_site + "/entries/hours-line/")
    assert page.locator("h1").inner_text() == "Hours Line"
    page.goto(hours_site + "/countries/gb/")  # never visited: the offline page stands in
    assert page.locator("h1").inner_text() == "You are offline"
    assert page.locator("a[href='tel:999']").count() >= 1
    watched.context.close()
