"""No idle tail: a partial batch goes at a ``CarrierEnd`` item, or after ``linger`` seconds of quiet input."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator, Sequence

import pytest
from shipspec.shipping.linger import Buffers
from shipspec.shipping.runner import CarrierEnd, aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

from .test_runner import FakeShipper, shipments

WAIT = 10.0  # generous: how long an input waits for a batch that should be on its way already


class SignallingShipper(FakeShipper):
    """A FakeShipper that says when a batch reached it."""

    def __init__(self, carrier: str, batch_size: int, concurrency: int = 2, pause: float = 0.0) -> None:
        super().__init__(carrier, batch_size=batch_size, concurrency=concurrency, pause=pause)
        self.arrived = threading.Event()

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.arrived.set()
        return super().ship_batch(shipments)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.arrived.set()
        return await super().aship_batch(shipments)


def _quiet_after(
    items: Sequence[Shipment | CarrierEnd], shipper: SignallingShipper
) -> Iterator[Shipment | CarrierEnd]:
    """The items, then an input that goes quiet until the shipper got a batch (or WAIT passes)."""
    yield from items
    shipper.arrived.wait(WAIT)


def test_a_carrier_end_sends_the_partial_batch_at_once() -> None:
    """With no linger, three of ten go as soon as the input says the carrier has no more."""
    deft = SignallingShipper("deftship", batch_size=10)
    stream = _quiet_after([*shipments(3, "deftship"), CarrierEnd("deftship")], deft)
    results = list(ship(stream, shippers={"deftship": deft}, linger=None))
    assert deft.arrived.is_set()
    assert deft.batches == [3]
    assert len(results) == 3


def test_a_shipment_after_its_carrier_end_still_ships_in_a_new_batch() -> None:
    """CarrierEnd is a hint, not a gate: a late shipment is not lost."""
    deft = FakeShipper("deftship", batch_size=10)
    stream: list[Shipment | CarrierEnd] = [*shipments(3, "deftship"), CarrierEnd("deftship")]
    stream += shipments(5, "deftship")[3:]
    results = list(ship(stream, shippers={"deftship": deft}, linger=None))
    assert sorted(deft.batches) == [2, 3]
    assert len(results) == 5


def test_a_quiet_stream_sends_its_partial_batch_after_the_linger() -> None:
    """Three of ten, then nothing: the batch goes after the linger, while the input is still open."""
    deft = SignallingShipper("deftship", batch_size=10)
    results = list(
        ship(_quiet_after(shipments(3, "deftship"), deft), shippers={"deftship": deft}, linger=0.05)
    )
    assert deft.arrived.is_set()
    assert deft.batches == [3]
    assert len(results) == 3


def test_without_linger_a_partial_batch_waits_for_the_end_of_the_input() -> None:
    """linger=None: a quiet input holds the partial batch until the input ends."""
    deft = SignallingShipper("deftship", batch_size=10)
    seen_during_quiet: list[bool] = []

    def stream() -> Iterator[Shipment]:
        yield from shipments(3, "deftship")
        seen_during_quiet.append(deft.arrived.wait(0.3))

    results = list(ship(stream(), shippers={"deftship": deft}, linger=None))
    assert seen_during_quiet == [False]
    assert deft.batches == [3]
    assert len(results) == 3


def test_waiting_for_a_free_slot_does_not_count_as_lingering() -> None:
    """While every slot is busy more rows can still join, so the partial batch grows instead of leaving."""
    slow = FakeShipper("baaship", batch_size=1, concurrency=1, pause=0.3)
    deft = FakeShipper("deftship", batch_size=10)
    deft_rows = shipments(6, "deftship")
    stream = [*deft_rows[:3], *shipments(6, "baaship"), *deft_rows[3:]]
    results = list(ship(stream, shippers={"baaship": slow, "deftship": deft}, linger=0.1))
    assert deft.batches == [6]
    assert len(results) == 12


def test_the_async_runner_honours_carrier_end_and_linger() -> None:
    """aship: a CarrierEnd sends one carrier's partial batch, the linger another's, while the input waits."""
    deft = SignallingShipper("deftship", batch_size=10)
    tiktok = SignallingShipper("tiktok_shop", batch_size=50)

    async def stream() -> AsyncIterator[Shipment | CarrierEnd]:
        items: list[Shipment | CarrierEnd] = [
            *shipments(3, "deftship"),
            CarrierEnd("deftship"),
            *shipments(2, "tiktok_shop"),
        ]
        for item in items:
            yield item
        for _ in range(int(WAIT / 0.01)):
            if deft.arrived.is_set() and tiktok.arrived.is_set():
                return
            await asyncio.sleep(0.01)

    async def run() -> list[ShipmentResult]:
        shippers = {"deftship": deft, "tiktok_shop": tiktok}
        return [result async for result in aship(stream(), shippers=shippers, linger=0.05)]

    results = asyncio.run(run())
    assert deft.batches == [3]
    assert tiktok.batches == [2]
    assert len(results) == 5


def test_buffers_refuse_a_negative_linger() -> None:
    """A linger below zero is a mistake, not "never"."""
    with pytest.raises(ValueError, match="linger"):
        Buffers(-1.0)
