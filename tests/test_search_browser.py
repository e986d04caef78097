"""Search in real Chromium against the built sample site: typing finds entries, typos and partial
words still find, facets narrow with counts, state lives in the fragment (never in a request),
crisis intent puts the visitor's crisis lines first, no query ends with nothing, cards say where,
when and how, nothing leaves the origin, no-JS visitors get links, and axe-core finds nothing."""
from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from generator.serve import SiteHandler
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
    """The search page; `query` is its fragment without the "#": "q=grief&country=gb"."""
    page = watched.page()
    page.goto(f"{sample_site.url}/search/" + (f"#{query}" if query else ""))
    return page


def fragment(page) -> dict:
    return parse_qs(urlsplit(page.url).fragment)


def names(page) -> list[str]:
    return page.locator(RESULTS).all_inner_texts()


def found(page) -> int:
    return int(page.locator("#search-status").inner_text().split()[0])


def settle(page, text):
    """Wait until the status region says `text` (a regular expression)."""
    page.locator("#search-status").filter(has_text=re.compile(text)).wait_for()


def test_typing_shows_matching_entries_with_kind_country_summary_and_direct_contact(watched, sample_site):
    page = search_page(watched, sample_site)
    page.fill("#search-q", "friendship bench")
    settle(page, r"found")
    card = page.locator("#search-results li").first
    assert card.locator("a").first.inner_text() == "Friendship Bench"
    assert card.locator(".card-meta").inner_text() == "Community initiatives · Zimbabwe"
    assert "benches at clinics in Zimbabwe" in card.inner_text()
    assert page.locator("#search-results a[href='/entries/friendship-bench/']").count() == 1
    # Its first contact is a clinic; the card offers the WhatsApp line, which works from anywhere.
    assert card.locator(".card-contact a").get_attribute("href").startswith("https://wa.me/263")


def test_a_card_says_crisis_line_hours_and_gives_the_number_as_a_link(watched, sample_site):
    page = search_page(watched, sample_site, "q=samaritans&country=GB")  # keys match in any case
    settle(page, r"found")
    assert page.locator("input[name='country'][value='gb']").is_checked()
    card = page.locator("#search-results li").first
    assert card.locator(".card-meta").inner_text() == "Helplines · United Kingdom, Ireland Crisis line"
    assert card.locator(".card-contact a[href='tel:116123']").inner_text() == "Call 116 123"
    assert card.locator(".card-hours").inner_text() == "Open 24/7"


@pytest.mark.parametrize("when, badge", [("2026-12-02T12:00:00Z", "Open now"), ("2026-12-06T12:00:00Z", "Closed now")])
def test_open_now_is_worked_out_in_the_browser_from_the_hours(watched, sample_site, when, badge):
    page = watched.page()
    page.clock.set_fixed_time(when)  # a Wednesday, then a Sunday, noon in London
    page.goto(f"{sample_site.url}/search/#q=mind+infoline")
    settle(page, r"found")
    card = page.locator("#search-results li").first
    assert card.locator(".card-title").inner_text() == "Mind Infoline"
    assert card.locator(".card-hours").inner_text() == "Mon–Fri 09:00–18:00"
    assert card.locator(".card-contact .badge").inner_text() == badge


@pytest.mark.parametrize("query, expected", [("friendsh", "Friendship Bench"), ("samaratins", "Samaritans"),
                                             ("telefonseelsorg", "TelefonSeelsorge"),
                                             # spelt as heard: three letters off, each a slip of the ear
                                             ("counciling", "Kids Helpline"), ("depreshun", "Beyond Blue Support Service")])
def test_partial_words_and_typos_still_find(watched, sample_site, query, expected):
    page = search_page(watched, sample_site, f"q={query}")
    settle(page, r"found")
    assert expected in names(page)


@pytest.mark.parametrize("query", ["plumber", "guitar lessons", "garden furniture"])
def test_typo_correction_does_not_turn_an_unrelated_word_into_a_match(watched, sample_site, query):
    page = search_page(watched, sample_site, "q=" + query.replace(" ", "+"))
    settle(page, r"found|Nothing matched")
    assert page.inner_text("#search-status").startswith(f"Nothing matched “{query}”")


@pytest.mark.parametrize("query, wrong", [("aide", "side"), ("mort", "searching"), ("vivre", "eire"), ("lonlie", "online")])
def test_typo_correction_keeps_the_first_letter_and_a_short_word_whole(watched, sample_site, query, wrong):
    # French words on any page, and a slip that is no nearer "online" than "lonely": a correction
    # that changes the first letter, or a whole letter of four, finds another word, not the one meant.
    page = search_page(watched, sample_site, f"q={query}")
    settle(page, r"found|Nothing matched")
    status = page.inner_text("#search-status")
    assert status.startswith(f"Nothing matched “{query}”") and wrong not in status, status


def test_exact_name_ranks_first(watched, sample_site):
    page = search_page(watched, sample_site, "q=kids+helpline")
    settle(page, r"found")
    assert names(page)[0] == "Kids Helpline"


def facet(page, name, value):
    page.locator("details.facet", has=page.locator(f"input[name='{name}']")).locator("summary").click()
    return page.locator(f"input[name='{name}'][value='{value}']")


def count_of(box) -> int:
    return int(box.locator("xpath=..").locator(".count").inner_text().strip(" ()"))


def test_facets_narrow_results_count_update_and_state_round_trips(watched, sample_site):
    page = search_page(watched, sample_site, "q=suicide")
    settle(page, r"\d+ services found")
    everywhere = found(page)
    gb = facet(page, "country", "gb")
    page.wait_for_function("document.querySelector('#search-facets .count').textContent !== ''")
    in_gb = count_of(gb)
    assert 0 < in_gb < everywhere
    gb.check()
    settle(page, rf"^{in_gb} services? found")
    assert found(page) == in_gb
    assert fragment(page) == {"q": ["suicide"], "country": ["gb"]} and urlsplit(page.url).query == ""
    # The other facets now count within the United Kingdom only.
    helpline = facet(page, "kind", "helpline")
    assert count_of(helpline) <= in_gb
    # Combine: helplines in GB.
    helpline.check()
    settle(page, r"found")
    page.wait_for_url(re.compile(r"kind=helpline"))
    assert found(page) == count_of(helpline)
    # Back: GB only again; back again: no filter.
    page.go_back()
    page.wait_for_url(re.compile(r"^[^?]*#q=suicide&country=gb$"))
    settle(page, rf"^{in_gb} services? found")
    page.go_back()
    page.wait_for_url(re.compile(r"^[^?]*#q=suicide$"))
    settle(page, rf"^{everywhere} services found")
    assert not gb.is_checked()


def test_loading_a_shared_url_restores_query_and_facets(watched, sample_site):
    page = search_page(watched, sample_site, "q=suicide&country=gb")
    settle(page, r"found")
    assert page.input_value("#search-q") == "suicide"
    assert page.locator("input[name='country'][value='gb']").is_checked()
    assert "Samaritans" in names(page)
    page.click("#search-clear")
    page.wait_for_url(re.compile(r"#q=suicide$"))
    assert not page.locator("input[name='country'][value='gb']").is_checked()


def test_filters_show_totals_before_any_query(watched, sample_site):
    page = search_page(watched, sample_site)
    zw = facet(page, "country", "zw")
    page.wait_for_function("document.querySelector('#search-facets .count').textContent !== ''")
    assert count_of(zw) == 1
    assert names(page) == []


def test_facets_alone_browse_without_a_query(watched, sample_site):
    page = search_page(watched, sample_site, "language=fr")
    settle(page, r"found")
    assert "SOS Amitié" in names(page)


def test_home_page_box_opens_the_search_page_with_the_query_in_the_fragment(watched, sample_site):
    page = watched.page()
    page.goto(sample_site.url + "/")
    assert page.locator("script[src*='search.']").count() == 0  # the home page stays light
    page.fill("#home-search", "samaritans")
    page.press("#home-search", "Enter")
    page.wait_for_url(re.compile(r"/search/#q=samaritans$"))
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


def test_without_javascript_the_home_box_opens_browse_links_and_sends_no_query(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, java_script_enabled=False)
    page = watched.page()
    page.goto(sample_site.url + "/")
    page.fill("#home-search", "grief")
    page.press("#home-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\??$"))  # the box has no name: nothing of it in the URL
    assert not page.locator("#search-q").is_visible()
    assert "JavaScript" not in page.locator("main").inner_text()
    for path in ("/kinds/", "/topics/", "/countries/", "/languages/", "/a-z/", "/topics/grief/", "/topics/anxiety/"):
        assert page.locator(f"main a[href='{path}']").is_visible()
    watched.context.close()
    assert watched.foreign == []


def test_search_page_has_no_axe_violations(chromium, sample_site):
    from axe_playwright_python.sync_playwright import Axe

    # bypass_csp only so axe's injected script may run; the other tests use the real CSP.
    watched = open_context(chromium, sample_site.url, bypass_csp=True)
    page = watched.page()
    page.goto(sample_site.url + "/search/#q=kill+myself")
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
    page.goto(sample_site.url + "/search/#q=grief")
    settle(page, r"not available")
    assert page.evaluate("window.failed") == 1
    assert page.locator("main a[href='/a-z/']").is_visible()
    watched.context.close()


def test_a_lone_letter_asks_for_more_instead_of_listing_everything(watched, sample_site):
    page = search_page(watched, sample_site, "q=s")
    settle(page, r"at least two letters")
    assert names(page) == []
    # With a filter, a lone letter is ignored and the filter alone lists services.
    page = search_page(watched, sample_site, "q=s&language=fr")
    settle(page, r"found")
    assert "SOS Amitié" in names(page)


def test_a_word_in_the_name_ranks_above_the_same_word_elsewhere(watched, sample_site):
    page = search_page(watched, sample_site, "q=helpline")
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
    page.clock.install(time=dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.timezone.utc))
    # search.js signals each index chunk it has loaded; wait for that, not for a time.
    page.add_init_script("window.chunks = []; document.addEventListener('signpost:chunk', (e) => window.chunks.push(e.detail.key), true)")
    page.goto(f"{sample_site.url}/search/")
    settle(page, r"Type a word")
    # Timers now stand still (install() alone lets them run in real time, which made this test
    # flaky): the search after the typing pause cannot start until run_for.
    page.clock.pause_at(dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.timezone.utc))
    page.locator("#search-q").press_sequentially("samar")
    loaded = page.evaluate("""() => window.chunks.includes("sa") || new Promise((done) =>
      document.addEventListener("signpost:chunk", (e) => e.detail.key === "sa" && done(true), true))""")
    assert loaded is True
    assert names(page) == []  # the search itself has not run yet
    page.clock.run_for(500)
    settle(page, r"found")
    assert names(page)[0] == "Samaritans"


def test_a_word_the_index_lacks_lowers_the_rank_instead_of_emptying_the_list(watched, sample_site):
    page = search_page(watched, sample_site, "q=samaritans+please+now")
    settle(page, r"found")
    assert names(page)[0] == "Samaritans"
    page = search_page(watched, sample_site, "q=friendship+bench+harare+zzqx")
    settle(page, r"found")
    assert names(page)[0] == "Friendship Bench"


def test_entries_matching_every_word_come_before_those_matching_some(watched, sample_site):
    page = search_page(watched, sample_site, "q=kids+helpline")
    settle(page, r"found")
    ranked = names(page)
    assert ranked[0] == "Kids Helpline" and len(ranked) > 2  # "kids" alone, "helpline" alone follow


def test_little_words_in_a_query_do_not_narrow_it(watched, sample_site):
    results = []
    for query in ("anxiety+support", "support+for+anxiety"):
        page = search_page(watched, sample_site, f"q={query}")
        settle(page, r"found")
        results.append((found(page), names(page)))
    assert results[0] == results[1] and results[0][0] > 1


@pytest.mark.parametrize("query", ["kill myself", "i want to die", "end my life", "suicidal", "suicidio", "आत्महत्या",
                                   "I can't cope", "ich kann nicht mehr", "انتحار", "死にたい"])
def test_crisis_intent_puts_the_visitors_crisis_lines_and_emergency_number_first(chromium, sample_site, query):
    watched = open_context(chromium, sample_site.url, locale="en-GB")  # a visitor in the UK
    page = search_page(watched, sample_site, "q=" + quote(query))
    settle(page, r"found")
    help_box = page.locator("#search-help")
    assert help_box.is_visible() and "United Kingdom" in help_box.inner_text()
    assert help_box.locator("a[href='tel:999']").inner_text() == "Call 999"
    assert set(names(page)[:3]) == {"Samaritans", "Shout 85258", "PAPYRUS HOPELINE247"}
    # The emergency numbers come before the results on the page.
    assert page.evaluate("document.getElementById('search-help').compareDocumentPosition(document.getElementById('search-results')) & 4") == 4
    watched.context.close()
    assert watched.errors == []


def test_the_words_of_a_crisis_phrase_are_not_corrected_into_another_language(chromium, sample_site):
    # "kann" is one slip from "can" (c/k alike, a doubled letter): as a typo, German words of
    # distress became English ones, and the page said it had searched for "can" instead.
    watched = open_context(chromium, sample_site.url, locale="de-DE")
    page = watched.page()
    page.goto(f"{sample_site.url}/de/search/#q=" + quote("ich kann nicht mehr"))
    settle(page, r"gefunden|Nichts passt")
    status = page.inner_text("#search-status")
    assert "statt" not in status and "„can“" not in status
    assert page.locator("#search-help").is_visible()  # the crisis lines and emergency number, still
    watched.context.close()
    assert watched.errors == []


def test_the_remembered_country_decides_whose_crisis_lines_come_first(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en-GB")
    page = watched.page()
    page.goto(sample_site.url + "/")
    page.evaluate("localStorage.setItem('signpost-country', 'US')")  # as the country picker keeps it
    page.goto(sample_site.url + "/search/#q=kill+myself")
    settle(page, r"found")
    assert "United States" in page.inner_text("#search-help")
    assert page.locator("#search-help a[href='tel:911']").count() == 1
    assert set(names(page)[:3]) <= {"988 Suicide & Crisis Lifeline", "Crisis Text Line", "The Trevor Project"}
    watched.context.close()


def test_a_uk_visitor_sees_uk_services_first_when_others_match_as_well(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en-GB")
    page = search_page(watched, sample_site, "q=text+support")
    settle(page, r"found")
    assert names(page)[0] == "Shout 85258"
    watched.context.close()


def test_a_query_that_finds_nothing_says_so_and_offers_crisis_lines_and_browsing(chromium, sample_site):
    watched = open_context(chromium, sample_site.url, locale="en-GB")
    page = search_page(watched, sample_site, "q=xqzzyv+plmbq")
    settle(page, r"Nothing matched")
    text = page.inner_text("#search-status")
    assert "0 services" not in text and "browse" in text
    assert page.locator("#search-help").is_visible() and page.locator("#search-help a[href='tel:999']").count() == 1
    found = names(page)  # the country's crisis lines first, then the international ones
    assert set(found[:3]) == {"Samaritans", "Shout 85258", "PAPYRUS HOPELINE247"}
    assert set(found[3:]) == {"Befrienders Worldwide", "Find A Helpline"}
    assert page.locator("main a[href='/a-z/']").is_visible() and page.locator("main a[href='/topics/grief/']").is_visible()
    watched.context.close()


def test_a_near_miss_suggests_what_it_meant(watched, sample_site):
    page = search_page(watched, sample_site, "q=samaratins+londno")
    settle(page, r"found")
    assert names(page)[0] == "Samaritans"
    assert "“samaritans” for “samaratins”" in page.inner_text("#search-status")


def test_filters_that_leave_nothing_do_not_end_in_a_bare_zero(watched, sample_site):
    page = search_page(watched, sample_site, "q=friendship+bench&country=jp")
    settle(page, r"Nothing matched")
    assert not re.search(r"\b0 services found", page.inner_text("main"))
    assert len(names(page)) > 0  # crisis lines instead of an empty page


class RecordingHandler(SiteHandler):
    """Keeps every request line, as a host's access log would."""

    def log_message(self, format, *args):
        self.server.log.append(self.requestline)


@pytest.fixture
def logged_site(sample_site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RecordingHandler, directory=str(sample_site.root)))
    server.log = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.log
    server.shutdown()


def test_the_server_log_never_holds_the_query(chromium, logged_site):
    url, log = logged_site
    watched = open_context(chromium, url, locale="en-GB")
    page = watched.page()
    page.goto(url + "/")
    page.fill("#home-search", "kill myself")
    page.press("#home-search", "Enter")
    settle(page, r"found")
    page.fill("#search-q", "passed away widowed")
    page.press("#search-q", "Enter")
    settle(page, r"found")
    page.locator("details.facet", has=page.locator("input[name='topic']")).locator("summary").click()
    page.locator("input[name='topic'][value='grief']").check()
    page.wait_for_url(re.compile(r"topic=grief"))
    settle(page, r"found")
    watched.context.close()
    paths = [line.split(" ")[1].lower() for line in log]
    # The log sees which files were fetched (the index chunks are named by a word's first two
    # letters, as the privacy page says), never a query.
    assert "/search/index/ki.txt" in paths
    assert not [path for path in paths for word in ("kill", "myself", "passed", "widowed", "q=", "grief") if word in path]


@pytest.fixture(scope="module")
def cut_site(tmp_path_factory, sample_root):
    """The sample built with index chunks of at most 1 KB, so most are cut into parts, as a large
    directory's are (at 50,000 entries "de" is 30 parts), and served with a log."""
    from generator import search
    from generator.build import build

    out = tmp_path_factory.mktemp("cut") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "CHUNK_LIMIT", 1024)
        build(sample_root, out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RecordingHandler, directory=str(out)))
    server.log = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}", server.log
    server.shutdown()


@pytest.mark.parametrize("query, expected", [("samaritans", "Samaritans"), ("friendsh", "Friendship Bench"),
                                             ("telefonseelsorg", "TelefonSeelsorge"), ("counciling", "Kids Helpline"),
                                             ("anxious", "Shout 85258"), ("हिंदी", "Tele-MANAS"), ("deutsch", "TelefonSeelsorge")])
def test_words_and_prefixes_are_found_in_chunks_cut_into_parts(chromium, cut_site, query, expected):
    out, url, log = cut_site
    assert [p.name for p in (out / "search/index").glob("*-2.txt")], "the limit should have cut some chunks"
    watched = open_context(chromium, url, locale="en-GB")
    page = watched.page()
    page.goto(f"{url}/search/#q={quote(query)}")
    settle(page, r"found")
    assert expected in names(page)
    watched.context.close()
    assert watched.errors == []
    # The host's log learns a word's first two letters (and a part number), never more.
    fetched = {line.split(" ")[1] for line in log if "/search/index/" in line}
    assert fetched and all(re.fullmatch(r"/search/index/([a-z0-9]|_[0-9a-f]+){1,2}(-\d+)?\.txt", path)
                           for path in fetched), fetched
