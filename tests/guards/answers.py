"""Hypothesis strategies for carrier answers: documented bodies, near misses, and plain garbage.

A body is drawn from the operation's success shape (``shipspec_<carrier>.guards.ANSWERS``), and at every
node it may instead be any JSON value, so most bodies are a documented answer with a few things wrong.
Raw bytes, deep nesting, numbers past Python's 4,300-digit limit and text that only looks like a number
are mixed in, and the status is 200 most of the time, otherwise anything a server may send.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from hypothesis import strategies as st

__all__ = ["answers"]

STATUSES = (
    200,
    200,
    200,
    200,
    201,
    202,
    204,
    301,
    302,
    304,
    400,
    401,
    403,
    404,
    408,
    409,
    429,
    500,
    502,
    503,
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["", "0", "--1", "\u00b2", "\u0661\u0662\u0663", "-0", "1e3", "true", "null"]),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
ODD_BYTES = st.one_of(
    st.binary(max_size=40),
    st.integers(min_value=5_000, max_value=20_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(min_value=4_301, max_value=6_000).map(lambda digits: b'{"code": ' + b"9" * digits + b"}"),
    st.sampled_from([b"", b"NaN", b'{"code": NaN}', b"<html>502</html>", b'{"errcode": 0, "errmsg": "ok",}']),
)


def _node_value(node: Mapping[str, Any], depth: int) -> st.SearchStrategy[Any]:
    """Values the node documents (the strategy stays small: arrays of at most 2, short text)."""
    if "any" in node:
        return st.one_of([_body(branch, depth + 1) for branch in node["any"]])
    declared = node.get("t")
    if "e" in node:
        return st.sampled_from(list(node["e"]))
    if declared == "object":
        properties: Mapping[str, Mapping[str, Any]] = node.get("p", {})
        required = set(node.get("r", ()))
        fixed = {name: _body(child, depth + 1) for name, child in properties.items() if name in required}
        optional = {
            name: _body(child, depth + 1) for name, child in properties.items() if name not in required
        }
        return st.fixed_dictionaries(fixed, optional=optional)
    if declared == "array":
        return st.lists(_body(node.get("i", {}), depth + 1), max_size=2)
    if declared == "integer":
        return st.integers(
            min_value=max(node.get("min", -(2**40)), -(2**40)), max_value=min(node.get("max", 2**40), 2**40)
        )
    if declared == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if declared == "boolean":
        return st.booleans()
    if declared == "string":
        return st.text(min_size=node.get("ml", 0), max_size=max(node.get("ml", 0), 6))
    return ANY_JSON


def _body(node: Mapping[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A documented value, or (one time in eight at each node) any JSON value in its place."""
    if depth > 6:
        return ANY_JSON
    documented = _node_value(node, depth)
    return st.one_of(documented, documented, documented, ANY_JSON)


@cache
def answers(carrier: str, operation_id: str) -> st.SearchStrategy[tuple[int, bytes]]:
    """(status, body bytes) for one operation: mostly near-documented JSON, sometimes raw bytes."""
    guards = importlib.import_module(f"shipspec_{carrier}.guards")
    node = guards.ANSWERS[operation_id].get(200) or {}
    as_json = _body(node).map(lambda value: json.dumps(value).encode())
    bodies = st.one_of(as_json, as_json, as_json, ODD_BYTES)
    return st.tuples(st.sampled_from(STATUSES), bodies)
