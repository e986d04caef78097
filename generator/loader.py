"""Load: read site.yaml and the files under content/ into documents that remember where
every value came from (file, line, column), so later stages can point at it."""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from generator.diagnostics import ContentError, Diagnostic
from generator.parallel import stream_chunks

# The C loader is several times faster; fall back to the pure-Python one where it is missing.
BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def without_base_60(resolver: tuple[str, re.Pattern]) -> tuple[str, re.Pattern]:
    """YAML 1.1 reads `9:00` as the base-60 number 540 and `17:30` as 1050: people write times,
    never base-60 numbers, so a number with a colon in it stays the string it was written as."""
    tag, pattern = resolver
    if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return resolver
    return tag, re.compile("(?!.*:)" + pattern.pattern, pattern.flags)


class SafeLoader(BaseLoader):  # type: ignore[misc, valid-type]
    """Dates and times stay strings here, so the schema checks them and can point at a bad one."""

    yaml_implicit_resolvers = {
        first: [without_base_60(r) for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in BaseLoader.yaml_implicit_resolvers.items()
    }

MAX_BYTES = 1_000_000
MAX_DEPTH = 32  # an entry nests four levels (contacts, an item, hours, a range); the walk recurses
ENTRY_SUFFIXES = (".yaml", ".yml", ".md")

Position = tuple[int, int]
KeyPath = tuple[Any, ...]


@dataclass
class Document:
    """One parsed file: its data, (for Markdown) its body, and the YAML text it came from.

    Positions (line, column) are found again from the YAML text the first time a message needs
    one: most files never need any, and keeping a position for every value cost more memory and
    time (to record, and to pass between processes) than the data itself."""

    rel: str
    data: dict[str, Any]
    body: str = ""
    body_line: int = 0
    source: str = ""
    line_offset: int = 0
    _marks: tuple[dict[KeyPath, Position], dict[KeyPath, Position]] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def marks(self) -> tuple[dict[KeyPath, Position], dict[KeyPath, Position]]:
        """(position of each value, position of each key), by key path."""
        if self._marks is None:
            values: dict[KeyPath, Position] = {}
            keys: dict[KeyPath, Position] = {}
            parse_yaml(self.source, self.rel, self.line_offset, (values, keys))
            self._marks = values, keys
        return self._marks

    def where(self, keypath: KeyPath) -> Position:
        """The line and column of the value at `keypath`, or of its nearest parent: at worst the
        mapping of fields itself, which in a Markdown entry starts below its first '---'."""
        values = self.marks[0]
        for end in range(len(keypath), -1, -1):
            if keypath[:end] in values:
                return values[keypath[:end]]
        return (1 + self.line_offset, 1)

    def where_field(self, name: str) -> Position:
        """As where((name,)) for a top-level field, without parsing the text again when the key
        starts exactly one line, as entries are written (block style). A warning on every entry
        (past its review date) once re-parsed every file for its line: a third of `check` at
        10,000 entries (benchmarks/build.py, stale corpus)."""
        key, text = name + ":", self.source
        starts = text.count("\n" + key) + text.startswith(key)
        if self._marks is None and starts == 1:
            at = 0 if text.startswith(key) else text.index("\n" + key) + 1
            rest = text[at + len(key):text.find("\n", at) if "\n" in text[at:] else len(text)]
            value = rest.lstrip(" ")
            if value and not value.startswith("#") and rest[:1] in (" ", ""):
                return text.count("\n", 0, at) + 1 + self.line_offset, len(key) + len(rest) - len(value) + 1
        return self.where((name,))

    def where_key(self, keypath: KeyPath) -> Position:
        return self.marks[1].get(keypath) or self.where(keypath)

    @property
    def slug(self) -> str:
        """The file's name without its suffix."""
        return os.path.splitext(os.path.basename(self.rel))[0]


@dataclass
class Project:
    """Everything read from disk: settings, entries and pages."""

    root: Path
    site: Document
    entries: Iterable[Document | Diagnostic]  # a list of Documents unless loaded with `stream`
    pages: list[Document]


def fail(rel: str, line: int, col: int, code: str, message: str) -> ContentError:
    return ContentError(Diagnostic(rel, line, col, "error", code, message))


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes. os.open and os.read skip the buffered file object that open() makes: a
    build reads 10,000 small files twice (to hash them, then to load them), and this takes
    two-thirds of the time. O_NONBLOCK: a named pipe under content/ reads as empty instead of
    waiting forever for a writer (it has no effect on regular files)."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        chunks = []
        while chunk := os.read(handle, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def read_text(path: Path, rel: str) -> str:
    """Read a file as UTF-8, refusing oversized, binary and empty files."""
    raw = read_bytes(path)
    if len(raw) > MAX_BYTES:
        raise fail(rel, 1, 1, "file-too-large",
                   f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}. Split it or shorten the body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise fail(rel, line, col, "not-utf8",
                   f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8") from None
    if not text.strip():
        raise fail(rel, 1, 1, "empty-file", "file is empty; write the entry's fields, or delete the file")
    return text.removeprefix("\ufeff")


def parse_yaml(text: str, rel: str, line_offset: int = 0, marks: tuple[dict, dict] | None = None) -> Document:
    """Parse one YAML mapping; with `marks`, also fill in the position of every value and key."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or not isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 1 + line_offset if node else 1 + line_offset
            raise fail(rel, line, 1, "not-a-mapping",
                       "the top level must be a mapping of fields (`name: ...`), not a list or a single value")
        data = Walker(rel, line_offset, loader, marks).walk(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        where = (text.split("\n")[mark.line:mark.line + 1] or [""])[0] if mark else ""
        if "\t" in where[:len(where) - len(where.lstrip())]:  # the line is indented with a tab
            raise fail(rel, line, col, "yaml-syntax",
                       "invalid YAML: this line is indented with a tab; YAML takes spaces only, so replace the tab with spaces") from None
        raise fail(rel, line, col, "yaml-syntax",
                   f"invalid YAML: {problem}; check the indentation and quote values containing ':' or '#'") from None
    except yaml.YAMLError as exc:
        raise fail(rel, 1 + line_offset, 1, "yaml-syntax", f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return Document(rel, data, source=text, line_offset=line_offset)


class Walker:
    """Builds the Python value of a node tree in one pass (and, when asked, every position).

    Doing the construction here (rather than PyYAML's constructor afterwards) halves load time;
    an alias shows up as a node seen twice, and is refused at once, before it can expand.
    """

    def __init__(self, rel: str, offset: int, loader, marks: tuple[dict, dict] | None):
        self.rel, self.offset, self.loader, self.seen = rel, offset, loader, set()
        self.values, self.keys = marks if marks is not None else (None, None)

    def mark(self, node: yaml.Node) -> Position:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def walk(self, node: yaml.Node, path: KeyPath) -> Any:
        if len(path) > MAX_DEPTH:
            line, col = self.mark(node)
            raise fail(self.rel, line, col, "too-deep",
                       f"values nest more than {MAX_DEPTH} levels deep here; an entry needs at most four "
                       f"(contacts, an item, its hours, a range): check the brackets and indentation")
        if id(node) in self.seen:
            line, col = self.mark(node)
            raise fail(self.rel, line, col, "yaml-alias",
                       "YAML anchors and aliases (&name, *name) are not allowed in content; write the value out")
        self.seen.add(id(node))
        if self.values is not None:
            self.values[path] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (index,)) for index, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict:
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = self.mark(key_node)
                raise fail(self.rel, line, col, "complex-key",
                           "a field's name must be a plain word (like `name:`), not a list or mapping")
            key = self.scalar(key_node)
            if key in result:
                line, col = self.mark(key_node)
                raise fail(self.rel, line, col, "duplicate-key", f"'{key}' is given twice; keep one")
            if self.keys is not None:
                self.keys[path + (key,)] = self.mark(key_node)
            result[key] = self.walk(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == STR:
            return node.value
        if tag == NULL:
            return None
        if tag == BOOL:
            return yaml.constructor.SafeConstructor.bool_values[node.value.lower()]
        # Numbers and anything rarer take PyYAML's own constructor.
        try:
            return self.loader.construct_object(node)
        except ValueError:  # an integer of more than 4,300 digits: Python refuses to convert it
            return node.value


STR, NULL, BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """Split `---` front matter from a Markdown body; returns (yaml, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise fail(rel, 1, 1, "no-front-matter",
                   "a Markdown entry starts with a line '---', then its YAML fields, then another '---'")
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    raise fail(rel, 1, 1, "unclosed-front-matter",
               "the front matter opened on line 1 is never closed; add a line '---' after the last field")


def load_document(path: Path, root: Path) -> Document:
    """Load one YAML file, or one Markdown file with YAML front matter."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel)
    if path.suffix == ".md":
        front, body, body_line = split_front_matter(text, rel)
        if not front.strip():
            raise fail(rel, 2, 1, "empty-file", "the front matter is empty; write the fields between the '---' lines")
        doc = parse_yaml(front, rel, line_offset=1)
        doc.body, doc.body_line = body, body_line
        return doc
    return parse_yaml(text, rel)


def load_or_diagnose(path: Path, root: Path) -> Document | Diagnostic:
    """A document, or the diagnostic saying why the file could not be read (bad content, or a
    fault: no permission, a symbolic link loop, an I/O error)."""
    try:
        return load_document(path, root)
    except ContentError as exc:
        return exc.diagnostic
    except OSError as exc:
        return fault(path.relative_to(root).as_posix(), exc)


def fault(rel: str, exc: OSError) -> Diagnostic:
    """An OSError on `rel` as a diagnostic with what to do about it."""
    if exc.errno == errno.ELOOP:
        reason = "it is a symbolic link that leads back to itself (a loop); replace it with the file it means"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied; make it readable (chmod a+r) or move it out of the project"
    else:
        reason = f"{exc.strerror or exc}; check the disk and the file"
    return Diagnostic(rel, 1, 1, "error", "unreadable", f"cannot be read: {reason}")


def missing_site(root: Path) -> Diagnostic:
    return Diagnostic("site.yaml", 1, 1, "error", "no-site", f"no site.yaml in {root}; is this a Signpost project folder?")


def load_project(root: Path, stream: bool = False) -> tuple[Project | None, list[Diagnostic]]:
    """Load every file; a file that cannot be read becomes a diagnostic, not an exception.

    With `stream`, the entries are an iterator instead of a list: they load in worker processes
    while the caller goes through those already loaded (the build validates them meanwhile), and
    an entry file that cannot be read comes through as its Diagnostic, in its place."""
    if not (root / "site.yaml").is_file():
        return None, [missing_site(root)]
    site = load_or_diagnose(root / "site.yaml", root)
    files = scan_content(root)
    pages = [load_or_diagnose(path, root) for path in files.pages]
    entries = stream_chunks(lambda paths: [load_or_diagnose(p, root) for p in paths], files.entries)
    if stream and isinstance(site, Document):
        return Project(root, site, entries, only(Document, pages)), files.problems + only(Diagnostic, pages)
    entries = list(entries)
    diagnostics = files.problems + only(Diagnostic, [site, *pages, *entries])
    if isinstance(site, Diagnostic):
        return None, diagnostics
    return Project(root, site, only(Document, entries), only(Document, pages)), diagnostics


def only(kind: type, items: list) -> list:
    return [item for item in items if isinstance(item, kind)]


def page_files(root: Path) -> list[Path]:
    return scan_content(root).pages


def entry_files(root: Path) -> list[Path]:
    return scan_content(root).entries


@dataclass
class Scan:
    """What is under content/: the entry and page files to load, and a diagnostic for every
    other file, so that nothing there is left out in silence (a `.txt` entry, one in the wrong
    folder, a dangling link). Names starting with a dot (.gitkeep, editors' swap files) are
    passed over, as git and editors do."""

    root: Path
    entries: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    def rel(self, path: str) -> str:
        return Path(path).relative_to(self.root).as_posix()

    def left_out(self, path: str, why: str) -> None:
        self.problems.append(Diagnostic(self.rel(path), 1, 1, "warning", "not-loaded", f"not loaded: {why}"))

    def items(self, folder: str | Path) -> list[os.DirEntry]:
        """The visible items of `folder`, by name; none (and a diagnostic) if it cannot be read."""
        try:
            with os.scandir(folder) as items:
                return sorted((item for item in items if not item.name.startswith(".")), key=lambda i: i.name)
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            self.problems.append(fault(self.rel(str(folder)), exc))
            return []

    def kind(self, item: os.DirEntry) -> str:
        """folder, file, or why it is neither; a link is judged by what it points at. os.scandir
        knows from the listing what is a file: Path.glob and is_file took 0.1–0.2 s at 10,000."""
        try:
            if item.is_file():  # most items are: asked first
                return "file"
            if item.is_dir():
                return "folder"
            os.stat(item.path)
        except FileNotFoundError:
            return f"it is a symbolic link to {os.readlink(item.path)}, which does not exist; point it at the file or remove it"
        except OSError as exc:
            self.problems.append(fault(self.rel(item.path), exc))
            return ""
        return "it is not a regular file (a pipe, socket or device); remove it"


def scan_content(root: Path) -> Scan:
    """Entries are content/entries/<country>/<slug>.yaml|.yml|.md, pages content/pages/<slug>.md;
    both sorted, so every later stage sees them in the same order."""
    scan = Scan(root)
    for item in scan.items(root / "content"):
        kind = scan.kind(item)
        if kind == "folder" and item.name == "entries":
            scan_entries(scan, item.path)
        elif kind == "folder" and item.name == "pages":
            scan_pages(scan, item.path)
        else:
            left_out(scan, item, kind, "content/ holds only the folders entries/ and pages/; "
                                       "move an entry to content/entries/<country>/")
    return scan


def scan_entries(scan: Scan, base: str) -> None:
    for folder in scan.items(base):
        kind = scan.kind(folder)
        if kind != "folder":
            left_out(scan, folder, kind, f"an entry goes in the folder of its country: move it to "
                                         f"content/entries/<country>/{folder.name} (like gb/, or intl/)")
            continue
        for item in scan.items(folder.path):
            kind = scan.kind(item)
            stem, suffix = os.path.splitext(item.name)
            if kind == "file" and suffix in ENTRY_SUFFIXES:
                scan.entries.append(Path(item.path))
            elif kind == "file":
                scan.left_out(item.path, f"only .yaml, .yml and .md files are entries; rename it to "
                                         f"{stem}{'.md' if suffix.lower() in ('.md', '.markdown') else '.yaml'}")
            else:
                left_out(scan, item, kind, f"an entry sits directly in its country's folder: move it to "
                                           f"content/entries/{folder.name}/")


def scan_pages(scan: Scan, base: str) -> None:
    for item in scan.items(base):
        kind = scan.kind(item)
        stem, suffix = os.path.splitext(item.name)
        if kind == "file" and suffix == ".md":
            scan.pages.append(Path(item.path))
        elif kind == "file":
            scan.left_out(item.path, f"only .md files are pages; rename it to {stem}.md")
        else:
            left_out(scan, item, kind, "a page sits directly in content/pages/: move it there")


def left_out(scan: Scan, item: os.DirEntry, kind: str, where: str) -> None:
    """Report `item` as not loaded: a file in the wrong place, every file of a folder in the wrong
    place (walked without following links, so a link loop cannot trap it), or a broken link."""
    if kind == "file":
        scan.left_out(item.path, where)
    elif kind == "folder":
        for folder, dirs, names in os.walk(item.path, onerror=lambda exc: scan.problems.append(
                fault(scan.rel(exc.filename), exc))):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]  # reported, not followed
            for name in sorted(n for n in names + links if not n.startswith(".")):
                scan.left_out(os.path.join(folder, name), where)
    elif kind:
        scan.left_out(item.path, kind)
