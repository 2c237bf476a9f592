"""Turn one HTTP answer into "fine" or a typed error, using the generated tables of its carrier.

Business errors hide inside HTTP 200 envelopes (TikTok ``code``, WeChat ``errcode``, Baaship
``success``/``code``, DeftShip ``success``); the envelope shape and every documented code come from the spec,
so this module holds no carrier-specific knowledge. HTML pages, truncated JSON and unknown enum values become
typed errors here, before the generated parser could raise a bare ``ValueError``.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from collections.abc import Mapping
from typing import Any

import httpx

from .errors import CarrierError, ResponseDecodeError, carrier_error
from .secrets import redact
from .spec_tables import CarrierTables, FieldRuleEntry, OperationEntry

BODY_EXCERPT_CHARS = 200
# Statuses that mean "try again later" even when the body is not the carrier's JSON.
STATUS_KINDS = {401: "auth", 403: "auth", 404: "not_found", 408: "retry", 429: "quota"}

__all__ = ["classify", "dig", "parse_retry_after"]


def dig(body: Any, dotted: str | None) -> Any:
    """Return the value at a dotted path, or None when any step is missing."""
    if dotted is None:
        return None
    node = body
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" parses naive; HTTP dates are always GMT, never local time
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name (httpx.Headers already is; a plain dict may not be)."""
    value = headers.get(name)
    if value is not None or isinstance(headers, httpx.Headers):
        return value  # httpx.Headers: absent in any case (scanning it again cost more than the lookup)
    return next((v for k, v in headers.items() if k.lower() == name), None)


def _status_kind(status: int) -> str:
    if status >= 500:
        return "retry"
    return STATUS_KINDS.get(status, "invalid_request")


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def _code_less_kind(
    operation: OperationEntry | None, body: Mapping[str, Any], message: str
) -> tuple[str, str | None]:
    """Match a failure without a code (DeftShip) against the operation's documented messages."""
    normalised = " ".join(message.split())
    for entry in operation.error_messages if operation else ():
        if entry.message is not None and " ".join(entry.message.split()) == normalised:
            return entry.kind, entry.name
        if entry.contains is not None and entry.contains.lower() in message.lower():
            return entry.kind, entry.name
        if entry.data_field is not None and dig(body, entry.data_field) is not None:
            return entry.kind, entry.name
    return "unknown", None


def _unknown_enum(operation: OperationEntry | None, body: Any) -> str | None:
    """Describe the first enum value in the body the spec does not list, or None."""
    for path, allowed in operation.response_enums.items() if operation else ():
        for value in _values_at(body, path.split(".")):
            if value is not None and value not in allowed:
                return f"unknown value {value!r} at {path} (documented: {', '.join(allowed)})"
    return None


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (Mapping,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "number": (int, float),
    "integer": (int,),
}


def _type_problem(rule: FieldRuleEntry, value: Any) -> str | None:
    if value is None:
        # The generated parsers read null as "absent" for scalars, but call from_dict on objects and lists.
        needs_value = rule.type in ("object", "array") or rule.required
        return None if rule.nullable or not needs_value else f"{rule.path} is null"
    if rule.type is None:
        return None
    if rule.type in ("integer", "number") and isinstance(value, bool):
        return f"{rule.path} is true/false, documented {rule.type}"
    if rule.type == "integer" and isinstance(value, str) and _as_int(value) is not None:
        return None  # a number sent as text, as some carriers do: read leniently, like the envelope code
    if not isinstance(value, _JSON_TYPES.get(rule.type, (object,))):
        return f"{rule.path} is {type(value).__name__}, documented {rule.type}"
    return None


def _rule_problem(rule: FieldRuleEntry, body: Any) -> str | None:
    parent_path, _, name = rule.path.rpartition(".")
    parents = _values_at(body, parent_path.split(".")) if parent_path else [body]
    for parent in parents:
        if not isinstance(parent, Mapping):
            continue  # the parent's own rule reports a wrong type
        if name not in parent:
            if rule.required:
                return f"required field {rule.path} is missing"
            continue
        problem = _type_problem(rule, parent[name])
        if problem is not None:
            return problem
    return None


def _shape_problem(operation: OperationEntry | None, body: Any) -> str | None:
    """Why the body fits none of the documented shapes of the operation's 200 answer (None: it fits one)."""
    shapes = operation.response_shapes if operation else ()
    first: str | None = None
    for rules in shapes:
        problem = next((p for rule in rules if (p := _rule_problem(rule, body)) is not None), None)
        if problem is None:
            return None
        first = first or problem
    return None if first is None else f"answer is not the documented shape: {first}"


def _values_at(node: Any, parts: list[str]) -> list[Any]:
    if not parts:
        return [node]
    head, rest = parts[0], parts[1:]
    is_list = head.endswith("[]")
    key = head.removesuffix("[]")
    if not isinstance(node, Mapping) or key not in node:
        return []
    child = node[key]
    if not is_list:
        return _values_at(child, rest)
    if not isinstance(child, list):
        return []
    return [value for item in child for value in _values_at(item, rest)]


def _decode_error(
    tables: CarrierTables, operation_id: str, status: int, problem: str, content: bytes
) -> ResponseDecodeError:
    """An answer that is not the documented JSON; the excerpt is masked (a token answer may be what broke)."""
    return ResponseDecodeError(
        problem,
        carrier=tables.carrier,
        operation=operation_id,
        http_status=status,
        body_excerpt=redact(content[:BODY_EXCERPT_CHARS].decode("utf-8", "replace")),
    )


def classify(
    tables: CarrierTables,
    operation_id: str,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
) -> CarrierError | ResponseDecodeError | None:
    """Return the error an answer means, or None when it is a success the generated parser can read."""
    operation = tables.operations.get(operation_id)
    retry_after = parse_retry_after(_header(headers, "retry-after"))
    base: dict[str, Any] = {"carrier": tables.carrier, "operation": operation_id, "http_status": status}
    try:
        body = json.loads(content) if content.strip() else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
        if status < 400:
            problem = "answer is not valid JSON (HTML page or truncated body?)"
            return _decode_error(tables, operation_id, status, problem, content)
    if not isinstance(body, Mapping):
        if status < 400:
            # Every documented answer is a JSON object: an empty body is a truncated one.
            problem = "answer is empty" if body is None else "answer is JSON but not an object"
            return _decode_error(tables, operation_id, status, problem, content)
        return carrier_error(
            _status_kind(status), code=None, message=f"HTTP {status}", retry_after=retry_after, **base
        )

    envelope = tables.envelope
    code = _as_int(dig(body, envelope.code))
    flag = dig(body, envelope.success_flag)
    flag_failed = envelope.success_flag is not None and flag is False
    code_failed = code is not None and bool(envelope.success_codes) and code not in envelope.success_codes
    if not flag_failed and not code_failed and status < 400:
        undocumented = _shape_problem(operation, body) or _unknown_enum(operation, body)
        if undocumented is None:
            return None
        return _decode_error(tables, operation_id, status, undocumented, content)

    message = str(dig(body, envelope.message) or "")
    request_id_value = dig(body, envelope.request_id)
    request_id = str(request_id_value) if request_id_value is not None else None
    entry = tables.lookup(operation_id, code) if code is not None else None
    kind: str
    name: str | None
    documented: str | None
    short_term = entry is not None and entry.short_term
    if entry is not None:
        kind, name, documented = entry.kind_for(message), entry.name, entry.message
    elif code is None and (flag_failed or status < 400):
        (kind, name), documented = _code_less_kind(operation, body, message), None
    else:
        kind, name, documented = "unknown", None, None
    if kind == "unknown" and name is None and status >= 400:
        kind = _status_kind(status)  # nothing documented matched: the HTTP status says more than "unknown"
    if status == 429 and kind not in ("quota", "retry"):
        kind = "quota"  # the HTTP layer said "too many requests" whatever the body's code
    return carrier_error(
        kind,
        code=code,
        message=redact(message) or f"HTTP {status}",
        request_id=request_id,
        name=name,
        documented_message=documented,
        retry_after=retry_after,
        short_term=short_term,
        **base,
    )
