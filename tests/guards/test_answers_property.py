"""Property: whatever a carrier answers, a wired ``sync`` returns its documented success or a typed error.

For every operation of every carrier, 10,000 seeded answers (near-documented JSON, garbage bytes, deep
nesting, 5,000-digit numbers, any status) go through the operation's wired generated ``sync``. It either
returns an instance of its success model, and then the answer was a documented success (HTTP 200, the
envelope says success, the body validates against the spec's success schema with an independent
validator), or it raises ``ResponseDecodeError`` or a ``CarrierError`` subclass: never another exception.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator
from shipspec.classify import dig
from shipspec.errors import CarrierError, ResponseDecodeError
from shipspec.settings import instant_backoff

from .answers import answers
from .calls import CALLS, Call, success_schema, wired_client
from .seeded import SEEDED

_INTEGER_TEXT = "0123456789"


class _Answers:
    """The answer the in-process carrier gives next (one per example)."""

    def __init__(self) -> None:
        self.status = 200
        self.content = b""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, content=self.content)


@pytest.fixture(autouse=True, scope="module")
def _instant() -> Iterator[None]:
    with instant_backoff():
        yield


def _leniently(schema: Mapping[str, Any], value: Any) -> Any:
    """The body as the runtime documents reading it: integers sent as text are integers, a null optional
    scalar is absent (README "Errors"). Everything else is left for the validator to judge."""
    if isinstance(value, str) and schema.get("type") == "integer":
        digits = value.removeprefix("-")
        if digits and all(ch in _INTEGER_TEXT for ch in digits) and len(digits) < 30:
            return int(value)
    if isinstance(value, dict) and isinstance(schema.get("properties"), Mapping):
        required = set(schema.get("required") or ())
        properties: Mapping[str, Any] = schema["properties"]
        out = {}
        for key, item in value.items():
            child = properties.get(key)
            if child is None:
                out[key] = item
                continue
            child = _effective(child)
            if item is None and key not in required and child.get("type") not in ("object", "array"):
                continue
            out[key] = _leniently(child, item)
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [_leniently(_effective(schema["items"]), item) for item in value]
    return value


def _effective(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    branches: list[Mapping[str, Any]] = list(schema.get("allOf") or ())
    if len(branches) == 1 and "type" not in schema:
        return {**branches[0], **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema


def _documented_success(call: Call, status: int, content: bytes) -> str | None:
    """Why this answer is not a documented success (None: it is one), judged without shipspec's checker."""
    if status != 200:
        return f"HTTP {status}"
    body = json.loads(content)
    envelope = importlib.import_module(f"shipspec_{call.carrier}.operations").ENVELOPE
    code = dig(body, envelope.code)
    if envelope.code is not None and code is not None:
        number = _leniently({"type": "integer"}, code)
        if isinstance(number, int) and not isinstance(number, bool) and number not in envelope.success_codes:
            return f"envelope code {code!r}"
    if envelope.success_flag is not None and dig(body, envelope.success_flag) is False:
        return "envelope flag false"
    schema = success_schema(call.carrier, call.operation_id)
    errors = list(OAS30Validator(schema).iter_errors(_leniently(schema, body)))
    return str(errors[0].message) if errors else None


ANSWER = _Answers()
CLIENTS = {carrier: wired_client(carrier, ANSWER) for carrier in sorted({call.carrier for call in CALLS})}


@SEEDED
@given(st.data())
def test_every_answer_is_the_success_model_or_a_typed_error(data: st.DataObject) -> None:
    """10,000 answers over every operation: a success object only for a documented success, else typed."""
    call = data.draw(st.sampled_from(CALLS), label="operation")
    ANSWER.status, ANSWER.content = data.draw(answers(call.carrier, call.operation_id), label="answer")
    try:
        returned = call.run(CLIENTS[call.carrier])
    except (ResponseDecodeError, CarrierError):
        return
    assert isinstance(returned, call.success_type())
    problem = _documented_success(call, ANSWER.status, ANSWER.content)
    assert problem is None, f"{call.operation_id} returned {type(returned).__name__} for {problem}"
