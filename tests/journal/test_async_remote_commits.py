"""``aship`` with a PostgreSQL journal: the commit before each send waits for the server (a round trip and
its log flush), so it runs off the event loop; the run's other tasks go on meanwhile. Here the server holds
that commit back (another connection locks the journal's table) until a task on the same loop lets go."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import psycopg
from shipspec.journal import alearnt, open_journal
from shipspec.shipping.runner import aship
from shipspec_shipping_models import Shipment, ShipmentResult

from tests.support.postgres import fresh_database

TICKS = 20
BOUND = 60.0  # seconds: the whole run, on a busy machine (the server's own lock timeout is 30 s)


class Shipper:
    carrier = "baaship"
    batch_size = 1
    concurrency = 1

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return self.ship_batch(shipments)


async def _ticks_then_release(holder: psycopg.Connection[tuple[object, ...]]) -> int:
    """Once ``holder`` holds its lock: count TICKS turns of the event loop (each runs only while the loop is
    free), then release the lock so the run's journal call goes through. Returns the count."""
    while not holder.info.transaction_status:  # idle: the lock is not taken yet
        await asyncio.sleep(0.005)
    ticks = 0
    for _ in range(TICKS):
        await asyncio.sleep(0.01)
        ticks += 1
    holder.rollback()
    return ticks


def test_the_commit_before_a_send_does_not_hold_up_the_event_loop(postgres_url: str) -> None:
    url = fresh_database(postgres_url, "async_remote")
    with open_journal(url) as journal, psycopg.connect(url) as holder:
        holder.execute("LOCK TABLE shipspec_journal IN EXCLUSIVE MODE")  # inserts wait until it ends

        async def run() -> tuple[list[ShipmentResult], int]:
            other = asyncio.create_task(_ticks_then_release(holder))
            shipment = Shipment.model_validate({"reference": "A-1", "carrier": "baaship"})
            results = [r async for r in aship([shipment], shippers={"baaship": Shipper()}, journal=journal)]
            return results, await other

        results, ticks = asyncio.run(asyncio.wait_for(run(), BOUND))
        entry = journal.get("A-1")
    assert ticks == TICKS
    assert [(r.reference, r.status) for r in results] == [("A-1", "shipped")]
    assert entry is not None
    assert entry.state == "shipped"


class FailingAfterBatch(Shipper):
    """Records that the carrier created batch B-9, has the journal's table locked against reads, then
    raises: the runner must read the recorded batch id to report the shipment (pending, never failed)."""

    def __init__(self, holder: psycopg.Connection[tuple[object, ...]]) -> None:
        self.holder = holder

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        assert await alearnt([s.reference for s in shipments], batch_id="B-9")
        self.holder.execute(
            "LOCK TABLE shipspec_journal IN ACCESS EXCLUSIVE MODE"
        )  # reads wait until it ends
        raise RuntimeError("the shipper broke after the carrier created its batch")


def test_reading_a_failed_batchs_id_does_not_hold_up_the_event_loop(postgres_url: str) -> None:
    url = fresh_database(postgres_url, "async_remote_failed")
    with open_journal(url) as journal, psycopg.connect(url) as holder:
        shipper = FailingAfterBatch(holder)

        async def run() -> tuple[list[ShipmentResult], int]:
            other = asyncio.create_task(_ticks_then_release(holder))
            shipment = Shipment.model_validate({"reference": "F-1", "carrier": "baaship"})
            results = [r async for r in aship([shipment], shippers={"baaship": shipper}, journal=journal)]
            return results, await other

        results, ticks = asyncio.run(asyncio.wait_for(run(), BOUND))
    assert ticks == TICKS
    assert [(r.reference, r.status, r.batch_id) for r in results] == [("F-1", "pending", "B-9")]
