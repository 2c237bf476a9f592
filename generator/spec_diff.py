"""Breaking-change report between two versions of a carrier spec.

`python -m generator diff OLD NEW` compares two OpenAPI 3.0.3 carrier specs
(specs/<carrier>.yaml, shaped by specs/CONVENTIONS.md) from the point of view of
a client built on the generated SDK, and says which differences break it.

A change is *breaking* when code written against the old generated package, or
the runtime behaviour it relies on, can fail against the new one. Which
direction is safe depends on who produces the data:

* Requests (parameters and request bodies) are what callers send. Accepting
  more is safe: a new optional field, a field becoming optional or nullable, a
  raised maximum, a type widened to a oneOf that still includes the old type, a
  new enum value. Accepting less breaks calls that worked: a removed field or
  parameter (the generated model loses the argument), a new required one, a
  lowered or new maxLength / x-field-length / maxItems / maximum, a raised or
  new minLength / minItems / minimum, a new or changed pattern, a removed enum
  value, a changed type.
* Responses are what the generated parser reads. Producing more breaks the
  parser or the code reading its result: a removed field, a field becoming
  optional or nullable (the caller may now read Unset or None), a widened type,
  an added enum value (openapi-python-client's `from_dict` raises ValueError on
  a value its enum lacks). Producing less is safe: a new field, a narrowed
  type. Length and range constraints on responses are reported but never
  breaking, because the generated parser does not check them.
* Operations are matched by method and path (path-parameter names ignored). A
  removed operation or a renamed operationId (the generated function's name)
  breaks; a new operation is an addition.
* The x- extensions drive the runtime: re-classifying an error code's `kind` or
  its `message_rules`, or changing x-idempotency, x-partial-success or
  x-envelope, changes how calls are retried or judged (exactly-once), so it
  breaks. A lowered or newly documented x-limits value breaks callers sized to
  the old one. Removing an error code breaks too: the runtime then classifies
  it by the root table or as `unknown`, a re-classification like a changed
  `kind` (unless the root table gives it the same handling). New codes,
  changed messages or names and x-known-values are reported but never
  breaking.
* Auth, servers and defaults are read by the runtime, not by
  openapi-python-client, yet they decide what a request carries and where it
  goes: a changed or removed security scheme (e.g. the header renamed), an
  operation's effective `security` changing (unless it only gains
  alternatives), x-auth, an operation's effective servers or the root servers
  changing (unless servers are only appended: the first is the default), and a
  changed `default` (the generated model sends it, the server applies it when
  omitted) all break. x-product-codes: a removed or changed product breaks, a
  new one is an addition.

`next_version` turns a report into a semver bump: major if anything breaks,
minor if something was added, patch for any other reported change, unchanged
when nothing changed. 0.x versions are bumped the same way (a breaking change
takes 0.4.2 to 1.0.0), not by the "anything may change below 1.0" convention:
generated packages have consumers from their first release.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

from packaging.version import InvalidVersion, Version

Side = Literal["request", "response"]
Bump = Literal["major", "minor", "patch", "none"]

GIT_TIMEOUT_SECONDS = 30
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
UPPER_BOUNDS = ("maxLength", "x-field-length", "maxItems", "maximum")
LOWER_BOUNDS = ("minLength", "minItems", "minimum")
# Formats openapi-python-client maps to a Python type other than str.
TYPED_FORMATS = frozenset({"date", "date-time", "uuid", "binary"})
# Prose keys of x- policy objects: changing them changes no behaviour.
PROSE_KEYS = frozenset({"note", "description", "source", "source_url", "x-source", "x-source-url"})
# Cross-field request rules (specs/CONVENTIONS.md), on objects and operations.
RULE_KEYS = ("x-conditional-required", "x-rules")
# The matchers of an x-error-messages entry (exactly one per entry).
FAILURE_MATCHERS = ("message", "contains", "data_field")
JSON_MEDIA = "application/json"

# Report order; also the order of `diff_specs` output.
KIND_ORDER = (
    "operation-removed",
    "operation-renamed",
    "operation-added",
    "parameter-removed",
    "parameter-added",
    "parameter-required",
    "parameter-optional",
    "response-removed",
    "response-added",
    "field-removed",
    "field-added",
    "field-required",
    "field-optional",
    "type-changed",
    "nullable-changed",
    "enum-value-removed",
    "enum-value-added",
    "enum-closed",
    "enum-opened",
    "constraint-changed",
    "rule-added",
    "rule-removed",
    "known-values-changed",
    "error-kind-changed",
    "error-rules-changed",
    "error-retry-window-changed",
    "error-code-removed",
    "error-code-added",
    "error-message-changed",
    "error-name-changed",
    "failure-kind-changed",
    "failure-matcher-changed",
    "failure-removed",
    "failure-added",
    "idempotency-changed",
    "partial-success-changed",
    "envelope-changed",
    "limit-lowered",
    "limit-added",
    "limit-raised",
    "limit-removed",
    "limit-changed",
    "server-removed",
    "server-added",
    "servers-changed",
    "security-scheme-removed",
    "security-scheme-changed",
    "security-scheme-added",
    "security-changed",
    "auth-changed",
    "default-changed",
    "product-code-removed",
    "product-code-changed",
    "product-code-added",
)
# Non-breaking kinds that add API surface: they make a minor bump.
ADDITION_KINDS = frozenset(
    {
        "operation-added",
        "parameter-added",
        "response-added",
        "field-added",
        "enum-value-added",
        "error-code-added",
        "failure-added",
        "limit-added",
        "server-added",
        "security-scheme-added",
        "product-code-added",
    }
)


class SpecDiffError(Exception):
    """A spec cannot be loaded or compared."""


@dataclass(frozen=True)
class Change:
    """One reported difference between two specs."""

    kind: str
    location: str
    breaking: bool
    detail: str


# ---------------------------------------------------------------- loading


def load_spec(ref: str, repo: Path) -> dict[str, Any]:
    """Load a spec from a file path (relative to `repo`) or from `REV:path`."""
    return _parse_yaml(read_text(ref, repo), ref)


def read_text(ref: str, repo: Path) -> str:
    """The text of a file path (relative to `repo`) or of `REV:path` (the file at a git revision)."""
    file = repo / ref
    if file.is_file():
        return file.read_text(encoding="utf-8")
    if ":" not in ref:
        raise SpecDiffError(f"spec file not found: {file}")
    rev, path = ref.split(":", 1)
    return _git_show(repo, rev, path)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = ["git", "-C", str(repo), *args]
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as exc:
        raise SpecDiffError("git is not installed or not on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise SpecDiffError(f"{' '.join(command)} timed out after {GIT_TIMEOUT_SECONDS}s") from exc


def _git_show(repo: Path, rev: str, path: str) -> str:
    if not rev or not path:
        raise SpecDiffError(f"expected a file or REV:path, got {rev}:{path}")
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        why = found.stderr.strip() or "no such commit"
        raise SpecDiffError(f"revision {rev!r} does not exist in {repo}: {why}")
    shown = _git(repo, "show", f"{rev}:{path}")
    if shown.returncode != 0:
        raise SpecDiffError(f"{path!r} does not exist at revision {rev!r}: {shown.stderr.strip()}")
    return shown.stdout


def _parse_yaml(text: str, origin: str) -> dict[str, Any]:
    from .extensions import SpecError
    from .spec_check import parse

    try:
        return parse(text, origin)
    except SpecError as exc:
        raise SpecDiffError(str(exc)) from None


# ---------------------------------------------------------------- helpers


def _as_map(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}


def _as_list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _join(where: str, what: str) -> str:
    return f"{where} {what}" if what else where


# ---------------------------------------------------------------- schemas


@dataclass(frozen=True)
class _Field:
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


class _Resolver:
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


def _describe(schema: Mapping[str, Any], parent: str | None, required: bool) -> _Field:
    types, nullable = _types_of(schema)
    enum = schema.get("enum")
    values = _as_list(enum)
    bounds = (*UPPER_BOUNDS, *LOWER_BOUNDS, "pattern")
    return _Field(
        parent=parent,
        required=required,
        types=types,
        nullable=nullable or None in values,
        enum=frozenset(_show(v) for v in values if v is not None) if isinstance(enum, list) else None,
        known=frozenset(_show(v) for v in _as_list(schema.get("x-known-values"))),
        bounds={key: schema[key] for key in bounds if key in schema},
        rules=_rules(schema),
        default=_show(schema["default"]) if "default" in schema else None,
    )


def _rules(node: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(f"{key} {_show(_policy(rule))}" for key in RULE_KEYS for rule in _as_list(node.get(key)))


def _merge_fields(a: _Field, b: _Field) -> _Field:
    """Combine two oneOf/anyOf branches seen at the same path: the looser wins."""
    return _Field(
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


def _with_own_keys(merged: _Field, own: _Field) -> _Field:
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
        elif _is_number(x) and _is_number(y):
            out[key] = max(x, y) if key in UPPER_BOUNDS else min(x, y)
    return out


def _children(schema: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any, bool]]:
    required = {str(name) for name in _as_list(schema.get("required"))}
    for name, sub in _as_map(schema.get("properties")).items():
        key = str(name)
        yield (f"{path}.{key}" if path else key), sub, key in required
    if "items" in schema:
        yield f"{path}[]", schema["items"], True
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        yield f"{path}{{}}", extra, True


class _Flattener:
    """Turns a schema into {path: _Field}, e.g. `packages[].pickup_slot.start_time`.

    Object properties add `.name`, array items `[]`, map values `{}`. allOf
    parts are merged into one object; oneOf/anyOf branches are walked at the
    same path and merged. A $ref already being walked (a recursive schema) is
    described but not entered again.
    """

    def __init__(self, resolver: _Resolver) -> None:
        self._resolver = resolver

    def flatten(self, schema: Any, required: bool) -> dict[str, _Field]:
        out: dict[str, _Field] = {}
        if schema is not None:
            self._walk(schema, "", None, required, out, ())
        return out

    def _walk(
        self,
        node: Any,
        path: str,
        parent: str | None,
        required: bool,
        out: dict[str, _Field],
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
        branches = _as_list(schema.get("oneOf")) or _as_list(schema.get("anyOf"))
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
        parts = _as_list(schema.get("allOf"))
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
            properties.update(_as_map(resolved.get("properties")))
            required.extend(_as_list(resolved.get("required")))
        merged.update(own)
        properties.update(_as_map(own.get("properties")))
        required.extend(_as_list(own.get("required")))
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged


def _record(out: dict[str, _Field], path: str, found: _Field) -> None:
    prior = out.get(path)
    out[path] = found if prior is None else _merge_fields(prior, found)


# ------------------------------------------------------- field comparison


def _show_types(types: frozenset[str]) -> str:
    if not types:
        return "null"
    names = sorted(types)
    return names[0] if len(names) == 1 else f"oneOf[{', '.join(names)}]"


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """True when every value of a `narrow` type is also a `wide` value."""
    if "any" in wide:
        return True
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _compare_maps(
    old: Mapping[str, _Field],
    new: Mapping[str, _Field],
    where: str,
    side: Side,
    root_label: str,
) -> Iterator[Change]:
    """Compare two flattened schemas; report only the top-most added/removed path."""
    for path in sorted(old.keys() | new.keys()):
        location = _join(where, path or root_label)
        before, after = old.get(path), new.get(path)
        if before is not None and after is None:
            if before.parent is None or before.parent in new:
                yield Change(
                    "field-removed",
                    location,
                    True,
                    f"field removed (was {_show_types(before.types)})",
                )
        elif before is None and after is not None:
            if after.parent is None or after.parent in old:
                yield _field_added(after, location, side)
        elif before is not None and after is not None:
            yield from _compare_field(before, after, location, side)


def _field_added(found: _Field, location: str, side: Side) -> Change:
    types = _show_types(found.types)
    if side == "response":
        return Change("field-added", location, False, f"field added ({types})")
    if found.required:
        return Change(
            "field-added",
            location,
            True,
            f"required field added ({types}): existing calls do not send it",
        )
    return Change("field-added", location, False, f"optional field added ({types})")


def _compare_field(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    yield from _compare_required(before, after, location, side)
    yield from _compare_types(before, after, location, side)
    yield from _compare_nullable(before, after, location, side)
    yield from _compare_enum(before, after, location, side)
    yield from _compare_bounds(before, after, location, side)
    yield from _compare_rules(before.rules, after.rules, location, side)
    yield from _compare_default(before, after, location, side)
    if before.known != after.known:
        yield Change(
            "known-values-changed",
            location,
            False,
            _set_delta("x-known-values", before.known, after.known),
        )


def _compare_default(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    if before.default == after.default:
        return
    detail = f"default {before.default or 'none'} -> {after.default or 'none'}"
    if side == "request":
        # The generated model sends its default, and the server applies its own
        # when the field is omitted: every call that leaves it out changes
        # meaning (e.g. every parcel insured).
        yield Change("default-changed", location, True, f"{detail}: calls that omit it change meaning")
    else:
        # The generated parser leaves an absent field Unset; it applies no default.
        yield Change("default-changed", location, False, detail)


def _compare_required(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    if before.required == after.required:
        return
    if after.required:
        # A request must now carry it; a response now always has it (safe).
        yield Change("field-required", location, side == "request", "optional -> required")
    else:
        # A response may now omit it: the parsed attribute may be Unset.
        yield Change("field-optional", location, side == "response", "required -> optional")


def _compare_types(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    if before.types == after.types:
        return
    if _covers(after.types, before.types):
        how = "widened"
    elif _covers(before.types, after.types):
        how = "narrowed"
    else:
        how = "changed"
    # Requests may widen (old calls still valid); responses may narrow (the
    # client already handles every value the new type allows).
    safe = "widened" if side == "request" else "narrowed"
    detail = f"type {_show_types(before.types)} -> {_show_types(after.types)}"
    yield Change("type-changed", location, how != safe, f"{detail} ({how})")


def _compare_nullable(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    if before.nullable == after.nullable:
        return
    if after.nullable:
        detail = "became nullable"
        if side == "response":
            detail += ": clients may now read None"
        yield Change("nullable-changed", location, side == "response", detail)
    else:
        yield Change("nullable-changed", location, side == "request", "no longer nullable")


def _compare_enum(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    if before.enum is None and after.enum is None:
        return
    if before.enum is None:
        # Requests: fewer accepted values. Responses: the attribute becomes an
        # Enum and the parser starts rejecting values outside the list.
        values = ", ".join(sorted(after.enum or ()))
        yield Change("enum-closed", location, True, f"closed enum introduced: {values}")
        return
    if after.enum is None:
        # Responses: the attribute stops being an Enum, and any value may come.
        yield Change("enum-opened", location, side == "response", "closed enum dropped")
        return
    for value in sorted(before.enum - after.enum):
        yield Change("enum-value-removed", location, True, f"enum value {value} removed")
    for value in sorted(after.enum - before.enum):
        # Harmless in a request. In a response the old generated parser meets
        # a value its Enum class lacks and `from_dict` raises ValueError, so
        # every deployed client breaks as soon as the server sends it.
        yield Change("enum-value-added", location, side == "response", f"enum value {value} added")


def _compare_bounds(before: _Field, after: _Field, location: str, side: Side) -> Iterator[Change]:
    for key in sorted(before.bounds.keys() | after.bounds.keys()):
        old, new = before.bounds.get(key), after.bounds.get(key)
        if old == new:
            continue
        narrowed = _narrows(key, old, new)
        how = "narrowed" if narrowed else "widened"
        # The generated parser checks no constraint, so response bounds are
        # information only.
        yield Change(
            "constraint-changed",
            location,
            side == "request" and narrowed,
            f"{key} {_show_bound(old)} -> {_show_bound(new)} ({how})",
        )


def _compare_rules(
    before: frozenset[str], after: frozenset[str], location: str, side: Side
) -> Iterator[Change]:
    # A new cross-field rule can reject a request that met the old ones.
    for rule in sorted(after - before):
        yield Change("rule-added", location, side == "request", rule)
    for rule in sorted(before - after):
        yield Change("rule-removed", location, False, rule)


def _narrows(key: str, old: Any, new: Any) -> bool:
    if new is None:
        return False
    if old is None or not (_is_number(old) and _is_number(new)):
        return True  # a new bound, or a changed pattern we cannot order
    return bool(new < old) if key in UPPER_BOUNDS else bool(new > old)


def _show_bound(value: Any) -> str:
    return "none" if value is None else _show(value)


def _set_delta(what: str, old: frozenset[str], new: frozenset[str]) -> str:
    parts = []
    if new - old:
        parts.append(f"added {', '.join(sorted(new - old))}")
    if old - new:
        parts.append(f"removed {', '.join(sorted(old - new))}")
    return f"{what} {'; '.join(parts)}"


# ------------------------------------------------------------- operations


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    spec: Mapping[str, Any]
    shared_parameters: tuple[Any, ...]
    path_servers: Any = None

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId") or "")

    @property
    def label(self) -> str:
        name = f" ({self.operation_id})" if self.operation_id else ""
        return f"{self.method.upper()} {self.path}{name}"


class _Spec:
    """One side of the comparison: raw spec plus $ref-aware readers."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self._resolver = _Resolver(raw)
        self._flattener = _Flattener(self._resolver)

    def resolve(self, node: Any) -> Any:
        return self._resolver.resolve(node)[0]

    def flatten(self, schema: Any, required: bool) -> dict[str, _Field]:
        return self._flattener.flatten(schema, required)

    def operations(self) -> dict[tuple[str, str], _Operation]:
        """Operations keyed by (method, path with parameter names blanked)."""
        found: dict[tuple[str, str], _Operation] = {}
        for path, item in _as_map(self.raw.get("paths")).items():
            item_map = _as_map(self.resolve(item))
            shared = tuple(_as_list(item_map.get("parameters")))
            for method in HTTP_METHODS:
                op = item_map.get(method)
                if isinstance(op, Mapping):
                    key = (method, re.sub(r"\{[^}]*\}", "{}", str(path)))
                    found[key] = _Operation(method, str(path), op, shared, item_map.get("servers"))
        return found

    def parameters(self, op: _Operation) -> dict[str, Mapping[str, Any]]:
        """Effective parameters keyed `in:name`; the operation's win."""
        found: dict[str, Mapping[str, Any]] = {}
        for node in (*op.shared_parameters, *_as_list(op.spec.get("parameters"))):
            param = _as_map(self.resolve(node))
            if param:
                found[f"{param.get('in')}:{param.get('name')}"] = param
        return found

    def request_bodies(self, op: _Operation) -> dict[str, dict[str, _Field]]:
        """Flattened request body schema per media type."""
        body = _as_map(self.resolve(op.spec.get("requestBody")))
        return self._contents(body, body.get("required") is True)

    def responses(self, op: _Operation) -> dict[str, dict[str, dict[str, _Field]]]:
        """Flattened response schema per status code and media type."""
        return {
            str(status): self._contents(_as_map(self.resolve(node)), True)
            for status, node in _as_map(op.spec.get("responses")).items()
        }

    def _contents(self, holder: Mapping[str, Any], required: bool) -> dict[str, dict[str, _Field]]:
        return {
            str(media): self.flatten(_as_map(content).get("schema"), required)
            for media, content in _as_map(holder.get("content")).items()
        }


def _diff_operations(old: _Spec, new: _Spec) -> Iterator[Change]:
    before_ops, after_ops = old.operations(), new.operations()
    for key in sorted(before_ops.keys() - after_ops.keys()):
        op = before_ops[key]
        detail = f"operation removed (operationId {op.operation_id or 'none'})"
        yield Change("operation-removed", op.label, True, detail)
    for key in sorted(after_ops.keys() - before_ops.keys()):
        yield Change("operation-added", after_ops[key].label, False, "operation added")
    for key in sorted(before_ops.keys() & after_ops.keys()):
        yield from _diff_operation(old, before_ops[key], new, after_ops[key])


def _diff_operation(old: _Spec, before: _Operation, new: _Spec, after: _Operation) -> Iterator[Change]:
    label = after.label
    if before.operation_id != after.operation_id:
        detail = (
            f"operationId {before.operation_id or 'none'} -> "
            f"{after.operation_id or 'none'}: the generated function is renamed"
        )
        yield Change("operation-renamed", label, True, detail)
    yield from _diff_parameters(old, before, new, after, label)
    yield from _diff_bodies(
        old.request_bodies(before),
        new.request_bodies(after),
        f"{label} request",
        "request",
    )
    yield from _diff_responses(old.responses(before), new.responses(after), label)
    yield from _compare_rules(_rules(before.spec), _rules(after.spec), f"{label} x-rules", "request")
    yield from _diff_error_table(
        before.spec.get("x-error-codes"),
        after.spec.get("x-error-codes"),
        f"{label} x-error-codes",
        (old.raw.get("x-error-codes"), new.raw.get("x-error-codes")),
    )
    yield from _diff_security(old, before, new, after, label)
    yield from _diff_operation_servers(before, after, label)
    yield from _diff_failures(
        before.spec.get("x-error-messages"),
        after.spec.get("x-error-messages"),
        f"{label} x-error-messages",
    )
    for key, kind in (
        ("x-idempotency", "idempotency-changed"),
        ("x-partial-success", "partial-success-changed"),
    ):
        yield from _diff_policy(before.spec.get(key), after.spec.get(key), f"{label} {key}", kind)


def _diff_parameters(
    old: _Spec, before: _Operation, new: _Spec, after: _Operation, label: str
) -> Iterator[Change]:
    old_params, new_params = old.parameters(before), new.parameters(after)
    for key in sorted(old_params.keys() | new_params.keys()):
        where = f"{label} parameter {key}"
        was, now = old_params.get(key), new_params.get(key)
        if now is None:
            yield Change("parameter-removed", where, True, "parameter removed")
        elif was is None:
            yield _parameter_added(now, where)
        else:
            yield from _parameter_required(was, now, where)
            yield from _compare_maps(
                old.flatten(_parameter_schema(was), True),
                new.flatten(_parameter_schema(now), True),
                where,
                "request",
                "",
            )


def _is_required_parameter(param: Mapping[str, Any]) -> bool:
    return param.get("required") is True or param.get("in") == "path"


def _parameter_schema(param: Mapping[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    contents = list(_as_map(param.get("content")).values())
    return _as_map(contents[0]).get("schema") if contents else None


def _parameter_added(param: Mapping[str, Any], where: str) -> Change:
    if _is_required_parameter(param):
        return Change("parameter-added", where, True, "required parameter added")
    return Change("parameter-added", where, False, "optional parameter added")


def _parameter_required(was: Mapping[str, Any], now: Mapping[str, Any], where: str) -> Iterator[Change]:
    before, after = _is_required_parameter(was), _is_required_parameter(now)
    if before and not after:
        yield Change("parameter-optional", where, False, "required -> optional")
    elif after and not before:
        yield Change("parameter-required", where, True, "optional -> required")


def _diff_bodies(
    old: Mapping[str, dict[str, _Field]],
    new: Mapping[str, dict[str, _Field]],
    where: str,
    side: Side,
) -> Iterator[Change]:
    for media in sorted(old.keys() | new.keys()):
        scoped = where if media == JSON_MEDIA else f"{where} [{media}]"
        yield from _compare_maps(old.get(media, {}), new.get(media, {}), scoped, side, "(body)")


def _diff_responses(
    old: Mapping[str, dict[str, dict[str, _Field]]],
    new: Mapping[str, dict[str, dict[str, _Field]]],
    label: str,
) -> Iterator[Change]:
    for status in sorted(old.keys() | new.keys()):
        where = f"{label} response {status}"
        if status not in new:
            detail = "response removed: the client no longer parses it"
            yield Change("response-removed", where, True, detail)
        elif status not in old:
            yield Change("response-added", where, False, "response added")
        else:
            yield from _diff_bodies(old[status], new[status], where, "response")


# ------------------------------------------------- x- extensions, servers


def _error_table(entries: Any) -> dict[str, Mapping[str, Any]]:
    table: dict[str, Mapping[str, Any]] = {}
    for entry in _as_list(entries):
        if isinstance(entry, Mapping) and "code" in entry:
            table.setdefault(str(entry["code"]), entry)
    return table


# (entry key, change kind, breaking). `kind` and `message_rules` decide how the
# runtime classifies the code (retry, refresh, already done...), so changing
# them changes retry and exactly-once behaviour.
ERROR_ENTRY_FIELDS = (
    ("kind", "error-kind-changed", True),
    ("message_rules", "error-rules-changed", True),
    # `short_term` decides whether a quota code inside a 200 is retried with backoff: a retry policy
    # change (more or fewer resends of a refused call), not a contract change.
    ("short_term", "error-retry-window-changed", False),
    ("message", "error-message-changed", False),
    ("name", "error-name-changed", False),
)


def _diff_error_table(
    old_entries: Any,
    new_entries: Any,
    where: str,
    roots: tuple[Any, Any] | None = None,
) -> Iterator[Change]:
    """Compare two error tables; `roots` (old, new root tables) when these are an operation's."""
    old, new = _error_table(old_entries), _error_table(new_entries)
    old_root, new_root = (_error_table(roots[0]), _error_table(roots[1])) if roots else ({}, {})
    for code in sorted(old.keys() | new.keys()):
        location = f"{where} {code}"
        before, after = old.get(code), new.get(code)
        if after is None and before is not None:
            yield _error_code_removed(before, new_root.get(code), location)
        elif before is None and after is not None:
            yield _error_code_added(after, old_root.get(code), location)
        elif before is not None and after is not None:
            yield from _diff_error_entry(before, after, location)


def _handling(entry: Mapping[str, Any] | None) -> str:
    if entry is None:
        return "unknown"
    rules = entry.get("message_rules")
    return f"{entry.get('kind')}{' with message_rules' if rules else ''}"


def _same_handling(a: Mapping[str, Any], b: Mapping[str, Any] | None) -> bool:
    return b is not None and (a.get("kind"), a.get("message_rules")) == (
        b.get("kind"),
        b.get("message_rules"),
    )


def _error_code_removed(
    before: Mapping[str, Any], fallback: Mapping[str, Any] | None, location: str
) -> Change:
    # The server may still send the code; the runtime then classifies it by the
    # root table or as `unknown`. That re-classifies it as surely as a changed
    # `kind` (e.g. an already-shipped answer becomes a failure), so it breaks,
    # unless the root table gives it the same handling.
    name = before.get("name")
    if _same_handling(before, fallback):
        detail = f"{name} no longer documented here; the root table still classifies it {_handling(before)}"
        return Change("error-code-removed", location, False, detail)
    detail = (
        f"{name} no longer documented: the runtime now classifies it {_handling(fallback)} "
        f"instead of {_handling(before)}"
    )
    return Change("error-code-removed", location, True, detail)


def _error_code_added(after: Mapping[str, Any], shadowed: Mapping[str, Any] | None, location: str) -> Change:
    name = after.get("name")
    if shadowed is not None and not _same_handling(after, shadowed):
        # It overrides a root entry the runtime used for this operation until now.
        detail = (
            f"{name} added: the runtime now classifies it {_handling(after)} instead of {_handling(shadowed)}"
        )
        return Change("error-code-added", location, True, detail)
    return Change("error-code-added", location, False, f"{name} ({after.get('kind')}) added")


def _diff_error_entry(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    for key, kind, breaking in ERROR_ENTRY_FIELDS:
        was, now = before.get(key), after.get(key)
        if was != now:
            detail = f"{key} {_show(was)} -> {_show(now)}"
            yield Change(kind, location, breaking, detail)


def _diff_failures(old_entries: Any, new_entries: Any, where: str) -> Iterator[Change]:
    """x-error-messages: failures without codes, matched by message text."""
    old, new = _by_name(old_entries), _by_name(new_entries)
    for name in sorted(old.keys() | new.keys()):
        location = f"{where} {name}"
        before, after = old.get(name), new.get(name)
        if after is None:
            yield Change("failure-removed", location, False, "no longer documented")
        elif before is None:
            yield Change("failure-added", location, False, f"added ({after.get('kind')})")
        else:
            yield from _diff_failure(before, after, location)


def _diff_failure(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    if before.get("kind") != after.get("kind"):
        detail = f"kind {_show(before.get('kind'))} -> {_show(after.get('kind'))}"
        yield Change("failure-kind-changed", location, True, detail)
    # Unlike a coded error's message, the matcher decides which failures get
    # this kind: changing it re-classifies them.
    was = {key: before[key] for key in FAILURE_MATCHERS if before.get(key)}
    now = {key: after[key] for key in FAILURE_MATCHERS if after.get(key)}
    if was != now:
        detail = f"matcher {_show(was)} -> {_show(now)}"
        yield Change("failure-matcher-changed", location, True, detail)


def _by_name(entries: Any) -> dict[str, Mapping[str, Any]]:
    return {str(entry.get("name")): entry for entry in _as_list(entries) if isinstance(entry, Mapping)}


def _diff_policy(before: Any, after: Any, location: str, kind: str) -> Iterator[Change]:
    """x-idempotency, x-partial-success, x-envelope: any non-prose change breaks."""
    old, new = _policy(before), _policy(after)
    if old != new:
        yield Change(kind, location, True, f"{_show(old)} -> {_show(new)}")


def _policy(node: Any) -> dict[str, Any]:
    return {k: v for k, v in _as_map(node).items() if k not in PROSE_KEYS}


def _diff_limits(old_entries: Any, new_entries: Any) -> Iterator[Change]:
    old, new = _by_name(old_entries), _by_name(new_entries)
    for name in sorted(old.keys() | new.keys()):
        location = f"x-limits {name}"
        before, after = old.get(name), new.get(name)
        if after is None:
            yield Change("limit-removed", location, False, "limit no longer documented")
        elif before is None:
            yield _limit_added(after, location)
        else:
            yield from _diff_limit(before, after, location)


def _limit_added(entry: Mapping[str, Any], location: str) -> Change:
    value = entry.get("value")
    if _is_number(value):
        detail = f"new limit {_show(value)} {entry.get('unit', '')}".rstrip()
        return Change("limit-added", location, True, detail)
    return Change("limit-added", location, False, "new limit, value unknown")


def _diff_limit(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    yield from _diff_limit_value(before.get("value"), after.get("value"), location)
    if before.get("unit") != after.get("unit"):
        detail = (
            f"unit {_show(before.get('unit'))} -> {_show(after.get('unit'))}: values are no longer comparable"
        )
        yield Change("limit-changed", location, True, detail)
    yield from _diff_limit_scope(before, after, location)


def _diff_limit_value(old: Any, new: Any, location: str) -> Iterator[Change]:
    if old == new:
        return
    change = f"value {_show(old)} -> {_show(new)}"
    if not _is_number(new):
        yield Change("limit-changed", location, False, f"{change} (now unknown)")
    elif not _is_number(old):
        yield Change("limit-lowered", location, True, f"{change} (newly documented)")
    elif new < old:
        yield Change("limit-lowered", location, True, change)
    else:
        yield Change("limit-raised", location, False, change)


def _diff_limit_scope(before: Mapping[str, Any], after: Mapping[str, Any], location: str) -> Iterator[Change]:
    old = frozenset(str(op) for op in _as_list(before.get("applies_to")))
    new = frozenset(str(op) for op in _as_list(after.get("applies_to")))
    if old == new:
        return
    # An empty applies_to means carrier-wide: the widest scope.
    widened = bool(old) and (not new or bool(new - old))
    detail = f"applies_to {_show_scope(old)} -> {_show_scope(new)}"
    yield Change("limit-changed", location, widened, detail)


def _show_scope(ops: frozenset[str]) -> str:
    return ", ".join(sorted(ops)) if ops else "all operations"


def _diff_servers(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    before, after = _server_urls(old.get("servers")), _server_urls(new.get("servers"))
    for url in sorted(set(before) - set(after)):
        # Clients configured for it (an environment, a pinned base URL) lose it.
        yield Change("server-removed", f"servers {url}", True, "server removed")
    for url in sorted(set(after) - set(before)):
        yield Change("server-added", f"servers {url}", False, "server added")
    if before and after and before[0] != after[0] and before[0] in after:
        # The first server is the clients' default host.
        detail = f"default (first) server {before[0]} -> {after[0]}"
        yield Change("servers-changed", "servers", True, detail)


def _server_urls(servers: Any) -> list[str]:
    return [str(server.get("url")) for server in _as_list(servers) if isinstance(server, Mapping)]


def _diff_operation_servers(before: _Operation, after: _Operation, label: str) -> Iterator[Change]:
    """Operation or path-level servers (e.g. TikTok's token host): the runtime sends the call there."""
    old = _server_urls(before.spec.get("servers") or before.path_servers) or None
    new = _server_urls(after.spec.get("servers") or after.path_servers) or None
    if old == new:
        return
    appended = old is not None and new is not None and new[: len(old)] == old
    detail = f"servers {_show(old or 'root servers')} -> {_show(new or 'root servers')}"
    yield Change("servers-changed", f"{label} servers", not appended, detail)


def _requirements(node: Any) -> frozenset[str]:
    """A security requirement list as a set of alternatives (an empty list: no auth)."""
    return frozenset(
        " + ".join(sorted(_scheme_use(str(name), scopes) for name, scopes in req.items())) or "anonymous"
        for req in _as_list(node)
        if isinstance(req, Mapping)
    )


def _scheme_use(name: str, scopes: Any) -> str:
    listed = sorted(str(scope) for scope in _as_list(scopes))
    return f"{name}[{', '.join(listed)}]" if listed else name


def _diff_security(
    old: _Spec, before: _Operation, new: _Spec, after: _Operation, label: str
) -> Iterator[Change]:
    was = _requirements(before.spec["security"] if "security" in before.spec else old.raw.get("security"))
    now = _requirements(after.spec["security"] if "security" in after.spec else new.raw.get("security"))
    if was == now:
        return
    # Only new alternatives next to the old ones keep old clients' credentials
    # valid; anything else changes what the runtime sends (or must send).
    widened = bool(was) and was < now
    detail = f"security {_show_requirements(was)} -> {_show_requirements(now)}"
    yield Change("security-changed", f"{label} security", not widened, detail)


def _show_requirements(requirements: frozenset[str]) -> str:
    return " | ".join(sorted(requirements)) if requirements else "none (no auth)"


def _strip_prose(node: Any) -> Any:
    """A policy object without its prose keys, at any depth."""
    if isinstance(node, Mapping):
        return {str(k): _strip_prose(v) for k, v in node.items() if k not in PROSE_KEYS}
    if isinstance(node, list):
        return [_strip_prose(item) for item in node]
    return node


def _diff_named(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, noun: str, added_breaks: bool = False
) -> Iterator[Change]:
    """Named runtime entries (security schemes, product codes): removed or changed breaks."""
    for name in sorted(old.keys() | new.keys()):
        location = f"{where} {name}"
        if name not in new:
            yield Change(f"{noun}-removed", location, True, "removed")
        elif name not in old:
            yield Change(f"{noun}-added", location, added_breaks, "added")
        else:
            was, now = _as_map(_strip_prose(old[name])), _as_map(_strip_prose(new[name]))
            keys = sorted(key for key in was.keys() | now.keys() if was.get(key) != now.get(key))
            if keys:
                detail = "; ".join(f"{key} {_show(was.get(key))} -> {_show(now.get(key))}" for key in keys)
                yield Change(f"{noun}-changed", location, True, detail)


def _security_schemes(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in _as_map(_as_map(spec.get("components")).get("securitySchemes")).items()}


def _product_codes(spec: Mapping[str, Any]) -> dict[str, Any]:
    entries = _as_list(spec.get("x-product-codes"))
    return {str(e.get("code")): e for e in entries if isinstance(e, Mapping)}


def _diff_auth(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    # The runtime builds its auth from these (AUTH_SCHEMES, x-auth signing).
    yield from _diff_named(
        _security_schemes(old), _security_schemes(new), "securitySchemes", "security-scheme"
    )
    was, now = _strip_prose(old.get("x-auth")), _strip_prose(new.get("x-auth"))
    if was != now:
        yield Change("auth-changed", "x-auth", True, "x-auth changed: requests are authenticated differently")


# ------------------------------------------------------------ public API


def _sort_key(change: Change) -> tuple[int, str, str, bool]:
    rank = KIND_ORDER.index(change.kind) if change.kind in KIND_ORDER else len(KIND_ORDER)
    return rank, change.location, change.detail, change.breaking


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every reportable difference from `old` to `new`, in report order."""
    changes = [
        *_diff_operations(_Spec(old), _Spec(new)),
        *_diff_error_table(old.get("x-error-codes"), new.get("x-error-codes"), "x-error-codes"),
        *_diff_limits(old.get("x-limits"), new.get("x-limits")),
        *_diff_policy(old.get("x-envelope"), new.get("x-envelope"), "x-envelope", "envelope-changed"),
        *_diff_servers(old, new),
        *_diff_auth(old, new),
        *_diff_named(_product_codes(old), _product_codes(new), "x-product-codes", "product-code"),
    ]
    return sorted(changes, key=_sort_key)


def version_bump(changes: Iterable[Change]) -> Bump:
    """The semver part to bump for these changes."""
    found = list(changes)
    if not found:
        return "none"
    if any(change.breaking for change in found):
        return "major"
    if any(change.kind in ADDITION_KINDS for change in found):
        return "minor"
    return "patch"


def next_version(old_version: str, changes: Iterable[Change]) -> str:
    """The spec version after these changes (0.x bumps like 1.x; suffixes drop).

    Versions are read as PEP 440 (`packaging.version`), so `1.1.0rc1` and
    `2.0.0-rc.1` parse; the bump starts from the release part (1.1.0).
    """
    try:
        parsed = Version(str(old_version).strip())
    except InvalidVersion as exc:
        raise SpecDiffError(f"version {old_version!r} is not MAJOR.MINOR.PATCH (PEP 440)") from exc
    if len(parsed.release) != 3:
        raise SpecDiffError(f"version {old_version!r} is not MAJOR.MINOR.PATCH (PEP 440)")
    major, minor, patch = parsed.release
    bump = version_bump(changes)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return str(old_version)


def render_report(changes: Sequence[Change], old_version: str | None = None) -> str:
    """Plain-text report: changes grouped by kind, then a summary line."""
    lines: list[str] = []
    for kind, group in groupby(sorted(changes, key=_sort_key), key=lambda c: c.kind):
        lines.append(kind)
        for change in group:
            marker = "BREAKING" if change.breaking else "ok"
            lines.append(f"  {marker:<8}  {change.location}: {change.detail}")
        lines.append("")
    if not changes:
        lines.append("No changes.")
    lines.append(_summary(changes, old_version))
    return "\n".join(lines) + "\n"


def _summary(changes: Sequence[Change], old_version: str | None) -> str:
    breaking = sum(1 for change in changes if change.breaking)
    bump = version_bump(changes)
    text = (
        f"Summary: {len(changes)} change(s), {breaking} breaking, "
        f"{len(changes) - breaking} ok; suggested version bump: {bump}"
    )
    if old_version is None:
        return text
    try:
        return f"{text} ({old_version} -> {next_version(old_version, changes)})"
    except SpecDiffError as exc:
        return f"{text} ({exc})"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m generator diff`."""
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description=(
            "Report the changes between two versions of a carrier spec, mark the ones\n"
            "that break clients of the generated SDK, and suggest the semver bump."
        ),
        epilog=(
            "examples:\n"
            "  python -m generator diff v1.2.0:specs/baaship.yaml specs/baaship.yaml\n"
            "  python -m generator diff HEAD~1:specs/deftship.yaml "
            "specs/deftship.yaml --json\n\n"
            "exit status: 0 no breaking change, 1 breaking change(s), 2 error"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    spec_help = (
        "a spec file (relative to --repo), or REV:path for the file at a git "
        "revision (path from the repository root)"
    )
    parser.add_argument("old", metavar="OLD", help=f"the old spec: {spec_help}")
    parser.add_argument("new", metavar="NEW", help=f"the new spec: {spec_help}")
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="git repository holding the specs (default: current directory)",
    )
    parser.add_argument("--json", action="store_true", help="print the changes as a JSON list")
    return parser


def _check_refs(origin: str, spec: Mapping[str, Any]) -> None:
    """Name the spec and the place of a $ref to nothing (the comparison cannot tell which side)."""
    from .spec_check import unresolved_refs

    problems = unresolved_refs(spec)
    if problems:
        raise SpecDiffError(f"{origin}: {problems[0]}")


def main(argv: list[str]) -> int:
    """Print the report; return 1 if any change is breaking, 2 on errors, else 0."""
    args = build_parser().parse_args(argv)
    try:
        old = load_spec(args.old, args.repo)
        new = load_spec(args.new, args.repo)
        for ref, spec in ((args.old, old), (args.new, new)):
            _check_refs(ref, spec)
        changes = diff_specs(old, new)
    except SpecDiffError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps([asdict(c) for c in changes], indent=2) + "\n")
    else:
        version = _as_map(old.get("info")).get("version")
        sys.stdout.write(render_report(changes, None if version is None else str(version)))
    return 1 if any(change.breaking for change in changes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
