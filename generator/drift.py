"""Drift: do an entry's sources still show its phone and SMS numbers?

`signpost links --facts` and `signpost verify` fetch each source page with links.py's polite
checker (bounded overall and per host, retries with backoff, redirects followed hop by hop),
keep only the number-like runs of each page's text and its tel:/sms: links, and look for every
number of the entry among them however the page writes it: spaces, dashes, dots, brackets,
+CC or national form. A number that no fetched source shows is drift; a page that cannot be
fetched is reported as such, never as drift. What was found per page is cached on disk, so the
weekly worklist (`signpost check --stale --format markdown`) can list the drift without a network.
"""
from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import httpx
import phonenumbers

from generator.diagnostics import ContentError, Diagnostic
from generator.links import URL, USER_AGENT, Checker, Settings, run_async
from generator.loader import Document, entry_files, load_document
from generator.phones import Number, parse_number
from generator.rebuild import write_atomic

CACHE_FILE = ".signpost-cache/facts.json"
MAX_PAGE_BYTES = 3_000_000
CHECKED_TYPES = ("phone", "sms")
# What may stand between the digits of a number as pages write it (never a line break: blocks
# of the page are kept apart by one, so numbers in two table cells do not run together).
SEPARATOR = r"[ \t\u00a0\u202f.\-\u2010-\u2015()/]"
NUMBERISH = re.compile(rf"[+(]?\d(?:{SEPARATOR}*\d)*")
BLOCKS = {"p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "header", "footer", "nav", "ul", "ol", "table", "dd", "dt", "option", "button"}
PAGE_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


# Reading a page ------------------------------------------------------------------------------

class _Text(HTMLParser):
    """A page's visible text and schema.org data, a line break between blocks, and its tel:/sms: targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dialled: list[str] = []
        self.hidden = 0
        self.in_code = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("style", "template"):
            self.hidden += 1
        elif tag == "script":  # code is not what a page says, but its schema.org data ("telephone") is
            self.in_code = dict(attrs).get("type") != "application/ld+json"
        if tag in BLOCKS:
            self.parts.append("\n")
        href = dict(attrs).get("href") or ""
        if href.lower().startswith(("tel:", "sms:")):
            self.dialled.append(unquote(href[4:].split("?")[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "template"):
            self.hidden = max(0, self.hidden - 1)
        elif tag == "script":
            self.in_code = False
            self.parts.append("\n")
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.in_code:
            self.parts.append(data)


def page_numbers(html: str) -> list[str]:
    """The number-like runs of a page ("0800 068 4141", "+44 (0)800-068-4141", "116 123"), tel:
    and sms: targets included: all that drift needs from a page, small enough to cache."""
    reader = _Text()
    reader.feed(html)
    reader.close()
    runs = NUMBERISH.findall("".join(reader.parts)) + reader.dialled
    return sorted({re.sub(r"\s+", " ", run).strip() for run in runs if sum(ch.isdigit() for ch in run) >= 2})


# Looking for a number ------------------------------------------------------------------------

def digit_forms(number: Number) -> list[str]:
    """The digits a page may write `number` with: national (with and without its trunk prefix),
    international after + or 00, and +CC (0) national; a short code is only its digits. A number
    that connects only from home has no +CC link: its `tel` is read in its own region."""
    if number.short:
        return [number.tel]
    parsed = phonenumbers.parse(number.tel, number.region or None)
    cc, national = str(parsed.country_code), phonenumbers.national_significant_number(parsed)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(phonenumbers.region_code_for_number(parsed))
    prefix = (metadata.national_prefix if metadata else None) or ""
    return sorted({national, prefix + national, cc + national, "00" + cc + national, cc + prefix + national})


@dataclass(frozen=True)
class Wanted:
    """A number to look for, parsed once with the country it is dialled in."""

    number: Number
    region: str

    def pattern(self) -> re.Pattern:
        forms = sorted(digit_forms(self.number), key=len, reverse=True)
        spaced = "|".join(f"{SEPARATOR}*".join(form) for form in forms)
        return re.compile(rf"(?<!\d)(?:{spaced})(?!\d)")

    def on(self, runs: list[str]) -> bool:
        """Whether any run shows the number: parsed by phonenumbers in the number's region, or,
        for short codes and forms its matcher passes over, as the same digits."""
        pattern = self.pattern()
        for run in runs:
            if not self.number.short:
                for match in phonenumbers.PhoneNumberMatcher(run, self.region, leniency=phonenumbers.Leniency.POSSIBLE):
                    if phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164) == self.number.tel:
                        return True
            if pattern.search(run):
                return True
        return False


# Fetching pages ------------------------------------------------------------------------------

@dataclass
class Page:
    """One source page as fetched: `ok` with its number-like runs, or why it could not be read."""

    url: str
    state: str  # ok | unreachable
    detail: str = ""
    final: str | None = None
    runs: list[str] = field(default_factory=list)
    checked: float = field(default_factory=time.time)


class PageFetcher(Checker):
    """links.py's checker, asking with GET and keeping what each page shows: the same politeness
    (its limits, retries and hop-by-hop redirects), and the same user agent."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings):
        super().__init__(client, settings)
        self.read: dict[str, list[str] | str] = {}  # url → runs, or why the body is not a page

    async def request(self, url: str) -> httpx.Response:
        async with self.limit, self.hosts[urlsplit(url).netloc]:
            async with self.client.stream("GET", url) as response:
                if not response.is_redirect and response.status_code < 400:
                    self.read[url] = await read_page(response)
        return response


async def read_page(response: httpx.Response) -> list[str] | str:
    kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if kind not in PAGE_TYPES:
        return f"is not a web page ({kind}); compare its numbers by hand"
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_PAGE_BYTES:
            break
    try:
        text = bytes(body).decode(response.charset_encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know: digits are ASCII in every common one
        text = bytes(body).decode("utf-8", errors="replace")
    return page_numbers(text)


async def fetch_pages(urls: list[str], settings: Settings,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, Page]:
    done = 0

    async def fetch(fetcher: PageFetcher, url: str) -> Page:
        nonlocal done
        result = await fetcher.check(url)
        done += 1
        if progress:
            progress(done, len(urls))
        if result.state == "broken":
            return Page(url, "unreachable", result.detail, result.final)
        read = fetcher.read.get(result.final or url, "sent no page")
        if isinstance(read, str):
            return Page(url, "unreachable", read, result.final)
        return Page(url, "ok", result.detail, result.final, read)

    headers = {"User-Agent": USER_AGENT}
    async with httpx.AsyncClient(timeout=settings.timeout, follow_redirects=False, headers=headers) as client:
        fetcher = PageFetcher(client, settings)
        pages = await asyncio.gather(*(fetch(fetcher, url) for url in urls))
    return {page.url: page for page in pages}


def read_cache(root: Path) -> dict[str, Page]:
    """Every page remembered, read or not; a missing or damaged cache is simply empty."""
    try:
        stored = json.loads((root / CACHE_FILE).read_text(encoding="utf-8"))
        return {url: Page(**data) for url, data in stored.items()}
    except (OSError, ValueError, TypeError):
        return {}


def write_cache(root: Path, pages: dict[str, Page]) -> None:
    keep = {url: asdict(page) for url, page in sorted({**read_cache(root), **pages}.items())}
    write_atomic(root / CACHE_FILE, (json.dumps(keep, indent=1) + "\n").encode())


def get_pages(root: Path, urls: list[str], settings: Settings, max_age: float,
              progress: Callable[[int, int], None] | None = None) -> tuple[dict[str, Page], int]:
    """The pages, fetched unless the cache read them well within max_age; returns (pages, cached)."""
    now = time.time()
    cached = {url: page for url, page in read_cache(root).items()
              if url in urls and page.state == "ok" and now - page.checked <= max_age}
    fresh = run_async(fetch_pages([url for url in urls if url not in cached], settings, progress))
    write_cache(root, fresh)
    return {**cached, **fresh}, len(cached)


# Judging an entry ----------------------------------------------------------------------------

@dataclass
class NumberCheck:
    """One phone or SMS value of an entry, and the sources that show it."""

    type: str
    value: str
    line: int
    col: int
    found_on: list[str]


@dataclass
class EntryFacts:
    """What an entry's sources say about its numbers."""

    doc: Document
    sources: list[Page]
    numbers: list[NumberCheck]

    @property
    def fetched(self) -> list[str]:
        return [page.url for page in self.sources if page.state == "ok"]

    @property
    def unreachable(self) -> list[Page]:
        return [page for page in self.sources if page.state != "ok"]

    @property
    def confirmed(self) -> bool:
        """Every number is on a source, and at least one source could be read."""
        return bool(self.fetched) and all(check.found_on for check in self.numbers)

    def drift(self) -> list[NumberCheck]:
        """Numbers no source shows, when every source could be read: nothing else can explain it."""
        return [c for c in self.numbers if not c.found_on] if not self.unreachable else []

    def unconfirmed(self) -> list[NumberCheck]:
        return [c for c in self.numbers if not c.found_on]


# Entries are read as the loader gives them, not through validation (as links.py does): the
# facts of an entry with an unrelated error are checked all the same.

def entry_documents(root: Path) -> tuple[list[Document], list[Diagnostic]]:
    docs, unreadable = [], []
    for path in entry_files(root):
        try:
            docs.append(load_document(path, root))
        except ContentError as exc:
            unreadable.append(exc.diagnostic)
    return docs, unreadable


def entry_name(doc: Document) -> str:
    name = doc.data.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else doc.slug


def sources_of(doc: Document) -> list[str]:
    sources = doc.data.get("sources")
    return [s.strip() for s in sources if isinstance(s, str) and URL.fullmatch(s.strip())] if isinstance(sources, list) else []


def source_index(doc: Document, url: str) -> int:
    return next(i for i, s in enumerate(doc.data["sources"]) if isinstance(s, str) and s.strip() == url)


def contacts_of(doc: Document) -> list[dict]:
    contacts = doc.data.get("contacts")
    return [c if isinstance(c, dict) else {} for c in contacts] if isinstance(contacts, list) else []


def region_of(doc: Document, contact: dict) -> str:
    """The country a number is dialled in: the contact's own, or the entry's only country."""
    if isinstance(contact.get("country"), str):
        return contact["country"]
    countries = doc.data.get("countries")
    places = [c for c in countries if isinstance(c, str) and c != "international"] if isinstance(countries, list) else []
    return places[0] if len(places) == 1 else ""


def judge(doc: Document, pages: dict[str, Page]) -> EntryFacts:
    """Look for each of the entry's phone and SMS numbers on each of its sources that could be
    read. A number that cannot be parsed is never found (`signpost check` says why)."""
    sources = [pages[url] for url in dict.fromkeys(sources_of(doc)) if url in pages]
    checks = []
    for index, contact in enumerate(contacts_of(doc)):
        value = contact.get("value")
        if contact.get("type") not in CHECKED_TYPES or not isinstance(value, str):
            continue
        region = region_of(doc, contact)
        number = parse_number(value, region)
        wanted = Wanted(number, region) if number else None
        line, col = doc.where(("contacts", index, "value"))
        shown = [page.url for page in sources if wanted and page.state == "ok" and wanted.on(page.runs)]
        checks.append(NumberCheck(contact["type"], value, line, col, shown))
    return EntryFacts(doc, sources, checks)


@dataclass
class FactsReport:
    entries: list[EntryFacts]
    pages: dict[str, Page]
    cached: int
    seconds: float
    unreadable: list[Diagnostic] = field(default_factory=list)

    @property
    def numbers(self) -> int:
        return sum(len(e.numbers) for e in self.entries)


def check_facts(root: Path, settings: Settings, max_age: float, slugs: set[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> FactsReport:
    """Fetch the sources of every entry (or of those in `slugs`) and judge each entry."""
    start = time.perf_counter()
    docs, unreadable = entry_documents(root)
    docs = [doc for doc in docs if slugs is None or doc.slug in slugs]
    urls = sorted({url for doc in docs for url in sources_of(doc)})
    pages, cached = get_pages(root, urls, settings, max_age, progress)
    return FactsReport([judge(doc, pages) for doc in docs], pages, cached, time.perf_counter() - start, unreadable)


def judge_cached(root: Path, docs: list[Document]) -> tuple[list[EntryFacts], float | None]:
    """Entries judged on the pages the last `links --facts` read, without a network, and when the
    oldest of those pages was read; entries with a source never read are left out."""
    pages = read_cache(root)
    known = [doc for doc in docs if sources_of(doc) and all(url in pages for url in sources_of(doc))]
    oldest = min((pages[url].checked for doc in known for url in sources_of(doc)), default=None)
    return [judge(doc, pages) for doc in known], oldest


def diagnostics(entries: list[EntryFacts]) -> list[Diagnostic]:
    """Drift and unconfirmed numbers at the number's line; unreadable sources at the source's."""
    found = []
    for facts in entries:
        doc, name = facts.doc, entry_name(facts.doc)
        for page in facts.unreachable:
            line, col = doc.where(("sources", source_index(doc, page.url)))
            found.append(Diagnostic(doc.rel, line, col, "warning", "source-unreachable",
                                    f"{name}: could not read the source {page.url} ({page.detail}); "
                                    f"its numbers were not checked there"))
        drift = facts.drift()
        for check in facts.unconfirmed():
            if check in drift:
                message = (f"{name}: {check.value} ({check.type}) is on none of its sources any more "
                           f"(fetched {', '.join(facts.fetched)}); check the number with the service, "
                           f"then correct it or the sources")
                found.append(Diagnostic(doc.rel, check.line, check.col, "warning", "number-drift", message))
            elif facts.fetched:
                found.append(Diagnostic(doc.rel, check.line, check.col, "warning", "number-unconfirmed",
                                        f"{name}: {check.value} ({check.type}) is not on "
                                        f"{', '.join(facts.fetched)}, and the other sources could not be read"))
    return sorted(found)


def summary_line(report: FactsReport) -> str:
    drift = sum(len(e.drift()) for e in report.entries)
    unreachable = sum(page.state != "ok" for page in report.pages.values())
    return (f"checked {report.numbers} numbers of {len(report.entries)} entries on {len(report.pages)} source pages "
            f"({report.cached} from the cache) in {report.seconds:.1f} s: {drift} not on any source, "
            f"{unreachable} pages could not be read")
