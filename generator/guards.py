"""The spec's constraints in both directions, as plain data the generated packages check values against.

openapi-python-client's functions send whatever they are given and trust whatever comes back. From each
operation we take the schema of every parameter and of the JSON request body (what may be sent) and of
each documented 2xx JSON answer (what may come back), resolve ``$ref``s, merge ``allOf``s and keep only the
keywords the generated ``checks.py`` understands. The result is rendered into ``guards.py`` of the
carrier's package by ``templates/guards.py.j2``; ``templates/checks.py.j2`` is the checker itself.

A node is a dict with short keys (absent = no constraint): ``t`` JSON type, ``n`` nullable, ``p``
properties, ``r`` required names, ``x`` names that must not appear (``x-forbidden-properties``: a known
wrong shape, e.g. a legacy envelope that would otherwise read as success), ``i`` array items, ``lo``/``hi``
item counts, ``ml``/``xl`` string lengths, ``re`` pattern, ``e`` enum, ``min``/``max`` (and ``emin``/``emax``
exclusive) number bounds, ``any`` alternatives (``oneOf``/``anyOf``: at least one must hold), ``seg`` a
value that becomes one URL path segment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .response_shapes import resolve

__all__ = ["OperationGuard", "operation_guards", "render_guard_modules"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
MAX_DEPTH = 12  # deeper than any schema here; a recursive schema stops checking below it
# JSON integers go through int64 at every carrier (and in most JSON tools): an integer with no format is
# held to int64 too, so 2**63 is refused before it is sent instead of wrapped or rejected by the carrier.
INTEGER_RANGES = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    None: (-(2**63), 2**63 - 1),
}


@dataclass(frozen=True)
class OperationGuard:
    operation_id: str
    route: str  # "METHOD /path": how the generated endpoint modules name the operation
    parameters: tuple[tuple[str, str, bool, dict[str, Any]], ...]  # (name, location, required, node)
    body: dict[str, Any] | None  # the JSON request body's node; None: the operation sends no JSON body
    body_required: bool
    answers: tuple[tuple[int, dict[str, Any] | None], ...]  # (documented 2xx status, node or None)
    successes: tuple[tuple[int, dict[str, Any] | None], ...]  # the same, success alternative only


def _merge_all_of(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """One schema from a schema and its ``allOf`` branches (properties and required merged)."""
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    for branch in schema.get("allOf") or ():
        part = _merge_all_of(spec, resolve(spec, branch))
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**(merged.get("properties") or {}), **value}
            elif key == "required":
                merged["required"] = [*(merged.get("required") or ()), *value]
            elif key == "nullable":
                merged["nullable"] = bool(merged.get("nullable")) or bool(value)
            else:
                merged.setdefault(key, value)
    return merged


def node(spec: Mapping[str, Any], schema: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """The checker's node for one schema."""
    schema = _merge_all_of(spec, resolve(spec, schema))
    out: dict[str, Any] = {}
    if depth > MAX_DEPTH:
        return out
    declared = schema.get("type")
    if isinstance(declared, str):
        out["t"] = declared
    if schema.get("nullable"):
        out["n"] = True
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        out["any"] = tuple(node(spec, branch, depth + 1) for branch in branches)
    if "enum" in schema:
        out["e"] = tuple(value for value in schema["enum"] if value is not None)
        if None in schema["enum"]:
            out["n"] = True
    for key, short in (("minLength", "ml"), ("maxLength", "xl"), ("minItems", "lo"), ("maxItems", "hi")):
        if key in schema:
            out[short] = int(schema[key])
    if "pattern" in schema:
        out["re"] = str(schema["pattern"])
    for key, short in (("minimum", "min"), ("maximum", "max")):
        if key in schema:
            exclusive = schema.get(f"exclusive{key.capitalize()}") is True
            out[("e" if exclusive else "") + short] = schema[key]
    if declared == "integer":
        low, high = INTEGER_RANGES.get(schema.get("format"), INTEGER_RANGES[None])
        if "min" not in out and "emin" not in out:
            out["min"] = low
        if "max" not in out and "emax" not in out:
            out["max"] = high
    properties = schema.get("properties") or {}
    if properties:
        out["p"] = {name: node(spec, properties[name], depth + 1) for name in sorted(properties)}
    if schema.get("required"):
        out["r"] = tuple(sorted(set(schema["required"])))
    if schema.get("x-forbidden-properties"):
        out["x"] = tuple(sorted(schema["x-forbidden-properties"]))
    if "items" in schema:
        out["i"] = node(spec, schema["items"], depth + 1)
    return out


def _parameters(
    spec: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]
) -> tuple[tuple[str, str, bool, dict[str, Any]], ...]:
    found: dict[tuple[str, str], tuple[str, str, bool, dict[str, Any]]] = {}
    for raw in [*(item.get("parameters") or ()), *(op.get("parameters") or ())]:
        param = resolve(spec, raw)
        name, location = str(param["name"]), str(param["in"])
        checked = node(spec, param.get("schema") or {})
        if location == "path":
            checked["seg"] = True
        # A parameter the wired client's auth adds (x-supplied-by: auth, TikTok's shop_cipher) is optional to
        # the caller, as in the generated function's signature (generator/build.py client_view).
        required = bool(param.get("required", location == "path")) and param.get("x-supplied-by") != "auth"
        found[(location, name)] = (name, location, required, checked)
    return tuple(found[key] for key in sorted(found))


def _json_schema(spec: Mapping[str, Any], holder: Mapping[str, Any]) -> dict[str, Any] | None:
    media = (resolve(spec, holder).get("content") or {}).get("application/json") or {}
    return node(spec, media["schema"]) if "schema" in media else None


def _success(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The success form of an answer: the first alternative of a top-level oneOf/anyOf (the specs list the
    success envelope first, before the failure envelope a success body would also satisfy)."""
    if answer is not None and "any" in answer and not answer.keys() - {"any", "n"}:
        return dict(answer["any"][0])
    return answer


def _answers(spec: Mapping[str, Any], op: Mapping[str, Any]) -> tuple[tuple[int, dict[str, Any] | None], ...]:
    found = []
    for status, response in sorted((op.get("responses") or {}).items(), key=lambda pair: str(pair[0])):
        if str(status).isdigit() and 200 <= int(status) < 300:
            found.append((int(status), _json_schema(spec, response)))
    return tuple(found)


def operation_guards(spec: Mapping[str, Any]) -> tuple[OperationGuard, ...]:
    """Every operation's request and answer nodes, sorted by operationId."""
    guards = []
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = resolve(spec, op.get("requestBody") or {})
            guards.append(
                OperationGuard(
                    operation_id=str(op["operationId"]),
                    route=f"{method.upper()} {path}",
                    parameters=_parameters(spec, item, op),
                    body=_json_schema(spec, body) if body else None,
                    body_required=bool(body.get("required")),
                    answers=_answers(spec, op),
                    successes=tuple((status, _success(answer)) for status, answer in _answers(spec, op)),
                )
            )
    return tuple(sorted(guards, key=lambda guard: guard.operation_id))


def render_guard_modules(spec: Mapping[str, Any], package_dir: Path) -> None:
    """Write ``guards.py`` (the tables) and ``checks.py`` (the checker) into a carrier's generated package."""
    from .render import environment

    info = spec.get("info") or {}
    context = {
        "carrier": str(info.get("x-carrier", "")),
        "title": str(info.get("title", "")),
        "guards": operation_guards(spec),
    }
    env = environment()
    for module in ("guards.py", "checks.py"):
        (package_dir / module).write_text(
            env.get_template(f"{module}.j2").render(**context), encoding="utf-8"
        )
