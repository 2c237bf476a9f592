"""Fleet fixtures: the session's private redis-server and PostgreSQL, sandboxes, and worker processes."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from shipspec.config import as_environment as environment
from shipspec_sandbox import Sandboxes, start_sandboxes
from shipspec_sandbox.clients import sandbox_settings

from scripts.fleet_check import Workers, workers
from tests.support.postgres import fresh_database, postgres_server
from tests.support.redis_server import redis_url

__all__ = ["journal_url", "postgres_url", "redis_url"]

LEASE = 2.0
VISIBILITY_TIMEOUT = 4.0
"""Short in tests: a killed worker's part comes back within seconds (the default is two hours)."""
_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def journal_url(postgres_url: str) -> str:
    return fresh_database(postgres_url, f"fleet_{next(_databases)}")


@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    with start_sandboxes(("tiktok_shop", "baaship")) as running:
        yield running


@pytest.fixture
def fleet_workers(
    redis_url: str, journal_url: str, sandboxes: Sandboxes, tmp_path: Path
) -> Iterator[Workers]:
    """Worker processes (started by the test) on the sandboxes' settings; all stopped at the end, and the
    broker emptied then: a task still queued (a look again later at shipments another task held) belongs
    to this test's journal and sandboxes, not to the next test's workers."""
    env = environment(sandbox_settings(sandboxes))
    try:
        with workers(redis_url, journal_url, env, tmp_path) as group:
            group.lease, group.visibility_timeout, group.threads = LEASE, VISIBILITY_TIMEOUT, 2
            yield group
    finally:
        with contextlib.closing(redis.Redis.from_url(redis_url)) as broker:
            broker.flushdb()


def timings() -> dict[str, Any]:
    """The coordinator's timings, matching the workers'."""
    return {"lease": LEASE, "visibility_timeout": VISIBILITY_TIMEOUT}
