"""Read the specs' ``x-`` extensions (see specs/CONVENTIONS.md) into plain data for our templates.

openapi-python-client does not pass extensions to its templates, so we read the YAML ourselves. Anything
malformed raises ``SpecError`` naming the spec path, so a typo cannot silently drop an error code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .response_shapes import FieldRule, response_shapes
from .response_shapes import resolve as _resolve

KINDS = frozenset(
    {
        "retry",
        "refresh_token",
        "already_done",
        "invalid_request",
        "not_allowed",
        "not_found",
        "auth",
        "quota",
        "unknown",
    }
)
STRATEGIES = frozenset({"safe", "natural_key", "already_done_code", "state_check", "unsafe"})
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class SpecError(ValueError):
    """A spec breaks the conventions; the message names the spec location."""


@dataclass(frozen=True)
class MessageRule:
    contains: str
    kind: str


@dataclass(frozen=True)
class ErrorCode:
    code: int
    name: str
    message: str
    kind: str
    note: str | None
    message_rules: tuple[MessageRule, ...]
    short_term: bool = False


@dataclass(frozen=True)
class ErrorMessage:
    name: str
    kind: str
    note: str | None
    message: str | None
    contains: str | None
    data_field: str | None


@dataclass(frozen=True)
class Limit:
    name: str
    value: int | float | None
    unit: str | None
    applies_to: tuple[str, ...]
    description: str
    unknown: bool


@dataclass(frozen=True)
class Idempotency:
    strategy: str
    key: str | None
    codes: tuple[int, ...]
    via: str | None
    note: str


@dataclass(frozen=True)
class PartialSuccess:
    path: str
    item_key: str


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    servers: tuple[str, ...]
    security: tuple[tuple[str, ...], ...]
    idempotency: Idempotency
    partial_success: PartialSuccess | None
    error_codes: tuple[ErrorCode, ...]
    error_messages: tuple[ErrorMessage, ...]
    response_enums: tuple[tuple[str, tuple[str, ...]], ...]
    parameters: tuple[Parameter, ...]
    response_shapes: tuple[tuple[FieldRule, ...], ...] = ()


@dataclass(frozen=True)
class AuthScheme:
    name: str
    type: str
    location: str | None
    parameter: str | None
    scheme: str | None


@dataclass(frozen=True)
class Envelope:
    code: str | None
    success_codes: tuple[int, ...]
    success_flag: str | None
    message: str | None
    request_id: str | None


@dataclass(frozen=True)
class CarrierTables:
    carrier: str
    title: str
    version: str
    servers: tuple[str, ...]
    envelope: Envelope
    auth_schemes: tuple[AuthScheme, ...]
    error_codes: tuple[ErrorCode, ...]
    limits: tuple[Limit, ...]
    operations: tuple[Operation, ...]
    product_codes: tuple[Mapping[str, Any], ...] = field(default=())


def load_spec(path: Path) -> dict[str, Any]:
    """Parse a YAML spec into a dict."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise SpecError(f"{path}: not a mapping at the top level")
    return data


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise SpecError(f"{where}: missing {key!r}")
    return mapping[key]


def _kind(value: Any, where: str) -> str:
    if value not in KINDS:
        raise SpecError(f"{where}: kind {value!r} is not one of {sorted(KINDS)}")
    return str(value)


def error_codes(entries: Any, where: str) -> tuple[ErrorCode, ...]:
    """Read an ``x-error-codes`` table at ``where``; a defect is a SpecError naming the entry's field path.

    The one check of error entries: ``spec_check`` runs it on every table before anything reads the spec.
    """
    if not isinstance(entries, list):
        raise SpecError(f"{where}: must be a list of error code entries")
    codes: list[ErrorCode] = []
    seen: dict[tuple[str, Any], str] = {}
    for index, entry in enumerate(entries):
        here = f"{where}[{index}]"
        code = _error_code(entry, here)
        for key, value in (("code", code.code), ("name", code.name)):
            if (key, value) in seen:
                raise SpecError(
                    f"{here}.{key}: {value!r} is already used by {seen[key, value]} (a duplicate)"
                )
            seen[key, value] = here
        codes.append(code)
    return tuple(codes)


def _error_code(entry: Any, here: str) -> ErrorCode:
    if not isinstance(entry, Mapping):
        raise SpecError(f"{here}: expected a mapping with code, name, message and kind, got {entry!r}")
    for key in ("code", "name", "message", "kind"):
        if key not in entry:
            raise SpecError(f"{here}: missing {key!r}")
    code, name = entry["code"], entry["name"]
    if not isinstance(code, int) or isinstance(code, bool):
        raise SpecError(f"{here}.code: must be an integer, got {code!r}")
    if not isinstance(name, str) or not name.isidentifier() or name.upper() != name:
        raise SpecError(f"{here}.name: {name!r} must be UPPER_SNAKE")
    if entry["kind"] not in KINDS:
        raise SpecError(f"{here}.kind: {entry['kind']!r} is not one of {sorted(KINDS)}")
    short_term = entry.get("short_term", False)
    if not isinstance(short_term, bool) or (short_term and entry["kind"] != "quota"):
        raise SpecError(f"{here}.short_term: true/false, and only on kind quota")
    return ErrorCode(
        code=code,
        name=name,
        message=" ".join(str(entry["message"]).split()),
        kind=str(entry["kind"]),
        note=" ".join(str(entry["note"]).split()) if entry.get("note") else None,
        message_rules=_message_rules(entry.get("message_rules"), f"{here}.message_rules"),
        short_term=short_term,
    )


def _message_rules(rules: Any, where: str) -> tuple[MessageRule, ...]:
    if rules is None:
        return ()
    if not isinstance(rules, list):
        raise SpecError(f"{where}: must be a list")
    found = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, Mapping):
            raise SpecError(f"{where}[{index}]: expected a mapping, got {rule!r}")
        if "contains" not in rule:
            raise SpecError(f"{where}[{index}]: missing 'contains'")
        if rule.get("kind") not in KINDS:
            raise SpecError(f"{where}[{index}].kind: {rule.get('kind')!r} is not one of {sorted(KINDS)}")
        found.append(MessageRule(contains=str(rule["contains"]), kind=str(rule["kind"])))
    return tuple(found)


def _error_messages(entries: Any, where: str) -> tuple[ErrorMessage, ...]:
    messages = []
    for index, entry in enumerate(entries or ()):
        here = f"{where}.x-error-messages[{index}]"
        if not isinstance(entry, Mapping):
            raise SpecError(f"{here}: expected a mapping, got {entry!r}")
        matchers = [key for key in ("message", "contains", "data_field") if entry.get(key)]
        if len(matchers) != 1:
            raise SpecError(f"{here}: needs exactly one of message, contains, data_field; has {matchers}")
        messages.append(
            ErrorMessage(
                name=str(_require(entry, "name", here)),
                kind=_kind(entry.get("kind"), here),
                note=" ".join(str(entry["note"]).split()) if entry.get("note") else None,
                message=" ".join(str(entry["message"]).split()) if entry.get("message") else None,
                contains=str(entry["contains"]) if entry.get("contains") else None,
                data_field=str(entry["data_field"]) if entry.get("data_field") else None,
            )
        )
    return tuple(messages)


def _idempotency(entry: Any, where: str) -> Idempotency:
    if not isinstance(entry, Mapping):
        raise SpecError(f"{where}: x-idempotency must be a mapping")
    strategy = entry.get("strategy")
    if strategy not in STRATEGIES:
        raise SpecError(f"{where}: strategy {strategy!r} is not one of {sorted(STRATEGIES)}")
    codes = tuple(int(code) for code in entry.get("codes") or ())
    if strategy == "natural_key" and not entry.get("key"):
        raise SpecError(f"{where}: natural_key needs a key")
    if strategy == "already_done_code" and not codes:
        raise SpecError(f"{where}: already_done_code needs codes")
    if strategy == "state_check" and not entry.get("via"):
        raise SpecError(f"{where}: state_check needs via")
    return Idempotency(
        strategy=str(strategy),
        key=str(entry["key"]) if entry.get("key") else None,
        codes=codes,
        via=str(entry["via"]) if entry.get("via") else None,
        note=" ".join(str(entry.get("note", "")).split()),
    )


def _limits(entries: Any) -> tuple[Limit, ...]:
    limits = []
    for index, entry in enumerate(entries or ()):
        here = f"x-limits[{index}]"
        value = entry.get("value")
        unknown = bool(entry.get("unknown", False))
        if value is None and not unknown:
            raise SpecError(f"{here}: a limit without a value must say unknown: true")
        limits.append(
            Limit(
                name=str(_require(entry, "name", here)),
                value=value,
                unit=entry.get("unit"),
                applies_to=tuple(str(op) for op in entry.get("applies_to") or ()),
                description=" ".join(str(entry.get("description", "")).split()),
                unknown=unknown,
            )
        )
    names = [limit.name for limit in limits]
    if len(names) != len(set(names)):
        raise SpecError(f"x-limits: duplicate names in {names}")
    return tuple(limits)


def _auth_schemes(spec: Mapping[str, Any]) -> tuple[AuthScheme, ...]:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    return tuple(
        AuthScheme(
            name=name,
            type=str(scheme.get("type")),
            location=scheme.get("in"),
            parameter=scheme.get("name"),
            scheme=scheme.get("scheme"),
        )
        for name, scheme in sorted(schemes.items())
    )


def _security(requirements: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(requirement)) for requirement in requirements or ())


def _operations(spec: Mapping[str, Any]) -> tuple[Operation, ...]:
    operations = []
    root_security = spec.get("security")
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            where = f"paths.{path}.{method}"
            partial = op.get("x-partial-success")
            operations.append(
                Operation(
                    operation_id=str(_require(op, "operationId", where)),
                    method=method.upper(),
                    path=path,
                    servers=tuple(str(s["url"]) for s in op.get("servers") or item.get("servers") or ()),
                    security=_security(op.get("security", root_security)),
                    idempotency=_idempotency(_require(op, "x-idempotency", where), where),
                    partial_success=PartialSuccess(
                        path=str(_require(partial, "path", where)),
                        item_key=str(_require(partial, "item_key", where)),
                    )
                    if partial
                    else None,
                    error_codes=error_codes(_require(op, "x-error-codes", where), where),
                    error_messages=_error_messages(op.get("x-error-messages"), where),
                    response_enums=_response_enums(spec, op),
                    parameters=_parameters(spec, item, op),
                    response_shapes=response_shapes(spec, op),
                )
            )
    return tuple(sorted(operations, key=lambda op: op.operation_id))


def _enum_paths(
    spec: Mapping[str, Any], schema: Mapping[str, Any], path: str, found: dict[str, set[str]], depth: int = 0
) -> None:
    """Collect dotted paths (``[]`` for array items) of closed string enums under a response schema."""
    if depth > 20:  # recursive schemas: deep enough for any envelope here
        return
    schema = _resolve(spec, schema)
    if "enum" in schema:
        found.setdefault(path, set()).update(str(value) for value in schema["enum"] if value is not None)
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            _enum_paths(spec, branch, path, found, depth + 1)
    for name, child in (schema.get("properties") or {}).items():
        _enum_paths(spec, child, f"{path}.{name}" if path else name, found, depth + 1)
    if "items" in schema:
        _enum_paths(spec, schema["items"], f"{path}[]", found, depth + 1)


def _response_enums(
    spec: Mapping[str, Any], op: Mapping[str, Any]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found: dict[str, set[str]] = {}
    response = _resolve(spec, (op.get("responses") or {}).get("200") or {})
    for media in (response.get("content") or {}).values():
        if "schema" in media:
            _enum_paths(spec, media["schema"], "", found)
    return tuple((path, tuple(sorted(values))) for path, values in sorted(found.items()))


def _parameters(
    spec: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]
) -> tuple[Parameter, ...]:
    """The operation's parameters (path-level ones included, operation-level ones winning), sorted."""
    found: dict[tuple[str, str], Parameter] = {}
    for raw in [*(item.get("parameters") or ()), *(op.get("parameters") or ())]:
        param = _resolve(spec, raw)
        name, location = str(param["name"]), str(param["in"])
        found[(location, name)] = Parameter(name, location, bool(param.get("required", location == "path")))
    return tuple(found[key] for key in sorted(found))


def _envelope(entry: Any) -> Envelope:
    if not isinstance(entry, Mapping):
        raise SpecError("x-envelope: missing or not a mapping")
    return Envelope(
        code=entry.get("code"),
        success_codes=tuple(int(code) for code in entry.get("success_codes") or ()),
        success_flag=entry.get("success_flag"),
        message=entry.get("message"),
        request_id=entry.get("request_id"),
    )


def read_tables(spec: Mapping[str, Any]) -> CarrierTables:
    """Collect everything our templates render from one carrier spec."""
    info = _require(spec, "info", "root")
    return CarrierTables(
        carrier=str(_require(info, "x-carrier", "info")),
        title=str(info.get("title", "")),
        version=str(_require(info, "version", "info")),
        servers=tuple(str(server["url"]) for server in spec.get("servers") or ()),
        envelope=_envelope(spec.get("x-envelope")),
        auth_schemes=_auth_schemes(spec),
        error_codes=error_codes(spec.get("x-error-codes") or [], "x-error-codes"),
        limits=_limits(spec.get("x-limits")),
        operations=_operations(spec),
        product_codes=tuple(spec.get("x-product-codes") or ()),
    )
