"""The runner keeps a grouping shipper's adjacent shipments in one batch, past batch_size if need be."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence

import pytest
from shipspec.shipping.capabilities import Grouper
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult


class OrderShipper:
    """Ships batches whole, recording each batch's references; the group is the reference's prefix."""

    carrier = "wechat_shop"
    concurrency = 1

    def __init__(self, batch_size: int = 1) -> None:
        self.batch_size = batch_size
        self.batches: list[list[str]] = []

    def group_of(self, shipment: Shipment) -> str | None:
        order, _, _ = shipment.reference.partition("-")
        return order or None  # "-x": no order

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.batches.append([s.reference for s in shipments])
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return self.ship_batch(shipments)


def stream(*references: str) -> Iterator[Shipment]:
    for reference in references:
        yield Shipment.model_validate({"reference": reference, "carrier": "wechat_shop"})


def by_reference(results: list[ShipmentResult]) -> dict[str, ShipmentResult]:
    assert len({r.reference for r in results}) == len(results)
    return {r.reference: r for r in results}


def test_the_fake_is_a_grouper() -> None:
    assert isinstance(OrderShipper(), Grouper)


@pytest.mark.parametrize(
    ("batch_size", "expected"),
    [
        (1, [["1-a", "1-b", "1-c"], ["2-a"], ["3-a", "3-b"]]),
        (2, [["1-a", "1-b", "1-c"], ["2-a", "3-a", "3-b"]]),
        (4, [["1-a", "1-b", "1-c", "2-a"], ["3-a", "3-b"]]),
    ],
)
def test_adjacent_shipments_of_one_group_share_a_batch(batch_size: int, expected: list[list[str]]) -> None:
    """A group is never split, even past batch_size; a batch closes only between groups."""
    shipper = OrderShipper(batch_size)
    results = list(ship(stream("1-a", "1-b", "1-c", "2-a", "3-a", "3-b"), shippers={"wechat_shop": shipper}))
    assert shipper.batches == expected
    assert {r.status for r in results} == {"shipped"}
    assert len(results) == 6


def test_a_group_split_by_others_in_the_input_still_ships_in_separate_batches() -> None:
    """The carrier takes a split order's packages over several calls: nothing is refused or held back."""
    shipper = OrderShipper()
    results = by_reference(
        list(ship(stream("1-a", "1-b", "2-a", "1-c", "3-a"), shippers={"wechat_shop": shipper}))
    )
    assert shipper.batches == [["1-a", "1-b"], ["2-a"], ["1-c"], ["3-a"]]
    assert {r.status for r in results.values()} == {"shipped"}
    assert len(results) == 5


def test_shipments_without_a_group_are_sent_at_once_and_never_refused() -> None:
    """No group (the shipper will reject it itself): nothing joins it, so it goes without waiting."""
    shipper = OrderShipper()
    seen: list[int] = []

    def watched() -> Iterator[Shipment]:
        for shipment in stream("-x", "1-a", "-y", "-x2"):
            seen.append(len(shipper.batches))
            yield shipment

    results = list(ship(watched(), shippers={"wechat_shop": shipper}))
    assert shipper.batches == [["-x"], ["1-a"], ["-y"], ["-x2"]]
    assert seen[1] == 1  # "-x" was submitted before the next shipment was read
    assert {r.status for r in results} == {"shipped"}


def test_the_async_runner_groups_the_same_way() -> None:
    shipper = OrderShipper()

    async def run() -> list[ShipmentResult]:
        return [r async for r in aship(stream("1-a", "1-b", "2-a", "1-c"), shippers={"wechat_shop": shipper})]

    results = by_reference(asyncio.run(run()))
    assert shipper.batches == [["1-a", "1-b"], ["2-a"], ["1-c"]]
    assert {r.status for r in results.values()} == {"shipped"}
    assert len(results) == 4
