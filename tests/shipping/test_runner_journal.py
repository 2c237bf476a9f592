"""The runner with a journal: batches are claimed in the worker, and what an earlier run left uncertain comes
back to the runner and is reconciled together per carrier batch, across the runner's batches (sync, async)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from shipspec.journal import Journal, open_journal
from shipspec.journal.owner import Owner
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

BATCH = 4
EARLIER = [f"U-{n}" for n in range(6)]  # an earlier run created carrier batch B-1 for these, then died
NEW = ["N-0", "N-1"]


class ReconcilingShipper:
    """Ships what it is given and reconciles by following the batch; records every call."""

    carrier = "deftship"
    batch_size = BATCH
    concurrency = 2

    def __init__(self) -> None:
        self.shipped: list[str] = []
        self.reconciled: list[tuple[tuple[str, ...], str | None]] = []
        self._lock = threading.Lock()

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        with self._lock:
            self.shipped += [s.reference for s in shipments]
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    def reconcile_batch(self, shipments: Sequence[Shipment], batch_id: str | None) -> list[ShipmentResult]:
        with self._lock:
            self.reconciled.append((tuple(s.reference for s in shipments), batch_id))
        return [
            ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped", batch_id=batch_id)
            for s in shipments
        ]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        await asyncio.sleep(0)
        return self.ship_batch(shipments)

    async def areconcile_batch(
        self, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]:
        await asyncio.sleep(0)
        return self.reconcile_batch(shipments, batch_id)


def shipment(reference: str) -> Shipment:
    return Shipment.model_validate({"reference": reference, "carrier": "deftship"})


def _left_by_a_dead_run(path: Path) -> Journal:
    """A journal where a killed run (on this host, its process gone) recorded ``EARLIER`` in batch B-1."""
    journal = open_journal(path)
    dead = Owner(journal.owner.host, 1, "not-this-process", "dead")
    killed = Journal(journal._backend, owner=dead, renew=False)
    killed.start([shipment(reference) for reference in EARLIER])
    killed.learnt(EARLIER, batch_id="B-1")
    return journal


def _check(shipper: ReconcilingShipper, results: list[ShipmentResult]) -> None:
    assert Counter(r.reference for r in results) == Counter(EARLIER + NEW)  # one result each
    assert {r.status for r in results} == {"shipped"}
    assert sorted(shipper.shipped) == NEW  # the uncertain ones are never sent as new
    groups = sorted(shipper.reconciled, key=lambda call: -len(call[0]))
    assert (
        [(sorted(refs), batch_id) for refs, batch_id in groups]
        == [
            (sorted(EARLIER[:BATCH]), "B-1"),  # a full group as soon as it filled
            (sorted(EARLIER[BATCH:]), "B-1"),  # the rest once no batch could add to it
        ]
    )


def test_uncertain_shipments_are_reconciled_together_per_carrier_batch(tmp_path: Path) -> None:
    shipper = ReconcilingShipper()
    with _left_by_a_dead_run(tmp_path / "journal.sqlite") as journal:
        rows = [shipment(reference) for reference in EARLIER + NEW]
        results = list(ship(rows, shippers={"deftship": shipper}, journal=journal))
        _check(shipper, results)
        assert {journal.get(reference).state for reference in EARLIER + NEW} == {"shipped"}  # type: ignore[union-attr]


def test_async_uncertain_shipments_are_reconciled_together_per_carrier_batch(tmp_path: Path) -> None:
    shipper = ReconcilingShipper()

    async def run(journal: Journal) -> list[ShipmentResult]:
        rows = [shipment(reference) for reference in EARLIER + NEW]
        return [r async for r in aship(rows, shippers={"deftship": shipper}, journal=journal)]

    with _left_by_a_dead_run(tmp_path / "journal.sqlite") as journal:
        _check(shipper, asyncio.run(run(journal)))


class PerItemShipper(ReconcilingShipper):
    """One shipment per call, eight calls at a time (like WeChat and Baaship)."""

    batch_size = 1
    concurrency = 8


PER_ITEM = [f"P-{n:03d}" for n in range(120)]


def _recorded_when_yielded(journal: Journal, result: ShipmentResult) -> tuple[str, str | None]:
    entry = journal.get(result.reference)
    return result.reference, None if entry is None else entry.state


def test_each_result_is_recorded_before_the_runner_yields_it(tmp_path: Path) -> None:
    """Outcomes are committed in the background, several at once (``Journal.settle_soon``); the runner
    hands a result over only once its outcome is in the journal."""
    shipper = PerItemShipper()
    with open_journal(tmp_path / "journal.sqlite") as journal:
        rows = [shipment(reference) for reference in PER_ITEM]
        seen = [
            _recorded_when_yielded(journal, r)
            for r in ship(rows, shippers={"deftship": shipper}, journal=journal)
        ]
    assert seen == [(reference, "shipped") for reference, _ in seen]
    assert sorted(reference for reference, _ in seen) == PER_ITEM


def test_async_each_result_is_recorded_before_the_runner_yields_it(tmp_path: Path) -> None:
    shipper = PerItemShipper()

    async def run(journal: Journal) -> list[tuple[str, str | None]]:
        rows = [shipment(reference) for reference in PER_ITEM]
        return [
            _recorded_when_yielded(journal, r)
            async for r in aship(rows, shippers={"deftship": shipper}, journal=journal)
        ]

    with open_journal(tmp_path / "journal.sqlite") as journal:
        seen = asyncio.run(run(journal))
    assert seen == [(reference, "shipped") for reference, _ in seen]
    assert sorted(reference for reference, _ in seen) == PER_ITEM
