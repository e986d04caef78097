"""Verify: set an entry's `last_verified` to today once its sources confirm every number.

The file is changed through ruamel.yaml's round trip, which keeps comments, key order and
quoting; and only if that round trip gives back, but for the date's line, exactly the bytes the
editor wrote (indentation styles differ, so a few are tried). Otherwise nothing is written and
the editor is told which line to change by hand. A Markdown entry's body is never touched.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from generator.errors import SignpostError
from generator.loader import entry_files, split_front_matter
from generator.rebuild import write_atomic

# (mapping, sequence, offset): "- " under the key's indentation, indented by two, or by four.
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (2, 4, 4))


def find_entry(root: Path, slug: str) -> Path:
    """The entry file named `slug`, or an error saying why there is none."""
    files = [path for path in entry_files(root) if path.stem == slug]
    if len(files) == 1:
        return files[0]
    if files:
        raise SignpostError(f"more than one entry is named '{slug}'; run `signpost check`")
    close = difflib.get_close_matches(slug, [path.stem for path in entry_files(root)], n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; the slug is the file name without .yaml or .md"
    raise SignpostError(f"no entry '{slug}' under content/entries/{hint}")


def set_last_verified(path: Path, day: dt.date) -> bool:
    """Write `day` as the file's last_verified; False when it already says so."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        front, body, _ = split_front_matter(text, path.name)
        opening = text[:text.index("\n") + 1]
        closing = text[len(opening) + len(front):len(text) - len(body)]
        new = opening + with_date(front, day, path) + closing + body
    else:
        new = with_date(text, day, path)
    if new == text:
        return False
    write_atomic(path, new.encode("utf-8"))
    return True


def with_date(text: str, day: dt.date, path: Path) -> str:
    """`text` (one YAML mapping) with last_verified set to `day`, written as the editor quoted it."""
    for mapping, sequence, offset in INDENTS:
        yaml = round_trip(mapping, sequence, offset)
        try:
            data = yaml.load(text)
        except YAMLError as exc:
            raise SignpostError(f"{path}: cannot read the YAML ({exc.__class__.__name__}); run `signpost check`") from None
        if dump(yaml, data) != text:
            continue
        if not isinstance(data, dict) or "last_verified" not in data:
            raise SignpostError(f"{path}: has no last_verified to update; add `last_verified: {day.isoformat()}`")
        old = data["last_verified"]
        kind = type(old) if isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)) else None
        data["last_verified"] = kind(day.isoformat()) if kind else day
        new = dump(yaml, data)
        if new == text or only_date_changed(text, new):
            return new
    raise SignpostError(f"{path}: could not change last_verified without rewriting other lines; "
                        f"write `last_verified: {day.isoformat()}` in it by hand")


def round_trip(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML()  # round-trip mode: comments, order and styles are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the editor wrote on one
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def only_date_changed(old: str, new: str) -> bool:
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    return len(before) == len(after) and len(changed) == 1 and after[changed[0]].lstrip().startswith("last_verified:")
