"""The batch runner: one result per input, batching, bounded concurrency and memory, failures contained."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from shipspec.errors import AuthError
from shipspec.shipping.runner import READ_AHEAD_SHIPMENTS, aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult


class FakeShipper:
    """Ships everything after a short pause, recording batch sizes and peak concurrency."""

    def __init__(self, carrier: str, batch_size: int = 1, concurrency: int = 2, pause: float = 0.0) -> None:
        self.carrier = carrier
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.pause = pause
        self.batches: list[int] = []
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()

    def _enter(self, size: int) -> None:
        with self._lock:
            self.batches.append(size)
            self.active += 1
            self.peak = max(self.peak, self.active)

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1

    @staticmethod
    def _shipped(batch: Sequence[Shipment]) -> list[ShipmentResult]:
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in batch]

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self._enter(len(shipments))
        time.sleep(self.pause)
        self._leave()
        return self._shipped(shipments)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self._enter(len(shipments))
        await asyncio.sleep(self.pause)
        self._leave()
        return self._shipped(shipments)


class BrokenShipper(FakeShipper):
    """Raises a typed error for every batch."""

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        raise AuthError(carrier=self.carrier, operation="ship", code=1001, message="Token incorrect")


class ForgetfulShipper(FakeShipper):
    """Returns results for all but the last shipment of each batch (breaks the contract)."""

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return self._shipped(shipments)[:-1]


def shipments(count: int, carrier: str = "baaship") -> list[Shipment]:
    return [
        Shipment.model_validate({"reference": f"{carrier}-{i}", "carrier": carrier}) for i in range(count)
    ]


def test_every_shipment_gets_exactly_one_result_across_carriers() -> None:
    """Mixed carriers are routed to their shippers and every input comes back once."""
    fakes = {"baaship": FakeShipper("baaship"), "deftship": FakeShipper("deftship", batch_size=7)}
    inputs = shipments(20, "baaship") + shipments(30, "deftship")
    results = list(ship(inputs, shippers=fakes))
    assert sorted(r.reference for r in results) == sorted(s.reference for s in inputs)
    assert {r.status for r in results} == {"shipped"}


def test_batches_follow_the_shippers_batch_size() -> None:
    """Shipments are grouped into batches of batch_size, the last one shorter."""
    fake = FakeShipper("deftship", batch_size=7)
    list(ship(shipments(30, "deftship"), shippers={"deftship": fake}))
    assert sorted(fake.batches, reverse=True) == [7, 7, 7, 7, 2]


def test_concurrency_per_carrier_is_bounded() -> None:
    """No more than `concurrency` batches of one carrier run at once."""
    fake = FakeShipper("baaship", concurrency=3, pause=0.01)
    list(ship(shipments(40), shippers={"baaship": fake}))
    assert 1 < fake.peak <= 3


def test_input_is_streamed_not_loaded_whole() -> None:
    """The runner pulls only a bounded number of shipments ahead of the results it has yielded (small
    batches: up to ``READ_AHEAD_SHIPMENTS`` waiting for a slot), however long the input."""
    fake = FakeShipper("baaship", concurrency=2, pause=0.001)
    pulled = 0

    def endless() -> Iterator[Shipment]:
        nonlocal pulled
        for index in range(100_000):
            pulled += 1
            yield Shipment(reference=f"r{index}", carrier="baaship")

    results = ship(endless(), shippers={"baaship": fake})
    ahead = 0
    for yielded, _ in enumerate(results, start=1):
        ahead = max(ahead, pulled - yielded)
        if yielded == 3 * READ_AHEAD_SHIPMENTS:
            break
    results.close()
    assert ahead <= READ_AHEAD_SHIPMENTS + 1


def test_a_raising_shipper_fails_its_items_and_the_rest_still_ship() -> None:
    """A shipper that raises gives failed results with the typed error's kind; other carriers go on."""
    fakes = {"baaship": BrokenShipper("baaship"), "deftship": FakeShipper("deftship")}
    results = list(ship(shipments(3, "baaship") + shipments(3, "deftship"), shippers=fakes))
    by_carrier = {r.carrier: r for r in results}
    failure = by_carrier["baaship"]
    assert failure.status == "failed"
    assert failure.error is not None
    assert (failure.error.kind, failure.error.code) == ("auth", "1001")
    assert by_carrier["deftship"].status == "shipped"
    assert len(results) == 6


def test_a_shipper_breaking_the_contract_cannot_lose_a_shipment() -> None:
    """A missing result becomes a failed one, so no input goes unanswered."""
    results = list(ship(shipments(4), shippers={"baaship": ForgetfulShipper("baaship", batch_size=2)}))
    assert len(results) == 4
    assert sorted(r.status for r in results) == ["failed", "failed", "shipped", "shipped"]


def test_a_carrier_restriction_fails_other_carriers() -> None:
    """With carrier=..., shipments for another carrier fail with invalid_request, naming the field."""
    results = list(ship(shipments(1, "deftship"), carrier="baaship", shippers={}))
    assert results[0].status == "failed"
    assert results[0].error is not None
    assert results[0].error.kind == "invalid_request"
    assert "carrier" in results[0].error.message


def test_missing_settings_fail_clearly_without_aborting() -> None:
    """A carrier without credentials gives failed results naming the missing setting."""
    results = list(ship(shipments(2, "deftship"), settings={"deftship": {}}))
    assert [r.status for r in results] == ["failed", "failed"]
    assert results[0].error is not None
    assert "api_token" in results[0].error.message or "base_url" in results[0].error.message


def test_async_runner_gives_the_same_guarantees() -> None:
    """aship: one result per input, batches by batch_size, bounded concurrency, async inputs accepted."""
    fake = FakeShipper("deftship", batch_size=5, concurrency=2, pause=0.005)

    async def source() -> Iterator[Shipment]:  # type: ignore[misc]
        for shipment in shipments(23, "deftship"):
            yield shipment

    async def run() -> list[ShipmentResult]:
        return [result async for result in aship(source(), shippers={"deftship": fake})]

    results = asyncio.run(run())
    assert len(results) == 23
    assert sorted(fake.batches, reverse=True) == [5, 5, 5, 5, 3]
    assert fake.peak <= 2


@pytest.mark.parametrize("count", [0, 1])
def test_empty_and_single_inputs(count: int) -> None:
    """No input gives no result; one input gives one."""
    assert len(list(ship(shipments(count), shippers={"baaship": FakeShipper("baaship")}))) == count
