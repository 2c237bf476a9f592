"""Stopping a run waits for the batches still sending at most their deadline (plus a grace); what is still
sending then is handed over ``pending``, with the carrier batch id a shipper noted, never left out."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence

from shipspec.settings import STOP_GRACE_SECONDS
from shipspec.shipping.inflight import note_batch_id
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

GENEROUS = 60.0


class StuckShipper:
    """Notes a batch id, then never finishes a batch (until ``release``), except R-0, which returns once
    every slot is busy."""

    carrier = "deftship"
    batch_size = 1
    concurrency = 3
    deadline_seconds = 0.5

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.busy = 0
        self._lock = threading.Lock()

    def _begin(self, shipments: Sequence[Shipment]) -> None:
        note_batch_id(f"BATCH-{shipments[0].reference}")
        with self._lock:
            self.busy += 1
        self.started.release()

    def _result(self, shipment: Shipment) -> ShipmentResult:
        return ShipmentResult(reference=shipment.reference, carrier=self.carrier, status="shipped")

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self._begin(shipments)
        deadline = time.monotonic() + GENEROUS
        while time.monotonic() < deadline:
            if self.release.is_set() or (shipments[0].reference == "R-0" and self.busy >= self.concurrency):
                break
            time.sleep(0.01)
        return [self._result(s) for s in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self._begin(shipments)
        deadline = time.monotonic() + GENEROUS
        while time.monotonic() < deadline:
            if self.release.is_set() or (shipments[0].reference == "R-0" and self.busy >= self.concurrency):
                break
            await asyncio.sleep(0.01)
        return [self._result(s) for s in shipments]


def stream(count: int) -> Iterator[Shipment]:
    for index in range(count):
        yield Shipment.model_validate({"reference": f"R-{index}", "carrier": "deftship"})


def test_batches_still_sending_past_the_bound_are_handed_over_pending_with_their_batch_id() -> None:
    shipper = StuckShipper()
    heard: list[tuple[int, float | None]] = []
    unclaimed: list[ShipmentResult] = []
    run = ship(
        stream(20),
        shippers={"deftship": shipper},
        on_unclaimed=unclaimed.append,
        on_stopping=lambda batches, bound: heard.append((batches, bound)),
    )
    first = next(run)
    assert first.reference == "R-0"
    began = time.monotonic()
    try:
        run.close()  # the stuck batches are waited for 0.5 + grace seconds, then left
    finally:
        shipper.release.set()
    assert time.monotonic() - began < GENEROUS
    ((busy, bound),) = heard
    assert (busy, bound) == (len(unclaimed), shipper.deadline_seconds + STOP_GRACE_SECONDS)
    assert shipper.concurrency - 1 <= len(unclaimed) <= shipper.concurrency
    assert {r.status for r in unclaimed} == {"pending"}
    assert all(r.batch_id == f"BATCH-{r.reference}" for r in unclaimed)


def test_an_interrupted_wait_hands_them_over_pending_too() -> None:
    """A second Ctrl-C arrives during the wait (here: raised by on_stopping): nothing sent goes missing."""
    shipper = StuckShipper()
    shipper.deadline_seconds = GENEROUS
    unclaimed: list[ShipmentResult] = []

    def interrupted(batches: int, bound: float | None) -> None:
        raise KeyboardInterrupt

    run = ship(
        stream(20), shippers={"deftship": shipper}, on_unclaimed=unclaimed.append, on_stopping=interrupted
    )
    next(run)
    try:
        run.close()
        raise AssertionError("the interruption must reach the caller")
    except KeyboardInterrupt:
        pass
    finally:
        shipper.release.set()
    assert shipper.concurrency - 1 <= len(unclaimed) <= shipper.concurrency  # R-0 came back before
    assert {(r.status, r.batch_id) for r in unclaimed} == {
        ("pending", f"BATCH-{r.reference}") for r in unclaimed
    }


def test_the_async_runner_hands_over_pending_past_the_bound() -> None:
    shipper = StuckShipper()
    unclaimed: list[ShipmentResult] = []

    async def run() -> None:
        results = aship(stream(20), shippers={"deftship": shipper}, on_unclaimed=unclaimed.append)
        await results.__anext__()
        await results.aclose()

    try:
        asyncio.run(asyncio.wait_for(run(), GENEROUS))
    finally:
        shipper.release.set()
    assert shipper.concurrency - 1 <= len(unclaimed) <= shipper.concurrency
    assert {r.status for r in unclaimed} == {"pending"}
    assert all(r.batch_id == f"BATCH-{r.reference}" for r in unclaimed)
