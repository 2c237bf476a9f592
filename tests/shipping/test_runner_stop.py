"""Stopping a run early never hides a shipment: batches already sending are waited for and handed over."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator, Sequence

import pytest
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult


class SlowShipper:
    """One shipment per batch. R-0 returns once every slot is busy; the others wait for ``release``."""

    carrier = "baaship"
    batch_size = 1

    def __init__(self, concurrency: int = 3) -> None:
        self.concurrency = concurrency
        self.release = threading.Event()
        self.busy = threading.Semaphore(0)  # one count per batch started
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def _all_slots_busy(self) -> bool:
        return all(self.busy.acquire(timeout=5) for _ in range(self.concurrency))

    def _ship(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        with self._lock:
            self.sent += [s.reference for s in shipments]
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.busy.release()
        if shipments[0].reference == "R-0":
            assert self._all_slots_busy()
        else:
            self.release.wait(5)
        return self._ship(shipments)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.busy.release()
        if shipments[0].reference == "R-0":
            while self.busy._value < self.concurrency:  # every slot busy
                await asyncio.sleep(0.01)
        else:
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        return self._ship(shipments)


def stream(count: int) -> Iterator[Shipment]:
    for index in range(count):
        yield Shipment.model_validate({"reference": f"R-{index}", "carrier": "baaship"})


def test_leaving_the_loop_hands_over_the_batches_already_sending() -> None:
    shipper = SlowShipper()
    unclaimed: list[ShipmentResult] = []
    run = ship(stream(50), shippers={"baaship": shipper}, on_unclaimed=unclaimed.append)
    first = next(run)
    shipper.release.set()
    run.close()
    assert first.reference == "R-0"
    claimed = {first.reference} | {r.reference for r in unclaimed}
    assert claimed == set(shipper.sent)  # every shipment that went out is reported, once
    assert len(claimed) == len(shipper.sent)
    assert shipper.concurrency <= len(shipper.sent) < 50  # batches not started were never sent


def test_without_a_receiver_late_results_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    shipper = SlowShipper()
    with caplog.at_level(logging.WARNING, logger="shipspec"):
        run = ship(stream(10), shippers={"baaship": shipper})
        next(run)
        shipper.release.set()
        run.close()
    logged = [r.getMessage() for r in caplog.records if "not read by the caller" in r.getMessage()]
    assert len(logged) == len(shipper.sent) - 1 >= shipper.concurrency - 1
    assert all("baaship R-" in line and "shipped" in line for line in logged)


def test_the_async_runner_waits_for_sending_batches_and_cancels_the_rest() -> None:
    shipper = SlowShipper(concurrency=2)
    unclaimed: list[ShipmentResult] = []

    async def run() -> ShipmentResult:
        results = aship(stream(50), shippers={"baaship": shipper}, on_unclaimed=unclaimed.append)
        first = await results.__anext__()
        shipper.release.set()
        await results.aclose()
        return first

    first = asyncio.run(run())
    claimed = {first.reference} | {r.reference for r in unclaimed}
    assert claimed == set(shipper.sent)
    assert shipper.concurrency <= len(shipper.sent) < 50
