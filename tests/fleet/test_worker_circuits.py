"""The parts of one fleet run that a worker ships share each carrier's circuit: a wrong credential costs one
request per carrier on the worker, not one per part, and a new run probes again (``RunCircuits``)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from shipspec.fleet import FleetConfig
from shipspec.fleet.worker import FleetWorker
from shipspec.journal import open_journal
from shipspec_sandbox import start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment, ShipmentResult

from scripts.exactly_once import BUILDERS
from tests.shipping.support_faults import CountingPlan

PARTS, PER_PART = 3, 2


@pytest.fixture
def counted() -> Iterator[tuple[CountingPlan, dict[str, str]]]:
    """A Baaship sandbox counting its requests, and settings with a token it refuses."""
    plan = CountingPlan()
    with start_sandboxes(("baaship",), faults=plan) as running:
        yield plan, sandbox_settings(running)["baaship"] | {"token": "wrong"}


def _parts(journal_url: str, first: int) -> list[list[dict[str, Any]]]:
    """Parts of Baaship shipments whose intents are recorded and handed off, as the coordinator does."""
    shipments = [Shipment.model_validate(BUILDERS["baaship"](first + n)) for n in range(PARTS * PER_PART)]
    with open_journal(journal_url) as journal:
        journal.claim(shipments)
        journal.hand_off([s.reference for s in shipments])
    dumped = [s.model_dump(mode="json", exclude_none=True) for s in shipments]
    return [dumped[n : n + PER_PART] for n in range(0, len(dumped), PER_PART)]


def test_parts_of_one_run_share_the_circuit_and_a_new_run_probes_again(
    redis_url: str, journal_url: str, counted: tuple[CountingPlan, dict[str, str]]
) -> None:
    plan, settings = counted
    worker = FleetWorker(FleetConfig(redis_url, journal_url), {"baaship": settings})
    with contextlib.closing(worker):
        run = uuid.uuid4().hex
        first_run = _parts(journal_url, 0)
        for part in first_run:
            assert worker.ship_part(run, "baaship", part) == []
        assert sum(plan.calls.values()) == 1, (
            plan.calls
        )  # the first part's probe; the later parts sent nothing

        for part in _parts(journal_url, 100):
            worker.ship_part(uuid.uuid4().hex, "baaship", part)
        assert sum(plan.calls.values()) == 1 + PARTS, plan.calls  # each new run probes once

    with open_journal(journal_url) as journal:
        found = journal.find([str(item["reference"]) for item in first_run[-1]])
    errors = [ShipmentResult.model_validate_json(entry.result_json or "{}").error for entry in found.values()]
    assert [(e.kind, e.message.startswith("not sent")) for e in errors if e] == [("auth", True)] * PER_PART
