"""``aship`` with a PostgreSQL journal: the commit before each send waits for the server (a round trip and
its log flush), so it runs off the event loop; the run's other tasks go on meanwhile. Here the server holds
that commit back (another connection locks the journal's table) until a task on the same loop lets go."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import psycopg
from shipspec.journal import open_journal
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


def test_the_commit_before_a_send_does_not_hold_up_the_event_loop(postgres_url: str) -> None:
    url = fresh_database(postgres_url, "async_remote")
    with open_journal(url) as journal, psycopg.connect(url) as holder:
        holder.execute("LOCK TABLE shipspec_journal IN EXCLUSIVE MODE")  # inserts wait until it ends
        ticks = 0

        async def run() -> list[ShipmentResult]:
            async def ticker() -> None:
                nonlocal ticks
                for _ in range(TICKS):  # runs only while the loop is free
                    await asyncio.sleep(0.01)
                    ticks += 1
                holder.rollback()  # now the run's commit can go through

            other = asyncio.create_task(ticker())
            shipment = Shipment.model_validate({"reference": "A-1", "carrier": "baaship"})
            results = [r async for r in aship([shipment], shippers={"baaship": Shipper()}, journal=journal)]
            await other
            return results

        results = asyncio.run(asyncio.wait_for(run(), BOUND))
        entry = journal.get("A-1")
    assert ticks == TICKS
    assert [(r.reference, r.status) for r in results] == [("A-1", "shipped")]
    assert entry is not None
    assert entry.state == "shipped"
