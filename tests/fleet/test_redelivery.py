"""A part is a task run at least once: a worker killed mid-part has it delivered to another worker, which
reconciles what was sent instead of sending it again; shipments a live worker holds wait for it."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from shipspec import fleet
from shipspec.journal import open_journal
from shipspec.journal.failpoints import ENV_VAR
from shipspec_sandbox import Sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment, ShipmentResult

from scripts.fleet_check import Workers

from .conftest import timings
from .support import assert_shipped_once, batch, seed, times_shipped

WAIT = 120.0
"""Bound on a coordinator's wait: with Redis's default visibility timeout (1 h) the test would end here."""


def ship(
    shipments: list[Shipment], redis_url: str, journal_url: str, sandboxes: Sandboxes
) -> list[ShipmentResult]:
    """Ship on the fleet with the sandboxes' settings and the tests' timings."""
    settings = sandbox_settings(sandboxes)
    return fleet.ship(
        shipments, broker=redis_url, journal=journal_url, settings=settings, wait=WAIT, **timings()
    )


def in_background(work: Callable[[], list[ShipmentResult]]) -> Future[list[ShipmentResult]]:
    pool = ThreadPoolExecutor(1)
    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future


def wait_until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_a_worker_killed_after_the_carrier_answered_has_its_part_reconciled(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers
) -> None:
    """The first worker dies (SIGKILL) right after a carrier answered, before the outcome is recorded; the
    part comes back after the visibility timeout to a worker started later, which reconciles it: every
    shipment ships once, and the ones the first worker sent were claimed again (attempts > 2)."""
    shipments = batch(24)
    seed(sandboxes, shipments)
    first = fleet_workers.start("first", {ENV_VAR: "journal.settle.before"})
    running = in_background(lambda: ship(shipments, redis_url, journal_url, sandboxes))
    first.wait(timeout=WAIT)
    assert first.returncode == -9  # killed at the failpoint: a carrier answered, nothing recorded
    shipped_before = {r for r, n in times_shipped(sandboxes, shipments).items() if n}
    assert shipped_before  # the dead worker's part really reached the carrier

    fleet_workers.start("second")
    results = running.result(timeout=WAIT + 30)

    assert_shipped_once(sandboxes, shipments, results)
    with open_journal(journal_url) as journal:
        entries = journal.find(sorted(shipped_before))
    assert {ref: entry.attempts > 2 for ref, entry in entries.items()} == dict.fromkeys(shipped_before, True)


def test_shipments_a_live_worker_holds_wait_for_it(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers
) -> None:
    """A part delivered while another live run holds its shipments (as a duplicate delivery would find
    them) sends nothing until the holder lets go, then ships them once."""
    shipments = batch(6, start=100)
    seed(sandboxes, shipments)
    fleet_workers.start("only")
    held = shipments[:4]
    holder = open_journal(journal_url, lease=600)
    holder.claim(held)
    running = in_background(lambda: ship(shipments, redis_url, journal_url, sandboxes))
    log = fleet_workers.logs / "only.log"
    try:
        wait_until(lambda: b"held by another live worker" in log.read_bytes())
        wait_until(lambda: set(times_shipped(sandboxes, shipments[4:]).values()) == {1})
        assert set(times_shipped(sandboxes, held).values()) == {0}  # nothing sent while held
    finally:
        holder.close()  # the holder's run ends: its holds go

    results = running.result(timeout=WAIT + 30)
    assert_shipped_once(sandboxes, shipments, results)


def test_the_coordinator_reports_what_an_earlier_run_settled_without_sending(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers
) -> None:
    """Shipping the same shipments again sends nothing: the journal has them shipped."""
    shipments = batch(6, start=200)
    seed(sandboxes, shipments)
    fleet_workers.start("only")
    first = ship(shipments, redis_url, journal_url, sandboxes)
    entries = len(sandboxes.ledger.entries())
    again = ship(shipments, redis_url, journal_url, sandboxes)

    assert [r.model_dump() for r in again] == [r.model_dump() for r in first]
    assert len(sandboxes.ledger.entries()) == entries
    assert_shipped_once(sandboxes, shipments, again)


def test_workers_share_the_work(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers
) -> None:
    """Two workers both take parts (the broker hands parts to whichever is free)."""
    shipments = batch(40, start=300)
    seed(sandboxes, shipments)
    for name in ("one", "two"):
        fleet_workers.start(name)
    results = ship(shipments, redis_url, journal_url, sandboxes)
    assert_shipped_once(sandboxes, shipments, results)
    logs = [(fleet_workers.logs / f"{name}.log").read_text() for name in ("one", "two")]
    assert all("succeeded" in text for text in logs), logs
