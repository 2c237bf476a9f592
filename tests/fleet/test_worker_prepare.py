"""A worker builds its carriers' shippers when it starts, before it takes a task (``FleetWorker.prepare``):
a run's first parts pay no imports or client setup; a carrier it cannot set up is named at start."""

from __future__ import annotations

import logging

import pytest
from shipspec.fleet import FleetConfig
from shipspec.fleet.worker import FleetWorker
from shipspec_sandbox import Sandboxes
from shipspec_sandbox.clients import sandbox_settings

from scripts.fleet_check import Workers


def test_prepare_builds_every_configured_carrier_and_names_the_one_it_cannot(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, caplog: pytest.LogCaptureFixture
) -> None:
    settings = sandbox_settings(sandboxes) | {
        "deftship": {"base_url": "http://127.0.0.1:9"},
        "wechat_shop": {},
    }
    worker = FleetWorker(FleetConfig(redis_url, journal_url), settings)
    try:
        with caplog.at_level(logging.WARNING, logger="shipspec"):
            assert worker.prepare() == ["tiktok_shop", "baaship"]
    finally:
        worker.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith("deftship is not set up on this worker")
    assert "api_token" in warnings[0]


def test_a_worker_process_prepares_before_it_says_ready(fleet_workers: Workers) -> None:
    fleet_workers.start("prepared", {"SHIPSPEC_DEFTSHIP_BASE_URL": "http://127.0.0.1:9"})
    log = (fleet_workers.logs / "prepared.log").read_text()
    assert -1 < log.find("deftship is not set up on this worker") < log.find(" ready.")
