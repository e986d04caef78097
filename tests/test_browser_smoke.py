"""The smallest real-browser check: the home page loads from the built sample, with no request
leaving the site and no console error."""
from tests.browser import open_context


def test_home_page_loads_in_chromium_without_foreign_requests(chromium, sample_site):
    watched = open_context(chromium, sample_site.url)
    page = watched.page()
    page.goto(sample_site.url + "/")
    assert page.locator("h1").inner_text() == "Find mental-health support"
    assert page.locator("a[href='tel:999']").count() >= 1
    watched.context.close()
    assert watched.foreign == []
    assert watched.errors == []
