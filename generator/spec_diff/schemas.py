"""Flatten a schema into what a client sees at each dotted path (``packages[].pickup_slot.start_time``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .model import (
    LOWER_BOUNDS,
    TYPED_FORMATS,
    UPPER_BOUNDS,
    SpecDiffError,
    as_list,
    as_map,
    is_number,
    rules_of,
    show,
)


@dataclass(frozen=True)
class Field:
    """What a client sees of one schema node, at a dotted path."""

    parent: str | None
    required: bool
    types: frozenset[str]
    nullable: bool
    enum: frozenset[str] | None  # None: an open value set
    known: frozenset[str]
    bounds: Mapping[str, Any]
    rules: frozenset[str]
    default: str | None = None  # JSON of the schema's `default`; None: no default


class Resolver:
    """Follows local `#/components/...` $refs of one spec."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._spec = spec

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """Return the node a $ref chain ends at, and the last $ref followed."""
        followed: list[str] = []
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if ref in followed:
                raise SpecDiffError(f"$ref cycle: {' -> '.join([*followed, ref])}")
            node = self._lookup(ref)
            followed.append(ref)
        return node, followed[-1] if followed else None

    def _lookup(self, ref: Any) -> Any:
        if not isinstance(ref, str) or not ref.startswith("#/components/"):
            raise SpecDiffError(f"unsupported $ref {ref!r}: only local '#/components/...' refs")
        node: Any = self._spec
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or key not in node:
                raise SpecDiffError(f"unresolvable $ref {ref!r}")
            node = node[key]
        return node


def _types_of(schema: Mapping[str, Any]) -> tuple[frozenset[str], bool]:
    declared = schema.get("type")
    if isinstance(declared, list):
        names = [str(name) for name in declared]
    elif declared:
        names = [str(declared)]
    else:
        names = [_implied_type(schema)]
    fmt = schema.get("format")
    types = frozenset(
        f"string({fmt})" if name == "string" and fmt in TYPED_FORMATS else name
        for name in names
        if name != "null"
    )
    return types, schema.get("nullable") is True or "null" in names


def _implied_type(schema: Mapping[str, Any]) -> str:
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    return "array" if "items" in schema else "any"


def _describe(schema: Mapping[str, Any], parent: str | None, required: bool) -> Field:
    types, nullable = _types_of(schema)
    enum = schema.get("enum")
    values = as_list(enum)
    bounds = (*UPPER_BOUNDS, *LOWER_BOUNDS, "pattern")
    return Field(
        parent=parent,
        required=required,
        types=types,
        nullable=nullable or None in values,
        enum=frozenset(show(v) for v in values if v is not None) if isinstance(enum, list) else None,
        known=frozenset(show(v) for v in as_list(schema.get("x-known-values"))),
        bounds={key: schema[key] for key in bounds if key in schema},
        rules=rules_of(schema),
        default=show(schema["default"]) if "default" in schema else None,
    )


def _merge_fields(a: Field, b: Field) -> Field:
    """Combine two oneOf/anyOf branches seen at the same path: the looser wins."""
    return Field(
        parent=a.parent,
        required=a.required and b.required,
        types=a.types | b.types,
        nullable=a.nullable or b.nullable,
        enum=None if a.enum is None or b.enum is None else a.enum | b.enum,
        known=a.known | b.known,
        bounds=_loosest(a.bounds, b.bounds),
        rules=a.rules & b.rules,
        default=a.default if a.default == b.default else None,
    )


def _with_own_keys(merged: Field, own: Field) -> Field:
    """Apply the keys a oneOf/anyOf parent sets next to its branches (they hold for every branch)."""
    return replace(
        merged,
        nullable=merged.nullable or own.nullable,
        enum=own.enum if own.enum is not None else merged.enum,
        known=merged.known | own.known,
        bounds={**merged.bounds, **own.bounds},
        rules=merged.rules | own.rules,
        default=own.default if own.default is not None else merged.default,
    )


def _loosest(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in a.keys() & b.keys():
        x, y = a[key], b[key]
        if x == y:
            out[key] = x
        elif is_number(x) and is_number(y):
            out[key] = max(x, y) if key in UPPER_BOUNDS else min(x, y)
    return out


def _children(schema: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any, bool]]:
    required = {str(name) for name in as_list(schema.get("required"))}
    for name, sub in as_map(schema.get("properties")).items():
        key = str(name)
        yield (f"{path}.{key}" if path else key), sub, key in required
    if "items" in schema:
        yield f"{path}[]", schema["items"], True
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        yield f"{path}{{}}", extra, True


class Flattener:
    """Turns a schema into {path: Field}, e.g. `packages[].pickup_slot.start_time`.

    Object properties add `.name`, array items `[]`, map values `{}`. allOf
    parts are merged into one object; oneOf/anyOf branches are walked at the
    same path and merged. A $ref already being walked (a recursive schema) is
    described but not entered again.
    """

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver

    def flatten(self, schema: Any, required: bool) -> dict[str, Field]:
        out: dict[str, Field] = {}
        if schema is not None:
            self._walk(schema, "", None, required, out, ())
        return out

    def _walk(
        self,
        node: Any,
        path: str,
        parent: str | None,
        required: bool,
        out: dict[str, Field],
        stack: tuple[str, ...],
    ) -> None:
        schema, ref = self._resolver.resolve(node)
        if not isinstance(schema, Mapping):
            return
        if ref is not None and ref in stack:
            _record(out, path, _describe(schema, parent, required))
            return
        inner = (*stack, ref) if ref else stack
        schema = self._merge_all_of(schema, inner)
        branches = as_list(schema.get("oneOf")) or as_list(schema.get("anyOf"))
        if branches:
            for branch in branches:
                self._walk(branch, path, parent, required, out, inner)
            # The parent's own keys (x-field-length, default, nullable... next to
            # oneOf) constrain every branch; dropping them hid such changes.
            own = _describe(schema, parent, required)
            out[path] = own if path not in out else _with_own_keys(out[path], own)
        else:
            _record(out, path, _describe(schema, parent, required))
        for child, sub, sub_required in _children(schema, path):
            self._walk(sub, child, path, sub_required, out, inner)

    def _merge_all_of(self, schema: Mapping[str, Any], stack: tuple[str, ...]) -> Mapping[str, Any]:
        parts = as_list(schema.get("allOf"))
        if not parts:
            return schema
        merged: dict[str, Any] = {}
        properties: dict[str, Any] = {}
        required: list[Any] = []
        own = {key: value for key, value in schema.items() if key != "allOf"}
        for part in parts:
            resolved, ref = self._resolver.resolve(part)
            if not isinstance(resolved, Mapping) or (ref and ref in stack):
                continue
            resolved = self._merge_all_of(resolved, (*stack, ref) if ref else stack)
            for key, value in resolved.items():
                merged.setdefault(key, value)
            properties.update(as_map(resolved.get("properties")))
            required.extend(as_list(resolved.get("required")))
        merged.update(own)
        properties.update(as_map(own.get("properties")))
        required.extend(as_list(own.get("required")))
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged


def _record(out: dict[str, Field], path: str, found: Field) -> None:
    prior = out.get(path)
    out[path] = found if prior is None else _merge_fields(prior, found)
