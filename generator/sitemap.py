"""Sitemaps: every page's absolute URL, with its alternates in the site's other languages.

The protocol (sitemaps.org) allows at most 50,000 URLs and 50 MB in one file. A small site gets
one `sitemap.xml`; a larger one (10,000 entries in nine languages is 97,000 pages and 111 MB)
gets `sitemap-1.xml`, `sitemap-2.xml`, ... each within both limits (see MAX_BYTES), and
`sitemap.xml` becomes their index, so robots.txt names the same file either way. The parts sit beside `sitemap.xml`,
not in a folder: a sitemap may only list URLs under its own folder.

Written here rather than by a template: with every alternate, a nine-language site has ten links
a page, and drawing 970,000 of them through Jinja into one string took the build's peak from
270 to 870 MB at 10,000 entries (344 MB now).
"""
from __future__ import annotations

from itertools import chain
from typing import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

MAX_URLS = 50_000  # the protocol's limit
# The protocol allows 52,428,800 bytes uncompressed; parts of at most 10 MB keep what a build
# holds at once small (a part and its lines), and a crawler reads an index of them as easily.
MAX_BYTES = 10 * 1024 * 1024
HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
TAIL = b"</urlset>\n"

Page = tuple[str, list[tuple[str, str]]]  # (absolute URL, [(language code, absolute URL), ...])


def url_element(loc: str, alternates: list[tuple[str, str]]) -> bytes:
    """One <url>, with an hreflang link per language and x-default (the default language's
    page) when the site has several languages."""
    links = ""
    if alternates:
        links = "".join(f"<xhtml:link rel=\"alternate\" hreflang={quoteattr(code)} href={quoteattr(href)}/>"
                        for code, href in [*alternates, ("x-default", alternates[0][1])])
    return f"  <url><loc>{escape(loc)}</loc>{links}</url>\n".encode()


def parts(pages: Iterable[Page], max_urls: int | None = None, max_bytes: int | None = None) -> Iterator[bytes]:
    """Whole sitemap files of the pages, in order, each within the protocol's limits (or the
    ones given); one part, and no more, when there are no pages."""
    max_urls, max_bytes = max_urls or MAX_URLS, max_bytes or MAX_BYTES
    lines, size, count, empty = [HEAD], len(HEAD) + len(TAIL), 0, True
    for page in pages:
        element = url_element(*page)
        if count and (count == max_urls or size + len(element) > max_bytes):
            yield b"".join([*lines, TAIL])
            lines, size, count = [HEAD], len(HEAD) + len(TAIL), 0
        lines.append(element)
        size, count, empty = size + len(element), count + 1, False
    if count or empty:
        yield b"".join([*lines, TAIL])


def sitemap_files(pages: Iterable[Page], absolute: Callable[[str], str], **limits) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of `sitemap.xml` and, past the limits, of its parts; `absolute` turns a
    root path into the site's absolute URL (under its base path)."""
    made = parts(pages, **limits)
    first = next(made)
    second = next(made, None)
    if second is None:
        yield "sitemap.xml", first
        return
    count = 0
    for count, part in enumerate(chain([first, second], made), start=1):
        yield f"sitemap-{count}.xml", part
    yield "sitemap.xml", sitemap_index([absolute(f"/sitemap-{n}.xml") for n in range(1, count + 1)])


def sitemap_index(locations: list[str]) -> bytes:
    entries = "".join(f"  <sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in locations)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n").encode()
