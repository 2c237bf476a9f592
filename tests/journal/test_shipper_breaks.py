"""A shipper that raises after the carrier created its batch: the runner reads the batch id the journal
recorded and reports ``pending`` with it (follow it, never resend). When the journal cannot be read at that
moment, nothing says whether a batch exists, so every shipment of it is ``pending`` too, never ``failed``:
a ``failed`` one is sent again by the next run, which for DeftShip (no natural key) ships it twice."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import psycopg
import pytest
from shipspec.journal import learnt, open_journal
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

from tests.support.postgres import fresh_database

LOCK_WAIT = "?options=-c%20lock_timeout%3D300"  # the journal's reads give up after 0.3 s behind a lock


class BreaksAfterBatch:
    """Records that the carrier created batch B-7, then raises; with ``holder``, first has the journal's
    table locked against reads (another connection), so the runner's read of that id fails."""

    carrier = "deftship"
    batch_size = 2
    concurrency = 1

    def __init__(self, holder: psycopg.Connection[tuple[object, ...]] | None) -> None:
        self.holder = holder

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        assert learnt([s.reference for s in shipments], batch_id="B-7")
        if self.holder is not None:
            self.holder.execute("LOCK TABLE shipspec_journal IN ACCESS EXCLUSIVE MODE")
        raise RuntimeError("the shipper broke after the carrier created its batch")

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return self.ship_batch(shipments)


def _shipments() -> list[Shipment]:
    return [Shipment.model_validate({"reference": f"K-{n}", "carrier": "deftship"}) for n in range(2)]


def _run(driver: str, url: str, shipper: BreaksAfterBatch) -> list[ShipmentResult]:
    with open_journal(url) as journal:
        if driver == "sync":
            return list(ship(_shipments(), shippers={"deftship": shipper}, journal=journal))

        async def run() -> list[ShipmentResult]:
            return [r async for r in aship(_shipments(), shippers={"deftship": shipper}, journal=journal)]

        return asyncio.run(run())


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_the_batch_id_the_journal_recorded_makes_them_pending(postgres_url: str, driver: str) -> None:
    url = fresh_database(postgres_url, f"breaks_{driver}")
    results = _run(driver, url, BreaksAfterBatch(None))
    assert [(r.reference, r.status, r.batch_id) for r in results] == [
        ("K-0", "pending", "B-7"),
        ("K-1", "pending", "B-7"),
    ]


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_an_unreadable_journal_makes_them_pending_not_failed(postgres_url: str, driver: str) -> None:
    url = fresh_database(postgres_url, f"breaks_unreadable_{driver}")
    with psycopg.connect(url) as holder:
        try:
            results = _run(driver, url + LOCK_WAIT, BreaksAfterBatch(holder))
        finally:
            holder.rollback()
    assert [(r.reference, r.status) for r in results] == [("K-0", "pending"), ("K-1", "pending")]
    assert all("journal could not be read" in (r.error.message if r.error else "") for r in results)
    with open_journal(url) as journal:  # whatever was recorded, a later run reconciles: the batch id is kept
        entries = journal.find(["K-0", "K-1"])
    assert {(e.state, e.batch_id) for e in entries.values()} <= {("created", "B-7"), ("pending", "B-7")}
