"""Check a carrier spec before the generator, the diff or the version gate reads it.

Malformed YAML, a ``$ref`` to nothing, an error table entry that is not a mapping or a duplicate operationId
used to surface as a bare ParserError, KeyError or TypeError (or, for the duplicate, not at all). Here each
becomes a ``SpecError`` naming the file and the field path, e.g.
``specs/baaship.yaml: paths./createShipment.post.x-error-codes[7].kind: 'oops' is not one of [...]``.

This module is not hashed into the lock files (``lock.OUTPUT_SHAPING_MODULES``): it only refuses specs, it
never changes what is generated from a valid one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from .extensions import HTTP_METHODS, SpecError, error_codes, read_tables
from .paths import REPO


def shown(path: Path) -> str:
    """The path as the user knows it: relative to the repository when inside it."""
    resolved = path.resolve()
    return resolved.relative_to(REPO).as_posix() if resolved.is_relative_to(REPO) else str(path)


def parse(text: str, origin: str) -> dict[str, Any]:
    """Parse spec text; a problem is a SpecError naming ``origin`` (a file, or a file at a revision)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"{origin}: expected a mapping at the top level")
    return data


def load(path: Path) -> dict[str, Any]:
    """Parse a spec file; any problem is a SpecError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from exc
    return parse(text, shown(path))


def check_carrier(path: Path) -> dict[str, Any]:
    """Load a carrier spec and refuse it unless the generator can read it; return it."""
    spec = load(path)
    try:
        problems = [*unresolved_refs(spec), *duplicate_operation_ids(spec)]
        if problems:
            raise SpecError(problems[0])
        _check_error_tables(spec)
        read_tables(spec)
    except SpecError as exc:
        raise SpecError(f"{shown(path)}: {exc}") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        # Last resort: a shape the checks above do not know yet must still name the file, not crash.
        raise SpecError(
            f"{shown(path)}: cannot read its x- extensions ({type(exc).__name__}: {exc})"
        ) from exc
    return spec


# ---------------------------------------------------------------- $refs


def _nodes(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _nodes(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{where}[{index}]")


def _points_to_something(spec: Mapping[str, Any], ref: str) -> bool:
    node: Any = spec
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or key not in node:
            return False
        node = node[key]
    return True


def unresolved_refs(spec: Mapping[str, Any]) -> list[str]:
    """One line per local $ref that points to nothing, naming where it is."""
    problems = []
    for where, node in _nodes(spec, ""):
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref.startswith("#/") and not _points_to_something(spec, ref):
                problems.append(f"{where}.$ref: {ref!r} points to nothing")
    return problems


# ------------------------------------------------------------ operations


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    paths = spec.get("paths")
    for path, item in (paths if isinstance(paths, Mapping) else {}).items():
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(op, Mapping):
                yield f"paths.{path}.{method}", op


def duplicate_operation_ids(spec: Mapping[str, Any]) -> list[str]:
    """One line per operationId used more than once: the generated functions would collide."""
    seen: dict[str, list[str]] = {}
    for where, op in _operations(spec):
        if "operationId" in op:
            seen.setdefault(str(op["operationId"]), []).append(where)
    return [
        f"operationId {name!r} is used by {' and '.join(places)}"
        for name, places in sorted(seen.items())
        if len(places) > 1
    ]


# ---------------------------------------------------------- error tables


def _check_error_tables(spec: Mapping[str, Any]) -> None:
    """Check every x-error-codes table, named by its own path (read_tables names a table by its operation)."""
    tables = [("x-error-codes", spec.get("x-error-codes"))]
    tables += [(f"{where}.x-error-codes", op.get("x-error-codes")) for where, op in _operations(spec)]
    for where, entries in tables:
        if entries is not None:  # a missing table is reported by read_tables where it is required
            error_codes(entries, where)
