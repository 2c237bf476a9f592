"""DeftShip sandbox rules: the asynchronous item validation and the field-keyed validation answers.

Both produce Laravel-style error bags, ``{"<dotted.field>": ["message", …]}``: DeftShip's general note
(ecommerce parcels page, vendor-facts §3.1) says a failed request's ``data`` may hold validation errors
keyed by field, and its Laravel pagination shows the framework. The message texts are not published; they
follow Laravel's wording and are the sandbox's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from shipspec_deftship.limits import MAX_IDS_PER_REMOVE, MAX_ITEMS_PER_BATCH

from ..app import Problem

__all__ = [
    "ErrorBag",
    "field_errors",
    "item_field_errors",
    "label_count",
    "merged",
    "reference_of",
    "shipment_errors",
    "summary_message",
]

ErrorBag = dict[str, list[str]]

STATE_COUNTRIES = ("US", "CA")  # state required for these (create-batch table: "No*, required for US/CA")
TELEPHONE = re.compile(r"\d{10,15}")  # "avoid special characters; 10 to 15 digits"
ITEM_FIELDS = ("quantity", "price", "country_of_manufacture", "sku", "hs_code", "description", "content_type")
ARRAY_LIMITS = {"batch_shipments": MAX_ITEMS_PER_BATCH, "batch_shipment_ids": MAX_IDS_PER_REMOVE}
REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property$")
NOT_OF_TYPE = re.compile(r"is not of type (?P<type>.+)$")


def _add(bag: ErrorBag, key: str, message: str) -> None:
    bag.setdefault(key, []).append(message)


def _attribute(key: str) -> str:
    """Laravel's display name of a field: underscores become spaces."""
    return key.replace("_", " ")


def _check_address(bag: ErrorBag, prefix: str, address: Mapping[str, Any]) -> None:
    country = str(address.get("country") or "").upper()
    if country in STATE_COUNTRIES and not address.get("state"):
        _add(
            bag,
            f"{prefix}.state",
            f"The {_attribute(prefix)}.state field is required when country is {country}.",
        )
    telephone = address.get("telephone")
    if telephone is not None and not TELEPHONE.fullmatch(str(telephone)):
        _add(
            bag,
            f"{prefix}.telephone",
            f"The {_attribute(prefix)}.telephone must be 10 to 15 digits without special characters.",
        )


def _check_package(bag: ErrorBag, prefix: str, package: Mapping[str, Any], international: bool) -> None:
    if not isinstance(package.get("count"), int) or package["count"] < 1:
        _add(bag, f"{prefix}.count", f"The {_attribute(prefix)}.count must be at least 1.")
    for dimension in ("length", "width", "height", "weight"):
        value = package.get(dimension)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            _add(
                bag, f"{prefix}.{dimension}", f"The {_attribute(prefix)}.{dimension} must be greater than 0."
            )
    items = package.get("items") or []
    if not items and package.get("insurance") is True:
        _add(
            bag,
            f"{prefix}.items",
            f"The {_attribute(prefix)}.items field is required when insurance is true.",
        )
    elif not items and international:
        _add(
            bag,
            f"{prefix}.items",
            f"The {_attribute(prefix)}.items field is required for international shipments.",
        )
    for index, item in enumerate(items):
        for name in ITEM_FIELDS:
            if isinstance(item, Mapping) and item.get(name) in (None, ""):
                key = f"{prefix}.items.{index}.{name}"
                _add(bag, key, f"The {_attribute(key)} field is required when items are present.")


def shipment_errors(shipment: Mapping[str, Any]) -> ErrorBag:
    """The asynchronous checks of one batch item, keyed by field; empty when the item is valid.

    These are the documented rules the spec's schema cannot say (x-conditional-required, digit-only
    telephones, positive sizes), so the item is accepted at creation and turns ``invalid`` during validation.
    Saved addresses (``from_address_id``) are not simulated: any id is taken as a saved US address.
    """
    bag: ErrorBag = {}
    to_address = shipment.get("to_address") or {}
    from_address = shipment.get("from_address")
    if shipment.get("from_address_id") is None:
        if not isinstance(from_address, Mapping):
            _add(
                bag, "from_address", "The from address field is required when from address id is not present."
            )
        else:
            _check_address(bag, "from_address", from_address)
    _check_address(bag, "to_address", to_address)
    sender_country = "US" if shipment.get("from_address_id") is not None else None
    if sender_country is None and isinstance(from_address, Mapping):
        sender_country = str(from_address.get("country") or "").upper() or None
    receiver_country = str(to_address.get("country") or "").upper()
    international = sender_country is not None and receiver_country not in ("", sender_country)
    packages = shipment.get("package_list") or []
    if not packages:
        _add(bag, "package_list", "The package list must have at least 1 item.")
    for index, package in enumerate(packages):
        _check_package(bag, f"package_list.{index}", package, international)
    return bag


def label_count(shipment: Mapping[str, Any]) -> int:
    """Labels one item prints: one per piece (``count``) of every package line, at least one.

    A line whose count is no positive integer counts once (the item turns invalid during validation).
    """
    packages = shipment.get("package_list")
    lines = [p for p in packages if isinstance(p, Mapping)] if isinstance(packages, list) else []
    counts = [p.get("count") for p in lines]
    return max(1, sum(c if isinstance(c, int) and not isinstance(c, bool) and c > 0 else 1 for c in counts))


def reference_of(shipment: Mapping[str, Any]) -> str | None:
    """The caller's reference of an item: ``package_list[0].reference_1``, when given."""
    packages: Sequence[Any] = shipment.get("package_list") or []
    first = packages[0] if isinstance(packages, list) and packages else None
    reference = first.get("reference_1") if isinstance(first, Mapping) else None
    return str(reference) if reference else None


def item_field_errors(problems: Sequence[Problem], index: int) -> ErrorBag:
    """The spec problems inside ``batch_shipments[index]`` as the item's error bag (keys relative to it)."""
    prefix = f"batch_shipments.{index}"
    own = [
        Problem(problem.path.removeprefix(prefix).removeprefix("."), problem.message, problem.keyword)
        for problem in problems
        if problem.path == prefix or problem.path.startswith(prefix + ".")
    ]
    return field_errors(own, "item")


def merged(first: ErrorBag, second: ErrorBag) -> ErrorBag:
    """Two error bags as one, each message once per field."""
    bag: ErrorBag = {key: list(found) for key, found in first.items()}
    for key, found in second.items():
        for message in found:
            if message not in bag.get(key, []):
                _add(bag, key, message)
    return bag


def _problem_key(problem: Problem, operation_id: str) -> str:
    match = REQUIRED.match(problem.message) if problem.keyword == "required" else None
    if match is not None:
        return f"{problem.path}.{match['name']}" if problem.path else match["name"]
    if problem.keyword == "additionalProperties":
        unexpected = re.search(r"'(?P<name>[^']+)' (was|were) unexpected", problem.message)
        if unexpected is not None:
            return f"{problem.path}.{unexpected['name']}".lstrip(".")
    if problem.path:
        return problem.path
    # openapi-core reports query-parameter problems without a path; getBatch's only query parameter is status.
    return "status" if operation_id == "getBatch" else "body"


def _problem_text(problem: Problem, key: str) -> str:
    attribute = _attribute(key)
    if problem.keyword == "required" or problem.message == "Missing required request body":
        return f"The {attribute} field is required."
    if problem.keyword == "maxItems":
        limit = ARRAY_LIMITS.get(key.rsplit(".", 1)[-1])
        return (
            f"The {attribute} field must not have more than {limit} items."
            if limit is not None
            else f"The {attribute} field has too many items."
        )
    if problem.keyword in ("maxLength", "minLength"):
        return f"The {attribute} field is too {'long' if problem.keyword == 'maxLength' else 'short'}."
    if problem.keyword == "enum":
        return f"The selected {attribute} is invalid."
    if problem.keyword == "additionalProperties":
        return f"The {attribute} field is not allowed."
    match = NOT_OF_TYPE.search(problem.message)
    if problem.keyword == "type" and match is not None:
        return f"The {attribute} field must be of type {match['type'].strip(chr(39))}."
    return f"The {attribute} field is invalid."  # jsonschema's own text can quote the whole (large) value


def field_errors(problems: Sequence[Problem], operation_id: str) -> ErrorBag:
    """Turn spec-validation problems into a Laravel error bag keyed by dotted field path."""
    bag: ErrorBag = {}
    for problem in problems:
        key = _problem_key(problem, operation_id)
        text = _problem_text(problem, key)
        if text not in bag.get(key, []):
            _add(bag, key, text)
    return bag


def summary_message(bag: Mapping[str, list[str]]) -> str:
    """Laravel's top-level message: the first error, plus "(and N more errors)"."""
    messages = [message for found in bag.values() for message in found]
    if not messages:
        return "The given data was invalid."
    more = len(messages) - 1
    return messages[0] if more == 0 else f"{messages[0]} (and {more} more error{'s' if more > 1 else ''})"
