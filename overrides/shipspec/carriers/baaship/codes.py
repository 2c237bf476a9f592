"""Baaship facts the generated tables do not carry: product codes with their limits, and field lengths.

Both are read from the spec that ``shipspec_baaship`` ships (``openapi.yaml``), so they change with the spec
and never drift from it: ``x-product-codes`` (direction, COD flag, weight and value limits) and each request
schema's documented lengths (``maxLength`` on strings, ``x-field-length`` on Number fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Literal

import yaml

__all__ = ["Product", "field_limits", "product"]

Direction = Literal["forward", "reverse"]


@dataclass(frozen=True)
class Product:
    """A documented product code; ``None`` where the doc gives nothing (the COD codes have no limits)."""

    code: str
    direction: Direction | None
    cod: bool
    max_weight_kg: Decimal | None
    max_value: Decimal | None
    max_value_currency: str | None


@cache
def _spec() -> Mapping[str, Any]:
    text = (files("shipspec_baaship") / "openapi.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there: 10x faster
    spec: Mapping[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader either way
    return spec


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@cache
def _products() -> Mapping[str, Product]:
    found: dict[str, Product] = {}
    for entry in _spec()["x-product-codes"]:
        value = entry.get("max_value") or {}
        direction = entry.get("type")
        found[str(entry["code"])] = Product(
            code=str(entry["code"]),
            direction=direction if direction in ("forward", "reverse") else None,
            cod=bool(entry.get("cod")),
            max_weight_kg=_decimal(entry.get("max_weight_kg")),
            max_value=_decimal(value.get("amount")),
            max_value_currency=value.get("currency"),
        )
    return MappingProxyType(found)


def product(code: str) -> Product | None:
    """The documented product with this code, or None (the full list is not published: not an error)."""
    return _products().get(code)


@cache
def field_limits(schema: str) -> Mapping[str, int]:
    """Documented length of each field of a request schema (e.g. ``"Sender"``): text length, in characters.

    Strings carry ``maxLength``; Number fields, sent as numeric text, carry ``x-field-length``.
    """
    properties = _spec()["components"]["schemas"][schema]["properties"]
    limits = {
        name: int(rule.get("maxLength", rule.get("x-field-length")))
        for name, rule in properties.items()
        if "maxLength" in rule or "x-field-length" in rule
    }
    return MappingProxyType(limits)
