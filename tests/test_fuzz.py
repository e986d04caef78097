"""Fuzzing: random and mutated entries through the loader and the validator.

Whatever the bytes, no exception escapes, every problem is a Diagnostic naming the file with a
real line and column, and one file takes under a second (hypothesis' per-example deadline).

The bounded profile runs by default (60 inputs a test, about 500 in all, under 10 s); a longer
one (SIGNPOST_FUZZ=long, see CONTRIBUTING.md) runs a hundred times as many:
    SIGNPOST_FUZZ=long .venv/bin/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import check
from generator.diagnostics import Diagnostic, format_all
from generator.loader import Document, load_or_diagnose
from generator.schema import SiteConfig
from generator.validate import Checked, check_duplicates, check_model, check_slugs, validate_entry
from tests.conftest import GOOD_ENTRY, ROOT, SITE_YAML, TODAY

settings.register_profile("ci", max_examples=60, deadline=dt.timedelta(seconds=1),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=6000)
settings.load_profile(os.environ.get("SIGNPOST_FUZZ", "ci"))

SITE = SiteConfig.model_validate(yaml.safe_load(SITE_YAML))
SEEDS = [GOOD_ENTRY.encode(), f"---\n{GOOD_ENTRY}---\nA *body* with [a link](https://good.example.org/).\n".encode(),
         *(path.read_bytes() for path in sorted((ROOT / "content/entries").glob("*/*"))[:12])]
FIELDS = ["name", "kind", "summary", "countries", "languages", "topics", "audiences", "cost", "crisis", "status",
          "alert", "contacts", "timezone", "website", "sources", "last_verified", "type", "value", "url", "hours",
          "days", "open", "close", "country", "keyword", "label", "address", "title", "base_url", "emergency"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "content/entries/gb").mkdir(parents=True)
    return root


def examine(root: Path, data: bytes, suffix: str) -> list[Diagnostic]:
    """Load one file and validate it as an entry (and as site.yaml); check what comes back."""
    rel = f"content/entries/gb/fuzzed{suffix}"
    (root / rel).write_bytes(data)
    loaded = load_or_diagnose(root / rel, root)
    if isinstance(loaded, Document):
        entry, found = validate_entry(loaded, SITE, TODAY)
        check_model(loaded, SiteConfig, found)
        found += check_slugs([loaded]) + check_duplicates([Checked(loaded, entry)] * 2 if entry else [])
    else:
        found = [loaded]
    for diagnostic in found:
        assert isinstance(diagnostic, Diagnostic), diagnostic
        assert diagnostic.path == rel and diagnostic.severity in ("error", "warning")
        assert diagnostic.line >= 1 and diagnostic.col >= 1 and diagnostic.message and diagnostic.code
    for fmt in ("text", "github", "json"):
        format_all(found, fmt)
    return found


# Mutations of real entries --------------------------------------------------------------------

def flip(data: bytes, at: int, mask: int) -> bytes:
    at %= len(data)
    return data[:at] + bytes([data[at] ^ mask]) + data[at + 1:]


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.sampled_from(
        [b"[", b"]", b"{", b"}", b":", b": ", b"- ", b"\n", b"\t", b"'", b'"', b"&a ", b"*a", b"!!python/name:os.system ",
         b"---\n", b"\xef\xbb\xbf", b"\x00", b"\r", b"9:00", b"NO", b"~", b"? ", b"|\n", b"#"])),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 60)),
    st.tuples(st.just("repeat-line"), st.integers(0, 10**6)),
)


def mutate(data: bytes, steps: list[tuple]) -> bytes:
    for step in steps:
        name, at = step[0], step[1] % (len(data) + 1)
        if name == "flip" and data:
            data = flip(data, at, step[2])
        elif name == "truncate":
            data = data[:at]
        elif name == "insert":
            data = data[:at] + step[2] + data[at:]
        elif name == "delete":
            data = data[:at] + data[at + step[2]:]
        elif name == "repeat-line":
            lines = data.splitlines(keepends=True) or [b""]
            data = b"".join(lines[: at % len(lines) + 1] + lines[at % len(lines):])
    return data


@given(seed=st.sampled_from(SEEDS), steps=st.lists(mutation, min_size=1, max_size=6),
       suffix=st.sampled_from([".yaml", ".md"]))
def test_mutated_entries(folder, seed, steps, suffix):
    examine(folder, mutate(seed, steps), suffix)


# Random YAML, built from values and dumped --------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.sampled_from(["24/7", "09:00", "9:00", "mon-fri", "GB", "NO", "international", "en",
                                     "https://x.example.org/", "2026-10-01", "2026-02-30", "helpline", "phone",
                                     "0800 068 4141", "116 123", "Europe/London", "TODO"]))
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12), st.integers())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.dictionaries(keys, inner, max_size=6)), max_leaves=16)


@given(document=st.dictionaries(keys, values, max_size=12), style=st.sampled_from([None, True, False]),
       suffix=st.sampled_from([".yaml", ".md"]))
def test_random_yaml(folder, document, style, suffix):
    text = yaml.safe_dump(document, default_flow_style=style, allow_unicode=True, sort_keys=False)
    examine(folder, (f"---\n{text}---\n" if suffix == ".md" else text).encode("utf-8", "surrogatepass"), suffix)


@given(fields=st.fixed_dictionaries({}, optional={name: values for name in FIELDS[:16]}))
def test_entries_with_the_right_fields_and_random_values(folder, fields):
    examine(folder, yaml.safe_dump(fields, allow_unicode=True).encode("utf-8", "surrogatepass"), ".yaml")


# Shapes that have broken parsers: depth, size, encodings ---------------------------------------

@given(depth=st.integers(1, 5000), shape=st.sampled_from(["[", "{a: ", "- ", "a:\n", "? "]))
def test_deep_nesting(folder, depth, shape):
    if shape in ("- ", "a:\n", "? "):  # block style: each level indented one more
        text = "".join(" " * level + shape.strip() + ("\n" if shape != "a:\n" else "") for level in range(depth))
    else:
        text = "name: " + shape * depth + "x" + ("]" if shape == "[" else "}") * depth
    examine(folder, text.encode(), ".yaml")


@given(size=st.integers(1, 1_100_000), char=st.sampled_from("x 9\n'\"[#é"), where=st.sampled_from(
    ["name", "key", "body", "number", "comment"]))
def test_huge_scalars(folder, size, char, where):
    big = char * size
    text = {"name": f"name: '{big.replace(chr(39), chr(39) * 2)}'\n", "key": f"{big.strip() or 'k'}: 1\n",
            "body": f"---\nname: A\n---\n{big}\n", "number": f"value: {'9' * min(size, 200_000)}\n",
            "comment": f"# {big}\nname: A\n"}[where]
    examine(folder, text.encode(), ".md" if where == "body" else ".yaml")


@given(seed=st.sampled_from(SEEDS[:2]), encoding=st.sampled_from(
    ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig", "shift_jis", "utf-7"]),
    extra=st.text(max_size=20))
def test_odd_encodings(folder, seed, encoding, extra):
    text = seed.decode() + f"alert: {extra!r}\n"
    examine(folder, text.encode(encoding, "replace"), ".yaml")


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400), crlf=st.booleans())
def test_random_text(folder, text, crlf):
    examine(folder, (text.replace("\n", "\r\n") if crlf else text).encode("utf-8", "surrogatepass"), ".yaml")


names = st.text(st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1, max_size=40).filter(
    lambda name: name not in (".", "..") and len(name.encode()) < 200)


@given(folder_name=names, file_name=names, seed=st.sampled_from(SEEDS))
def test_random_file_and_folder_names(folder_name, file_name, seed):
    # The scan, the folder rule and the slug rule over whole projects (a fresh one each time).
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        (root / "content/entries" / folder_name).mkdir(parents=True)
        (root / "content/entries" / folder_name / file_name).write_bytes(seed)
        _, found = check(root, TODAY)
        for diagnostic in found:
            assert isinstance(diagnostic, Diagnostic) and diagnostic.path.startswith("content/entries/")
            assert diagnostic.line >= 1 and diagnostic.col >= 1 and diagnostic.message
        format_all(found, "json")
