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
import re
import time
from collections.abc import Mapping
from typing import Any

import httpx

from .errors import CarrierError, ResponseDecodeError, carrier_error
from .secrets import redact
from .spec_tables import CarrierTables, OperationEntry

BODY_EXCERPT_CHARS = 200
# Statuses that mean "try again later" even when the body is not the carrier's JSON.
STATUS_KINDS = {401: "auth", 403: "auth", 404: "not_found", 408: "retry", 429: "quota"}

__all__ = ["classify", "classify_json", "decode_error", "dig", "parse_retry_after"]


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


_INTEGER_TEXT = re.compile(r"-?[0-9]{1,30}")  # ASCII digits only: str.isdigit() takes "²" too


def _as_int(value: Any) -> int | None:
    """An envelope code as an int: a JSON integer, or one written as text (some carriers do); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
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


def decode_error(
    carrier: str, operation_id: str, status: int, problem: str, content: bytes
) -> ResponseDecodeError:
    """An answer that is not the documented JSON; the excerpt is masked (a token answer may be what broke)."""
    return ResponseDecodeError(
        problem,
        carrier=carrier,
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
    return classify_json(tables, operation_id, status, headers, content)[0]


def classify_json(
    tables: CarrierTables,
    operation_id: str,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
) -> tuple[CarrierError | ResponseDecodeError | None, Any]:
    """``classify()``'s verdict, and the answer's decoded JSON (None when it is not JSON): a caller that
    keeps it spares the parser decoding the same answer again."""
    try:
        body = json.loads(content) if content.strip() else None
    except (ValueError, RecursionError):  # bad JSON or UTF-8, a number over 4,300 digits, nesting too deep
        body = None
        if status < 400:
            problem = "answer is not valid JSON (HTML page or truncated body?)"
            return decode_error(tables.carrier, operation_id, status, problem, content), None
    if not isinstance(body, Mapping):
        if status < 400:
            # Every documented answer is a JSON object: an empty body is a truncated one.
            problem = "answer is empty" if body is None else "answer is JSON but not an object"
            return decode_error(tables.carrier, operation_id, status, problem, content), body
        error = carrier_error(
            _status_kind(status),
            code=None,
            message=f"HTTP {status}",
            retry_after=parse_retry_after(_header(headers, "retry-after")),
            carrier=tables.carrier,
            operation=operation_id,
            http_status=status,
        )
        return error, body

    envelope = tables.envelope
    code = _as_int(dig(body, envelope.code))
    flag = dig(body, envelope.success_flag)
    flag_failed = envelope.success_flag is not None and flag is False
    code_failed = code is not None and bool(envelope.success_codes) and code not in envelope.success_codes
    if not flag_failed and not code_failed and status < 400:
        # A success: no Retry-After to read (looking it up in the headers was a share of every call's cost).
        undocumented = tables.answer_problem(operation_id, status, body)
        if undocumented is None:
            return None, body
        return decode_error(tables.carrier, operation_id, status, undocumented, content), body

    return _failure(tables, operation_id, status, headers, body, code, flag_failed), body


def _failure(
    tables: CarrierTables,
    operation_id: str,
    status: int,
    headers: Mapping[str, str],
    body: Mapping[str, Any],
    code: int | None,
    flag_failed: bool,
) -> CarrierError:
    """The typed error of a failure envelope (or of an HTTP error status with a JSON object body)."""
    envelope = tables.envelope
    operation = tables.operations.get(operation_id)
    retry_after = parse_retry_after(_header(headers, "retry-after"))
    base: dict[str, Any] = {"carrier": tables.carrier, "operation": operation_id, "http_status": status}
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
