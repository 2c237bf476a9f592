"""Numbers given where the Shipment model wants text (weights, amounts, ids) become that text, exactly.

The model keeps quantities as decimal strings so nothing is rounded on the way in (``specs/shipping.yaml``).
People still write ``1.25`` in JSONL and pass ``int``/``float``/``Decimal`` from Python, which pydantic
refuses with "Input should be a valid string". Before validation, each number that stands where the model's
JSON schema says ``string`` is written as plain decimal text: a ``Decimal`` as it is (``Decimal("1.50")`` →
``"1.50"``, never an exponent), a ``float`` as its shortest round-trip form (``0.1`` → ``"0.1"``), an ``int``
as its digits (a 64-bit id survives). The pattern then decides whether the value is acceptable, so ``-1``,
``0`` and NaN get the same words as ``"-1"``. Booleans are not numbers here: where the model wants a number,
``True`` is passed on as the text ``"true"`` so that it is refused (pydantic would read it as 1).

The schema walk (``model_schema``, ``resolve``) also serves the CSV reader, which checks its header with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from shipspec_shipping_models import Shipment

__all__ = ["exact_text", "model_schema", "resolve", "with_numbers_as_text"]


@cache
def model_schema() -> dict[str, Any]:
    """The Shipment model's JSON schema (made once)."""
    return Shipment.model_json_schema()


def resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref`` and step into the non-null branch of ``anyOf`` (optional fields)."""
    while True:
        if "$ref" in node:
            node = model_schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            branches = [b for b in node["anyOf"] if b.get("type") != "null"]
            if len(branches) != 1:
                return node
            node = branches[0]
        else:
            return node


def exact_text(number: int | float | Decimal) -> str:
    """A number as plain decimal text with no rounding (non-finite ones as Python writes them)."""
    if isinstance(number, int):
        return str(number)
    exact = number if isinstance(number, Decimal) else Decimal(repr(number))
    return format(exact, "f") if exact.is_finite() else str(number)


def with_numbers_as_text(data: Any, node: Mapping[str, Any] | None = None) -> Any:
    """``data`` (a shipment mapping) with every number that stands where the schema wants text as text.

    Mappings and lists are copied (the caller's data is never changed); anything else is returned as it is.
    """
    schema = resolve(model_schema() if node is None else node)
    if isinstance(data, Mapping):
        fields = schema.get("properties")
        if not isinstance(fields, Mapping):
            return data
        return {
            key: with_numbers_as_text(value, fields[key]) if key in fields else value
            for key, value in data.items()
        }
    if isinstance(data, list) and schema.get("type") == "array":
        return [with_numbers_as_text(item, schema["items"]) for item in data]
    if isinstance(data, bool):
        return str(data).lower() if schema.get("type") in ("integer", "number") else data
    if isinstance(data, int | float | Decimal) and schema.get("type") == "string":
        return exact_text(data)
    return data
