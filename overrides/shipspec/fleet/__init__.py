"""Shipping on a fleet: Celery workers on a Redis broker, sharing a PostgreSQL journal, tokens and pacing.

- ``shipspec worker --broker redis://… --journal postgresql://…`` (``run_worker``) starts a worker: it takes
  parts of runs from the broker and ships them through the journal, with the carriers' tokens and pacing
  shared in Redis (``fleet_settings``).
- ``shipspec ship FILE --broker … --journal …`` (``ship``) records every intent in the journal, hands the
  parts out as tasks, shows progress and writes the results from the journal.

Tasks run at least once (acknowledged late, see ``app``); the journal makes each delivery idempotent (see
``worker``). Needs the ``shipspec[fleet]`` extra (celery, redis) and ``shipspec[postgres]`` (psycopg).
"""

from __future__ import annotations

from .app import celery_app
from .config import VISIBILITY_TIMEOUT_SECONDS, FleetConfig, fleet_settings
from .coordinator import DEFAULT_WAIT_SECONDS, ship
from .worker import FleetWorker, run_worker

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "VISIBILITY_TIMEOUT_SECONDS",
    "FleetConfig",
    "FleetWorker",
    "celery_app",
    "fleet_settings",
    "run_worker",
    "ship",
]
