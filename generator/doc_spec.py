"""Find a vendor doc's field in a carrier spec: its query parameter, or its property at its nesting in the
request body (through ``$ref``, ``allOf``/``oneOf``/``anyOf`` branches and array items), with its required
flags and whether an ``x-conditional-required`` entry states its condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .vendor_docs import DocField, DocOperation

Schema = dict[str, Any]
MAX_DEPTH = 8  # deep enough for every request body here; recursive schemas stop


class OperationMissing(LookupError):
    """The doc's operation (method and path) is not in the spec."""


@dataclass
class Located:
    """A doc field as the spec has it."""

    raw: Schema  # the property (or query parameter schema) as written
    schema: Schema  # the same, $ref resolved
    flags: list[bool]  # required-in-parent flag of each path segment
    covered: bool  # an x-conditional-required entry states the field's condition

    @property
    def merged(self) -> Schema:
        """The keys written next to a $ref win over the target's (x-doc-conflict, x-documented-length)."""
        return {**self.schema, **self.raw}


def resolve(spec: Schema, node: Any) -> Schema:
    """Follow local $refs to the schema itself ({} when it is not a mapping)."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    return node if isinstance(node, dict) else {}


def _expand(spec: Schema, node: Any, depth: int = 0) -> list[Schema]:
    """The schema and every schema it is made of (composition branches, array items)."""
    schema = resolve(spec, node)
    found = [schema]
    if depth > MAX_DEPTH:
        return found
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key, []):
            found += _expand(spec, branch, depth + 1)
    if "items" in schema:
        found += _expand(spec, schema["items"], depth + 1)
    return found


def types_of(spec: Schema, node: Any) -> set[str]:
    """The JSON types a schema allows (the union over its composition branches)."""
    schema = resolve(spec, node)
    if "type" in schema:
        return {str(schema["type"])}
    branches = [b for key in ("oneOf", "anyOf", "allOf") for b in schema.get(key, [])]
    if branches:
        return set().union(*(types_of(spec, b) for b in branches))
    return {"object"} if "properties" in schema else {"array"} if "items" in schema else set()


def _norm(path: Any) -> tuple[str, ...]:
    text = re.sub(r"\[[^\]]*\]", "", str(path)).removeprefix("$.")
    return tuple(part for part in text.split(".") if part)


def _conditions(holders: list[Schema]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for holder in holders:
        for entry in holder.get("x-conditional-required") or []:
            require = entry.get("require", []) if isinstance(entry, dict) else []
            paths += [_norm(p) for p in ([require] if isinstance(require, str) else require)]
    return paths


def operation(spec: Schema, op: DocOperation) -> tuple[Schema, Schema]:
    """The spec's path item and operation for a doc operation; OperationMissing when absent."""
    item = (spec.get("paths") or {}).get(op.path) or {}
    node = item.get(op.method.lower()) if isinstance(item, dict) else None
    if not isinstance(node, dict):
        raise OperationMissing(f"{op.carrier} {op.label}: operation missing from the spec")
    return item, node


def locate(spec: Schema, op: DocOperation, field: DocField) -> Located | None:
    """Find ``field`` in the operation's query parameters or request body; None when absent."""
    item, node = operation(spec, op)
    top = [node, item]
    if field.location == "query":
        params = [resolve(spec, p) for p in item.get("parameters", []) + node.get("parameters", [])]
        param = next((p for p in params if p.get("in") == "query" and p.get("name") == field.path[0]), None)
        if param is None:
            return None
        covered = field.path in _conditions([*top, param])
        raw = {**param.get("schema", {}), **{k: v for k, v in param.items() if k.startswith("x-")}}
        return Located(raw, resolve(spec, raw), [bool(param.get("required"))], covered)
    body = resolve(spec, node.get("requestBody"))
    content = body.get("content") or {}
    media: Schema = content.get("application/json") or next(iter(content.values()), {})
    holders, raw, flags = _expand(spec, media.get("schema")), {}, []
    levels: list[tuple[tuple[str, ...], list[Schema]]] = [((), [*top, *holders])]
    for index, segment in enumerate(field.path):
        owners = [h for h in holders if segment in (h.get("properties") or {})]
        if not owners:
            return None
        raw = owners[0]["properties"][segment]
        flags.append(any(segment in (h.get("required") or []) for h in holders))
        holders = _expand(spec, raw)
        levels.append((field.path[: index + 1], holders))
    covered = any(
        0 < len(rel) <= len(field.path) - len(prefix)
        and field.path[: len(prefix + rel)] == prefix + rel
        and all(flags[len(prefix + rel) :])
        for prefix, holders_at in levels[:-1]
        for rel in _conditions(holders_at)
    )
    return Located(raw, resolve(spec, raw), flags, covered)
