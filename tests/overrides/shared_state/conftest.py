"""The Baaship sandbox of the pacing tests: every getShipmentLabel answers 429 with a Retry-After, and every
request's arrival is recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shipspec_sandbox.faults import FaultRule
from shipspec_sandbox.runner import Sandboxes, start_sandboxes

from .arrivals import LABEL, LABEL_RETRY_AFTER, RecordingPlan


@pytest.fixture
def plan() -> RecordingPlan:
    rule = FaultRule(
        kind="rate_limit", probability=1.0, operation=LABEL, retry_after_seconds=LABEL_RETRY_AFTER
    )
    return RecordingPlan(rules=(rule,))


@pytest.fixture
def baaship(plan: RecordingPlan) -> Iterator[Sandboxes]:
    with start_sandboxes(("baaship",), faults=plan) as sandboxes:
        yield sandboxes
