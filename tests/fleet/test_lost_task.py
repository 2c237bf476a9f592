"""A task the broker lost (kombu's Redis transport pops a task before it records it as unacknowledged: a
worker killed between the two loses it) does not leave the run waiting: with nothing settled for ``stall``
seconds and the queue empty, the coordinator hands out again what no live worker holds."""

from __future__ import annotations

import contextlib

import redis
from shipspec import fleet
from shipspec.fleet.app import QUEUE
from shipspec.journal import open_journal
from shipspec_sandbox import Sandboxes
from shipspec_sandbox.clients import sandbox_settings

from scripts.fleet_check import Workers

from .conftest import timings
from .support import assert_shipped_once, batch, seed
from .test_redelivery import in_background, wait_until

WAIT = 60.0
"""The coordinator's bound: without the hand-out again, the run ends here with every shipment pending."""
STALL = 3.0


def test_shipments_of_a_lost_task_are_handed_out_again(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers
) -> None:
    shipments = batch(8, start=300)
    seed(sandboxes, shipments)
    references = [s.reference for s in shipments]
    running = in_background(
        lambda: fleet.ship(
            shipments,
            broker=redis_url,
            journal=journal_url,
            settings=sandbox_settings(sandboxes),
            wait=WAIT,
            stall=STALL,
            **timings(),
        )
    )
    with contextlib.closing(redis.Redis.from_url(redis_url)) as broker, open_journal(journal_url) as journal:

        def handed_out() -> bool:
            entries = journal.find(references).values()
            return len(entries) == len(references) and all(e.owner is None for e in entries)

        wait_until(lambda: handed_out() and broker.llen(QUEUE) > 0)
        queued = broker.llen(QUEUE)
        wait_until(lambda: broker.llen(QUEUE) == queued)  # every part enqueued (one group: right after)
        assert broker.delete(QUEUE) == 1  # lost: in no queue, unacknowledged by no worker
        assert {e.state for e in journal.find(references).values()} == {"intent"}

    fleet_workers.start("late")
    results = running.result(timeout=WAIT + 30)

    assert_shipped_once(sandboxes, shipments, results)
