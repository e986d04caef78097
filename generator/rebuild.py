"""Rebuild: keep a built site in memory and, after an edit, re-render only the pages it affects.

Used by `signpost serve`. Loading is cached per file (a file is re-read only when the watcher
names it), then validation and the model run over everything as in a full build, so a preview
never shows what `signpost build` would refuse.

What a page depends on, for deciding whether to re-render it (`plan_keys`):
- the entries it shows, by the name and digest of their files (an entry page, a page of a list);
- the chrome every page shares: site.yaml and the content pages (base.html lists them);
- pages that summarise the whole directory (home, A–Z, taxonomy indexes, 404) depend on every entry.
A change under templates/ re-renders everything. If a template shared by every page comes to show
data drawn from entries, add it to `chrome_key`: tests/test_serve.py checks that an incremental
rebuild gives the same bytes as a full build, and tests/test_serve_soak.py does so after each of
500 random edits. Every file besides the pages comes from the same producers as in a build
(outputs.py), run after the pages on the complete set of them.
"""
from __future__ import annotations

import gc
import hashlib
import os
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from jinja2 import TemplateError, TemplateSyntaxError

from generator.build import today
from generator.diagnostics import Diagnostic, has_errors
from generator.loader import Document, Project, load_or_diagnose, missing_site, scan_content
from generator.model import Listing, Site, Term, build_site, listing_for
from generator.outputs import Context, chosen, produce
from generator.render import PagePlan, Renderer, render_page
from generator import state as build_state
from generator.validate import Checked, validate_entry, validate_project
from generator.write import write_site


@dataclass
class Outcome:
    """What one rebuild did."""

    ok: bool
    diagnostics: list[Diagnostic]
    rendered: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Loaded:
    """One file's load result, cached until the file changes."""

    rel: str
    doc: Document | None
    problem: Diagnostic | None
    digest: str


def digest(data: bytes | str) -> str:
    return hashlib.blake2b(data.encode() if isinstance(data, str) else data, digest_size=12).hexdigest()


def value_key(value: Any, digests: dict[str, str], everything: str) -> str:
    """The part of a page's key that one context value contributes."""
    if isinstance(value, Listing):
        return value.source + digests[value.source]  # the file's name too: it is the entry's slug
    if isinstance(value, Term):
        # A list page shows the term's label and how many entries it has, besides its own chunk.
        return f"{value.taxonomy}/{value.key}/{value.label}/{len(value.entries)}"
    if isinstance(value, (str, int)):
        return repr(value)
    if isinstance(value, list) and all(isinstance(item, (Listing, str)) for item in value):
        return ",".join([item.source + digests[item.source] if isinstance(item, Listing) else repr(item)
                         for item in value])
    if type(value).__name__ == "PageView":
        return f"page:{value.slug}"  # its text is part of the chrome key
    return everything  # anything we cannot see into: assume it shows the whole site


def plan_keys(plans: list[PagePlan], digests: dict[str, str], chrome: str) -> dict[str, tuple]:
    """For each output path, a key that changes whenever the page's inputs change.

    Tuples of short strings, not hashes of them: at 10,000 pages, hashing costs more than comparing."""
    everything = digest("".join(rel + digests[rel] for rel in sorted(digests)))
    return {plan.path: (plan.template, chrome, *([value_key(plan.context[name], digests, everything)
                                                  for name in sorted(plan.context)] or [everything]))
            for plan in plans}


def affected(plans: list[PagePlan], old: dict[str, tuple], new: dict[str, tuple]) -> set[str]:
    """Output paths of the pages to re-render: new pages, and pages whose key changed."""
    return {plan.path for plan in plans if old.get(plan.path) != new[plan.path]}


def fault_diagnostic(exc: Exception, root: Path) -> Diagnostic:
    """A fault during a rebuild as a diagnostic: at the template and line it happened in when
    there is one (Jinja puts template lines in its tracebacks), else at the project."""
    where, line = "templates", 0
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno or 0
    else:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".js", ".txt")) and (root / "templates") in Path(name).parents:
                where, line = name, lineno
    path = Path(where)
    rel = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else where
    if not isinstance(exc, TemplateError) and rel == "templates":
        rel = "."
    return Diagnostic(rel, line, 0, "error", "fault", f"{type(exc).__name__}: {exc}")
def resolved(path: Path | str) -> Path:
    """The path with links resolved; a link loop (which resolve() refuses) as it is, made absolute:
    loading it then gives the loop's diagnostic."""
    try:
        return Path(path).resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(path))


def catalogues_digest(root: Path) -> str:
    """A key of locales/ (each catalogue's path, time and size): the search files word their cards
    in each language's catalogue, so a translation edited while serve runs must not reuse them."""
    return digest("".join(f"{path}{path.stat().st_mtime_ns}{path.stat().st_size}"
                          for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))))


def is_entry(rel: str) -> bool:
    return rel.startswith("content/entries/")


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file so that a reader sees the old bytes or the new ones, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class LiveSite:
    """The site as last built, in memory, and the state needed to rebuild it incrementally."""

    def __init__(self, root: Path, out: Path):
        self.root, self.out = root.resolve(), out.resolve()
        self.cache: dict[Path, Loaded] = {}
        self.paths: list[Path] = []  # site.yaml, entries, pages: rescanned when files come or go
        self.left_out: list[Diagnostic] = []  # the scan's diagnostics for files it does not load
        self.validated: dict = {}  # validate_project's memo
        self.listings: dict = {}  # build_site's memo
        self.files: dict[str, bytes] = {}
        self.keys: dict[str, tuple] = {}
        self.diagnostics: list[Diagnostic] = []
        self.broken = False
        self.need_full = True
        self.renderer: Renderer | None = None  # kept while templates/ and site.yaml stay the same
        self.outputs: dict = {}  # the background producers' last files (outputs.produce's cache)
        self.memo: dict = {}  # producers' own caches (outputs.Context.memo)
        self.site: Site | None = None  # the model of the last good build
        self.version = 0
        self.history: list[tuple[int, list[str] | None]] = []  # (version, output paths it changed; None: all)
        # Render across processes only while no other thread runs (forking a threaded process
        # can copy a held lock); serve sets this to 1 once its threads start.
        self.workers: int | None = None
        self.base_path = "/"  # from site.yaml's base_url at the first good build; served under it
        self.building = threading.Lock()
        self.changed = threading.Condition()  # notified when `version` moves on

    def rebuild(self, changed: Iterable[Path] | None = None) -> Outcome:
        """Rebuild after `changed` files (None: everything); on content errors keep the last good site.

        Never raises: anything that goes wrong (a template that does not compile or render, a
        folder gone, a file unreadable) is shown like a content error, and the next rebuild
        starts again from nothing cached but the last good files, so the next good save recovers."""
        with self.building:  # two watchers may call at once; rebuilds take turns
            start = time.perf_counter()
            try:
                return self.rebuild_now(changed)
            except Exception as exc:  # noqa: BLE001 - any fault is shown, never fatal
                self.cache.clear()
                self.memo.clear()
                self.paths, self.renderer, self.need_full = [], None, True
                outcome = Outcome(False, [fault_diagnostic(exc, self.root)], seconds=time.perf_counter() - start)
                return self.publish(outcome, broken=True)

    def rebuild_now(self, changed: Iterable[Path] | None) -> Outcome:
        start = time.perf_counter()
        changed = None if changed is None else {resolved(p) for p in changed}
        self.forget(changed)
        first = self.show_edited_entry(next(iter(changed)), start) if changed and len(changed) == 1 else []
        project, diagnostics = self.load()
        valid = None
        if project is not None:
            valid, found = validate_project(project, today(), self.validated)
            diagnostics += found
        if valid is None or has_errors(diagnostics):
            return self.publish(Outcome(False, diagnostics, seconds=time.perf_counter() - start), broken=True)
        outcome = self.render(valid, diagnostics)
        outcome.seconds = time.perf_counter() - start
        # The model of a large site is hundreds of thousands of long-lived objects: move them out
        # of the cyclic collector's way, or its full passes cost more than the rebuild itself.
        # (Reference counting still frees them; only garbage in cycles would stay.)
        gc.freeze()
        self.publish(outcome, broken=False)
        outcome.written = sorted({*outcome.written, *first})  # all this rebuild wrote
        return outcome

    def forget(self, changed: set[Path] | None) -> None:
        """Drop cached loads of changed files; a template or site.yaml change re-renders everything."""
        if changed is None or any(path not in self.cache or not path.exists() for path in changed):
            self.paths = []
        if changed is None:
            self.cache.clear()
            self.need_full = True
            return
        for path in changed:
            self.cache.pop(path, None)
            if path == self.root / "site.yaml" or (self.root / "templates") in path.parents or (self.root / "locales") in path.parents:
                self.need_full = True

    def show_edited_entry(self, path: Path, start: float) -> list[str]:
        """After an edit to one existing entry, render and publish its own page first: the page
        the editor is looking at is fresh at once, and the pages that list the entry follow from
        the full pass. The page depends on nothing but the entry and the chrome (see plan_keys),
        so its bytes are those the full pass makes. An entry with errors, a new, moved or deleted
        file, or any other change waits for the full pass, which checks everything."""
        rel = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else ""
        site_file = self.cache.get(self.root / "site.yaml")
        if (self.need_full or self.broken or self.site is None or self.renderer is None or site_file is None
                or rel not in self.listings or not path.is_file()):
            return []
        loaded = self.cache[path] = self.load_one(path)
        if loaded.doc is None:
            return []
        on = today()
        entry, found = validate_entry(loaded.doc, self.site.config, on)
        if entry is None or has_errors(found):
            return []
        self.validated[rel] = (loaded.doc, site_file.doc, on, entry, found)  # reused by the full pass
        listing = listing_for(Checked(loaded.doc, entry), self.listings)
        plan = PagePlan(listing.url, "entry.html", {"listing": listing})
        with self.renderer.showing(self.site) as env:
            data = render_page(env, plan)
        if self.files.get(plan.path) == data:
            return []
        write_atomic(self.out / plan.path, data)
        self.files = {**self.files, plan.path: data}
        self.publish(Outcome(True, found, 1, [plan.path], seconds=time.perf_counter() - start), broken=False)
        return [plan.path]

    def changed_since(self, version: int | None) -> list[str] | None:
        """Output paths changed by the versions after `version`; None when that is everything
        (errors shown or cleared, or versions too old to remember)."""
        later = [paths for number, paths in self.history if version is not None and number > version]
        if version is None or len(later) != self.version - version or any(paths is None for paths in later):
            return None
        return sorted({path for paths in later for path in paths})

    def load(self) -> tuple[Project | None, list[Diagnostic]]:
        """As loader.load_project, but re-reading only files not in the cache."""
        diagnostics: list[Diagnostic] = []
        site_path = self.root / "site.yaml"
        if not site_path.is_file():
            return None, [missing_site(self.root)]
        if not self.paths:  # the files left out of the scan are reported as a build reports them
            files = scan_content(self.root)
            self.paths, self.left_out = [site_path, *files.entries, *files.pages], files.problems
        paths = self.paths
        diagnostics += self.left_out
        self.cache = {path: self.cache.get(path) or self.load_one(path) for path in paths}
        for loaded in self.cache.values():
            if loaded.problem:
                diagnostics.append(loaded.problem)
        docs = [self.cache[path].doc for path in paths]
        entries = [doc for doc in docs[1:] if doc and is_entry(doc.rel)]
        pages = [doc for doc in docs[1:] if doc and not is_entry(doc.rel)]
        if docs[0] is None:
            return None, diagnostics
        return Project(self.root, docs[0], entries, pages), diagnostics

    def load_one(self, path: Path) -> Loaded:
        rel = path.relative_to(self.root).as_posix()
        loaded = load_or_diagnose(path, self.root)
        if isinstance(loaded, Diagnostic):
            return Loaded(rel, None, loaded, "")
        return Loaded(rel, loaded, None, digest(path.read_bytes()))

    def render(self, valid, diagnostics: list[Diagnostic]) -> Outcome:
        """Model the site, run every producer (re-rendering only the affected pages, reusing the
        data files while the content is the same), and write only files whose bytes changed."""
        site = self.site = build_site(valid, self.listings)
        if not self.files:
            self.base_path = (urlsplit(site.config.base_url).path or "/").rstrip("/") + "/"
        if self.need_full or self.renderer is None:
            self.renderer = Renderer.load(self.root / "templates", site.config.base_url, site.config)
        digests = {loaded.rel: loaded.digest for loaded in self.cache.values() if is_entry(loaded.rel)}
        chrome = digest("".join(loaded.rel + loaded.digest for loaded in self.cache.values() if not is_entry(loaded.rel))
                        + catalogues_digest(self.root))
        ctx = Context(site, self.renderer, workers=self.workers, previous=self.files,
                      content_key=(chrome, tuple(sorted(digests.items()))), memo=self.memo)
        keys = plan_keys(ctx.plans, digests, chrome)
        ctx.only = set(keys) if self.need_full else affected(ctx.plans, self.keys, keys)
        files = produce(ctx, chosen(), self.outputs)
        written = sorted(path for path, data in files.items() if self.files.get(path) != data)
        removed = sorted(set(self.files) - set(files))
        self.write(files, written, removed)
        self.files, self.keys, self.need_full = files, keys, False
        return Outcome(True, diagnostics, len(ctx.only), written, removed)

    def write(self, files: dict[str, bytes], written: list[str], removed: list[str]) -> None:
        """The first build swaps in a whole folder; later ones replace single files, each atomically."""
        if not self.files or not self.out.is_dir():
            build_state.forget(self.root, self.out)
            write_site(files, self.out)
            return
        for path in written:
            write_atomic(self.out / path, files[path])
        for path in removed:
            (self.out / path).unlink(missing_ok=True)

    def publish(self, outcome: Outcome, broken: bool) -> Outcome:
        """Record the outcome and wake the browsers waiting for a reload."""
        with self.changed:
            was_broken = self.broken
            self.broken, self.diagnostics = broken, outcome.diagnostics
            if broken or outcome.written or outcome.removed:
                self.version += 1
                paths = None if broken or was_broken else [*outcome.written, *outcome.removed]
                self.history = [*self.history[-63:], (self.version, paths)]
                self.changed.notify_all()
        return outcome
