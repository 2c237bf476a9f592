"""The coordinator's side of a fleet run: record every intent, hand out parts, wait, read the journal.

1. Each shipment is checked (``intake``) and claimed in the journal in groups of parts of about
   ``HAND_OUT_ROWS`` shipments, one transaction each (one per part made the coordinator, not the workers,
   the limit of a fleet shipping small parts): the intent is durable before any task exists. Shipments an
   earlier run settled are reported from the journal and not sent; a reference an earlier run used for
   another carrier fails. The coordinator then lets go of its holds (``Journal.hand_off``) so the workers
   can claim the shipments.
2. Each carrier's shipments go out as tasks of ``batch_size x concurrency`` shipments (a worker ships a part
   with the carrier's batching and concurrency, as one process would).
3. Workers add each settled reference to the run's progress set; the coordinator waits until all are there
   (or ``wait`` runs out), reporting progress.
   A task can be lost: kombu's Redis transport pops a task, then records it as unacknowledged, and a worker
   killed between the two loses it for good (celery/celery#7950); a task a dead worker had taken comes back
   only after the visibility timeout (two hours by default). So when no shipment settles for ``stall``
   seconds and no task is left in the broker's queue, the coordinator reads the journal and hands out
   again, as new parts, the shipments no live worker holds and none has finished (never started, or held
   by a worker whose lease lapsed); the journal makes the extra task harmless (a shipment already done is
   reported, one in flight waits, one a dead worker may have sent is reconciled). The pause doubles after
   each such round.
4. The results come from the journal: its recorded outcome per shipment, or ``pending`` (still in flight).
   Nothing is lost when the coordinator stops waiting: the workers go on, and ``shipspec results`` rebuilds
   the file from the journal later.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final

from shipspec_shipping_models import Shipment, ShipmentResult

from ..config import build_shipper, load_settings
from ..errors import InputError, ShipspecError
from ..journal import Journal, open_journal
from ..shipping.batching import Batcher
from ..shipping.capabilities import Shipper
from ..shipping.intake import ShipmentLike, accepted
from ..shipping.lanes import reported
from ..shipping.results import failed, recorded
from .app import QUEUE, TASK, celery_app
from .config import FleetConfig
from .progress import Progress

__all__ = ["DEFAULT_WAIT_SECONDS", "ship"]

DEFAULT_WAIT_SECONDS: Final = 24 * 3600.0
"""How long the coordinator waits for the workers by default; what is unsettled then is written pending."""
POLL_SECONDS: Final = 0.05
"""How often the coordinator counts the settled references (one SCARD): every run waits up to this long
after its last report, so short, while 20 counts a second are nothing to Redis."""
HAND_OUT_ROWS: Final = 500
"""Shipments whose intents one journal transaction records (whole parts: a group closes at this many)."""

STALL_LEASES: Final = 2.0
"""Leases without a settled shipment (at least ``MIN_STALL_SECONDS``) before orphans are handed out again."""
MIN_STALL_SECONDS: Final = 10.0
UNFINISHED: Final = frozenset({"intent", "sending", "created"})
"""Journal states of a shipment no worker has settled (``pending`` and ``failed`` were reported)."""

logger = logging.getLogger("shipspec")

OnProgress = Callable[[int, int], object]
"""Receives (settled, total) as workers report."""


def _parts(shipments: list[Shipment], shipper: Shipper) -> Iterator[list[Shipment]]:
    batcher = Batcher(shipper, size=shipper.batch_size * shipper.concurrency)
    for shipment in shipments:
        yield from batcher.add(shipment)
    if rest := batcher.flush():
        yield rest


def _groups(parts: Iterable[list[Shipment]], rows: int = HAND_OUT_ROWS) -> Iterator[list[list[Shipment]]]:
    """Consecutive parts, grouped until a group holds ``rows`` shipments or more."""
    group: list[list[Shipment]] = []
    for part in parts:
        group.append(part)
        if sum(map(len, group)) >= rows:
            yield group
            group = []
    if group:
        yield group


def _accepted_all(items: Iterable[ShipmentLike]) -> tuple[list[Shipment], dict[str, ShipmentResult]]:
    """The valid, first-seen shipments in order, and a result for every other item."""
    valid: list[Shipment] = []
    seen: set[str] = set()
    refused: dict[str, ShipmentResult] = {}
    for position, item in enumerate(items):
        shipment = accepted(item, position)
        if isinstance(shipment, ShipmentResult):
            refused[shipment.reference] = shipment
        elif shipment.reference in seen:
            problem = InputError({"reference": "repeats an earlier shipment's (each needs its own)"})
            refused[f"{shipment.reference}#{position}"] = failed(shipment, problem)
        else:
            seen.add(shipment.reference)
            valid.append(shipment)
    return valid, refused


def ship(
    shipments: Iterable[ShipmentLike],
    *,
    broker: str,
    journal: str,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    shippers: Mapping[str, Shipper] | None = None,
    on_progress: OnProgress | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
    lease: float | None = None,
    visibility_timeout: float | None = None,
    stall: float | None = None,
) -> list[ShipmentResult]:
    """Ship every shipment on the fleet of workers listening on ``broker``, journalled in ``journal`` (a
    ``postgresql://`` URL); one result per item, in input order.

    ``settings`` (default: ``load_settings()``) or ``shippers`` give each carrier's batch size and
    concurrency, which size the tasks; the workers use their own settings to ship. ``lease`` and
    ``visibility_timeout`` must match the workers' (see ``FleetConfig``). Invalid items fail with their
    field paths before anything is recorded; a carrier that cannot be set up fails its shipments.
    ``stall``: seconds without a settled shipment before orphans are handed out again (module doc;
    default ``STALL_LEASES`` leases, at least ``MIN_STALL_SECONDS``).
    """
    config = FleetConfig(
        broker,
        journal,
        **({} if lease is None else {"lease": lease}),
        **({} if visibility_timeout is None else {"visibility_timeout": visibility_timeout}),
    )
    valid, refused = _accepted_all(shipments)
    results: dict[str, ShipmentResult] = {}
    by_carrier: dict[str, list[Shipment]] = {}
    for shipment in valid:
        by_carrier.setdefault(shipment.carrier, []).append(shipment)
    given = dict(shippers or {})
    app = celery_app(config)
    progress = Progress(config.broker)
    run_id = uuid.uuid4().hex
    sent: list[str] = []
    sizing: dict[str, Shipper] = {}  # each carrier's batch size and concurrency, to cut parts again
    pause = stall if stall is not None else max(MIN_STALL_SECONDS, STALL_LEASES * config.lease)
    try:
        with open_journal(config.journal, lease=config.lease) as opened:
            for carrier, members in by_carrier.items():
                try:
                    shipper = given.get(carrier) or build_shipper(
                        carrier, (settings if settings is not None else load_settings()).get(carrier, {})
                    )
                except ShipspecError as error:
                    results.update((s.reference, failed(s, error)) for s in members)
                    continue
                sizing[carrier] = shipper
                for group in _groups(_parts(members, shipper)):
                    sent += _hand_out(app, opened, run_id, carrier, group, results)

            def again() -> bool:
                if progress.waiting(QUEUE):  # parts still queued: the workers are busy, nothing was lost
                    return False
                _hand_out_orphans(app, opened, run_id, sent, sizing)
                return True

            _wait(progress, run_id, len(sent), on_progress, wait, _Stalls(pause, again))
            found = opened.find(sent)
        results.update((reference, recorded(found[reference])) for reference in sent)
    finally:
        progress.close()
    ordered = [results[s.reference] for s in valid if s.reference in results]
    return ordered + list(refused.values())


def _hand_out(
    app: object,
    journal: Journal,
    run_id: str,
    carrier: str,
    parts: list[list[Shipment]],
    results: dict[str, ShipmentResult],
) -> list[str]:
    """Record the parts' intents (one transaction), report what needs no sending, enqueue the rest as one
    task per part; their references."""
    to_send: set[str] = set()
    for claim in journal.claim([shipment for part in parts for shipment in part]):
        if claim.action in ("send", "reconcile", "busy"):
            to_send.add(claim.shipment.reference)
        else:
            results[claim.shipment.reference] = reported(claim)
    references = [s.reference for part in parts for s in part if s.reference in to_send]
    journal.hand_off(references)
    for part in parts:
        _enqueue(app, run_id, carrier, [s for s in part if s.reference in to_send])
    return references


def _enqueue(app: object, run_id: str, carrier: str, part: list[Shipment]) -> None:
    """One task for ``part`` (none when it is empty)."""
    if part:
        payload = [s.model_dump(mode="json", exclude_none=True) for s in part]
        app.send_task(TASK, args=(run_id, carrier, payload), queue=QUEUE)  # type: ignore[attr-defined]


def _hand_out_orphans(
    app: object, journal: Journal, run_id: str, references: list[str], sizing: Mapping[str, Shipper]
) -> None:
    """Enqueue again, in new parts, this run's shipments that no worker finished and no live one holds."""
    orphans: dict[str, list[Shipment]] = {}
    for entry in journal.find(references).values():
        if entry.state in UNFINISHED and not journal.held_by_other(entry):
            orphans.setdefault(entry.carrier, []).append(entry.shipment())
    if orphans:
        logger.warning(
            "fleet run %s: no shipment settled for a while; handing out again %d that no live worker holds",
            run_id,
            sum(map(len, orphans.values())),
        )
    for carrier, shipments in orphans.items():
        for part in _parts(shipments, sizing[carrier]):
            _enqueue(app, run_id, carrier, part)


class _Stalls:
    """Calls ``act`` when nothing settled for ``pause`` seconds; once it acted (True), the next pause is
    twice as long."""

    def __init__(self, pause: float, act: Callable[[], bool]) -> None:
        self.pause = pause
        self.act = act
        self.since = time.monotonic()

    def progressed(self) -> None:
        self.since = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.since >= self.pause:
            if self.act():
                self.pause *= 2
            self.since = time.monotonic()


def _wait(
    progress: Progress,
    run_id: str,
    total: int,
    on_progress: OnProgress | None,
    wait: float,
    stalls: _Stalls,
) -> None:
    deadline = time.monotonic() + wait
    last = -1
    while True:
        done = progress.settled(run_id)
        if done != last:
            stalls.progressed()
            if on_progress is not None:
                on_progress(done, total)
        last = done
        if done >= total or time.monotonic() > deadline:
            break
        stalls.check()
        time.sleep(POLL_SECONDS)
    if done >= total:
        progress.forget(run_id)
