"""Every key of a request body, at every nesting, checked against the spec's request schema.

A key is declared when the schema (through ``$ref``, ``allOf``, the best-fitting ``oneOf``/``anyOf`` branch
and array ``items``) lists it in ``properties``, whatever ``additionalProperties`` says: the generated models
keep unknown keys in ``additional_properties`` and send them, so a field removed from a spec would otherwise
still go out. Only a pure map (``additionalProperties`` schema, no ``properties``) takes any key.
"""

from __future__ import annotations

from typing import Any

from generator.doc_spec import resolve

Schema = dict[str, Any]
MAX_DEPTH = 12


def _alternatives(spec: Schema, node: Any, depth: int = 0) -> list[list[Schema]]:
    """Each way the value may be read: the schemas that hold together (allOf parts and one oneOf branch)."""
    schema = resolve(spec, node)
    alternatives = [[schema]]
    if depth > MAX_DEPTH:
        return alternatives
    for part in schema.get("allOf") or []:
        alternatives = [a + b for a in alternatives for b in _alternatives(spec, part, depth + 1)]
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    if branches:
        alternatives = [
            a + b for a in alternatives for branch in branches for b in _alternatives(spec, branch, depth + 1)
        ]
    return alternatives


def _check(spec: Schema, schemas: list[Schema], value: Any, path: str, depth: int) -> list[str]:
    problems: list[str] = []
    if isinstance(value, dict):
        properties: dict[str, Any] = {}
        for schema in schemas:
            properties = {**(schema.get("properties") or {}), **properties}
        maps = [s["additionalProperties"] for s in schemas if isinstance(s.get("additionalProperties"), dict)]
        for key, sub in value.items():
            here = f"{path}.{key}" if path else key
            if key in properties:
                problems += undeclared(spec, properties[key], sub, here, depth + 1)
            elif maps and not properties:
                problems += undeclared(spec, maps[0], sub, here, depth + 1)
            else:
                problems.append(here)
    elif isinstance(value, list):
        items = next((s["items"] for s in schemas if "items" in s), None)
        for index, sub in enumerate(value):
            if items is not None:
                problems += undeclared(spec, items, sub, f"{path}[{index}]", depth + 1)
    return problems


def undeclared(spec: Schema, node: Any, value: Any, path: str = "", depth: int = 0) -> list[str]:
    """The paths of the keys in ``value`` the schema ``node`` does not declare (best branch of a oneOf)."""
    if depth > MAX_DEPTH * 2:
        return []
    found = [_check(spec, schemas, value, path, depth) for schemas in _alternatives(spec, node)]
    return min(found, key=len)


def count_keys(value: Any) -> int:
    """How many keys a body has at every nesting (what the check looked at)."""
    if isinstance(value, dict):
        return len(value) + sum(count_keys(sub) for sub in value.values())
    if isinstance(value, list):
        return sum(count_keys(sub) for sub in value)
    return 0


def request_schema(spec: Schema, path: str, method: str) -> Any:
    """The JSON request body schema of an operation."""
    operation = spec["paths"][path][method]
    return resolve(spec, operation["requestBody"])["content"]["application/json"]["schema"]
