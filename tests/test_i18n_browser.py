"""The site in French and in Arabic, in real Chromium: home → search → entry → exit, and axe-core
on one page of every type in every shipped language (issue 17)."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.i18n import translations
from tests.browser import open_context
from tests.conftest import ROOT

EXIT_URL = "https://www.bbc.co.uk/weather"  # site.yaml's exit_url
EXIT_STUB = "<!doctype html><title>Weather</title><h1>Weather</h1>"
PHONE = {"width": 390, "height": 844}
LANGUAGES = ["fr", "es", "pt", "de", "nl", "ja", "hi", "ar"]
# One page of each type (a term list per taxonomy is one template: one of them stands for all).
PAGE_TYPES = {"home": "/", "entry": "/entries/samaritans/", "entry in its own language": "/entries/3114/",
              "list": "/topics/anxiety/", "country": "/countries/gb/", "index": "/topics/", "a-z": "/a-z/",
              "content page": "/about/", "search": "/search/", "offline": "/offline.html", "404": "/404.html"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()

# (language, the home page's heading, the results' status, the contact's action, the open-now badge)
PATHS = [("fr", "Trouver de l'aide en santé mentale", r"Résultats", "Appeler", "Ouvert maintenant"),
         ("ar", "ابحث عن دعم للصحة النفسية", r"النتائج", "اتصل", "مفتوح الآن")]


@pytest.fixture
def phone(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, viewport=PHONE, service_workers="block")
    watched.context.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                                         body=EXIT_STUB))
    yield watched
    watched.context.close()


@pytest.mark.parametrize("code, heading, found, action, badge", PATHS, ids=[p[0] for p in PATHS])
def test_home_search_entry_exit_in_a_language(phone, sample_site, code, heading, found, action, badge):
    page = phone.page()
    page.goto(f"{sample_site.url}/{code}/")
    assert page.locator("h1").inner_text() == heading
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == \
        [code, "rtl" if code == "ar" else "ltr"]
    page.fill("#home-search", "samaritans")
    page.press("#home-search", "Enter")
    page.wait_for_url(re.compile(rf"/{code}/search/#q=samaritans$"))
    page.locator("#search-status").filter(has_text=re.compile(found)).wait_for()
    page.locator("#search-results .card-title a", has_text="Samaritans").first.click()
    page.wait_for_url(re.compile(rf"/{code}/entries/samaritans/$"))
    assert page.locator(".contact-phone .contact-action").first.inner_text().startswith(action)
    page.locator(".contact-phone .badge", has_text=badge).first.wait_for()
    # The switcher keeps the visitor on this page in the language they choose.
    assert page.locator('nav.languages a[lang="en"]').get_attribute("href") == "/entries/samaritans/"
    box = page.locator("[data-exit]").bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    page.locator("[data-exit]").click()
    page.wait_for_url(EXIT_URL)
    assert not phone.errors and phone.foreign == [EXIT_URL], (phone.errors, phone.foreign)  # only where Exit goes


@pytest.mark.parametrize("code", ["fr", "ar", "hi"])
def test_a_count_of_services_takes_the_form_its_language_gives_that_number(phone, sample_site, code):
    """The results' status words their count as the catalogue's plural forms have it for that
    number (Arabic's dual, French's singular for 1), the message the list pages draw too."""
    catalogue = translations(ROOT, code, "en")
    page = phone.page()
    # The count the page announced: what search.js signals once its status is written.
    page.add_init_script("window.shown = null; document.addEventListener('signpost:results', "
                         "(e) => { window.shown = e.detail.count; }, true)")
    counts = set()
    for query in ("samaritans", "lifeline", "crisis", "grief", "anxiety"):
        page.goto("about:blank")  # a new page each time: the status of this query, not of the last
        page.goto(f"{sample_site.url}/{code}/search/#q={query}")
        count = page.evaluate("() => window.shown ?? new Promise((resolve) => document.addEventListener("
                              "'signpost:results', (e) => resolve(e.detail.count), {once: true, capture: true}))")
        form = catalogue.ngettext("%(num)s service", "%(num)s services", count) % {"num": count}
        status = page.locator("#search-status").inner_text()
        assert status.startswith(catalogue.gettext("{services} found").format(services=form)), (query, status)
        assert "(s)" not in status
        counts.add(count)
    assert len(counts) >= 3, counts  # different counts, so different forms, were checked
    assert not phone.errors, phone.errors


@pytest.mark.parametrize("code", ["fr", "es", "ar"])
def test_did_you_mean_is_the_catalogues_sentence_around_the_link(phone, sample_site, code):
    # The question mark was the script's own, after the link: "Vouliez-vous dire anxiety?" in
    # French, a Latin "?" in Arabic, no "¿" in Spanish.
    catalogue = translations(ROOT, code, "en")
    page = phone.page()
    page.goto(f"{sample_site.url}/{code}/search/#q=anxty")  # nothing matches; "anxiety" is two slips away
    link = page.locator("#search-status a", has_text="anxiety")
    link.wait_for()
    assert link.get_attribute("href").endswith("#q=anxiety")
    sentence = catalogue.gettext("Did you mean {words}?")
    assert sentence != "Did you mean {words}?"
    assert page.locator("#search-status").inner_text().endswith(sentence.format(words="anxiety"))
    assert not phone.errors, phone.errors


@pytest.mark.parametrize("code, query, name", [("fr", "je me sens seule", "Samaritans"), ("de", "traurig", "Side by Side (Mind)"),
                                              ("pt", "sozinho", "Samaritans"), ("es", "hablar con alguien", "Samaritans")])
def test_a_feeling_in_the_pages_language_finds_the_services_for_it(phone, sample_site, code, query, name):
    # site.yaml's synonyms in each language of the site: "seule" was taken for a typo of another
    # word, "traurig" and "sozinho" found nothing, "hablar con alguien" only Spain's 024.
    page = phone.page()
    page.goto(f"{sample_site.url}/{code}/search/#q={query.replace(' ', '+')}")
    page.locator("#search-results .card-title", has_text=name).first.wait_for()
    found = translations(ROOT, code, "en").gettext("{services} found").split("{services}")[0]
    # The status is written once the first cards are drawn: wait for it, not just for them.
    page.wait_for_function("(words) => document.getElementById('search-status').innerText.startsWith(words)", arg=found)
    assert not phone.errors, phone.errors


# (language, what a visitor types: a topic in that language's words, the service it finds, how
# its card names the kind and the country there)
LABEL_QUERIES = [("fr", "deuil", "Pieta", "Lignes d’écoute · Irlande"), ("de", "trauer", "Pieta", "Telefonberatung · Irland"),
                 ("ar", "حزن", "Pieta", "خطوط المساعدة · أيرلندا")]  # "الحزن" in the label: stemmed alike


@pytest.mark.parametrize("code, query, name, meta", LABEL_QUERIES, ids=[q[0] for q in LABEL_QUERIES])
def test_search_in_a_language_finds_by_its_labels_and_shows_cards_in_it(phone, sample_site, code, query, name, meta):
    page = phone.page()
    page.goto(f"{sample_site.url}/{code}/search/#q={query}")
    card = page.locator("#search-results .card", has=page.locator(".card-title", has_text=name)).first
    card.wait_for()
    assert card.locator(".card-meta").inner_text().startswith(meta)
    summary = card.locator("p:not(.card-meta):not(.card-contact)").first
    assert summary.get_attribute("lang") == "en"  # Pieta gives no summary in this language: marked as English
    assert not phone.errors, phone.errors


def test_the_exit_countdown_speaks_the_page_language(phone, sample_site):
    page = phone.page()
    page.goto(f"{sample_site.url}/fr/entries/samaritans/")
    page.wait_for_function("window.signpostText !== undefined")
    page.evaluate("window.signpostText.ready")
    page.keyboard.press("Shift")
    assert page.locator("[data-exit-status]").inner_text() == "Maj : appuyez encore 2 fois pour quitter."


@pytest.fixture(scope="module")
def axe_context(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, bypass_csp=True, service_workers="block")
    yield watched
    watched.context.close()


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
@pytest.mark.parametrize("code", LANGUAGES)
def test_no_accessibility_violations_in_any_language(axe_context, sample_site, code, path):
    page = axe_context.page()
    page.goto(f"{sample_site.url}/{code}{path}")
    assert page.evaluate("document.documentElement.lang") == code
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    page.close()
    assert results.violations_count == 0, results.generate_report()
