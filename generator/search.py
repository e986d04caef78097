"""Search index: a small text index of our own over the whole entry, cards that let a person act,
per-country crisis files and the facet index (issue 13).

- `search/facets.json`: every facet value, its label and how many entries have it, plus what the
  browser needs to read the other files (number of entries, card block size, index chunk keys,
  stemming languages, stopwords, crisis phrases, the default country): a few KB.
- `search/index/<key>.txt`: the text index, one chunk per two-letter prefix of the indexed stem
  (cut into numbered parts, `<key>-<n>.txt`, where a chunk grew large): per stem, the entries that have it in their name,
  summary, vocabulary (kind, topics, audiences, countries, languages, synonyms, contacts) and
  body, each entry once in its best field, as delta-coded entry numbers.
- `search/names.txt`: per entry one character: the number of indexed words in its name (a name
  that is all query words ranks first), whether it is a crisis line and whether it is international.
- `search/countries/<cc>.json`: per country, its name, emergency numbers, active crisis lines and
  the entries that serve it: fetched for the visitor's country only, to rank its services first
  and to show its crisis lines when a query means crisis or finds nothing.
- `search/cards/<block>.json`: what a result shows, in blocks of consecutive entries.
- `search/entries.txt`: per entry, its facet values as one character each.
- `search/words.txt`: every distinct indexed word, for typo correction ("samaratins").

Line n (or card n) is entry n, in A–Z order, in every file. Words are lower case, Latin accents
folded ("amitié" → "amitie") but marks other scripts need kept (Devanagari's vowel signs), then
stemmed with Snowball for the site's language and the entry's own languages; search.js does the
same to queries with the same Snowball algorithms (templates/static/stemmers.js). Why not
Pagefind: its query cost grows with the square of the hits; see docs/performance.md.
"""
from __future__ import annotations

import gettext
import json
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Callable, Iterator, Sequence

import pycountry
import snowballstemmer

from generator.i18n import Formats
from generator.model import Listing, Site, country_name, language_name

COSTS = {"free": "Free", "low-cost": "Low cost", "paid": "Paid"}
FACETS = ("kind", "topic", "audience", "country", "language", "cost")
FACET_TITLES = {"kind": "Kind of service", "topic": "Topic", "audience": "Who it is for", "country": "Country",
                "language": "Language", "cost": "Cost"}
# Snowball's algorithms for the languages entries and pages use (stemmers.js has the same); other
# languages are indexed unstemmed.
STEMMERS = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "nl": "dutch",
            "pt": "portuguese", "hi": "hindi", "ar": "arabic"}
NAME, SUMMARY, VOCABULARY, BODY = range(4)  # fields, best first; search.js weighs them
CARD_BLOCK = 32  # entries per card file: a few KB each
CHUNK_LIMIT = 48 * 1024  # a chunk larger than this is cut into parts (split_chunks)
KEY_SAFE = re.compile(r"[a-z0-9]")
# Words in most entries' text, which find nothing by themselves: left out of the index, and
# dropped from a query that has other words by search.js, which reads this list from facets.json.
STOPWORDS = frozenset("an and are as at be by for from in into is it of on or the to with".split())
# Contacts in the order a person in need would use them: a call or a message before a visit.
DIRECT = ("phone", "whatsapp", "sms", "chat", "email", "app", "website", "in-person")
# The taxonomy (i18n.Formats.label) of each facet that has one.
TAXONOMY_OF = {"kind": "kinds", "topic": "topics", "audience": "audiences", "country": "countries",
               "language": "languages"}
LINK = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")  # Markdown link targets, URLs


def _marks_class() -> str:
    """A regex class of the combining marks other than Latin's (U+0300–U+036F, folded away),
    so that a Devanagari word keeps its vowel signs inside one token, as search.js's \\p{M}."""
    ranges, start = [], None
    for code in range(0x370, 0x10000):
        mark = unicodedata.category(chr(code)).startswith("M")
        if mark and start is None:
            start = code
        elif not mark and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    return "".join(ranges)


TOKEN = re.compile(f"(?:[^\\W_]|[{_marks_class()}])+")
LATIN_MARKS = dict.fromkeys(range(0x300, 0x370))


def index_site(site: Site, languages: Sequence[tuple[str, str, Callable[[str], str]]] = ()) -> Iterator[tuple[str, bytes]]:
    """Every search file, as (output path, bytes), made as they are asked for, so a build writes
    each as it comes and never holds them all (205 MB at 50,000 entries in nine languages).
    `languages`: (code, prefix, gettext) of each language the pages are in, the default first
    (only the site's language when empty). The text index, names, facet codes and words are
    shared: one index finds an entry by its words in any of its languages. What a page shows
    (facet labels, cards, country names) is per language, under the language's prefix
    (fr/search/cards/0.json)."""
    chunks, split, words = text_index(site)
    yield from ((f"search/index/{key}.txt", text.encode()) for key, text in chunks.items())
    yield "search/names.txt", "".join(map(name_char, site.entries)).encode()
    yield "search/words.txt", ("\n".join(sorted(words)) + "\n").encode()
    table = facet_table(site)
    yield "search/entries.txt", table[3].encode()
    countries = country_files(site)
    meta = facets_meta(site, sorted(chunks), split, sorted(countries))
    del chunks, words
    for code, prefix, translate in languages or [(site.config.language, "", lambda message: message)]:
        words_in = Formats(code, translate)
        at = prefix.strip("/") + "/search/" if prefix.strip("/") else "search/"
        for start in range(0, len(site.entries), CARD_BLOCK):
            block = [card(site, listing, words_in) for listing in site.entries[start:start + CARD_BLOCK]]
            yield f"{at}cards/{start // CARD_BLOCK}.json", compact_json(block).encode()
        yield from ((f"{at}countries/{cc.lower()}.json",
                     compact_json({"name": words_in.label(site.config, cc, "countries"), **data}).encode())
                    for cc, data in countries.items())
        yield f"{at}facets.json", compact_json(meta | {"facets": facet_labels(site, table, words_in)}).encode()


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def normalise(text: str) -> str:
    """Lower case, Latin accents folded, other marks kept, as search.js does to queries:
    "Amitié" → "amitie", "हिंदी" stays "हिंदी"."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKD", text.lower()).translate(LATIN_MARKS))


def tokens(text: str) -> list[str]:
    """Runs of letters, digits and marks, two characters or more."""
    return [word for word in TOKEN.findall(normalise(text)) if len(word) > 1]


def indexed(text: str) -> list[str]:
    """The words of `text` that go in the index: its tokens less the stopwords."""
    return [word for word in tokens(text) if word not in STOPWORDS]


@lru_cache(maxsize=None)
def stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


def stem(word: str, language: str) -> str:
    """The Snowball stem of a normalised word (search.js calls the same algorithm)."""
    return word if word.isdigit() else _stem(word, language)


@lru_cache(maxsize=1 << 20)
def _stem(word: str, language: str) -> str:
    return stemmer(language).stemWord(word)


def stem_languages(site: Site, listing: Listing) -> tuple[str, ...]:
    """The site's language, the entry's own and those it gives its words in, where Snowball has
    an algorithm for them."""
    languages = dict.fromkeys([site.config.language, *listing.entry.languages, *listing.entry.translations])
    return tuple(language for language in languages if language in STEMMERS)


def indexed_languages(site: Site) -> set[str]:
    """Every language the index stems words in: the site's own, its pages' and its entries'."""
    config = site.config
    return {config.language, *config.languages} | {
        code for listing in site.entries for code in (*listing.entry.languages, *listing.entry.translations)}


def chunk_key(word: str, length: int = 2) -> str:
    """The index file for a word: its first characters, spelt safely for a file name."""
    return "".join(ch if KEY_SAFE.fullmatch(ch) else f"_{ord(ch):x}" for ch in word[:length])


def fields(site: Site, listing: Listing) -> tuple[set[str], set[str], set[str], set[str]]:
    """The entry's indexed words per field: name, summary, vocabulary (with the synonyms editors
    curate, the names people give its countries and languages, and every contact), Markdown body;
    name, summary and body in each language the entry gives them."""
    entry = listing.entry
    vocabulary = set(vocabulary_words(site.config, "kind", entry.kind))
    for facet, keys in (("topic", entry.topics), ("audience", entry.audiences), ("language", entry.languages)):
        for key in keys:
            vocabulary |= vocabulary_words(site.config, facet, key)
    for code in entry.countries:
        vocabulary |= country_words(site.config, code, tuple(entry.languages))
    vocabulary |= set(indexed(" ".join(part for contact in listing.contacts for part in contact_words(contact))))
    own = entry.translations.values()
    names = " ".join([listing.name, *(t.name for t in own if t.name)])
    summaries = " ".join([entry.summary, *(t.summary for t in own if t.summary)])
    bodies = " ".join([listing.body, *(t.body for t in own if t.body)])
    return set(indexed(names)), set(indexed(summaries)), vocabulary, set(indexed(LINK.sub(" ", bodies)))


def label_words(site: Site, listing: Listing) -> dict[str, set[str]]:
    """The entry's vocabulary as the pages in each other language of the site label it (site.yaml's
    translations, CLDR's country and language names), by language: each is stemmed in its own."""
    entry, config = listing.entry, site.config
    values = [("kinds", entry.kind), *(("topics", t) for t in entry.topics),
              *(("audiences", a) for a in entry.audiences),
              *(("countries", c) for c in entry.countries), *(("languages", code) for code in entry.languages)]
    return {code: set().union(*(page_words(config, code, key, taxonomy) for taxonomy, key in values))
            for code in config.languages if code != config.language}


# The words of a vocabulary value and of a country are the same for every entry that has it:
# found once per build, not once per entry (indexing 10,000 entries took 26 s before).
_config_words: dict[tuple, frozenset[str]] = {}


def vocabulary_words(config, facet: str, key: str) -> frozenset[str]:
    """A kind's, topic's, audience's or language's label (a language's names) and synonyms."""
    cached = _config_words.get((id(config), facet, key))
    if cached is None:
        labels = {"kind": config.kinds, "topic": config.topics, "audience": config.audiences}
        names = list(language_names(key)) if facet == "language" else [labels[facet][key]]
        cached = frozenset(indexed(" ".join(names + list(config.search.synonyms.get(key, ())))))
        _config_words[id(config), facet, key] = cached
    return cached


def country_words(config, code: str, languages: tuple[str, ...]) -> frozenset[str]:
    """A country's names (in English and the entry's languages) and the names people type for it."""
    cached = _config_words.get((id(config), "country", code, languages))
    if cached is None:
        names = list(country_names(code, languages)) + list(config.search.synonyms.get(code, ()))
        cached = frozenset(indexed(" ".join(names)))
        _config_words[id(config), "country", code, languages] = cached
    return cached


def page_words(config, language: str, key: str, taxonomy: str) -> frozenset[str]:
    """The words of what the pages in `language` call a value (i18n.Formats.label)."""
    cached = _config_words.get((id(config), language, taxonomy, key))
    if cached is None:
        cached = frozenset(indexed(formats_of(language).label(config, key, taxonomy)))
        _config_words[id(config), language, taxonomy, key] = cached
    return cached


@lru_cache(maxsize=None)
def formats_of(code: str) -> Formats:
    """A language's formats for labels only: CLDR's names need no catalogue ("International",
    the one label a catalogue gives, is indexed in English)."""
    return Formats(code, lambda message: message)


def contact_words(contact) -> list[str]:
    """A contact's number as written and as one run of digits ("116 123", "116123"), its keyword
    and label, and its address."""
    text = contact.text if contact.type != "website" else ""
    digits = re.sub(r"\D", "", text) if contact.type in ("phone", "sms", "whatsapp") else ""
    return [text, digits, contact.keyword or "", contact.note or ""]


@lru_cache(maxsize=None)
def country_names(code: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """A country's names in English (common, official) and in the given languages (pycountry's
    translations): "Germany", "Federal Republic of Germany", "Deutschland"."""
    if code == "international":
        return ("International", "worldwide", "global")
    country = pycountry.countries.get(alpha_2=code)
    names = [country_name(code), country.name, getattr(country, "official_name", country.name)]
    names += [translated("iso3166-1", language, country.name) for language in languages]
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=None)
def language_names(code: str) -> tuple[str, ...]:
    """A language's name in English and in itself: "Spanish", "español"."""
    english = language_name(code)
    return tuple(dict.fromkeys([english, translated("iso639-3", code, english)]))


@lru_cache(maxsize=None)
def translated(domain: str, language: str, text: str) -> str:
    catalogue = translations(domain, language)
    return catalogue.gettext(text) if catalogue else text


@lru_cache(maxsize=None)
def translations(domain: str, language: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # pycountry has no translation into that language
        return None


def entry_stems(site: Site, listing: Listing) -> tuple[dict[str, int], set[str]]:
    """Each index key of the entry with its best field, and the entry's words as written."""
    site_language = site.config.language
    others = tuple(language for language in stem_languages(site, listing) if language != site_language)
    best: dict[str, int] = {}
    words: set[str] = set()
    for field, found in enumerate(fields(site, listing)):  # best field first
        found -= words
        words |= found
        for word in found:
            for key in word_keys(word, site_language, others):
                best.setdefault(key, field)
    for language, found in label_words(site, listing).items():  # another language's labels: its stems
        own = (language,) if language in STEMMERS else ()
        words |= found
        for word in found:
            for key in word_keys(word, site_language, own):
                best.setdefault(key, VOCABULARY)
    return best, words


@lru_cache(maxsize=1 << 18)
def word_keys(word: str, site_language: str, others: tuple[str, ...]) -> tuple[str, ...]:
    """The keys a word is indexed under. The site language's stem is the key; another
    language's stem, where it differs, is keyed "stem~language", so that it only meets a query
    stemmed in that language: Portuguese makes "can" of "canada", which must not find every
    entry that says "can"."""
    if word.isdigit():
        return (word,)
    plain = _stem(word, site_language) if site_language in STEMMERS else word
    keys = [plain]
    for language in others:
        key = _stem(word, language)
        if key != plain:
            keys.append(f"{key}~{language}")
    return tuple(keys)


def text_index(site: Site) -> tuple[dict[str, str], dict[str, list[str]], set[str]]:
    """Chunk key → lines `stem postings…` (one list per field, empty lists at the end left off),
    stems sorted; postings are entry numbers, ascending, as base-36 gaps joined by commas. Also
    the two-letter keys cut into parts (split_chunks), and every word indexed as written (normalised)."""
    postings: dict[str, tuple[array, ...]] = {}
    words: set[str] = set()
    _config_words.clear()  # keyed by the config's id, which a later build's config may reuse
    for n, listing in enumerate(site.entries):
        best, found = entry_stems(site, listing)
        words |= found
        for key, field in best.items():
            if key not in postings:
                postings[key] = tuple(array("I") for _ in range(BODY + 1))
            postings[key][field].append(n)
    lines: dict[str, list[str]] = defaultdict(list)
    for key in sorted(postings, key=utf16_order):
        lists = [gaps(numbers) for numbers in postings[key]]
        while lists and not lists[-1]:
            lists.pop()
        lines[chunk_key(key)].append(" ".join([key, *lists]) + "\n")
    chunks, split = split_chunks(lines)
    return chunks, split, {word for word in words if not word.isdigit()}


def split_chunks(lines: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A chunk over CHUNK_LIMIT is cut into parts of consecutive stems, each within the limit (a
    stem over it alone is a part of its own), named by the two-letter key and a number ("de-1",
    "de-2"): a broad word then costs about its own postings, not its neighbours'. A host's log
    sees which files are fetched: named by longer prefixes, as they were, "depres.txt" told it
    what was searched; now it learns a word's first two letters and a range of stems. Also, per
    key cut, the first stem of each part after the first, for search.js to find a stem's part."""
    chunks: dict[str, str] = {}
    split: dict[str, list[str]] = {}
    for key, rows in lines.items():
        text = "".join(rows)
        if len(text.encode()) <= CHUNK_LIMIT:
            chunks[key] = text
            continue
        parts: list[list[str]] = [[]]
        size = 0
        for row in rows:
            if parts[-1] and size + len(row.encode()) > CHUNK_LIMIT:
                parts.append([])
                size = 0
            parts[-1].append(row)
            size += len(row.encode())
        chunks.update((f"{key}-{n}", "".join(part)) for n, part in enumerate(parts, start=1))
        split[key] = [part[0].split(" ", 1)[0] for part in parts[1:]]
    return chunks, split


def utf16_order(text: str) -> bytes:
    """Sort key giving JavaScript's string order (UTF-16 code units), which search.js relies on
    when it looks a stem up by halves; Python's order of code points differs past U+FFFF."""
    return text.encode("utf-16-be")


def gaps(numbers) -> str:
    """Ascending numbers as base-36 differences: [3, 4, 40] → "3,1,10"."""
    out, last = [], 0
    for n in numbers:
        gap = n - last
        out.append(SMALL_BASE36[gap] if gap < len(SMALL_BASE36) else base36(gap))
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


# Most gaps are small: looked up, not computed (millions of them at 50,000 entries with bodies).
SMALL_BASE36 = [base36(n) for n in range(36 * 36)]


def name_char(listing: Listing) -> str:
    """Words in the name (at most 15), plus 16 for a crisis line and 32 for an international one."""
    entry = listing.entry
    flags = 16 * (entry.crisis and entry.status == "active") + 32 * ("international" in entry.countries)
    return code_char(min(len(indexed(listing.name)), 15) + flags)


def card(site: Site, listing: Listing, words: Formats) -> list:
    """What a result shows, in the words of one language: [url, name, kind, summary, where,
    crisis (0/1), hours in a few words, the most direct contact's action, text and link, its
    schedule and time zone for "open now", the word to text, and the languages of the name and
    the summary where they are not the page's (the entry has no words of its own in it)]."""
    entry, config = listing.entry, site.config
    contact = most_direct(listing)
    first = [words._(contact.action), contact.text, contact.href or ""] if contact else ["", "", ""]
    where = ", ".join(words.label(config, code, "countries") for code, _ in listing.countries)
    schedule = (contact.schedule or []) if contact and contact.opening and not contact.opening.always else None
    own = listing.text(words.code, config.language)
    return [listing.url, own.name, words.label(config, entry.kind, "kinds"), own.summary, where,
            int(entry.crisis), short_hours(contact, words), *first, schedule, entry.timezone or "",
            (contact.keyword or "") if contact else "", own.name_lang or "", config.language if own.fallback else ""]


def most_direct(listing: Listing):
    """The contact a person can use fastest: a call or message with a link, before a visit."""
    usable = [c for c in listing.contacts if c.href or c.type == "in-person"]
    return min(usable or listing.contacts, key=lambda c: DIRECT.index(c.type), default=None)


def short_hours(contact, words: Formats) -> str:
    if contact is None or contact.opening is None:
        return ""
    return "24/7" if contact.opening.always else words.hours(contact.opening) or ""


def country_files(site: Site) -> dict[str, dict]:
    """Per country with entries or an emergency number: its emergency numbers and note, active
    crisis lines (entry numbers, international ones after) and the entries serving it; the
    country's name, which is in the page's language, is added per language by index_site."""
    number = {listing.slug: n for n, listing in enumerate(site.entries)}
    serving: dict[str, list[int]] = defaultdict(list)
    for n, listing in enumerate(site.entries):
        for code in listing.entry.countries:
            if code != "international":
                serving[code].append(n)
    worldwide = [n for n, listing in enumerate(site.entries) if crisis_line(listing) and "international" in listing.entry.countries]
    files = {}
    for place in site.countries_help:
        lines = [number[listing.slug] for listing in place.crisis_lines]
        files[place.code] = {"emergency": place.numbers, "note": place.note or "",
                             "crisis": lines + worldwide, "serves": gaps(serving.get(place.code, []))}
    for code in serving.keys() - files.keys():
        files[code] = {"emergency": [], "note": "", "crisis": worldwide,
                       "serves": gaps(serving[code])}
    return files


def crisis_line(listing: Listing) -> bool:
    return listing.entry.crisis and listing.entry.status == "active"


def facet_values(site: Site) -> dict[str, list[tuple[str, str]]]:
    """Each facet's values with their labels, only values some entry has, in label order: the
    model's taxonomies, plus cost."""
    values = {taxonomy.singular: [(term.key.lower(), term.label) for term in taxonomy.terms]
              for taxonomy in site.taxonomies.values()}
    costs = {listing.entry.cost for listing in site.entries}
    values["cost"] = sorted(((cost, COSTS[cost]) for cost in costs), key=lambda kv: (kv[1].casefold(), kv[0]))
    return values


def facet_groups(site: Site) -> list[tuple[str, str, list[tuple[int, str, str, int]]]]:
    """The filters as search.html draws them before any script runs, so nothing moves when
    search.js starts (Lighthouse measured a layout shift of 0.16 when it drew them): per facet its
    name, title and values as (code, key, label, entries), codes numbered as in facets.json."""
    values = facet_values(site)
    counts = Counter((facet, key) for listing in site.entries for facet, key, _ in entry_facets(site, listing))
    groups, code = [], 0
    for facet in FACETS:
        items = []
        for key, label in values[facet]:
            items.append((code, key, label, counts[facet, key]))
            code += 1
        groups.append((facet, FACET_TITLES[facet], items))
    return groups


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


def crisis_phrases(site: Site) -> list[list[str]]:
    """Each crisis phrase as its normalised words (stopwords kept: "end my life")."""
    return [tokens(phrase) for phrase in site.config.search.crisis_phrases if tokens(phrase)]


def stem_order(site_language: str, languages: set[str]) -> list[str]:
    """The stemming languages, the site's own first: search.js trusts its stems most."""
    return sorted(languages & STEMMERS.keys(), key=lambda code: (code != site_language, code))


def facet_table(site: Site) -> tuple[list, dict[tuple[str, str], int], list[int], str]:
    """The facets' values in code order, their codes and totals, and entries.txt: line n holds
    entry n's value codes. The same for every language, so that one entries.txt serves all."""
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
    return rows, numbers, totals, "".join(lines)


def facets_meta(site: Site, chunk_keys: list[str], split: dict[str, list[str]], countries: list[str]) -> dict:
    """What facets.json says in every language: how the other files are laid out, the stemming
    languages, stopwords, crisis phrases and the default country."""
    config = site.config
    return {"entries": len(site.entries), "cards": CARD_BLOCK, "chunks": chunk_keys, "split": split,
            "language": config.language, "stem": stem_order(config.language, indexed_languages(site)),
            "stopwords": sorted(STOPWORDS), "crisis": crisis_phrases(site),
            "country": (config.default_country or "").lower(), "countries": [code.lower() for code in countries]}


def facet_labels(site: Site, table, words: Formats) -> list:
    """facets.json's `facets` in one language: [[facet, [[value, label, entries], ...]], ...],
    the values in facet_table's code order."""
    rows, numbers, totals, _ = table
    config = site.config

    def label(facet: str, key: str, english: str) -> str:
        return words.label(config, key, TAXONOMY_OF[facet]) if facet in TAXONOMY_OF else words._(english)

    return [[facet, [[key, label(facet, key, text), totals[numbers[facet, key]]] for key, text in pairs]]
            for facet, pairs in rows]
