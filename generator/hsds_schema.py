"""The official HSDS 3.0 JSON Schemas (vendored in hsds-3.0/, CC BY-SA 4.0), as validators.

Used by `signpost import hsds` to say where a record does not match HSDS, and by the tests to
check every file of the export.
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent / "hsds-3.0" / "schema"


@lru_cache(maxsize=None)
def schema_files() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.json"))}


def closed(schema):
    """A copy where every object schema forbids properties it does not name: catches typos."""
    schema = copy.deepcopy(schema)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return schema


@lru_cache(maxsize=None)
def validator(name: str, strict: bool = False, formats: bool = True):
    """A Draft 2020-12 validator for `name` (like "service.json"), its $refs resolved among the
    vendored files; `strict` closes every object (extensions must be removed first)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    files = {key: closed(value) if strict else value for key, value in schema_files().items()}
    registry = Registry().with_resources(
        (key, Resource.from_contents(value, default_specification=DRAFT202012)) for key, value in files.items())
    checker = Draft202012Validator.FORMAT_CHECKER if formats else None
    return Draft202012Validator(files[name], registry=registry, format_checker=checker)


def pointer(path) -> str:
    """A JSON pointer (RFC 6901) for a jsonschema error's path."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def without_extensions(value):
    """`value` with every `x-…` key removed, for the strict check."""
    if isinstance(value, dict):
        return {k: without_extensions(v) for k, v in value.items() if not k.startswith("x-")}
    if isinstance(value, list):
        return [without_extensions(v) for v in value]
    return value
