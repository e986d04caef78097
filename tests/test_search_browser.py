"""Search in real Chromium against the built sample site: typing finds entries, typos and partial
words still find, facets narrow with counts, state lives in the URL, nothing leaves the origin,
no-JS visitors get links instead of broken controls, and axe-core finds nothing."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import open_context  # the chromium and sample_site fixtures come from conftest

RESULTS = "#search-results .card-title a"


@pytest.fixture
def watched(chromium, sample_site):
    watched = open_context(chromium, sample_site.url)
    yield watched
    watched.context.close()
    assert watched.foreign == []
    assert watched.errors == []


def search_page(watched, sample_site, query=""):
    page = watched.page()
    page.goto(f"{sample_site.url}/search/{query}")
    return page


def names(page) -> list[str]:
    return page.locator(RESULTS).all_inner_texts()


def found(page) -> int:
    return int(page.locator("#search-status").inner_text().split()[0])


def settle(page, text):
    """Wait until the status region says `text` (a regular expression)."""
    page.locator("#search-status").filter(has_text=re.compile(text)).wait_for()


def test_typing_shows_matching_entries_with_kind_summary_and_first_contact(watched, sample_site):
    page = search_page(watched, sample_site)
    page.fill("#search-q", "friendship bench")
    settle(page, r"found")
    card = page.locator("#search-results li").first
    assert card.locator("a").inner_text() == "Friendship Bench"
    assert card.locator(".card-meta").inner_text() == "Community initiatives"
    assert "benches at clinics in Zimbabwe" in card.inner_text()
    assert page.locator("#search-results a[href='/entries/friendship-bench/']").count() == 1


def test_first_contact_in_results_is_one_tap_away(watched, sample_site):
    page = search_page(watched, sample_site, "?q=samaritans&country=GB")  # keys match in any case
    settle(page, r"found")
    assert page.locator("input[name='country'][value='gb']").is_checked()
    assert page.locator("#search-results .card-contact a[href='tel:116123']").inner_text() == "116 123"


@pytest.mark.parametrize("query, expected", [("friendsh", "Friendship Bench"), ("samaratins", "Samaritans"),
                                             ("telefonseelsorg", "TelefonSeelsorge")])
def test_partial_words_and_typos_still_find(watched, sample_site, query, expected):
    page = search_page(watched, sample_site, f"?q={query}")
    settle(page, r"found")
    assert expected in names(page)


def test_exact_name_ranks_first(watched, sample_site):
    page = search_page(watched, sample_site, "?q=kids+helpline")
    settle(page, r"found")
    assert names(page)[0] == "Kids Helpline"


def facet(page, name, value):
    page.locator("details.facet", has=page.locator(f"input[name='{name}']")).locator("summary").click()
    return page.locator(f"input[name='{name}'][value='{value}']")


def count_of(box) -> int:
    return int(box.locator("xpath=..").locator(".count").inner_text().strip(" ()"))


def test_facets_narrow_results_count_update_and_state_round_trips(watched, sample_site):
    page = search_page(watched, sample_site, "?q=suicide")
    settle(page, r"\d+ services found")
    everywhere = found(page)
    gb = facet(page, "country", "gb")
    page.wait_for_function("document.querySelector('#search-facets .count').textContent !== ''")
    in_gb = count_of(gb)
    assert 0 < in_gb < everywhere
    gb.check()
    settle(page, rf"^{in_gb} services? found")
    assert found(page) == in_gb
    assert parse_qs(urlsplit(page.url).query) == {"q": ["suicide"], "country": ["gb"]}
    # The other facets now count within the United Kingdom only.
    helpline = facet(page, "kind", "helpline")
    assert count_of(helpline) <= in_gb
    # Combine: helplines in GB.
    helpline.check()
    settle(page, r"found")
    page.wait_for_function("location.search.includes('kind=helpline')")
    assert found(page) == count_of(helpline)
    # Back: GB only again; back again: no filter.
    page.go_back()
    page.wait_for_function("!location.search.includes('kind=')")
    settle(page, rf"^{in_gb} services? found")
    page.go_back()
    page.wait_for_function("!location.search.includes('country=')")
    settle(page, rf"^{everywhere} services found")
    assert not gb.is_checked()


def test_loading_a_shared_url_restores_query_and_facets(watched, sample_site):
    page = search_page(watched, sample_site, "?q=suicide&country=gb")
    settle(page, r"found")
    assert page.input_value("#search-q") == "suicide"
    assert page.locator("input[name='country'][value='gb']").is_checked()
    assert "Samaritans" in names(page)
    page.click("#search-clear")
    page.wait_for_function("!location.search.includes('country=')")
    assert not page.locator("input[name='country'][value='gb']").is_checked()


def test_filters_show_totals_before_any_query(watched, sample_site):
    page = search_page(watched, sample_site)
    zw = facet(page, "country", "zw")
    page.wait_for_function("document.querySelector('#search-facets .count').textContent !== ''")
    assert count_of(zw) == 1
    assert names(page) == []


def test_facets_alone_browse_without_a_query(watched, sample_site):
    page = search_page(watched, sample_site, "?language=fr")
    settle(page, r"found")
    assert "SOS Amitié" in names(page)


def test_home_page_box_submits_to_the_search_page(watched, sample_site):
    page = watched.page()
    page.goto(sample_site.url + "/")
    page.fill("#home-search", "samaritans")
    page.press("#home-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=samaritans$"))
    settle(page, r"found")
    assert names(page)[0] == "Samaritans"


def test_keyboard_alone_reaches_a_result(watched, sample_site):
    page = search_page(watched, sample_site)
    page.focus("#search-q")
    page.keyboard.type("pieta")
    settle(page, r"found")
    page.keyboard.press("Tab")  # the Search button
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#search-results') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Pieta"


def test_without_javascript_no_search_controls_only_links(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, java_script_enabled=False)
    page = watched.page()
    page.goto(sample_site.url + "/search/?q=grief")
    assert not page.locator("#search-q").is_visible()
    assert page.locator("[data-search-nojs]").is_visible()
    for path in ("/kinds/", "/topics/", "/countries/", "/languages/", "/a-z/"):
        assert page.locator(f"main a[href='{path}']").is_visible()
    page.goto(sample_site.url + "/")
    assert not page.locator("#home-search").is_visible()
    watched.context.close()
    assert watched.foreign == []


def test_search_page_has_no_axe_violations(chromium, sample_site):
    from axe_playwright_python.sync_playwright import Axe

    # bypass_csp only so axe's injected script may run; the other tests use the real CSP.
    watched = open_context(chromium, sample_site.url, bypass_csp=True)
    page = watched.page()
    page.goto(sample_site.url + "/search/?q=suicide")
    settle(page, r"found")
    page.locator("details.facet summary").first.click()
    results = Axe().run(page)
    watched.context.close()
    assert results.violations_count == 0, results.generate_report()


def test_when_the_index_cannot_load_the_page_says_so_and_keeps_the_links(chromium, sample_site):
    watched = open_context(chromium, sample_site.url)
    watched.context.route("**/search/index/**", lambda route: route.abort())
    page = watched.page()
    # The benchmark waits for this event, or for results: without it a failure would hang it.
    page.add_init_script("window.failed = 0; document.addEventListener('signpost:failed', () => window.failed++, true)")
    page.goto(sample_site.url + "/search/?q=grief")
    settle(page, r"not available")
    assert page.evaluate("window.failed") == 1
    assert page.locator("main a[href='/a-z/']").is_visible()
    watched.context.close()


def test_a_lone_letter_asks_for_more_instead_of_listing_everything(watched, sample_site):
    page = search_page(watched, sample_site, "?q=s")
    settle(page, r"at least two letters")
    assert names(page) == []
    # With a filter, a lone letter is ignored and the filter alone lists services.
    page = search_page(watched, sample_site, "?q=s&language=fr")
    settle(page, r"found")
    assert "SOS Amitié" in names(page)


def test_a_word_in_the_name_ranks_above_the_same_word_elsewhere(watched, sample_site):
    page = search_page(watched, sample_site, "?q=helpline")
    settle(page, r"found")
    ranked = names(page)
    in_name = [n for n, name in enumerate(ranked) if "helpline" in name.lower()]
    assert in_name and in_name == list(range(len(in_name))), ranked


def test_a_page_of_results_needs_no_file_per_result(watched, sample_site):
    page = search_page(watched, sample_site)
    seen = []
    page.on("request", lambda request: seen.append(urlsplit(request.url).path))
    page.fill("#search-q", "support")
    settle(page, r"found")
    assert len(names(page)) == 10
    cards = [path for path in seen if path.startswith("/search/cards/")]
    assert 1 <= len(cards) <= 2  # 36 entries: two blocks of 32 at most


def test_typing_fetches_the_index_chunk_before_the_pause_ends(watched, sample_site):
    page = watched.page()
    page.clock.install()  # timers stand still: the search after the typing pause cannot start
    page.goto(f"{sample_site.url}/search/")
    settle(page, r"Type a word")
    with page.expect_request(lambda request: request.url.endswith("/search/index/sa.txt"), timeout=5000):
        page.locator("#search-q").press_sequentially("samar")
    assert names(page) == []
    page.clock.run_for(500)
    settle(page, r"found")
    assert names(page)[0] == "Samaritans"


def test_every_word_must_match_whichever_is_rarest(watched, sample_site):
    """Only the entries found for the rarest word are scored: the result must not depend on which
    word that is, nor on the order the words are typed."""
    page = search_page(watched, sample_site, "?q=helpline")
    settle(page, r"found")
    helplines = found(page)
    page = search_page(watched, sample_site, "?q=kids")
    settle(page, r"found")
    kids = found(page)
    both = []
    for query in ("kids+helpline", "helpline+kids"):
        page = search_page(watched, sample_site, f"?q={query}")
        settle(page, r"found")
        both.append((found(page), names(page)))
    assert both[0] == both[1]
    assert 1 <= both[0][0] <= min(kids, helplines) and helplines > 1
    assert "Kids Helpline" in both[0][1]


def test_little_words_in_a_query_do_not_narrow_it(watched, sample_site):
    """"for" is in some entries' text and not others: required, it would drop the others."""
    results = []
    for query in ("anxiety+support", "support+for+anxiety"):
        page = search_page(watched, sample_site, f"?q={query}")
        settle(page, r"found")
        results.append((found(page), names(page)))
    assert results[0] == results[1] and results[0][0] > 1
    page = search_page(watched, sample_site, "?q=for")  # alone, it may begin a word: not dropped
    settle(page, r"found")
    assert "Beyond Blue Forums" in names(page)
