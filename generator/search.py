"""Search index: a small text index of our own, cards to draw results with, and the facet index.

- `search/facets.json`: every facet value, its label and how many entries have it, plus what the
  browser needs to read the other files (number of entries, card block size, index chunk keys):
  enough to draw the filters before any query, at a few KB whatever the size of the directory.
- `search/index/<key>.txt`: the text index, one chunk per two-letter word prefix: per word, the
  entries whose name has it and the entries whose other text (kind, summary, first contact,
  topics, audiences, countries) has it, as delta-coded entry numbers. A query fetches one chunk
  per word, and scoring is one pass over the matching postings.
- `search/names.txt`: per entry, the number of indexed words in its name (one character), so a
  name that is all query words ranks first.
- `search/cards/<block>.json`: what a result shows (url, name, kind, summary, first contact), in
  blocks of consecutive entries: results tie-break A–Z, so a page of results usually needs one or
  two blocks, never a fetch per result.
- `search/entries.txt`: per entry, its facet values as one character each, so the browser can
  count and intersect facets. Loaded after the first results, or when a filter is first ticked.
- `search/words.txt`: the distinct words of entry names and vocabulary labels, loaded only when a
  query finds nothing, to correct typos ("samaratins" → "samaritans").

Line n (or card n) is entry n, in A–Z order, in every file. Why not Pagefind, which issue 5 used:
its query scoring scans every matching posting once per result page, so its cost grows with the
square of the hits: at 50,000 entries "support" took 1.7 s and "free" 10 s in the browser, and its
indexing peaked at 1.6 GB. See docs/performance.md.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

from generator.model import Listing, Site

COSTS = {"free": "Free", "low-cost": "Low cost", "paid": "Paid"}
FACETS = ("kind", "topic", "audience", "country", "language", "cost")
WORD = re.compile(r"[^\W\d_]{3,}")
TOKEN = re.compile(r"[^\W_]{2,}")  # words of two letters or digits and more ("116", "ocd")
CARD_BLOCK = 32  # entries per card file: a few KB each
KEY_SAFE = re.compile(r"[a-z0-9]")
# Words in most entries' text, which find nothing by themselves: left out of the index (the chunk
# for "an" was half "and" at 50,000 entries, "wi" all "with"), and dropped from a query that has
# other words by search.js, which reads this list from facets.json. "helpline for kids" then finds
# what "kids helpline" does; "for" typed alone still begins "forum".
STOPWORDS = frozenset("an and are as at be by for from in into is it of on or the to with".split())


def index_site(site: Site) -> dict[str, bytes]:
    """Every search file, keyed by output path, for write_site to add to the rest of the site."""
    chunks = text_index(site)
    files = {f"search/index/{key}.txt": text.encode() for key, text in chunks.items()}
    for start in range(0, len(site.entries), CARD_BLOCK):
        block = [card(site, listing) for listing in site.entries[start:start + CARD_BLOCK]]
        files[f"search/cards/{start // CARD_BLOCK}.json"] = compact_json(block).encode()
    facets, entries = facet_files(site, sorted(chunks))
    files["search/facets.json"], files["search/entries.txt"] = facets.encode(), entries.encode()
    files["search/names.txt"] = "".join(code_char(min(len(indexed(l.name)), 93)) for l in site.entries).encode()
    files["search/words.txt"] = words_file(site).encode()
    return files


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def normalise(text: str) -> str:
    """Lower case without accents, as the browser does to queries: "Amitié" → "amitie"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    # ASCII text has no marks; the rest loses every mark, as search.js's /\p{M}/ (not only
    # combining ones: Devanagari vowel signs too).
    return decomposed if decomposed.isascii() else decomposed.translate(WITHOUT_MARKS)


class Marks(dict):
    """A str.translate table that deletes marks, filled in as characters are first met."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.category(chr(code)).startswith("M") else code
        return self[code]


WITHOUT_MARKS = Marks()


def tokens(text: str) -> list[str]:
    return TOKEN.findall(normalise(text))


def indexed(text: str) -> list[str]:
    """The words of `text` that go in the index: its tokens less the stopwords."""
    return [word for word in tokens(text) if word not in STOPWORDS]


def chunk_key(word: str) -> str:
    """The index file for a word: its first two characters, spelt safely for a file name."""
    return "".join(ch if KEY_SAFE.fullmatch(ch) else f"_{ord(ch):x}" for ch in word[:2])


def other_text(site: Site, listing: Listing) -> str:
    """All that search matches besides the name: kind, summary, first contact, and topics,
    audiences and countries in words, so "grief" or "Ireland" finds entries by them."""
    entry, config = listing.entry, site.config
    contact = listing.contacts[0] if listing.contacts else None
    words = [config.kinds[entry.kind], entry.summary, contact.text if contact else ""]
    words += [config.topics[t] for t in entry.topics] + [config.audiences[a] for a in entry.audiences]
    return " ".join(words + [name for _, name in listing.countries])


def text_index(site: Site) -> dict[str, str]:
    """Chunk key → lines `word name-postings other-postings`, words sorted; postings are entry
    numbers, ascending, written as base-36 gaps joined by commas."""
    in_name: dict[str, list[int]] = defaultdict(list)
    in_other: dict[str, list[int]] = defaultdict(list)
    for n, listing in enumerate(site.entries):
        name = set(indexed(listing.name))
        for word in sorted(name):
            in_name[word].append(n)
        for word in sorted(set(indexed(other_text(site, listing))) - name):
            in_other[word].append(n)
    chunks: dict[str, list[str]] = defaultdict(list)
    for word in sorted(in_name.keys() | in_other.keys()):
        chunks[chunk_key(word)].append(f"{word} {gaps(in_name.get(word, []))} {gaps(in_other.get(word, []))}\n")
    return {key: "".join(lines) for key, lines in chunks.items()}


def gaps(numbers: list[int]) -> str:
    """Ascending numbers as base-36 differences: [3, 4, 40] → "3,1,10"."""
    out, last = [], 0
    for n in numbers:
        out.append(base36(n - last))
        last = n
    return ",".join(out)


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        n, d = divmod(n, 36)
        text = digits[d] + text
        if n == 0:
            return text


def card(site: Site, listing: Listing) -> list[str]:
    """[url, name, kind, summary, first contact's label, its text, its link]: what a result shows."""
    entry = listing.entry
    contact = listing.contacts[0] if listing.contacts else None
    first = [contact.action, contact.text, contact.href or ""] if contact else ["", "", ""]
    return [listing.url, listing.name, site.config.kinds[entry.kind], entry.summary, *first]


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


def facet_files(site: Site, chunk_keys: list[str]) -> tuple[str, str]:
    """facets.json: {entries, cards, chunks, facets: [[facet, [[value, label, entries], ...]], ...]};
    entries.txt: line n holds entry n's value codes, which number the values in facets.json's order."""
    values = facet_values(site)
    rows = [[facet, values[facet]] for facet in FACETS]
    numbers: dict[tuple[str, str], int] = {}
    for facet, pairs in rows:
        for key, _ in pairs:
            numbers[facet, key] = len(numbers)
    totals = [0] * len(numbers)
    lines = []
    for listing in site.entries:
        codes = [numbers[facet, key] for facet, key, _ in entry_facets(site, listing)]
        for n in codes:
            totals[n] += 1
        lines.append("".join(map(code_char, codes)) + "\n")
    header = [[facet, [[key, label, totals[numbers[facet, key]]] for key, label in pairs]] for facet, pairs in rows]
    meta = {"entries": len(site.entries), "cards": CARD_BLOCK, "chunks": chunk_keys,
            "stopwords": sorted(STOPWORDS), "facets": header}
    return compact_json(meta), "".join(lines)


def words_file(site: Site) -> str:
    """The distinct words of names and vocabulary labels, lower case, sorted: one per line."""
    config = site.config
    texts = [listing.name for listing in site.entries]
    texts += [*config.kinds.values(), *config.topics.values(), *config.audiences.values()]
    words = {word.casefold() for text in texts for word in WORD.findall(text)} - STOPWORDS
    return "\n".join(sorted(words)) + "\n"
