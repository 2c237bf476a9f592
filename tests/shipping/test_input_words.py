"""Bad input is worded for people, physical quantities must be above 0, and numbers are taken exactly."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from shipspec.cli.rows import read_rows
from shipspec.errors import InputError
from shipspec.shipping.intake import accepted
from shipspec.shipping.problems import PATTERN_WORDS
from shipspec.shipping.runner import ship
from shipspec_shipping_models import Shipment, ShipmentResult

SPEC = Path(__file__).resolve().parents[2] / "specs" / "shipping.yaml"
ABOVE_ZERO = "must be a decimal number greater than 0, e.g. 1.25"


class Keeper:
    """A shipper that keeps what it was given and ships it."""

    carrier = "baaship"
    batch_size = 10
    concurrency = 1

    def __init__(self) -> None:
        self.given: list[Shipment] = []

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.given += shipments
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return self.ship_batch(shipments)


def parcel(weight: Any, side: Any = "10") -> dict[str, Any]:
    sides = {"length": side, "width": "10", "height": "10", "unit": "cm"}
    return {"weight": {"value": weight, "unit": "kg"}, "dimensions": sides}


def shipped(items: list[dict[str, Any]]) -> tuple[list[ShipmentResult], Keeper]:
    keeper = Keeper()
    return list(ship(items, shippers={"baaship": keeper})), keeper


@pytest.mark.parametrize(("weight", "side"), [("0", "10"), ("0.000", "10"), ("1", "0"), ("-1", "10")])
def test_a_weight_or_side_of_zero_or_less_fails_in_words(weight: str, side: str) -> None:
    """A parcel weighing 0 (or with a side of 0) is refused with words, not a regular expression."""
    [result], keeper = shipped(
        [{"reference": "Z-1", "carrier": "baaship", "parcels": [parcel(weight, side)]}]
    )
    assert keeper.given == []
    assert result.error is not None
    assert ABOVE_ZERO in result.error.message
    assert "pattern" not in result.error.message
    assert "parcels[0]." in result.error.message


def test_python_numbers_are_accepted_and_kept_exact() -> None:
    """int, float and Decimal become the decimal text they stand for, with no float rounding."""
    items = [
        {"reference": "N-1", "carrier": "baaship", "parcels": [parcel(Decimal("1.50"), 12)]},
        {"reference": "N-2", "carrier": "baaship", "parcels": [parcel(0.1, Decimal("1E+1"))]},
        {"reference": "N-3", "carrier": "baaship", "parcels": [parcel(1e-7, 2.5)]},
    ]
    results, keeper = shipped(items)
    assert [r.status for r in results] == ["shipped"] * 3
    kept = [(s.parcels[0].weight.value, s.parcels[0].dimensions.length) for s in keeper.given]  # type: ignore[index,union-attr]
    assert kept == [("1.50", "12"), ("0.1", "10"), ("0.0000001", "2.5")]


def test_jsonl_numbers_are_read_exactly(tmp_path: Path) -> None:
    """JSON numbers in JSONL: 1.10 stays "1.10", a 64-bit id keeps every digit, NaN is refused in words."""
    path = tmp_path / "o.jsonl"
    good = {"reference": "J-1", "carrier": "baaship", "platform": {"order_id": 1152921504606846977}}
    lines = [
        json.dumps(good)[:-1] + ', "parcels": [{"weight": {"value": 1.10, "unit": "kg"}}]}',
        '{"reference": "J-2", "carrier": "baaship", "parcels": [{"weight": {"value": NaN, "unit": "kg"}}]}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = read_rows(path)
    assert first.shipment is not None
    assert first.shipment.parcels is not None
    assert first.shipment.parcels[0].weight.value == "1.10"
    assert first.shipment.platform is not None
    assert first.shipment.platform.order_id == "1152921504606846977"
    assert second.problems == {"parcels[0].weight.value": ABOVE_ZERO}


def test_jsonl_syntax_errors_name_the_column_of_the_problem(tmp_path: Path) -> None:
    """The column is where the JSON goes wrong in that line (the second comma, the 43rd character)."""
    path = tmp_path / "o.jsonl"
    path.write_text('{"reference": "J-3", "carrier": "baaship",, "x": 1}\n', encoding="utf-8")
    [row] = read_rows(path)
    assert row.problems == {"": "invalid JSON: Expecting property name enclosed in double quotes (column 43)"}


def test_a_line_that_stops_early_is_named_at_its_end_not_column_1(tmp_path: Path) -> None:
    """A JSONL line missing its closing brace: the column is where the line ends (json saw the newline)."""
    path = tmp_path / "o.jsonl"
    line = '{"reference": "J-4", "carrier": "baaship"'
    path.write_text(f"{line}\r\n", encoding="utf-8")
    [row] = read_rows(path)
    expected = f"invalid JSON: Expecting ',' delimiter (at the end of the line, column {len(line) + 1})"
    assert row.problems == {"": expected}


def test_unnamed_bad_input_raises_with_bracketed_paths() -> None:
    """A mapping naming no reference raises InputError; its paths use the same [0] style."""
    with pytest.raises(InputError) as caught:
        shipped([{"carrier": "baaship", "parcels": [parcel("heavy")]}])
    assert caught.value.problems["shipments[0].parcels[0].weight.value"] == ABOVE_ZERO
    assert caught.value.problems["shipments[0].reference"] == "is required"


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


def test_every_pattern_of_the_model_has_words() -> None:
    """No constraint of specs/shipping.yaml falls back to showing its regular expression."""
    patterns = _patterns(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    assert patterns
    assert patterns <= set(PATTERN_WORDS)


@pytest.mark.parametrize("flag", [True, False])
def test_a_boolean_is_no_quantity(flag: bool) -> None:
    """pydantic reads True as 1; a shipment mapping saying ``quantity: true`` is refused with its path."""
    result = accepted(
        {"reference": "B-1", "carrier": "baaship", "items": [{"name": "x", "quantity": flag}]}, 0
    )
    assert isinstance(result, ShipmentResult)
    assert result.error is not None
    assert "items[0].quantity" in result.error.message
