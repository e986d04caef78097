"""Search index: a Pagefind text index of the entries, plus three small files of our own.

- `pagefind/`: Pagefind's bundle, fed one tiny HTML record per entry (name, kind, summary, first
  contact, and topics, audiences and countries in words) rather than whole pages, so indexing is
  fast and the index small.
- `search/facets.json`: every facet value, its label and how many entries have it: enough to draw
  the filters before any query, at a few KB whatever the size of the directory.
- `search/entries.txt`: per entry, its Pagefind id and its facet values, so the browser can count
  and intersect facets without Pagefind's filters (measured 0.8–2 s a query at 50,000 entries).
  Loaded after the first results, or when a filter is first ticked.
- `search/words.txt`: the distinct words of entry names and vocabulary labels, loaded only when a
  query finds nothing, to correct typos ("samaratins" → "samaritans"): Pagefind matches prefixes,
  not misspellings.

Every record is indexed under the site's language, in one index: a visitor types into one box and
expects any service whatever its language, and Pagefind only searches the index of the page's own
language (merging one bundle per language costs extra fetches before the first results). The
entry's own languages are a facet instead. See docs/performance.md.
"""
from __future__ import annotations

import asyncio
import gzip
import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from generator.model import Listing, Site

BUNDLE = "pagefind/"
# Only what the browser needs: Pagefind's JS API, its worker, the wasm for the site language and
# the index itself. Pagefind's own UIs are left out (we draw our own).
SKIP = re.compile(r"pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$|wasm\.unknown\.pagefind$")
COSTS = {"free": "Free", "low-cost": "Low cost", "paid": "Paid"}
FACETS = ("kind", "topic", "audience", "country", "language", "cost")
WORD = re.compile(r"[^\W\d_]{3,}")


def index_site(site: Site) -> dict[str, bytes]:
    """Every search file, keyed by output path, for write_site to add to the rest of the site."""
    bundle = run_coroutine(pagefind_bundle(site))
    ids = fragment_ids(bundle, site)
    files = {BUNDLE + path: data for path, data in bundle.items() if not SKIP.search(path)}
    facets, entries = facet_files(site, ids)
    files["search/facets.json"], files["search/entries.txt"] = facets.encode(), entries.encode()
    files["search/words.txt"] = words_file(site).encode()
    return files


def run_coroutine(coroutine):
    """Run Pagefind's async API to completion in a thread of its own, so that it neither needs nor
    disturbs an event loop of the caller's (Playwright's sync API keeps one in the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def scratch_root() -> str | None:
    """Memory-backed /dev/shm where there is one: the scratch folder's 20,000 small files written,
    read and deleted on disk cost several seconds of system time at 10,000 entries."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


async def pagefind_bundle(site: Site) -> dict[str, bytes]:
    """Index one small record per entry; returns Pagefind's files by path.

    Records and bundle both go through a scratch folder, with one call each way, because the
    Python API (pagefind 1.5) reads one reply per 0.1 s poll, so a call per entry would take 100 s
    per 1,000 entries, and it hangs on a reply over 2 MiB, which get_files gives from about 3,000.
    """
    config = IndexConfig(force_language=site.config.language, write_playground=False)
    with tempfile.TemporaryDirectory(prefix="signpost-search-", dir=scratch_root()) as scratch:
        records, bundle = Path(scratch, "records"), Path(scratch, "bundle")
        for listing in site.entries:
            page = records / listing.url.strip("/") / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(record_html(site, listing), encoding="utf-8")
        # The service, not PagefindIndex's own context manager: that one also writes the bundle
        # into the current folder on exit.
        async with PagefindService() as service:
            index = await service.create_index(config)
            await index.add_directory(str(records))
            await index.write_files(output_path=str(bundle))
        return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def record_html(site: Site, listing: Listing) -> str:
    """What search needs of an entry. The name weighs most, so an exact name match ranks first."""
    entry = listing.entry
    contact = listing.contacts[0] if listing.contacts else None
    first = f"{contact.action}: {contact.text}" if contact else ""
    return ("<html><body>"
            f'<h1 data-pagefind-weight="10" data-pagefind-meta="title">{escape(listing.name)}</h1>'
            f'<p data-pagefind-meta="kind">{escape(site.config.kinds[entry.kind])}</p>'
            f'<p data-pagefind-meta="summary">{escape(entry.summary)}</p>'
            f'<p data-pagefind-meta="contact">{escape(first)}</p>'
            f'<p data-pagefind-meta="contact_href">{escape(contact.href or "") if contact else ""}</p>'
            f'<p data-pagefind-weight="0.5">{escape(about(site, listing))}</p>'
            "</body></html>")


def about(site: Site, listing: Listing) -> str:
    """Topics, audiences and countries in words, so "grief" or "Ireland" finds entries by them."""
    entry, config = listing.entry, site.config
    words = [config.topics[t] for t in entry.topics] + [config.audiences[a] for a in entry.audiences]
    return ", ".join(words + [name for _, name in listing.countries])


def fragment_ids(bundle: dict[str, bytes], site: Site) -> list[str]:
    """Pagefind's id for each entry, in entry order: the result id the browser gets for a hit.

    Pagefind names each fragment by a hash of its content; the fragment (gzip of a marker and
    JSON) holds the url, which tells us which entry it is.
    """
    by_url = {}
    for path, data in bundle.items():
        if path.startswith("fragment/"):
            record = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
            by_url[record["url"]] = path.removeprefix("fragment/").removesuffix(".pf_fragment")
    return [by_url[listing.url] for listing in site.entries]


def facet_values(site: Site) -> dict[str, list[tuple[str, str]]]:
    """Each facet's values with their labels, only values some entry has, in label order: the
    model's taxonomies, plus cost."""
    values = {taxonomy.singular: [(term.key.lower(), term.label) for term in taxonomy.terms]
              for taxonomy in site.taxonomies.values()}
    costs = {listing.entry.cost for listing in site.entries}
    values["cost"] = sorted(((cost, COSTS[cost]) for cost in costs), key=lambda kv: (kv[1].casefold(), kv[0]))
    return values


def entry_facets(site: Site, listing: Listing):
    """(facet, value, label) for every facet value of one entry."""
    entry, config = listing.entry, site.config
    yield "kind", entry.kind, config.kinds[entry.kind]
    yield from (("topic", t, config.topics[t]) for t in entry.topics)
    yield from (("audience", a, config.audiences[a]) for a in entry.audiences)
    yield from (("country", code.lower(), name) for code, name in listing.countries)
    yield from (("language", code, name) for code, name in listing.languages)
    yield "cost", entry.cost, COSTS[entry.cost]


def code_char(number: int) -> str:
    """One character per facet value: printable ASCII first, then Latin Extended letters (two
    bytes in UTF-8), which are all printable and none of them spaces or line breaks."""
    return chr(0x21 + number) if number < 94 else chr(0x100 + number - 94)


def facet_files(site: Site, ids: list[str]) -> tuple[str, str]:
    """facets.json: [[facet, [[value, label, entries], ...]], ...]; entries.txt: one line per
    entry, `<pagefind id> <value codes>`, about 18 bytes each. Line n is entry n (A–Z order); value
    codes number the values in facets.json's order."""
    values = facet_values(site)
    rows = [[facet, values[facet]] for facet in FACETS]
    numbers: dict[tuple[str, str], int] = {}
    for facet, pairs in rows:
        for key, _ in pairs:
            numbers[facet, key] = len(numbers)
    totals = [0] * len(numbers)
    lines = []
    for listing, fid in zip(site.entries, ids):
        codes = [numbers[facet, key] for facet, key, _ in entry_facets(site, listing)]
        for n in codes:
            totals[n] += 1
        lines.append(f"{fid} {''.join(map(code_char, codes))}\n")
    header = [[facet, [[key, label, totals[numbers[facet, key]]] for key, label in pairs]] for facet, pairs in rows]
    return json.dumps({"facets": header}, ensure_ascii=False, separators=(",", ":")) + "\n", "".join(lines)


def words_file(site: Site) -> str:
    """The distinct words of names and vocabulary labels, lower case, sorted: one per line."""
    config = site.config
    texts = [listing.name for listing in site.entries]
    texts += [*config.kinds.values(), *config.topics.values(), *config.audiences.values()]
    words = {word.casefold() for text in texts for word in WORD.findall(text)}
    return "\n".join(sorted(words)) + "\n"
