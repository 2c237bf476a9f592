"""The vocabulary of the breaking-change report: the Change record, its error, the schema keywords it
reads and the small readers every comparison uses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Side = Literal["request", "response"]


JSON_MEDIA = "application/json"
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


class SpecDiffError(Exception):
    """A spec cannot be loaded or compared."""


@dataclass(frozen=True)
class Change:
    """One reported difference between two specs."""

    kind: str
    location: str
    breaking: bool
    detail: str


def as_map(node: Any) -> Mapping[str, Any]:
    """The node if it is a mapping, else an empty one (specs are user input)."""
    return node if isinstance(node, Mapping) else {}


def as_list(node: Any) -> list[Any]:
    """The node if it is a list, else an empty one."""
    return node if isinstance(node, list) else []


def is_number(value: Any) -> bool:
    """True for ints and floats, not for booleans."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def show(value: Any) -> str:
    """A value as the report prints it (stable JSON)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def join_location(where: str, what: str) -> str:
    """A location followed by a detail of it, if any."""
    return f"{where} {what}" if what else where


def policy_of(node: Any) -> dict[str, Any]:
    """A policy object without its top-level prose keys."""
    return {k: v for k, v in as_map(node).items() if k not in PROSE_KEYS}


def strip_prose(node: Any) -> Any:
    """A policy object without its prose keys, at any depth."""
    if isinstance(node, Mapping):
        return {str(k): strip_prose(v) for k, v in node.items() if k not in PROSE_KEYS}
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    return node


def by_name(entries: Any) -> dict[str, Mapping[str, Any]]:
    """Named entries (limits, failures) keyed by name."""
    return {str(entry.get("name")): entry for entry in as_list(entries) if isinstance(entry, Mapping)}


def rules_of(node: Mapping[str, Any]) -> frozenset[str]:
    """The cross-field rules of an object or operation, each as comparable text."""
    return frozenset(f"{key} {show(policy_of(rule))}" for key in RULE_KEYS for rule in as_list(node.get(key)))
