"""A fleet worker's state and its unit of work: ship one part of a run, idempotently, through the journal.

One journal (one owner, renewing its leases) and one set of shippers per worker process, shared by its
threads. A part runs through the ordinary runner with the journal, so a delivery is idempotent:

- shipments the journal has as ``intent`` (or ``failed``) are sent;
- those left ``sending``, ``created`` or ``pending`` (by a worker killed mid-batch, whose task came back)
  are reconciled with the carrier from the ids the journal kept, never resent blindly;
- those already final are only reported;
- those a live worker holds (its lease runs, or it is alive on this host) are ``busy``: returned to the task,
  which looks at them again after ``busy_wait``, by when the holder settled them or its lease lapsed.

To the journal a worker process is one owner, so two of its tasks holding the same shipment would look like
one run given that shipment twice (a conflict, failed without being sent). That happens whenever a part
outlives the visibility timeout and Redis hands it again to the worker still shipping it. So the process
keeps the references its tasks are shipping (``Shipping``); a task finds those busy too, before the journal
is asked, and looks again later like for any other holder.

A worker that dies on another machine is only known dead when its lease lapses; the visibility timeout
exceeds the lease (``FleetConfig``), so the redelivered task normally finds the holds lapsed already.

A worker builds its carriers' shippers when it starts (``FleetWorker.prepare``), before it takes a task:
the imports and client setup cost each carrier hundreds of milliseconds of CPU, which each worker's first
part of that carrier paid otherwise, inside a run (four workers starting on a run at once paid it four
times over, on the same cores as the run).

The parts of one fleet run that a worker ships count as one run for each carrier's circuit
(``RunCircuits``): the first part probes the credentials and the later ones send at full concurrency, as
one process shipping the whole file would. A circuit per part made every part wait for its probe's answer
before its other batches went out (a part of two calls at 100 ms each took 200 ms instead of 100); and a
wrong credential still costs one request per carrier on each worker, not one per part.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any, Final

from shipspec_shipping_models import Shipment, ShipmentResult

from ..circuit import Circuit
from ..config import CARRIERS
from ..errors import ShipspecError
from ..journal import Journal, open_journal
from ..shipping.runner import ShipperSource, ship
from .app import QUEUE, celery_app
from .config import FleetConfig, fleet_settings
from .progress import Progress

__all__ = ["DEFAULT_THREADS", "FleetWorker", "RunCircuits", "Shipping", "current", "install", "run_worker"]

DEFAULT_THREADS = 8
"""Parts a worker ships at once (each with its carrier's own concurrency inside)."""
KEPT_RUNS: Final = 64
"""Fleet runs whose circuits a worker keeps (the most recently used): runs overlap rarely, and a run whose
circuits were dropped only probes again."""

logger = logging.getLogger("shipspec")
_current: FleetWorker | None = None
_lock = threading.Lock()


class Shipping:
    """The references the tasks of this process are shipping now (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._references: set[str] = set()

    def take(self, references: Iterable[str]) -> tuple[set[str], set[str]]:
        """Take the references no other task of this process is shipping: (taken, left to that task)."""
        wanted = set(references)
        with self._lock:
            busy = wanted & self._references
            taken = wanted - busy
            self._references |= taken
        return taken, busy

    def let_go(self, references: Iterable[str]) -> None:
        with self._lock:
            self._references -= set(references)


class RunCircuits:
    """Each fleet run's carrier circuits in this process, shared by the parts of the run it ships."""

    def __init__(self, kept: int = KEPT_RUNS) -> None:
        self._lock = threading.Lock()
        self._kept = kept
        self._runs: OrderedDict[str, dict[str, Circuit]] = OrderedDict()

    def of(self, run_id: str, carrier: str) -> Circuit:
        with self._lock:
            circuits = self._runs.setdefault(run_id, {})
            self._runs.move_to_end(run_id)
            while len(self._runs) > self._kept:
                self._runs.popitem(last=False)
            if carrier not in circuits:
                circuits[carrier] = Circuit(carrier)
            return circuits[carrier]


class FleetWorker:
    """The journal, shippers and progress reporting of one worker process."""

    def __init__(self, config: FleetConfig, settings: Mapping[str, Mapping[str, str]]) -> None:
        self.config = config
        self.journal: Journal = open_journal(config.journal, lease=config.lease)
        self._shippers = ShipperSource(settings=fleet_settings(settings, config.broker))
        self._shippers_lock = threading.Lock()
        self._progress = Progress(config.broker)
        self._shipping = Shipping()
        self._circuits = RunCircuits()
        self._configured = [carrier for carrier in CARRIERS if settings.get(carrier)]

    def prepare(self) -> list[str]:
        """Build the shipper of every carrier that has settings; the carriers ready. One that cannot be
        built is named in a warning, and its parts fail with the reason as they come (nothing is sent)."""
        ready = []
        for carrier in self._configured:
            try:
                with self._shippers_lock:
                    self._shippers.get(carrier)
            except ShipspecError as error:
                logger.warning("%s is not set up on this worker (its parts fail here): %s", carrier, error)
            else:
                ready.append(carrier)
        return ready

    def ship_part(self, run_id: str, carrier: str, payload: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Ship or reconcile the part; report what is settled; return the shipments a live worker holds."""
        taken, here = self._shipping.take(str(item.get("reference")) for item in payload)
        try:
            busy = here | self._ship(run_id, carrier, [i for i in payload if i.get("reference") in taken])
        finally:
            self._shipping.let_go(taken)
        if here:
            logger.info(
                "%d %s shipments are being shipped by this worker: looking again later", len(here), carrier
            )
        if busy - here:
            logger.info(
                "%d %s shipments are held by another live worker: looking again later",
                len(busy - here),
                carrier,
            )
        return [item for item in payload if item.get("reference") in busy]

    def _ship(self, run_id: str, carrier: str, payload: list[dict[str, Any]]) -> set[str]:
        """Ship or reconcile these shipments, report what is settled; the references another run holds."""
        if not payload:
            return set()
        shipments = [Shipment.model_validate(item) for item in payload]
        with self._shippers_lock:
            shipper = self._shippers.get(carrier)
        earlier: list[ShipmentResult] = []
        settled = [
            result.reference
            for result in ship(
                shipments,
                shippers={carrier: shipper},
                journal=self.journal,
                on_earlier=earlier.append,
                circuits={carrier: self._circuits.of(run_id, carrier)},
            )
        ]
        busy = {result.reference for result in earlier if result.status == "pending"}
        settled += [result.reference for result in earlier if result.reference not in busy]
        self._progress.report(run_id, settled)
        return busy

    def give_up(self, run_id: str, payload: list[dict[str, Any]]) -> None:
        """Stop waiting for shipments held elsewhere: the coordinator reports them from the journal."""
        logger.warning("%d shipments stayed held by another worker; left to it", len(payload))
        self._progress.report(run_id, [str(item.get("reference")) for item in payload])

    def close(self) -> None:
        for shipper in self._shippers.shippers.values():
            close = getattr(shipper, "close", None)  # not part of the protocols: shippers with connections
            if callable(close):
                with contextlib.suppress(Exception):
                    close()
        self._progress.close()
        self.journal.close()


def install(worker: FleetWorker) -> None:
    """Make ``worker`` the one this process's tasks use."""
    global _current
    with _lock:
        _current = worker


def current() -> FleetWorker:
    """This process's worker (``shipspec worker`` installs it before it takes tasks)."""
    if _current is None:
        raise RuntimeError("no fleet worker in this process: start it with `shipspec worker`")
    return _current


def run_worker(
    config: FleetConfig,
    settings: Mapping[str, Mapping[str, str]],
    *,
    threads: int = DEFAULT_THREADS,
    name: str | None = None,
    loglevel: str = "INFO",
) -> None:
    """Run a Celery worker of ``config``'s fleet in this process until it is stopped (SIGTERM, Ctrl-C)."""
    worker = FleetWorker(config, settings)
    worker.prepare()
    install(worker)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per carrier call drowns the task lines
    argv = [
        "worker",
        "--pool=threads",
        f"--concurrency={threads}",
        f"--loglevel={loglevel}",
        "--without-gossip",
        "--without-mingle",
        f"--queues={QUEUE}",
    ]
    if name:
        argv.append(f"--hostname={name}")
    try:
        celery_app(config).worker_main(argv)
    finally:
        worker.close()
