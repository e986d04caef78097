"""Render: the Jinja environment and the page plan (url → template + context), turned into bytes.

Nothing here reads content files: everything comes from the model.
"""
from __future__ import annotations

import hashlib
import heapq
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Iterator
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.parallel import map_chunks
from generator.model import Listing, Site, Term
from generator.schema import entry_json_schema

PAGE_SIZE = 100
FEED_SIZE = 50
FINGERPRINTED = (".css", ".js")
LISTING_TEMPLATES = ("a-z.html", "list.html")  # pages that draw many entries each
PRECACHED = ["/"]  # pages the offline worker stores on the first visit (see render_service_worker)
Writer = Callable[[str, bytes], None]


@dataclass
class PagePlan:
    """One output file: where it goes, which template draws it, and with what."""

    url: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    path: str = field(init=False)

    def __post_init__(self) -> None:
        self.path = self.url.lstrip("/") + "index.html" if self.url.endswith("/") else self.url.lstrip("/")


def fingerprint_assets(static_dir: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """Name CSS and JS by content hash so they can be cached forever; returns (name → url path, files)."""
    names, files = {}, {}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(static_dir).as_posix()
        data = path.read_bytes()
        if path.suffix in FINGERPRINTED:
            digest = hashlib.sha256(data).hexdigest()[:10]
            target = f"assets/{rel[: -len(path.suffix)]}.{digest}{path.suffix}"
        else:
            target = f"assets/{rel}"
        names[rel], files[target] = target, data
    return names, files


def make_environment(templates_dir: Path, base_url: str, assets: dict[str, str]) -> Environment:
    """One environment for the whole build: autoescaped, strict about undefined names.

    Filters: `'/x/'|url` gives a root-relative link under the base path, `'/x/'|absolute` a full
    URL, `'style.css'|asset` the fingerprinted asset's link. Filters, not functions: Jinja calls a
    filter directly, and a function through its context (2–3 µs a call, a dozen calls a page).
    """
    parts = urlsplit(base_url)
    origin, base_path = f"{parts.scheme}://{parts.netloc}", (parts.path or "/").rstrip("/") + "/"
    # auto_reload off: templates are compiled once and never re-checked on disk during a build.
    env = Environment(loader=FileSystemLoader(templates_dir), autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False)

    def url(path: str) -> str:
        return base_path + path.lstrip("/")

    env.filters.update(url=url, absolute=lambda path: origin + url(path), asset=lambda name: url(assets[name]))
    return env


def plan_pages(site: Site) -> list[PagePlan]:
    """Every page of the site, in a stable order."""
    plans = [PagePlan("/", "home.html"), PagePlan("/a-z/", "a-z.html", {"groups": site.a_to_z}),
             PagePlan("/404.html", "404.html"), PagePlan("/search/", "search.html")]
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
    last_sitemap: tuple[list[str] | None, bytes] = (None, b"")

    @classmethod
    def load(cls, templates_dir: Path, base_url: str) -> "Renderer":
        assets, static = fingerprint_assets(templates_dir / "static")
        renderer = cls(make_environment(templates_dir, base_url, assets), static)
        renderer.env.globals.update(cards=renderer.fragments_of("partials/entry-card.html"),
                                    az_rows=renderer.fragments_of("partials/a-z-row.html"),
                                    per_site=renderer.per_site)
        return renderer

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
        self.env.globals["site"] = site
        try:
            yield self.env
        finally:
            del self.env.globals["site"]

    def sitemap(self, urls: list[str]) -> bytes:
        """The sitemap, drawn again only when the list of pages changes (most edits keep it)."""
        if self.last_sitemap[0] != urls:
            self.last_sitemap = (urls, self.env.get_template("sitemap.xml").render(urls=urls).encode())
        return self.last_sitemap[1]


def render_site(site: Site, templates_dir: Path, workers: int | None = None,
                only: Collection[str] | None = None, write: Writer | None = None,
                renderer: Renderer | None = None) -> dict[str, bytes | None]:
    """Render every page and data file to bytes, keyed by output path.

    With `write` (output path, bytes), each page is written by the process that rendered it and
    its value here is None, so the pages' bytes never gather in one process (`build` streams into
    its staging folder this way); every file is written. With `only` (output paths), just those
    pages are rendered, plus every non-page file: `serve` uses it, with the `renderer` it keeps,
    to re-render what an edit affects (see rebuild.py)."""
    renderer = renderer or Renderer.load(templates_dir, site.config.base_url)
    files = dict(renderer.static)
    with renderer.showing(site) as env:
        plans = plan_pages(site)
        chosen = plans if only is None else [plan for plan in plans if plan.path in only]
        files.update(render_plans(env, chosen, workers, write))
        absolute = env.filters["absolute"]
        files["sitemap.xml"] = renderer.sitemap([absolute(p.url) for p in plans if p.url.endswith("/")])
        files["feed.xml"] = env.get_template("feed.xml").render(entries=feed_entries(site)).encode()
        files["robots.txt"] = env.get_template("robots.txt").render().encode()
        files["sw.js"] = render_service_worker(env, files)
    files["schema/entry.schema.json"] = (json.dumps(entry_json_schema(site.config), indent=2) + "\n").encode()
    if write:
        for path, data in files.items():
            if data is not None:
                write(path, data)
    return files


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

    It precaches the home page (every country's emergency numbers and crisis lines) and the
    assets; offline, a page never visited falls back to the home page. Country pages are not
    precached: at 10,000 entries they are megabytes that a first visit on a metered phone would
    download. The cache name is a hash of the precached files, so the worker changes, and
    refreshes them, when any of them does.
    """
    assets = sorted(path for path in files if path.startswith("assets/") and path.endswith(FINGERPRINTED))
    digest = hashlib.sha256()
    for path in [PagePlan(url, "").path for url in PRECACHED] + assets:
        digest.update(path.encode() + b"\0" + files[path])
    return env.get_template("sw.js").render(pages=PRECACHED, assets=["/" + a for a in assets],
                                            version=digest.hexdigest()[:10]).encode()
