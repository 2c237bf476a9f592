"""Every result is handed over: a batch's results the caller did not read yet, and the shipments already
sent when the input itself raises (sync and async)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from shipspec.errors import InputError
from shipspec.shipping.runner import aship, ship
from shipspec.shipping.workers import Workers
from shipspec_shipping_models import Shipment, ShipmentResult


class BatchShipper:
    """Ships everything, ``batch_size`` shipments per call; records what it sent. Each call waits (at most
    5 s) for ``gate``: the broken inputs below open it just before they raise, so batches are still in flight
    when the input fails."""

    carrier = "deftship"
    concurrency = 4

    def __init__(self, batch_size: int = 10) -> None:
        self.batch_size = batch_size
        self.sent: list[str] = []
        self.gate = threading.Event()
        self.gate.set()

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        self.gate.wait(5)
        self.sent += [s.reference for s in shipments]
        return [
            ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped", batch_id="B1")
            for s in shipments
        ]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        while not self.gate.is_set():
            await asyncio.sleep(0.01)
        return self.ship_batch(shipments)


def shipment(index: int) -> Shipment:
    return Shipment.model_validate({"reference": f"D-{index}", "carrier": "deftship"})


def broken_input(good: int, error: Exception, shipper: BatchShipper) -> Iterator[Any]:
    shipper.gate.clear()
    for index in range(good):
        yield shipment(index)
    shipper.gate.set()
    raise error


async def abroken_input(good: int, error: Exception, shipper: BatchShipper) -> AsyncIterator[Any]:
    shipper.gate.clear()
    for index in range(good):
        yield shipment(index)
    shipper.gate.set()
    raise error


def read_into(seen: list[str], results: Iterator[ShipmentResult]) -> None:
    for result in results:
        seen.append(result.reference)


def test_stopping_after_one_result_of_a_batch_hands_over_the_other_nine() -> None:
    shipper = BatchShipper()
    unclaimed: list[ShipmentResult] = []
    run = ship(
        (shipment(i) for i in range(10)), shippers={"deftship": shipper}, on_unclaimed=unclaimed.append
    )
    first = next(run)
    run.close()
    assert len(shipper.sent) == 10
    assert sorted([first.reference, *(r.reference for r in unclaimed)]) == sorted(shipper.sent)


def test_async_stopping_after_one_result_of_a_batch_hands_over_the_other_nine() -> None:
    shipper = BatchShipper()
    unclaimed: list[ShipmentResult] = []

    async def main() -> ShipmentResult:
        run = aship(
            (shipment(i) for i in range(10)), shippers={"deftship": shipper}, on_unclaimed=unclaimed.append
        )
        first = await run.__anext__()
        await run.aclose()
        return first

    first = asyncio.run(main())
    assert sorted([first.reference, *(r.reference for r in unclaimed)]) == sorted(shipper.sent)
    assert len(shipper.sent) == 10


@pytest.mark.parametrize(
    "error",
    [ValueError("the reader broke"), InputError({"shipments[3]": "expected a Shipment or a mapping"})],
)
def test_when_the_input_raises_what_was_sent_is_yielded_first(error: Exception) -> None:
    shipper = BatchShipper(batch_size=1)
    seen: list[str] = []
    with pytest.raises(type(error)):
        read_into(seen, ship(broken_input(3, error, shipper), shippers={"deftship": shipper}))
    assert sorted(seen) == sorted(shipper.sent) == ["D-0", "D-1", "D-2"]


def test_a_bad_item_raises_after_the_results_of_the_good_ones() -> None:
    shipper = BatchShipper(batch_size=1)
    items: list[Any] = [shipment(0), shipment(1), {"carrier": "deftship"}, shipment(3)]
    shipper.gate.clear()
    threading.Timer(0.3, shipper.gate.set).start()  # the two good ones are still sending when item 2 fails
    seen: list[str] = []
    with pytest.raises(InputError, match=r"shipments\[2\]"):
        read_into(seen, ship(items, shippers={"deftship": shipper}))
    assert sorted(seen) == sorted(shipper.sent) == ["D-0", "D-1"]


def test_buffered_shipments_are_not_sent_when_the_input_raises() -> None:
    shipper = BatchShipper(batch_size=10)  # 3 shipments wait in a partial batch when the input raises
    with pytest.raises(ValueError, match="reader"):
        list(ship(broken_input(3, ValueError("the reader broke"), shipper), shippers={"deftship": shipper}))
    assert shipper.sent == []


def test_async_when_the_input_raises_what_was_sent_is_yielded_first() -> None:
    shipper = BatchShipper(batch_size=1)
    seen: list[str] = []

    async def main() -> None:
        async for result in aship(
            abroken_input(3, ValueError("broke"), shipper), shippers={"deftship": shipper}
        ):
            seen.append(result.reference)

    with pytest.raises(ValueError, match="broke"):
        asyncio.run(main())
    assert sorted(seen) == sorted(shipper.sent) == ["D-0", "D-1", "D-2"]


def test_with_a_journal_a_reference_twice_in_the_input_ships_once(tmp_path: Path) -> None:
    """While the first is sending, the second is refused; once the first is recorded, it is reported."""
    shipper = BatchShipper(batch_size=1)
    shipper.gate.clear()  # the first D-1 stays sending until both repeats are refused (a call waits <= 5 s)
    twice = [shipment(1), shipment(1), shipment(2), shipment(1)]
    results: list[ShipmentResult] = []
    for result in ship(twice, shippers={"deftship": shipper}, journal=tmp_path / "j.sqlite"):
        results.append(result)
        if sum(r.status == "failed" for r in results) == 2:
            shipper.gate.set()
    assert sorted(shipper.sent) == ["D-1", "D-2"]
    failed = [r for r in results if r.status == "failed"]
    assert len(failed) == 2
    assert all(r.error is not None and "appears twice in this run" in r.error.message for r in failed)


def test_async_runs_record_in_the_journal_and_a_rerun_sends_nothing(tmp_path: Path) -> None:
    journal = tmp_path / "j.sqlite"
    first, second = BatchShipper(batch_size=2), BatchShipper(batch_size=2)

    async def run(shipper: BatchShipper) -> list[ShipmentResult]:
        items = (shipment(i) for i in range(5))
        return [r async for r in aship(items, shippers={"deftship": shipper}, journal=journal)]

    assert sorted(r.status for r in asyncio.run(run(first))) == ["shipped"] * 5
    again = asyncio.run(run(second))
    assert second.sent == []
    assert sorted((r.reference, r.status, r.batch_id) for r in again) == [
        (f"D-{i}", "shipped", "B1") for i in range(5)
    ]


class InterruptedAfterSubmit(Workers):
    """Worker threads whose first ``submit`` is hit by a Ctrl-C just after its batch started sending: the
    moment between handing a batch to a thread and the runner's next line."""

    started = threading.Event()
    interrupted = threading.Event()

    def submit(self, run: Callable[[], object]) -> None:
        super().submit(run)
        if not InterruptedAfterSubmit.interrupted.is_set():
            InterruptedAfterSubmit.interrupted.set()
            assert InterruptedAfterSubmit.started.wait(5), "the batch never started"
            raise KeyboardInterrupt


class StartedShipper(BatchShipper):
    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        InterruptedAfterSubmit.started.set()
        return super().ship_batch(shipments)


def test_a_ctrl_c_right_after_a_batch_is_handed_to_the_pool_still_hands_its_results_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("shipspec.shipping.runner.Workers", InterruptedAfterSubmit)
    InterruptedAfterSubmit.started.clear()
    InterruptedAfterSubmit.interrupted.clear()
    shipper = StartedShipper()
    unclaimed: list[ShipmentResult] = []
    with pytest.raises(KeyboardInterrupt):
        for _ in ship(
            (shipment(i) for i in range(10)), shippers={"deftship": shipper}, on_unclaimed=unclaimed.append
        ):
            pass
    assert len(shipper.sent) == 10
    assert sorted(r.reference for r in unclaimed) == sorted(shipper.sent)
