"""The fleet's Celery application: a Redis broker, tasks acknowledged late, one task that ships a part.

A task is acknowledged only when it finished (``task_acks_late``), also when its worker process is lost
(``task_reject_on_worker_lost``), so a worker killed mid-batch has its task delivered again after the
visibility timeout: every task runs at least once, and the journal makes a second run reconcile instead
of resend (see ``worker``). ``worker_prefetch_multiplier=1`` keeps a worker from reserving more tasks than
it has threads. Redis sweeps unacknowledged tasks every quarter of the visibility timeout (at most every
10 s), so a lost task comes back soon after its timeout rather than up to a sweep period later.
"""

from __future__ import annotations

from typing import Any, Final

from celery import Celery, Task

from ..errors import JournalError
from .config import FleetConfig

__all__ = ["QUEUE", "TASK", "celery_app"]

QUEUE: Final = "shipspec"
TASK: Final = "shipspec.fleet.ship_part"
BUSY_RETRIES: Final = 1000
"""Times a task looks again at shipments a live worker holds (every ``busy_wait``) before giving up."""
JOURNAL_RETRIES: Final = 60
JOURNAL_RETRY_SECONDS: Final = 5
BROKER_SOCKET_TIMEOUT_SECONDS: Final = 30.0


def celery_app(config: FleetConfig) -> Celery:
    """The Celery application of ``config``'s fleet (the coordinator sends with it, workers run it)."""
    app = Celery("shipspec", broker=config.broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={
            "visibility_timeout": config.visibility_timeout,
            "unacked_restore_interval": max(1.0, min(10.0, config.visibility_timeout / 4)),
            "unacked_restore_throttle": 1,
            "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
            "socket_connect_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
        },
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_default_queue=QUEUE,
        worker_pool="threads",
        worker_send_task_events=False,
        worker_hijack_root_logger=False,
    )
    app.task(
        name=TASK,
        bind=True,
        autoretry_for=(JournalError,),
        max_retries=JOURNAL_RETRIES,
        default_retry_delay=JOURNAL_RETRY_SECONDS,
    )(_ship_part)
    return app


def _ship_part(task: Task[Any, Any], run_id: str, carrier: str, shipments: list[dict[str, Any]]) -> None:
    """Ship (or reconcile) one part on this worker; shipments a live worker holds are looked at again
    later, in a new task with only them."""
    from .worker import current

    busy = current().ship_part(run_id, carrier, shipments)
    if not busy:
        return
    if task.request.retries >= BUSY_RETRIES:
        current().give_up(run_id, busy)
        return
    raise task.retry(
        args=(run_id, carrier, busy), countdown=current().config.busy_wait, max_retries=BUSY_RETRIES
    )
