"""The documented shape of each operation's 200 body, as rules the runtime checks before the parser runs.

The generated parsers index required fields (a missing one is a bare ``KeyError``) and trust declared types
(a ``code`` of ``"abc"`` or a ``data`` that is a string would pass as success). ``shipspec.classify`` turns
such answers into ``ResponseDecodeError`` with these rules: one tuple of rules per alternative (a top-level
``oneOf`` gives one per branch; the body must satisfy one of them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FieldRule", "resolve", "response_shapes"]

MAX_DEPTH = 8  # deep enough for every envelope here; recursive schemas stop


@dataclass(frozen=True)
class FieldRule:
    path: str  # dotted from the body; ``[]`` = each item of an array
    type: str | None  # the JSON type the spec declares, None when it declares none (or several)
    required: bool
    nullable: bool


def resolve(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref``s (local ones: the specs are single files) to the schema itself."""
    while "$ref" in schema:
        node: Any = spec
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _effective(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], bool]:
    """The schema a property really has, and whether it is nullable (``nullable`` + a one-branch allOf)."""
    schema = resolve(spec, schema)
    nullable = bool(schema.get("nullable"))
    branches: list[Mapping[str, Any]] = list(schema.get("allOf") or ())
    if len(branches) == 1 and "properties" not in schema and "type" not in schema:
        inner = resolve(spec, branches[0])
        return inner, nullable or bool(inner.get("nullable"))
    return schema, nullable


def _object_parts(
    spec: Mapping[str, Any], schema: Mapping[str, Any]
) -> tuple[dict[str, Mapping[str, Any]], set[str]]:
    """Properties and required names of an object schema, allOf branches merged."""
    properties = dict(schema.get("properties") or {})
    required = set(schema.get("required") or ())
    for branch in schema.get("allOf") or ():
        more, needed = _object_parts(spec, resolve(spec, branch))
        properties.update(more)
        required |= needed
    return properties, required


def _rules(
    spec: Mapping[str, Any], schema: Mapping[str, Any], prefix: str, depth: int
) -> Iterator[FieldRule]:
    if depth > MAX_DEPTH or schema.get("oneOf") or schema.get("anyOf"):
        return
    properties, required = _object_parts(spec, schema)
    for name in sorted(properties):
        child, nullable = _effective(spec, properties[name])
        declared = child.get("type")
        one_of = child.get("oneOf") or child.get("anyOf")
        kind = None if one_of or not isinstance(declared, str) else declared
        path = f"{prefix}{name}"
        yield FieldRule(path, kind, name in required, nullable)
        if kind == "object":
            yield from _rules(spec, child, f"{path}.", depth + 1)
        elif kind == "array":
            items, _ = _effective(spec, child.get("items") or {})
            if items.get("type") == "object" or "properties" in items:
                yield from _rules(spec, items, f"{path}[].", depth + 1)


def response_shapes(spec: Mapping[str, Any], op: Mapping[str, Any]) -> tuple[tuple[FieldRule, ...], ...]:
    """Alternatives of rules for the operation's 200 JSON body (empty: nothing documented to check)."""
    response = resolve(spec, (op.get("responses") or {}).get("200") or {})
    media = (response.get("content") or {}).get("application/json") or {}
    if "schema" not in media:
        return ()
    schema = resolve(spec, media["schema"])
    branches = schema.get("oneOf") or schema.get("anyOf")
    alternatives = [resolve(spec, branch) for branch in branches] if branches else [schema]
    return tuple(tuple(_rules(spec, alternative, "", 0)) for alternative in alternatives)
