"""The runner reads on past a busy carrier's rows, so another carrier's batch fills and starts meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

from .test_runner import FakeShipper

ROWS_EACH = 50


class Timeline:
    """What happened, in order: each per-item shipment done, each batch started."""

    def __init__(self) -> None:
        self.done_before_batch: list[int] = []
        self.done = 0
        self.lock = threading.Lock()


class SlowItems(FakeShipper):
    """One shipment per call, one call at a time, each taking a while: the busy carrier."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__("baaship", batch_size=1, concurrency=1, pause=0.01)
        self.timeline = timeline

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        results = super().ship_batch(shipments)
        with self.timeline.lock:
            self.timeline.done += 1
        return results

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        results = await super().aship_batch(shipments)
        self.timeline.done += 1
        return results


class Batches(FakeShipper):
    """Batches of every row of its carrier: it can start only once its last row was read."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__("deftship", batch_size=ROWS_EACH, concurrency=2)
        self.timeline = timeline

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        with self.timeline.lock:
            self.timeline.done_before_batch.append(self.timeline.done)
        return super().ship_batch(shipments)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.timeline.done_before_batch.append(self.timeline.done)
        return await super().aship_batch(shipments)


def _interleaved() -> list[Shipment]:
    rows = []
    for index in range(ROWS_EACH):
        rows.append(Shipment(reference=f"b{index}", carrier="baaship"))
        rows.append(Shipment(reference=f"d{index}", carrier="deftship"))
    return rows


def test_a_batch_starts_while_a_busy_carrier_works_through_its_rows() -> None:
    """The batch's last row comes after 49 rows of a one-at-a-time carrier, yet it starts before most of
    them are done: the runner read past them instead of waiting for their slot."""
    timeline = Timeline()
    shippers = {"baaship": SlowItems(timeline), "deftship": Batches(timeline)}
    results = list(ship(_interleaved(), shippers=shippers))
    assert len(results) == 2 * ROWS_EACH
    assert len(timeline.done_before_batch) == 1
    assert timeline.done_before_batch[0] < ROWS_EACH // 2


def test_the_async_runner_reads_ahead_too() -> None:
    """``aship`` starts the batch before most of the busy carrier's rows are done, as ``ship`` does."""
    timeline = Timeline()
    shippers = {"baaship": SlowItems(timeline), "deftship": Batches(timeline)}

    async def run() -> int:
        return len([result async for result in aship(_interleaved(), shippers=shippers)])

    assert asyncio.run(run()) == 2 * ROWS_EACH
    assert len(timeline.done_before_batch) == 1
    assert timeline.done_before_batch[0] < ROWS_EACH // 2
