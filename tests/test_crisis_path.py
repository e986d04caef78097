"""The crisis path on a phone, in real Chromium (issue 14): the exit control in view however the
page is scrolled or zoomed, GOV.UK's Shift timing on a controlled clock, the visitor's country
drawn without layout shift, the no-region home, offline pages, and every tel:/sms: link by the
dialling rule."""
from __future__ import annotations

import re

import phonenumbers
import pytest

from tests.browser import open_context

EXIT_URL = "https://www.bbc.co.uk/weather"
EXIT_STUB = "<!doctype html><title>Weather</title><h1>Weather</h1>"
TOPIC = "/topics/anxiety/"
# 390×844 is a common phone; 200% zoom on it leaves 195 CSS px (the browser doubles every
# CSS pixel); 320 CSS px is WCAG's reflow width.
VIEWPORTS = {"phone": (390, 844), "reflow-320": (320, 640), "phone-200%": (195, 422)}
# Every layout shift since the page started, including those before the test looks.
CLS_OBSERVER = """window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shifts.push(e.value); }))
  .observe({type: 'layout-shift', buffered: true});"""


def exit_context(chromium, sample_site, **options):
    watched = open_context(chromium, sample_site.url, service_workers="block", **options)
    watched.context.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=EXIT_STUB))
    return watched


@pytest.mark.parametrize("size", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_exit_stays_in_view_and_on_top_when_scrolled_and_zoomed(chromium, sample_site, size):
    watched = exit_context(chromium, sample_site, viewport={"width": size[0], "height": size[1]})
    page = watched.page()
    page.goto(sample_site.url + TOPIC)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * size[1]  # a long page, so scrolling half-way moves far
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    box = page.locator("[data-exit]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], box  # not clipped at either edge
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], box
    assert box["height"] >= 44 and box["width"] >= 44
    # Nothing covers it: the point at its centre is the link itself.
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('[data-exit]') !== null",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    length = page.evaluate("history.length")
    page.locator("[data-exit]").click()
    page.wait_for_url(EXIT_URL)
    assert page.evaluate("history.length") == length
    watched.context.close()


def shift(page, times=1):
    for _ in range(times):
        page.keyboard.press("Shift")


def status(page) -> str:
    return page.locator("[data-exit-status]").inner_text()


@pytest.fixture
def clocked(chromium, sample_site):
    """An entry page, after the home page, on a clock that moves only when the test says."""
    watched = exit_context(chromium, sample_site)
    page = watched.page()
    page.clock.install()
    page.goto(sample_site.url + "/")
    page.goto(sample_site.url + "/entries/samaritans/")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # from here time moves only by run_for
    yield page, page.evaluate("history.length")
    assert watched.errors == []
    watched.context.close()


def test_three_shifts_with_almost_five_seconds_between_them_exit(clocked, sample_site):
    page, length = clocked
    assert page.locator("[data-exit-status]").get_attribute("role") == "status"  # a polite live region
    shift(page)
    assert status(page) == "Shift, press 2 more times to exit."
    page.clock.run_for(4900)
    shift(page)
    assert status(page) == "Shift, press 1 more time to exit."
    page.clock.run_for(4900)
    shift(page)
    page.wait_for_url(EXIT_URL)
    assert page.evaluate("history.length") == length  # replaced, not added
    page.go_back()
    assert page.url == sample_site.url + "/"  # Back skips the page we left


def test_a_gap_over_five_seconds_starts_the_count_again(clocked, sample_site):
    page, _ = clocked
    shift(page, 2)
    page.clock.run_for(5100)
    assert status(page) == "Exit this page expired."
    shift(page)
    assert status(page) == "Shift, press 2 more times to exit."
    page.clock.run_for(1000)
    shift(page)
    assert status(page) == "Shift, press 1 more time to exit."
    assert page.url == sample_site.url + "/entries/samaritans/"


def test_shift_used_to_type_a_capital_or_another_key_between_does_not_count(clocked, sample_site):
    page, _ = clocked
    shift(page, 2)
    assert status(page) == "Shift, press 1 more time to exit."
    page.keyboard.press("Shift+A")  # another key ends the sequence, and this Shift (a modifier) is not counted
    assert status(page) == ""
    shift(page)
    assert status(page) == "Shift, press 2 more times to exit."
    page.keyboard.press("Tab")
    shift(page, 2)
    assert page.url == sample_site.url + "/entries/samaritans/"
    shift(page)
    page.wait_for_url(EXIT_URL)


# The page reports what it shows as it starts to leave: evaluate() would wait for the pending
# navigation, so the page tells the test through its console instead.
BLANK_REPORTER = """document.addEventListener('DOMContentLoaded', () => {
  const report = (when) => console.log(when + ':' + getComputedStyle(document.body).visibility);
  new MutationObserver(() => document.documentElement.classList.contains('exiting') && report('exiting'))
    .observe(document.documentElement, {attributeFilter: ['class']});
});"""


def test_the_page_is_blanked_before_the_next_one_arrives(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, service_workers="block")
    held, said = [], []
    watched.context.route(EXIT_URL + "**", lambda route: held.append(route))  # answered later
    watched.context.add_init_script(BLANK_REPORTER)
    page = watched.page()
    page.on("console", lambda message: said.append(message.text) if message.text.startswith("exiting:") else None)
    page.goto(sample_site.url + TOPIC)
    shift(page, 3)
    for _ in range(100):
        if held and said:
            break
        page.wait_for_timeout(20)
    assert held and said == ["exiting:hidden"]  # blank while the exit URL has not answered yet
    held[0].fulfill(status=200, content_type="text/html", body=EXIT_STUB)
    page.wait_for_url(EXIT_URL)
    assert page.locator("h1").inner_text() == "Weather"
    watched.context.close()


def visible_countries(page) -> list[str]:
    return page.eval_on_selector_all("[data-country]", "els => els.filter(e => e.offsetParent).map(e => e.dataset.country)")


@pytest.mark.parametrize("locale, shown", [("en-GB", ["GB"]), ("en-US", ["US"]), ("pt-BR", ["BR"]),
                                           ("en", []), ("fr-CH", []), ("en-ZW", ["ZW"])])
def test_the_visitors_country_is_drawn_first_with_no_layout_shift(chromium, sample_site, locale, shown):
    watched = open_context(chromium, sample_site.url, locale=locale, service_workers="block",
                           viewport={"width": 390, "height": 844})
    watched.context.add_init_script(CLS_OBSERVER)
    page = watched.page()
    page.goto(sample_site.url + "/", wait_until="load")
    page.wait_for_timeout(300)  # let any late shift be reported
    assert page.evaluate("window.__shifts") == []
    assert visible_countries(page) == shown
    assert page.locator("#country-choice").input_value() == (shown[0] if shown else "")
    # The international lines are always there: the fallback for a region we do not list.
    assert page.locator(".place-intl a[href$='/entries/befrienders-worldwide/']").is_visible()
    assert page.locator(".place-intl a[href$='/entries/find-a-helpline/']").is_visible()
    assert watched.errors == [] and watched.foreign == []
    watched.context.close()


def test_without_a_known_region_the_home_page_is_short(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en", service_workers="block",
                           viewport={"width": 390, "height": 844})
    page = watched.page()
    page.goto(sample_site.url + "/")
    assert page.locator(".emergency-numbers a:visible").count() == 0
    block = page.locator("#emergency").bounding_box()
    assert block["height"] < 844  # chooser and international lines: one screen, not 14 countries
    page.locator("#country-choice").select_option("AU")
    assert visible_countries(page) == ["AU"] and page.locator("a[href='tel:000']").is_visible()
    watched.context.close()


def test_a_country_without_a_checked_number_says_so(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en-ZW", service_workers="block")
    page = watched.page()
    page.goto(sample_site.url + "/")
    place = page.locator("[data-country='ZW']")
    assert "We have no checked emergency number for Zimbabwe" in place.inner_text()
    assert place.locator(".emergency-numbers a").count() == 0
    place.locator("a[href$='#help-international']").click()
    assert page.locator("#help-international").is_visible()
    page.goto(sample_site.url + "/countries/zw/")
    assert "We have no checked emergency number for Zimbabwe" in page.locator(".emergency").inner_text()
    watched.context.close()


def test_without_javascript_the_default_country_and_a_way_to_the_others(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, java_script_enabled=False)
    page = watched.page()
    page.goto(sample_site.url + "/")
    assert visible_countries(page) == ["GB"]  # site.yaml default_country
    assert page.locator("[data-country-picker]").is_hidden()
    page.locator(".other-countries a").click()
    page.locator("a[href='/countries/au/']").first.click()
    assert page.locator(".emergency a[href='tel:000']").is_visible()
    watched.context.close()


# evaluate, not wait_for_function: the latter polls with eval(), which the page's CSP refuses.
WORKER_READY = """navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller || new Promise(
    done => navigator.serviceWorker.addEventListener('controllerchange', done)))"""
SAVED = """caches.open('signpost-pages').then(c => c.keys()).then(ks => ks.map(k => new URL(k.url).pathname))"""
PRECACHED = """caches.keys().then(names => caches.open(names.find(n => n.startsWith('signpost-static-'))))
  .then(c => c.keys().then(ks => Promise.all(ks.map(k => c.match(k).then(r => r.arrayBuffer())
  .then(b => [new URL(k.url).pathname, b.byteLength])))))"""


@pytest.fixture
def offline_visit(chromium, sample_site):
    """A first visit that lands on an entry page (en-AU), once its worker has saved it."""
    watched = open_context(chromium, sample_site.url, locale="en-AU")
    page = watched.page()
    page.goto(sample_site.url + "/entries/lifeline-australia/")
    page.evaluate(WORKER_READY)
    for _ in range(100):  # the worker saves the open page as it activates
        if "/entries/lifeline-australia/" in page.evaluate(SAVED):
            break
        page.wait_for_timeout(20)
    yield watched, page
    assert watched.foreign == []
    watched.context.close()


def test_the_page_of_a_first_visit_opens_offline(offline_visit, sample_site):
    watched, page = offline_visit
    watched.context.set_offline(True)
    page.reload()
    assert page.url == sample_site.url + "/entries/lifeline-australia/"
    assert page.locator("h1").inner_text() == "Lifeline Australia"


def test_an_unvisited_page_offline_says_so_with_the_visitors_numbers(offline_visit, sample_site):
    watched, page = offline_visit
    watched.context.set_offline(True)
    page.goto(sample_site.url + "/countries/us/")
    assert page.url == sample_site.url + "/countries/us/"  # at its own address
    assert page.locator("h1").inner_text() == "You are offline"
    assert visible_countries(page) == ["AU"]  # the visitor's country, not the page's
    assert page.locator("a[href='tel:000']").is_visible()
    assert page.locator("[data-country='AU'] a[href='tel:131114']").is_visible()
    page.goto(sample_site.url + "/")  # the home page was never visited either
    assert page.locator("h1").inner_text() == "You are offline"


def test_a_first_visit_precaches_only_the_crisis_essentials(offline_visit, sample_site):
    _, page = offline_visit
    stored = dict(page.evaluate(PRECACHED))
    assert sorted(re.sub(r"\.[0-9a-f]{10}\.", ".", path) for path in stored) == [
        "/assets/site.js", "/assets/style.css", "/offline.html"]
    assert sum(stored.values()) < 40 * 1024, stored
    assert page.evaluate(SAVED) == ["/entries/lifeline-australia/"]


def expected_dial(value: str, region: str) -> str:
    """The rule, straight from phonenumbers: E.164 when it can be dialled from abroad, else the
    digits as dialled in the country (short codes such as 116 123 are not valid E.164 numbers)."""
    number = phonenumbers.parse(value, region)
    if phonenumbers.is_valid_number(number) and phonenumbers.can_be_internationally_dialled(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "".join(ch for ch in phonenumbers.format_number_for_mobile_dialing(number, region, False) or value
                   if ch.isdigit())


def test_every_tel_and_sms_link_follows_the_dialling_rule(chromium, sample_site):
    """Every entry page and the home page, as a browser sees the links: the number each contact
    is written with, dialled by the rule; 'only from within' beside each one that is national."""
    from tests.test_phones import sample_contacts

    watched = open_context(chromium, sample_site.url, service_workers="block")
    page = watched.page()
    national = 0
    for slug, kind, value, region in sample_contacts():
        page.goto(f"{sample_site.url}/entries/{slug}/")
        dial = expected_dial(value, region)
        scheme = {"phone": "tel:", "sms": "sms:", "whatsapp": "https://wa.me/"}[kind]
        link = page.locator(f".contact-{kind} a.contact-link", has_text=value).first
        href = link.get_attribute("href")
        assert href.split("?")[0] == scheme + (dial.lstrip("+") if kind == "whatsapp" else dial), (slug, value)
        note = link.locator("xpath=following-sibling::span[contains(., 'Only from within')]")
        assert note.count() == (0 if dial.startswith("+") else 1), (slug, value)
        national += not dial.startswith("+")
    assert national >= 10  # Australia's 13 numbers, India's 1800 ones, short codes...
    page.goto(sample_site.url + "/")
    hrefs = page.eval_on_selector_all("a[href^='tel:'], a[href^='sms:']", "els => els.map(e => e.getAttribute('href'))")
    assert "tel:131114" in hrefs and "tel:+61131114" not in hrefs  # Lifeline Australia, as at home
    assert "tel:18008914416" in hrefs  # Tele-MANAS's 1800 number: only from within India
    assert watched.errors == []
    watched.context.close()
