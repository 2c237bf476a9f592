"""The runner takes Shipments or plain mappings; a bad mapping fails with field paths, alone."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from shipspec.errors import InputError
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult


class Recorder:
    carrier = "baaship"
    batch_size = 1
    concurrency = 1

    def __init__(self) -> None:
        self.sent: list[str] = []

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.sent += [s.reference for s in shipments]
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return self.ship_batch(shipments)


ITEMS: list[Any] = [
    {"reference": "M-1", "carrier": "baaship"},
    {"reference": "M-2", "carrier": "baaship", "parcels": [{"weight": {"value": "heavy", "unit": "kg"}}]},
    Shipment.model_validate({"reference": "S-3", "carrier": "baaship"}),
]


def check(results: list[ShipmentResult], recorder: Recorder) -> None:
    by_reference = {r.reference: r for r in results}
    assert recorder.sent == ["M-1", "S-3"]
    assert by_reference["M-1"].status == by_reference["S-3"].status == "shipped"
    bad = by_reference["M-2"]
    assert bad.status == "failed"
    assert bad.error is not None
    assert bad.error.kind == "invalid_request"
    assert "parcels[0].weight.value: must be a decimal number greater than 0" in bad.error.message


def test_mappings_are_validated_and_a_bad_one_fails_alone() -> None:
    recorder = Recorder()
    check(list(ship(ITEMS, shippers={"baaship": recorder})), recorder)


def test_the_async_runner_takes_mappings_too() -> None:
    recorder = Recorder()

    async def run() -> list[ShipmentResult]:
        return [r async for r in aship(ITEMS, shippers={"baaship": recorder})]

    check(asyncio.run(run()), recorder)


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ("not a shipment", "shipments[1]"),
        ({"reference": "X", "carrier": "fedex"}, "shipments[1].carrier"),
        ({"carrier": "baaship"}, "shipments[1].reference"),
    ],
)
def test_an_item_that_cannot_be_reported_raises_naming_its_position(item: Any, path: str) -> None:
    recorder = Recorder()
    with pytest.raises(InputError) as raised:
        list(ship([{"reference": "OK-0", "carrier": "baaship"}, item], shippers={"baaship": recorder}))
    assert path in raised.value.problems
