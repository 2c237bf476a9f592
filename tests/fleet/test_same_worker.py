"""A part that outlives the visibility timeout is delivered again, also to the worker still shipping it:
that copy waits for the first one instead of calling the shipments "given twice in one run" and reporting
them settled while they are still in flight."""

from __future__ import annotations

from shipspec import fleet
from shipspec_sandbox import FaultRule, Sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment

from scripts.exactly_once import BUILDERS
from scripts.fleet_check import Workers

from .conftest import VISIBILITY_TIMEOUT, timings
from .support import assert_shipped_once

WAIT = 120.0
SLOW_SECONDS = 2 * VISIBILITY_TIMEOUT + 1
"""Each Baaship answer takes this long: the part is still shipping when Redis hands it out again."""


def test_a_part_delivered_again_to_the_worker_shipping_it_waits_for_it(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, fleet_workers: Workers
) -> None:
    """One worker with two threads: the second gets the part again while the first ships it; every
    shipment is reported shipped once (not pending, as when the copy counted them settled at once)."""
    shipments = [Shipment.model_validate(BUILDERS["baaship"](index)) for index in range(500, 503)]
    sandboxes.faults.rules = (
        FaultRule("latency", 1.0, carrier="baaship", latency_ms=int(SLOW_SECONDS * 1000)),
    )
    fleet_workers.start("only")

    results = fleet.ship(
        shipments,
        broker=redis_url,
        journal=journal_url,
        settings=sandbox_settings(sandboxes),
        wait=WAIT,
        **timings(),
    )

    assert_shipped_once(sandboxes, shipments, results)
    # It was the mechanism above: the copy found the part in the hands of the same worker.
    assert "being shipped by this worker" in (fleet_workers.logs / "only.log").read_text()
