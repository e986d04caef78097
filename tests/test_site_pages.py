"""Every kind of page in real Chromium: no axe-core violations (light, dark, right-to-left), no request to
another origin, no console error, no Content-Security-Policy violation, no cookie."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import open_context

PAGES = {
    "home": "/",
    "entry": "/entries/samaritans/",
    "entry in another language": "/entries/telefonseelsorge/",
    "kind": "/kinds/helpline/",
    "topic": "/topics/anxiety/",
    "audience": "/audiences/everyone/",
    "country": "/countries/gb/",
    "language": "/languages/de/",
    "kinds index": "/kinds/",
    "topics index": "/topics/",
    "audiences index": "/audiences/",
    "countries index": "/countries/",
    "languages index": "/languages/",
    "a-z": "/a-z/",
    "content page": "/about/",
    "search": "/search/",
    "offline": "/offline.html",
    "404": "/no-such-page/",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Playwright runs init scripts outside the page's CSP, so this listener sees every refusal.
CSP_LISTENER = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


AXE = Axe()


# Right-to-left readiness: the same pages with dir="rtl" forced on, as a translation would set it.
FORCE_RTL = "document.addEventListener('DOMContentLoaded', () => { document.documentElement.dir = 'rtl'; });"


@pytest.fixture(scope="module", params=["light", "dark", "rtl"])
def axe_context(request, chromium, sample_site):
    """A context that may inject axe-core despite the CSP: used for the accessibility pass only."""
    watched = open_context(chromium, sample_site.url, bypass_csp=True, service_workers="block",
                           color_scheme="dark" if request.param == "dark" else "light")
    if request.param == "rtl":
        watched.context.add_init_script(FORCE_RTL)
    watched.scheme = request.param
    yield watched
    watched.context.close()


@pytest.fixture(scope="module")
def strict_context(chromium, sample_site):
    """A normal context, CSP enforced, listening for violations (the offline tests cover the worker)."""
    watched = open_context(chromium, sample_site.url, service_workers="block")
    watched.context.add_init_script(CSP_LISTENER)
    yield watched
    watched.context.close()


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_accessibility_violations(axe_context, sample_site, path):
    page = axe_context.page()
    page.goto(sample_site.url + path)
    if axe_context.scheme == "rtl":
        assert page.evaluate("document.documentElement.dir") == "rtl"
    # Dark mode changes only colours, so its pass checks contrast alone (axe takes ~1 s a page).
    only = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]} if axe_context.scheme == "dark" \
        else {"type": "tag", "values": AXE_TAGS}
    results = AXE.run(page, options={"runOnly": only})
    page.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_private_and_within_the_csp(strict_context, sample_site, path):
    seen = len(strict_context.errors), len(strict_context.foreign)
    page = strict_context.page()
    response = page.goto(sample_site.url + path, wait_until="load")
    violations = page.evaluate("window.__csp")
    page.close()
    errors = strict_context.errors[seen[0]:]
    if response.status == 404:  # Chromium logs the 404 status of the page itself as an error
        errors = [e for e in errors if "404" not in e]
    assert violations == [] and errors == []
    assert strict_context.foreign[seen[1]:] == []
    assert strict_context.context.cookies() == []


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_one_h1_skip_link_landmarks_and_crisis_notice(strict_context, sample_site, path):
    page = strict_context.page()
    page.goto(sample_site.url + path)
    assert page.locator("h1").count() == 1
    assert page.locator("a.skip-link[href='#main']").count() == 1
    assert page.locator("main#main").count() == 1 and page.locator("header, footer, nav").count() >= 3
    # The home and offline pages' emergency block stands in for the short notice every other page has.
    assert page.locator("aside.crisis-notice, section#emergency").count() == 1
    assert page.locator("[data-exit]").get_attribute("href").startswith("https://")
    external = page.locator("a[href^='http']:not([href^='%s'])" % sample_site.url)
    for i in range(external.count()):
        assert set((external.nth(i).get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
    page.close()


def test_the_csp_refuses_inline_script_and_the_listener_sees_it(strict_context, sample_site):
    """Proves the checks above can fail: an inline script is refused and reported."""
    page = strict_context.page()
    page.goto(sample_site.url + "/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.ran = true'; document.body.append(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))
    page.close()
    strict_context.errors.clear()  # the refusal is logged as a console error, on purpose here
