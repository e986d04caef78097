"""Outputs: the list of producers that turn the site's model into files, one place for all of them.

Each producer is `Context → {output path: bytes}`, or a stream of (path, bytes) pairs, which a
build writes as they come (`drained`). `build` runs them all into its staging folder
(`Context.write`), and `serve` runs the very same list from memory, so the preview holds every
file a build writes. A new output is one producer here (a function in its own module) and its
test; nothing else needs to know about it.

The producers, in the order they run (a later one may read what an earlier one made):
- assets: templates/static, CSS and JS named by content hash (render.py);
- strings: the scripts' words in each language but the default, as JSON (i18n.py);
- pages: every HTML page of the plan (render.py; rendered across processes for large sites);
- feeds: feed.xml, robots.txt, the entry JSON Schema and the sitemap (sitemap.py);
- search: the search index (search.py);
- data: the open-data exports under /data/ (exports.py, hsds.py);
- service worker: sw.js, whose version hashes the home page and the assets it precaches.

Producers marked `background` read only the model: a build starts them first, each in a forked
process beside the rendering (see parallel.in_background), and `serve` keeps their files while
the content stays the same (`Context.content_key`).
"""
from __future__ import annotations

import json
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, ContextManager

from generator.exports import export_stream
from generator.i18n import script_strings as i18n_script_strings
from generator.model import Site
from generator.parallel import in_background
from generator.render import PagePlan, Renderer, Writer, feed_entries, plan_pages, render_plans, render_service_worker
from generator.schema import entry_json_schema
from generator.sitemap import sitemap_files
from generator.search import index_site

Files = dict[str, "bytes | None"]


@dataclass
class Context:
    """What producers read: the model, the compiled templates, and what earlier producers made.

    `write` (build): pages are written by the processes that render them and come back as None.
    `only` and `previous` (serve): re-render just the pages in `only`, take the rest from
    `previous`, the files of the last good rebuild. `content_key` (serve): a key of every
    content file; background producers reuse their last files while it stays the same. `memo`:
    what a producer keeps to redo less after an edit, by producer name (serve keeps it)."""

    site: Site
    renderer: Renderer
    files: Files = field(default_factory=dict)
    workers: int | None = None
    write: Writer | None = None
    only: set[str] | None = None
    previous: dict[str, bytes] = field(default_factory=dict)
    content_key: object = None
    memo: dict | None = None  # producers' own caches, kept by serve between rebuilds

    @cached_property
    def plans(self) -> list[PagePlan]:
        return plan_pages(self.site, self.renderer.languages)

    @property
    def env(self):
        return self.renderer.env


@dataclass(frozen=True)
class Producer:
    name: str
    make: Callable[[Context], Files]
    background: bool = False  # reads only the model: may run beside the others, cached by serve


def assets(ctx: Context) -> Files:
    return dict(ctx.renderer.static)


def script_strings(ctx: Context) -> Files:
    """The scripts' words in each language but the default (whose words are the scripts' own),
    which strings.js fetches (i18n.script_strings): assets/strings/<lang>.json holds those of the
    scripts every page may load; <lang>-search.json adds search.js's, for the search page alone
    (the home page in Hindi fetched 3.8 KB of words, 0.6 KB of them its own)."""
    renderer, files = ctx.renderer, {}
    for lang in renderer.languages[1:]:
        catalogue = renderer.by_prefix[lang.prefix].gettext
        if catalogue is not None:
            for suffix, scripts in SCRIPT_STRINGS.items():
                files[f"assets/strings/{lang.code}{suffix}.json"] = i18n_script_strings(renderer.root, lang.code, catalogue, scripts)
    return files


SCRIPT_STRINGS = {"": ("site.js", "hours.js"), "-search": ("site.js", "hours.js", "search.js")}


def pages(ctx: Context) -> Files:
    """Every page in every language, each language drawn by its own environment; with `only`,
    the pages not in it are the previous rebuild's bytes."""
    chosen = ctx.plans if ctx.only is None else [plan for plan in ctx.plans if plan.path in ctx.only]
    fresh: Files = {}
    for prefix in dict.fromkeys(plan.prefix for plan in chosen):
        fresh.update(render_plans(ctx.renderer.env_of(prefix), [p for p in chosen if p.prefix == prefix],
                                  ctx.workers, ctx.write))
    if ctx.only is None:
        return fresh
    return {plan.path: fresh[plan.path] if plan.path in fresh else ctx.previous[plan.path] for plan in ctx.plans}


def feeds(ctx: Context):
    """The Atom feed, robots.txt, the entry JSON Schema, and the sitemap (sitemap.py)."""
    env, site = ctx.env, ctx.site
    yield "feed.xml", env.get_template("feed.xml").render(entries=feed_entries(site)).encode()
    yield "robots.txt", env.get_template("robots.txt").render().encode()
    yield "schema/entry.schema.json", (json.dumps(entry_json_schema(site.config), indent=2) + "\n").encode()
    pages, absolute = sitemap_pages(ctx), env.filters["absolute"]
    if ctx.memo is None:  # a build: written part by part, never all held (111 MB at 10,000 entries in 9 languages)
        yield from sitemap_files(pages, absolute)
        return
    # serve: made again only when the set of pages (or the base URL) changes, which most edits keep
    key, memo = (site.config.base_url, [plan.path for plan in ctx.plans]), ctx.memo.setdefault("feeds", {})
    if memo.get("key") != key:
        memo.update(key=key, sitemaps=list(sitemap_files(pages, absolute)))
    yield from memo["sitemaps"]


def sitemap_pages(ctx: Context):
    """Each page in each language, with its alternates in every language (hreflang) when there are several."""
    languages = ctx.renderer.languages if len(ctx.renderer.languages) > 1 else []
    in_language, absolute = ctx.env.filters["absolute_in"], ctx.env.filters["absolute"]
    of_prefix = {lang.prefix: lang for lang in languages}
    for plan in ctx.plans:
        if plan.url.endswith("/"):
            yield (in_language(plan.url, of_prefix[plan.prefix]) if plan.prefix else absolute(plan.url),
                   [(lang.code, in_language(plan.url, lang)) for lang in languages])


def search(ctx: Context) -> Files:
    """The search index, shared, and what a results page shows in each language."""
    languages = []
    for lang in ctx.renderer.languages:
        catalogue = ctx.renderer.by_prefix[lang.prefix].gettext  # None: the English msgids
        languages.append((lang.code, lang.prefix, catalogue.gettext if catalogue else lambda message: message))
    return index_site(ctx.site, languages)


def data(ctx: Context):
    return export_stream(ctx.site, None if ctx.memo is None else ctx.memo.setdefault("data", {}))


def service_worker(ctx: Context) -> Files:
    return {"sw.js": render_service_worker(ctx.env, ctx.files)}


PRODUCERS = (Producer("assets", assets), Producer("strings", script_strings), Producer("pages", pages), Producer("feeds", feeds),
             Producer("search", search, background=True), Producer("data", data, background=True),
             Producer("service worker", service_worker))


def chosen(search: bool = True, data: bool = True) -> tuple[Producer, ...]:
    """The producers a build runs: all of them, less search or data when asked (`--no-search`)."""
    skip = {name for name, wanted in (("search", search), ("data", data)) if not wanted}
    return tuple(p for p in PRODUCERS if p.name not in skip)


def produce(ctx: Context, producers: tuple[Producer, ...] = PRODUCERS,
            cache: dict[str, tuple[object, Files]] | None = None,
            step: Callable[[str], ContextManager] = lambda name: nullcontext()) -> Files:
    """Run `producers` in order and return every file they made (None: already written).

    With `ctx.write`, every file that comes back as bytes is written too. `cache` (serve's,
    name → (content key, files)) holds background producers' last files."""
    cache = {} if cache is None else cache
    with ExitStack() as stack:
        stack.enter_context(ctx.renderer.showing(ctx.site))
        # Background producers start first, so their work overlaps with the pages'.
        later = {p.name: stack.enter_context(in_background(made_and_written, p, ctx)) for p in producers
                 if p.background and not reusable(cache, p, ctx)}
        for producer in producers:
            with step(producer.name):
                made = take(producer, ctx, cache, later)
                ctx.files.update(made)
                if ctx.write:
                    for path, content in made.items():
                        if content is not None:
                            ctx.write(path, content)
    return ctx.files


def made_and_written(producer: Producer, ctx: Context) -> Files:
    """A background producer's files (see `drained`)."""
    return drained(producer.make(ctx), ctx.write)


def drained(made, write: Writer | None) -> Files:
    """A producer's files as a dict. A producer that gives a stream of (path, bytes) has each
    file written as it comes in a build, kept as None, so tens of thousands of files never travel
    through a pipe or gather in one process (the 50,000-entry budget is 1 GB); a dict is kept as
    it is, since later producers may read it (the worker hashes the pages it precaches)."""
    if isinstance(made, dict):
        return made
    if write is None:
        return dict(made)
    written = []
    for path, content in made:
        write(path, content)
        written.append(path)
    return dict.fromkeys(written)


def reusable(cache: dict, producer: Producer, ctx: Context) -> bool:
    hit = cache.get(producer.name)
    return producer.background and ctx.content_key is not None and hit is not None and hit[0] == ctx.content_key


def take(producer: Producer, ctx: Context, cache: dict, later: dict) -> Files:
    if reusable(cache, producer, ctx):
        return cache[producer.name][1]
    made = later[producer.name]() if producer.name in later else drained(producer.make(ctx), ctx.write)
    if producer.background and ctx.content_key is not None:
        cache[producer.name] = (ctx.content_key, made)
    return made


def render_all(site: Site, templates_dir: Path, producers: tuple[Producer, ...] = PRODUCERS) -> dict[str, bytes]:
    """Every file of the site in memory, as a build writes them (tests and `export` use it)."""
    return produce(Context(site, Renderer.load(templates_dir, site.config.base_url, site.config)), producers)
