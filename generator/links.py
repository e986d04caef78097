"""Links: check every external URL in the content (fields and Markdown bodies) over HTTP.

Files are read with the loader directly, not through validation, so links are checked even in
content that has other errors. Requests are concurrent but polite: a bound on all requests, at
most PER_HOST at once to one host, retries with backoff on 429, 5xx and connection failures.
Good results are cached on disk so that re-runs are fast; broken ones are always re-checked.
When most hosts of a run cannot even be connected to, the fault is the network, not the links:
the run says so and judges none of them (NETWORK_DOWN is the command's exit status then).
"""
from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx
from markdown_it import MarkdownIt

from generator.diagnostics import Diagnostic
from generator.loader import Document, load_or_diagnose, scan_content
from generator.rebuild import write_atomic

URL = re.compile(r"https?://[^\s<>\"']+")
CACHE_FILE = ".signpost-cache/links.json"
PER_HOST = 2
MAX_HOPS = 5
MAX_RETRY_DELAY = 30.0
NETWORK_DOWN = 3
USER_AGENT = "signpost-links/0.1 (link check of a mental-health directory; +https://github.com/signpost-directory)"


@dataclass(frozen=True)
class Link:
    """One URL where it is written: file, line and column."""

    url: str
    path: str
    line: int
    col: int


@dataclass
class Result:
    """What checking one URL found: ok, redirected or broken."""

    url: str
    state: str
    status: int | None = None
    detail: str = ""
    final: str | None = None
    permanent: bool = False
    checked: float = field(default_factory=time.time)
    unreachable: bool = False  # no connection at all (DNS or connect failed): the link was never judged


@dataclass
class Settings:
    concurrency: int = 16
    per_host: int = PER_HOST
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0


# Finding links ------------------------------------------------------------------------------

def collect_links(root: Path) -> tuple[list[Link], list[Diagnostic]]:
    """Every http(s) URL in entries and pages, with its position; files that cannot be read are reported."""
    links, unreadable = [], []
    files = scan_content(root)
    for path in [*files.entries, *files.pages]:
        doc = load_or_diagnose(path, root)
        if isinstance(doc, Diagnostic):
            unreadable.append(doc)
            continue
        links += field_links(doc) + body_links(doc)
    return links, unreadable + [d for d in files.problems if d.severity == "error"]


def field_links(doc: Document) -> list[Link]:
    """URLs given as whole values of fields (website, sources, a contact's url, ...)."""
    found = []
    for keypath, value in walk(doc.data, ()):
        if isinstance(value, str) and URL.fullmatch(value.strip()):
            line, col = doc.where(keypath)
            found.append(Link(value.strip(), doc.rel, line, col))
    return found


def walk(value, keypath: tuple):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, keypath + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, keypath + (index,))
    else:
        yield keypath, value


def body_links(doc: Document) -> list[Link]:
    """Links in a Markdown body, at the line where each is written."""
    if not doc.body.strip():
        return []
    lines = doc.body.splitlines()
    found = []
    for block in MarkdownIt("commonmark").parse(doc.body):
        for href in block_urls(block):
            line, col = locate(lines, href, *block.map)
            found.append(Link(href, doc.rel, doc.body_line + line, col))
    return found


def block_urls(block) -> list[str]:
    """Link targets in one block, and bare URLs in its text (they are not links, but they are written)."""
    urls = []
    for token in block.children or []:
        if token.type == "link_open":
            urls.append(token.attrGet("href") or "")
        elif token.type == "text":
            urls += [match.group(0).rstrip(".,;:!?)") for match in URL.finditer(token.content)]
    return [url for url in urls if url.startswith(("http://", "https://")) and block.map]


def locate(lines: list[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The (0-based line, 1-based column) of `text` within lines[start:end]."""
    for number in range(start, min(end, len(lines))):
        if (at := lines[number].find(text)) >= 0:
            return number, at + 1
    return start, 1


# Checking them ------------------------------------------------------------------------------

class Checker:
    """Checks URLs with one HTTP client, bounded overall and per host."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings):
        self.client, self.settings = client, settings
        self.limit = asyncio.Semaphore(settings.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(settings.per_host))

    async def check(self, url: str) -> Result:
        """Follow redirects by hand so that each hop is reported, and a permanent move is noticed."""
        current, hops = url, []
        for _ in range(MAX_HOPS):
            try:
                response = await self.attempt(current)
            except httpx.HTTPError as exc:
                return Result(url, "broken", None, describe_error(exc),
                              unreachable=isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)))
            if not response.is_redirect:
                return finish(url, response, hops, current)
            hops.append(response.status_code)
            current = urljoin(current, response.headers.get("location", ""))
        return Result(url, "broken", None, f"more than {MAX_HOPS} redirects", current)

    async def attempt(self, url: str) -> httpx.Response:
        """One request, retried with backoff on 429, 5xx and connection failures."""
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            try:
                response = await self.request(url)
            except httpx.TransportError as exc:
                if last or no_such_host(exc):  # a name that does not exist will not in a second either
                    raise
                delay = self.settings.backoff * 2 ** attempt
            else:
                if last or (response.status_code != 429 and response.status_code < 500):
                    return response
                delay = retry_after(response) or self.settings.backoff * 2 ** attempt
            await asyncio.sleep(min(delay, MAX_RETRY_DELAY))
        raise AssertionError("unreachable")

    async def request(self, url: str) -> httpx.Response:
        """HEAD, or GET for servers that refuse HEAD; the body is never read."""
        async with self.limit, self.hosts[urlsplit(url).netloc]:
            response = await self.client.head(url)
            if response.status_code in (403, 405, 501):
                async with self.client.stream("GET", url) as streamed:
                    response = streamed
        return response


def no_such_host(exc: BaseException | None) -> bool:
    """The DNS answered that the name does not exist (not: could not be asked)."""
    while exc is not None:
        if isinstance(exc, socket.gaierror):
            return exc.errno == socket.EAI_NONAME
        exc = exc.__cause__ or exc.__context__
    return False


def finish(url: str, response: httpx.Response, hops: list[int], final: str) -> Result:
    status = response.status_code
    if status >= 400:
        return Result(url, "broken", status, f"{status} {response.reason_phrase}".strip(), final if hops else None)
    if hops:
        return Result(url, "redirected", status, f"{hops[0]} to {final}", final, hops[0] in (301, 308))
    return Result(url, "ok", status)


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


def describe_error(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect ({exc or 'refused or no such host'})"
    return f"{type(exc).__name__}: {exc}"


async def check_urls(urls: list[str], settings: Settings, progress: Callable[[int, int], None] | None = None
                     ) -> dict[str, Result]:
    headers = {"User-Agent": USER_AGENT}
    done = 0

    async def check(checker: Checker, url: str) -> Result:
        nonlocal done
        result = await checker.check(url)
        done += 1
        if progress:
            progress(done, len(urls))
        return result

    async with httpx.AsyncClient(timeout=settings.timeout, follow_redirects=False, headers=headers) as client:
        checker = Checker(client, settings)
        results = await asyncio.gather(*(check(checker, url) for url in urls))
    return {result.url: result for result in results}


def run_async(coroutine):
    """asyncio.run, also from a thread whose event loop is already running (a notebook, or
    Playwright's sync API earlier in the same test session): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# The cache, and the whole run ---------------------------------------------------------------

def read_cache(path: Path, max_age: float) -> dict[str, Result]:
    """Results younger than max_age seconds; a missing or damaged cache is simply empty."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        results = {url: Result(**data) for url, data in stored.items()}
    except (OSError, ValueError, TypeError):
        return {}
    now = time.time()
    return {url: r for url, r in results.items() if now - r.checked <= max_age and r.state != "broken"}


def write_cache(path: Path, results: dict[str, Result]) -> None:
    keep = {url: asdict(r) for url, r in sorted(results.items()) if r.state != "broken"}
    write_atomic(path, (json.dumps(keep, indent=1) + "\n").encode())


@dataclass
class Report:
    links: list[Link]
    results: dict[str, Result]
    cached: int
    unreadable: list[Diagnostic]
    seconds: float
    hosts: tuple[int, int] = (0, 0)  # (hosts that could not be connected to, hosts contacted)

    def count(self, state: str) -> int:
        return sum(result.state == state for result in self.results.values())

    @property
    def offline(self) -> bool:
        """Most hosts contacted (at least two) could not be connected to: with no network, every
        link would look broken, and an editor could delete good ones."""
        unreachable, contacted = self.hosts
        return contacted >= 2 and unreachable > contacted / 2


def host_counts(results: dict[str, Result]) -> tuple[int, int]:
    """(hosts none of whose URLs could be connected to, hosts contacted)."""
    reached: dict[str, bool] = {}
    for url, result in results.items():
        host = urlsplit(url).netloc
        reached[host] = reached.get(host, False) or not result.unreachable
    return sum(not ok for ok in reached.values()), len(reached)


def check_links(root: Path, settings: Settings, max_age: float,
                progress: Callable[[int, int], None] | None = None) -> Report:
    """Collect, check what the cache does not answer, and remember the answers."""
    start = time.perf_counter()
    links, unreadable = collect_links(root)
    urls = sorted({link.url for link in links})
    cache_path = root / CACHE_FILE
    cached = {url: r for url, r in read_cache(cache_path, max_age).items() if url in urls}
    fresh = run_async(check_urls([u for u in urls if u not in cached], settings, progress))
    results = {**cached, **fresh}
    write_cache(cache_path, {**read_cache(cache_path, max_age), **results})
    return Report(links, results, len(cached), unreadable, time.perf_counter() - start, host_counts(fresh))


def diagnostics(report: Report) -> list[Diagnostic]:
    """Broken links are errors; permanent redirects are warnings naming the URL to write instead."""
    found = []
    for link in report.links:
        result = report.results[link.url]
        if result.unreachable and report.offline:
            found.append(Diagnostic(link.path, link.line, link.col, "warning", "link-unchecked",
                                    f"{link.url} was not checked: the network looks unreachable ({result.detail})"))
        elif result.state == "broken":
            found.append(Diagnostic(link.path, link.line, link.col, "error", "link-broken",
                                    f"{link.url} is broken: {result.detail}; fix or remove the link"))
        elif result.permanent:
            found.append(Diagnostic(link.path, link.line, link.col, "warning", "link-moved",
                                    f"{link.url} has moved permanently; write {result.final} instead"))
    return found


def summary_table(report: Report) -> str:
    unique = len(report.results)
    unchecked = sum(r.unreachable for r in report.results.values()) if report.offline else 0
    rows = [("ok", report.count("ok")), ("redirected", report.count("redirected")),
            ("broken", report.count("broken") - unchecked), *([("unchecked", unchecked)] if unchecked else [])]
    head = (f"checked {len(report.links)} links ({unique} unique URLs, {report.cached} from the cache) "
            f"in {report.seconds:.1f} s")
    lines = [head, *(f"  {name:<11}{number:>6}" for name, number in rows)]
    if report.unreadable:
        lines.append(f"  {len(report.unreadable)} files could not be read; run `signpost check`")
    if report.offline:
        lines.append(offline_notice(report))
    return "\n".join(lines)


def offline_notice(report: Report) -> str:
    unreachable, contacted = report.hosts
    return (f"the network looks unreachable: {unreachable} of {contacted} hosts could not be connected to, so "
            f"those links were not judged (links that answered still were); check the connection and run again")


def parse_age(text: str) -> float:
    """'1d', '12h', '30m', '45s' or a number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not match:
        raise ValueError(f"'{text}' is not an age; write it like 1d, 12h, 30m or 0")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
