"""The test and bench helper ``Workers`` waits for a worker started again under the same name to be ready
itself: the log it appends to already says "ready" for the one before (the bench timed runs while its
workers were still starting)."""

from __future__ import annotations

from scripts.fleet_check import Workers


def test_a_worker_restarted_under_the_same_name_is_ready_when_start_returns(fleet_workers: Workers) -> None:
    fleet_workers.start("again")
    fleet_workers.restart("again")
    assert (fleet_workers.logs / "again.log").read_bytes().count(b" ready.") == 2
