"""Render: the Jinja environment and the page plan (url → template + context), turned into bytes.

Nothing here reads content files: everything comes from the model. Which files a site has, and in
what order they are made, is outputs.py's list of producers; this module draws the templates.
"""
from __future__ import annotations

import hashlib
import heapq
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup
import rcssmin
import rjsmin

from babel.support import Translations

from generator.i18n import Formats, Language, language, site_languages, translations
from generator.parallel import map_chunks
from generator.search import facet_groups
from generator.model import Listing, Site, Term

PAGE_SIZE = 100
FEED_SIZE = 50
FINGERPRINTED = (".css", ".js")
LISTING_TEMPLATES = ("a-z.html", "list.html")  # pages that draw many entries each
OFFLINE_PAGE = "/offline.html"  # what the offline worker shows for a page never saved on the device
PRECACHED = [OFFLINE_PAGE]  # pages the offline worker stores on the first visit (see render_service_worker)
ESSENTIAL_ASSETS = ("style.css", "site.js")  # the assets of the offline page; search.js is not one
Writer = Callable[[str, bytes], None]


@dataclass(slots=True)  # slots: a site of 50,000 entries in nine languages has 480,000 of them
class PagePlan:
    """One output file: where it goes, which template draws it, and with what."""

    url: str  # the same in every language: the language's prefix goes in front of it
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    prefix: str = ""  # "" for the default language, "/fr" for French
    path: str = field(init=False)

    def __post_init__(self) -> None:
        url = (self.prefix + self.url).lstrip("/")
        self.path = url + "index.html" if url.endswith("/") or not url else url


def fingerprint_assets(static_dir: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """Name CSS and JS by content hash so they can be cached forever; returns (name → url path, files)."""
    names, files = {}, {}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(static_dir).as_posix()
        data = minified(path.suffix, path.read_bytes())
        if path.suffix in FINGERPRINTED:
            digest = hashlib.sha256(data).hexdigest()[:10]
            target = f"assets/{rel[: -len(path.suffix)]}.{digest}{path.suffix}"
        else:
            target = f"assets/{rel}"
        names[rel], files[target] = target, data
    return names, files


def minified(suffix: str, data: bytes) -> bytes:
    """CSS and JS without comments and spaces (the sources keep them): the home page's 30 KB budget."""
    if suffix == ".css":
        return rcssmin.cssmin(data)
    if suffix == ".js":
        return rjsmin.jsmin(data)
    return data


def make_environment(templates_dir: Path, base_url: str, assets: dict[str, str],
                     lang: Language | None = None, languages: list[Language] | None = None,
                     gettext: Translations | None = None) -> Environment:
    """One environment per language of the build: autoescaped, strict about undefined names,
    with that language's translations installed (`_("...")`, `{% trans %}`).

    Filters: `'/x/'|url` gives a root-relative link under the base path in the page's language,
    `'/x/'|root_url` one outside any language (feeds, data, the worker), `'/x/'|absolute` a full
    URL, `'/x/'|in_language(other)` the same page in another language, `'style.css'|asset` the
    fingerprinted asset's link; `date`, `month`, `hours`, `dates` and `label` word values in
    the page's locale. Filters, not functions: Jinja calls a filter directly, and a function
    through its context (2–3 µs a call, a dozen calls a page).
    """
    parts = urlsplit(base_url)
    origin, base_path = f"{parts.scheme}://{parts.netloc}", (parts.path or "/").rstrip("/") + "/"
    # auto_reload off: templates are compiled once and never re-checked on disk during a build.
    env = Environment(loader=FileSystemLoader(templates_dir), autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False, extensions=["jinja2.ext.i18n", WordedWhenCompiled])
    lang = lang or language("en")
    gettext = gettext or Translations()
    env.install_gettext_translations(gettext, newstyle=True)
    env.globals["_"] = quick_gettext(gettext.gettext)
    prefix = lang.prefix.lstrip("/") + "/" if lang.prefix else ""

    def root_url(path: str) -> str:
        return base_path + path.lstrip("/")

    def url(path: str) -> str:
        return base_path + prefix + path.lstrip("/")

    def in_language(path: str, other: Language) -> str:
        return base_path + (other.prefix.lstrip("/") + "/" if other.prefix else "") + path.lstrip("/")

    env.filters.update(url=url, root_url=root_url, absolute=lambda path: origin + url(path),
                       in_language=in_language, absolute_in=lambda path, other: origin + in_language(path, other),
                       asset=lambda name: root_url(assets[name]))
    add_formats(env, lang, gettext)
    env.globals.update(lang=lang, languages=languages or [lang])
    return env


def quick_gettext(translate: Callable[[str], str]) -> Callable[..., Markup]:
    """`_()` as jinja2.ext's new-style gettext has it in an autoescaped template (the
    translation is markup, the values are escaped into it, and it is always a format string),
    without its two context-passing hops, and each message looked up once: a page calls it a
    dozen times, and the hops were 28% of an entry page's template time (394 -> 284 µs)."""
    found: dict[str, Markup] = {}
    alone: dict[str, Markup] = {}  # the message formatted with no values, which most calls give

    def _(message: str, **values) -> Markup:
        if not values and message in alone:
            return alone[message]
        text = found.get(message)
        if text is None:
            text = found[message] = Markup(translate(message))
        if values:
            return text % values
        result = alone[message] = text % {}
        return result

    return _


class WordedWhenCompiled(Extension):
    """`_("literal")`, with no values, is worded as a language's templates compile: the page
    holds the translation as constant text, which Jinja folds into the compiled template, not a
    call through the page's context and a Markup format for each of the dozen a page makes
    (an entry page's template took 11% less time). `_` is read when each template compiles, so
    the words are those `_()` would give at render time."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)  # one template's tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if (token.test("name:_") and [t.type for t in tokens[i + 1:i + 4]] == ["lparen", "string", "rparen"]
                    and not (i and tokens[i - 1].type == "dot")):
                worded = str(self.environment.globals["_"](tokens[i + 2].value))
                line = token.lineno  # ("worded"|safe): parenthesised, so what follows binds as it did to the call
                yield from (Token(line, "lparen", "("), Token(line, "string", worded), Token(line, "pipe", "|"),
                            Token(line, "name", "safe"), Token(line, "rparen", ")"))
                i += 4
                continue
            yield token
            i += 1


def sort_key(text: str) -> str:
    """Text to sort by: case and Latin accents folded (no collation tables: close enough for a
    few dozen labels)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def add_formats(env: Environment, lang: Language, gettext: Translations) -> None:
    """Filters that word the model's values in the page's locale (CLDR, through Babel)."""
    formats = Formats(lang.code, gettext.gettext)

    def label(key: str, taxonomy: str) -> str:
        return formats.label(env.globals["site"].config, key, taxonomy)

    def places(codes: list[str]) -> str:
        return formats.places(env.globals["site"].config, codes)

    def in_label_order(terms):
        """A taxonomy's terms in the order of their labels in the page's language (Allemagne
        before Australie), accents and case aside."""
        return sorted(terms, key=lambda term: (sort_key(label(term.key, term.taxonomy)), term.key))

    def isolate(value) -> Markup:
        """Numbers and keywords in their own direction (<bdi>), where the page runs right to left:
        in an Arabic sentence "0800 068 4141" would otherwise read 4141 068 0800. Left-to-right
        pages need no isolation, and the home page has no bytes to spare."""
        return Markup("<bdi>%s</bdi>") % value if lang.dir == "rtl" else Markup("%s") % value

    env.filters.update(isolate=isolate, date=formats.date, month=formats.month, hours=formats.hours, dates=formats.dates,
                       label=label, places=places, in_label_order=in_label_order,
                       words=lambda listing: listing.text(lang.code, env.globals["site"].config.language))


def plan_pages(site: Site, languages: list[Language] | None = None) -> list[PagePlan]:
    """Every page of the site in every language, in a stable order: the same pages in each."""
    default = plan_language(site)
    plans = list(default)
    for other in (languages or [])[1:]:  # the same contexts, shared
        plans += [PagePlan(plan.url, plan.template, plan.context, other.prefix) for plan in default]
    return plans


def plan_language(site: Site) -> list[PagePlan]:
    """Every page of the site in one language."""
    # /entries/ is the parent of every entry's URL: people trim a URL to it, so it lists them all.
    plans = [PagePlan("/", "home.html"), PagePlan("/a-z/", "a-z.html", {"groups": site.a_to_z}),
             PagePlan("/entries/", "a-z.html", {"groups": site.a_to_z}),
             PagePlan("/404.html", "404.html"), PagePlan("/search/", "search.html"),
             PagePlan(OFFLINE_PAGE, "offline.html")]
    plans += [PagePlan(listing.url, "entry.html", {"listing": listing}) for listing in site.entries]
    plans += [PagePlan(page.url, "page.html", {"page": page}) for page in site.pages]
    for taxonomy in site.taxonomies.values():
        plans.append(PagePlan(f"/{taxonomy.name}/", "taxonomy.html", {"taxonomy": taxonomy}))
        for term in taxonomy.terms:
            plans += paginate(term, taxonomy.singular)
    return plans


def paginate(term: Term, singular: str) -> list[PagePlan]:
    """A list page per PAGE_SIZE entries: /topics/grief/, /topics/grief/page/2/, ..."""
    chunks = [term.entries[i:i + PAGE_SIZE] for i in range(0, len(term.entries), PAGE_SIZE)] or [[]]
    urls = [term.url] + [f"{term.url}page/{n}/" for n in range(2, len(chunks) + 1)]
    return [PagePlan(urls[i], "list.html", {"term": term, "singular": singular, "entries": chunk,
                                            "page_number": i + 1, "page_urls": urls})
            for i, chunk in enumerate(chunks)]


@dataclass
class Renderer:
    """The compiled templates, the fingerprinted assets, and fragments rendered once per listing.

    A build makes one; `serve` keeps its own between edits that touch neither templates/ nor
    site.yaml (the only inputs of a fragment besides its listing), so an unchanged listing's
    card and A–Z row are not drawn again. Fragments are keyed by the listing object itself:
    `build_site` gives an edited entry a new Listing, and keeps the old one for the rest."""

    env: Environment
    static: dict[str, bytes]
    fragments: dict[tuple[str, int], tuple[Any, str]] = field(default_factory=dict)
    # The site's languages, the default (this renderer) first; each has its own renderer.
    languages: list[Language] = field(default_factory=list)
    root: Path | None = None  # the project, whose locales/ and templates/ the languages come from
    by_prefix: dict[str, "Renderer"] = field(default_factory=dict)
    gettext: Translations | None = None  # this language's catalogue (None: the English msgids)

    @classmethod
    def load(cls, templates_dir: Path, base_url: str, config=None) -> "Renderer":
        """The renderer of the default language, holding one for each other language of `config`
        (locales/ beside templates/ holds their catalogues)."""
        assets, static = fingerprint_assets(templates_dir / "static")
        root = templates_dir.parent
        languages = site_languages(config, root) if config is not None else [language("en")]
        made = [cls.one(templates_dir, base_url, assets, static, lang, languages,
                        translations(root, lang.code, languages[0].code) if config is not None else None)
                for lang in languages]
        made[0].languages, made[0].by_prefix = languages, {lang.prefix: r for lang, r in zip(languages, made)}
        made[0].root = root
        return made[0]

    @classmethod
    def one(cls, templates_dir, base_url, assets, static, lang, languages, gettext) -> "Renderer":
        renderer = cls(make_environment(templates_dir, base_url, assets, lang, languages, gettext), static,
                       gettext=gettext)
        renderer.env.globals.update(facet_groups=facet_groups,
                                    cards=renderer.fragments_of("partials/entry-card.html"),
                                    az_rows=renderer.fragments_of("partials/a-z-row.html"),
                                    per_site=renderer.per_site)
        return renderer

    def env_of(self, prefix: str) -> Environment:
        return self.by_prefix[prefix].env if self.by_prefix else self.env

    def per_site(self, name: str) -> Markup:
        """`name` drawn once per site model and shared by every page: the header, the footer and
        the crisis notice. Only the latest is kept, so an old model is not held alive by `serve`."""
        return Markup(self.drawn((name, 0), self.env.globals["site"]))

    def fragments_of(self, name: str) -> Callable[[list[Listing]], Markup]:
        """`name` rendered for each of some listings, each drawn on first use and reused after."""

        def render(listings: list[Listing]) -> Markup:
            drawn = self.drawn
            return Markup("".join([drawn((name, id(listing)), listing, "listing") for listing in listings]))

        return render

    def drawn(self, key: tuple[str, int], owner: Any, as_name: str | None = None) -> str:
        """The template named `key[0]` drawn once (given `owner` as `as_name`), and kept under `key`
        while `owner`, what the fragment shows, is the very same object. The template is looked
        up only to draw: a hit costs one dict lookup."""
        hit = self.fragments.get(key)
        if hit is None or hit[0] is not owner:
            template = self.env.get_template(key[0])
            hit = self.fragments[key] = (owner, template.render({as_name: owner} if as_name else {}))
        return hit[1]

    @contextmanager
    def showing(self, site: Site) -> Iterator[Environment]:
        """The environment, with `site` in the templates' globals until the block ends. Jinja's
        environment is full of reference cycles: a model left in it would be freed only by the
        cyclic collector, which took 0.27 s over its 250,000 objects at 10,000 entries."""
        envs = [r.env for r in self.by_prefix.values()] or [self.env]
        for env in envs:
            env.globals["site"] = site
        try:
            yield self.env
        finally:
            for env in envs:
                del env.globals["site"]


def render_plans(env: Environment, plans: list[PagePlan], workers: int | None,
                 write: Writer | None = None) -> dict[str, bytes | None]:
    """Render the plans, across processes for large sites; the result does not depend on how.

    With `write`, pages are written as they are rendered and come back as None, except the pages
    the offline worker precaches: its version is a hash of their bytes."""
    keep = {PagePlan(url, "").path for url in PRECACHED}

    def render(chunk: list[PagePlan]) -> list[tuple[str, bytes | None]]:
        # Every body's Markdown first, then every template: drawing the two in turn for each
        # page took 6-9% more CPU, as each pushed the other's code and data out of the CPU's caches.
        for plan in chunk:
            if "listing" in plan.context:
                plan.context["listing"].body_html
        done = []
        for plan in chunk:
            data = render_page(env, plan)
            if write and plan.path not in keep:
                write(plan.path, data)
                data = None
            done.append((plan.path, data))
        return done

    # The pages that draw many entries go first: map_chunks hands out its biggest chunks first,
    # so the rest of the work can even out the workers' shares.
    costly_first = sorted(plans, key=lambda plan: plan.template not in LISTING_TEMPLATES)
    return dict(map_chunks(render, costly_first, workers))


def render_page(env: Environment, plan: PagePlan) -> bytes:
    return env.get_template(plan.template).render(plan.context, page_url=plan.url).encode()


def feed_entries(site: Site):
    """Newest first by last_verified, then by name: the feed of new and updated entries."""
    return heapq.nsmallest(FEED_SIZE, site.entries, key=lambda e: (-e.entry.last_verified.toordinal(), e.name.casefold()))


def render_service_worker(env: Environment, files: dict[str, bytes | None]) -> bytes:
    """The offline worker at a stable, unfingerprinted URL (its scope is the site's root).

    A first visit precaches only the crisis essentials: the offline page (every country's
    emergency numbers and crisis lines, the visitor's own chosen by site.js) and the CSS and JS
    it uses; the page being viewed is saved as the worker starts, and every page visited after.
    Offline, a page never saved gets the offline page at its own address. Country pages are not
    precached: at 10,000 entries they are megabytes, which a first visit on a metered phone would
    download. The cache name is a hash of the precached files, so the worker changes, and
    refreshes them, when any of them does.
    """
    asset_url = env.filters["asset"]
    assets = [asset_url(name) for name in ESSENTIAL_ASSETS]
    base_path = env.filters["url"]("/")
    digest = hashlib.sha256()
    for path in [PagePlan(url, "").path for url in PRECACHED] + [a[len(base_path):] for a in assets]:
        digest.update(path.encode() + b"\0" + files[path])
    return env.get_template("sw.js").render(pages=PRECACHED, assets=assets, offline=OFFLINE_PAGE,
                                            version=digest.hexdigest()[:10]).encode()
