"""The batch runner: ship any iterable of shipments through their carriers, streamed, one result each.

Shipments are read lazily and grouped per carrier into batches of the shipper's ``batch_size`` (adjacent
shipments a shipper groups, e.g. one WeChat order, stay in one batch: see ``batching``); each carrier
runs at most ``concurrency`` batches at once, and at most ``IN_FLIGHT_BATCHES_PER_SLOT`` batches per
concurrency slot (or, for small batches, ``READ_AHEAD_SHIPMENTS`` shipments) are held in memory, so 100,000
rows cost what 10,000 do. Results are yielded as batches
finish (not in input order: each carries its shipment's ``reference``). A failed item, or even a shipper
that raises, never aborts the run: every input gets exactly one result.

When the caller stops reading early (``close()``, leaving the loop, an exception such as Ctrl-C), batches
not yet sent are dropped (their shipments were never sent), and batches already sending are waited for:
their shipments may really have shipped, so their results (and those of finished batches not yet read)
go to ``on_unclaimed`` (default: a WARNING line per result on the ``shipspec`` logger) instead of
vanishing. ``on_stopping`` hears first how many are still sending and how long they are waited for at most:
the longest deadline of their shippers (``deadline_seconds``) plus ``STOP_GRACE_SECONDS``. A batch still
sending when that wait ends, or is itself interrupted (a second Ctrl-C), is handed over as ``pending``
(with its carrier batch id when the shipper noted one, see ``inflight``), never left out. When the input
itself raises (a bad item, a failing reader), the shipments already sent are finished and their results
yielded first; then the exception propagates.

With a ``journal`` (``shipspec.journal``) every batch is claimed and recorded ``sending`` in one commit right
before it is sent, and its outcome right after the answer, in the worker (the reading thread never waits for
the journal), whether or not the caller reads the result. A shipment an earlier run recorded as shipped is
not sent again (its recorded result is given instead); one left uncertain is reconciled with its carrier
first (see ``journaled`` and ``lanes``). A journal that cannot record a batch stops the run like an input
that raises: that batch is not sent (its shipments fail with the ``JournalError``), the batches already
sending are finished, then the error propagates.

Each carrier gets a ``Circuit`` for the run (``shipspec.circuit``), which the retrying transport keeps:
once the carrier refused our credentials, or while it cannot be reached, its requests are refused before
they are sent, so its remaining shipments fail at once. Other carriers are not affected.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from concurrent.futures import Future, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from shipspec_shipping_models import Shipment, ShipmentResult

from ..circuit import Circuit, guarded_by
from ..config import build_shipper, load_settings
from ..errors import InputError, JournalError, ShipspecError
from ..journal import Journal, open_journal
from ..journal.offload import off_loop
from ..settings import STOP_GRACE_SECONDS
from . import journaled
from .ahead import Starts
from .capabilities import Shipper
from .completions import AsyncCompletions, Completions
from .inflight import Sending, sending
from .intake import ShipmentLike, accepted
from .journaled import Done, Work
from .lanes import Lanes
from .linger import DEFAULT_LINGER_SECONDS, AsyncLingerTimer, Buffers, CarrierEnd, LingerThread
from .results import failed, pending
from .workers import Workers

# Batches submitted but not finished, per concurrency slot: enough to keep every slot busy while results
# drain, small enough that memory does not grow with the input.
IN_FLIGHT_BATCHES_PER_SLOT = 2
# Small batches may wait for a slot up to this many shipments per carrier: the runner reads on past a busy
# carrier's rows, so another carrier's batch (DeftShip's 1,000) fills and starts while the busy one works
# through its queue instead of after the input ends (``make bench``: the last DeftShip batch's protocol ran
# alone after every other carrier at 100 ms per call). A constant, so memory still does not grow with the
# input.
READ_AHEAD_SHIPMENTS = 1_000

__all__ = ["CarrierEnd", "JournalLike", "ShipperSource", "Stopping", "Unclaimed", "aship", "ship"]

JournalLike = Journal | str | Path
"""An open journal, or where to open one (a SQLite path or a ``postgresql://`` URL)."""

Unclaimed = Callable[[ShipmentResult], object]
"""Receives each result of a batch that finished after the caller stopped reading."""
Stopping = Callable[[int, float | None], object]
"""Hears, when the caller stopped reading, how many batches are still sending and the most seconds they
are waited for (None: no bound)."""

logger = logging.getLogger("shipspec")


def _log_stopping(batches: int, bound: float | None) -> None:
    limit = "" if bound is None else f" (at most {bound:g} s)"
    logger.warning("stopping: waiting for %d batches in flight%s", batches, limit)


def _stop_bound(shippers: Iterable[Shipper]) -> float | None:
    """How long batches still sending are waited for: the longest deadline of their shippers, plus grace."""
    deadlines = [getattr(shipper, "deadline_seconds", None) for shipper in shippers]
    if not deadlines or any(not isinstance(seconds, int | float) for seconds in deadlines):
        return None
    return max(float(seconds) for seconds in deadlines if seconds is not None) + STOP_GRACE_SECONDS


def _in_flight_limit(shipper: Shipper) -> int:
    """How many of a carrier's batches may be submitted and not finished (see ``READ_AHEAD_SHIPMENTS``)."""
    return max(shipper.concurrency * IN_FLIGHT_BATCHES_PER_SLOT, READ_AHEAD_SHIPMENTS // shipper.batch_size)


def _run_work(
    shipper: Shipper,
    work: Work,
    journal: Journal | None,
    circuit: Circuit,
    record: Sending,
    future: Future[Done],
    starter: journaled.Starter | None,
) -> None:
    """Run one batch in a worker thread for a future the runner registered *before* handing it over, so
    a Ctrl-C between the two never leaves a batch sending that nobody waits for; a future cancelled
    meanwhile (the run stopped) is not run: nothing is sent. The batch runs inside the carrier's circuit,
    noting what the runner hands over if it is left; the future gets its ``Done`` once the outcomes are
    recorded (``journaled.record_then``), while this thread takes the next batch. ``starter``: its journal
    start, made with the batches queued behind it (see ``ahead``)."""
    if not future.set_running_or_notify_cancel():
        return
    try:
        with guarded_by(circuit), sending(record):
            done = journaled.attempt(shipper, work, journal, starter)
        journaled.record_then(done, journal, future.set_result)
    except BaseException as error:  # as ThreadPoolExecutor's work items do: the runner reads it
        future.set_exception(error)


_Batch = Future[Done] | asyncio.Task[Done]
LEFT_TO_RECONCILE = (
    "an earlier run left it uncertain and this run stopped before reconciling it; a later run does"
)


def _left(started: Iterable[tuple[_Batch, Sending]], lanes: Lanes, report: Unclaimed) -> list[ShipmentResult]:
    """The results of the batches that completed (what the journal had already goes to ``report``);
    ``pending`` for those still sending (or interrupted) and for those held for reconciling."""
    left: list[ShipmentResult] = []
    for batch, record in started:
        if batch.done() and not batch.cancelled() and batch.exception() is None:
            done = batch.result()
            left.extend(done.results)
            left.extend(pending(claim.shipment, LEFT_TO_RECONCILE) for claim in done.reconcile)
            for result in done.earlier:
                report(result)
        else:
            left.extend(record.left_pending())
    return left + [pending(shipment, LEFT_TO_RECONCILE) for shipment in lanes.waiting()]


def _starter(starts: Starts | None, work: Work) -> journaled.Starter | None:
    """How a queued batch gets its journal start (with a journal): made with the batches around it."""
    return None if starts is None else partial(starts.claims, starts.queued(work))


def _give_back(starts: Iterable[Starts]) -> None:
    """Put back to ``intent`` what was started ahead for batches no worker took before the run stopped
    (never sent); a journal that fails now leaves them ``sending``, which a later run reconciles."""
    for carrier_starts in starts:
        try:
            carrier_starts.give_back()
        except JournalError as error:
            logger.warning("%s; batches started ahead stay sending (a later run reconciles them)", error)


def _take(done: Done, ready: deque[ShipmentResult], report: Unclaimed, stopped: list[JournalError]) -> None:
    """A finished batch: its results for the caller, what the journal had already to ``report``, and the
    journal's failure to record it (the run stops) in ``stopped``."""
    ready.extend(done.results)
    for result in done.earlier:
        report(result)
    if done.journal_error is not None and not stopped:
        stopped.append(done.journal_error)


def _log_unclaimed(result: ShipmentResult) -> None:
    logger.warning(
        "result not read by the caller (it stopped early): %s %s %s %s",
        result.carrier,
        result.reference,
        result.status,
        result.tracking_number or result.batch_id or "",
    )


def _hand_over(results: Iterable[ShipmentResult], on_unclaimed: Unclaimed | None) -> None:
    for result in results:
        (on_unclaimed or _log_unclaimed)(result)


def _journal(journal: JournalLike | None, stack: ExitStack) -> Journal | None:
    """The journal to use: the one given, or one opened here (closed when the run ends)."""
    if journal is None or isinstance(journal, Journal):
        return journal
    return stack.enter_context(open_journal(journal))


@dataclass
class ShipperSource:
    """Where the runner gets each carrier's shipper: given ones first, else built from settings once."""

    shippers: dict[str, Shipper] = field(default_factory=dict)
    settings: Mapping[str, Mapping[str, str]] | None = None

    def get(self, carrier: str) -> Shipper:
        if carrier not in self.shippers:
            settings = self.settings if self.settings is not None else load_settings()
            self.shippers[carrier] = build_shipper(carrier, settings.get(carrier, {}))
        return self.shippers[carrier]


def _wrong_carrier(shipment: Shipment, carrier: str) -> ShipmentResult:
    problem = f"this run ships {carrier}; the shipment is for {shipment.carrier}"
    return failed(shipment, InputError({"carrier": problem}))


def ship(
    shipments: Iterable[ShipmentLike | CarrierEnd],
    *,
    carrier: str | None = None,
    shippers: Mapping[str, Shipper] | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    on_unclaimed: Unclaimed | None = None,
    journal: JournalLike | None = None,
    on_earlier: Unclaimed | None = None,
    linger: float | None = DEFAULT_LINGER_SECONDS,
    on_stopping: Stopping | None = None,
    circuits: Mapping[str, Circuit] | None = None,
) -> Generator[ShipmentResult, None, None]:
    """Ship every shipment through its carrier and yield one result per shipment as batches finish.

    Items are ``Shipment``s or mappings validated into one (an invalid mapping is a ``failed`` result naming
    the field paths; one that names no reference and known carrier raises ``InputError``, see ``intake``).
    ``carrier`` restricts the run to one carrier (other shipments fail with ``invalid_request``);
    ``shippers`` supplies ready shippers by carrier; otherwise they are built from ``settings``
    (default: ``shipspec.config.load_settings()``, i.e. ``SHIPSPEC_<CARRIER>_…`` environment variables).
    Stopping early (``close()``, leaving a ``for`` loop, an exception) waits for the batches already
    sending (telling ``on_stopping`` first; bounded) and passes their results to ``on_unclaimed`` (see the
    module docstring).
    ``journal``: a ``Journal``, a SQLite path or a ``postgresql://`` URL (see ``shipspec.journal``);
    results an earlier run recorded as final go to ``on_earlier`` when given, else they are yielded.
    A carrier's partial batch is sent after ``linger`` seconds without a new shipment for it, or at once
    after a ``CarrierEnd(carrier)`` item (see ``shipspec.shipping.linger``).
    ``circuits``: carriers' circuits this run shares with others that count as one run with it (the parts
    of one fleet run on a worker: their credentials, once proven, need no probe per part); every other
    carrier gets its own circuit for this run (see ``shipspec.circuit``).
    """
    source = ShipperSource(dict(shippers or {}), settings)
    pools: dict[str, Workers] = {}
    starts: dict[str, Starts] = {}  # with a journal: each carrier's queued batches, started in groups
    batchers = Buffers(linger)
    lanes = Lanes()
    run_circuits: dict[str, Circuit] = dict(circuits or {})
    in_flight: Completions[Done, Sending] = Completions()  # each batch's future, with its shipments
    ready: deque[ShipmentResult] = deque()
    stopped: list[JournalError] = []  # a batch the journal could not record: the run stops
    limit = 0
    stack = ExitStack()
    enqueuing = threading.Lock()  # the linger thread sends too: one batch at a time through a lane

    with stack:
        journal_ = _journal(journal, stack)
        report = on_earlier or ready.append

        def enqueue(name: str, works: Iterable[Work]) -> None:
            with enqueuing:
                for work in works:
                    lanes.submitted(name, work)
                    record = Sending(work.shipments)
                    future: Future[Done] = Future()
                    in_flight[future] = record  # registered first: see _run_work
                    starter = _starter(starts.get(name), work)
                    batch = (source.get(name), work, journal_, run_circuits[name], record, future, starter)
                    pools[name].submit(partial(_run_work, *batch))

        def collect(block: bool) -> None:
            for future in in_flight.finished(block):  # each one out of in_flight first: see the hand-over
                done = future.result()  # journaled.run raises nothing but BaseExceptions
                _take(done, ready, report, stopped)
                enqueue(done.carrier, lanes.finished(done))

        def send(name: str, batch: list[Shipment]) -> None:
            enqueue(name, [Work(batch)])

        failure: Exception | None = None
        timer = LingerThread(batchers, send)
        try:
            for position, item in enumerate(_guarded(shipments)):
                if isinstance(item, _Failure):
                    failure = item.error
                    break
                if isinstance(item, CarrierEnd):
                    if rest := batchers.end(item.carrier):
                        send(item.carrier, rest)
                    continue
                try:
                    shipment = accepted(item, position)
                except InputError as error:
                    failure = error
                    break
                if isinstance(shipment, ShipmentResult):  # a mapping that is no valid Shipment
                    yield shipment
                    continue
                if carrier is not None and shipment.carrier != carrier:
                    yield _wrong_carrier(shipment, carrier)
                    continue
                name: str = shipment.carrier
                if name not in pools:
                    try:
                        shipper = source.get(name)
                    except ShipspecError as exc:  # e.g. missing settings: every shipment of it fails clearly
                        yield failed(shipment, exc)
                        continue
                    pools[name] = Workers(shipper.concurrency, f"ship-{name}")
                    if journal_ is not None:
                        starts[name] = Starts(journal_)
                    lanes.open(name, shipper.batch_size)
                    run_circuits.setdefault(name, Circuit(name))
                    batchers.open(name, shipper)
                    limit += _in_flight_limit(shipper)
                for batch in batchers.add(name, shipment):
                    send(name, batch)
                while ready:
                    yield ready.popleft()
                if len(in_flight) >= limit:
                    with batchers.held():  # waiting for a slot, not for input: nothing lingers
                        while len(in_flight) >= limit:
                            collect(block=True)
                            while ready:
                                yield ready.popleft()
                if in_flight:
                    collect(block=False)
                if stopped:
                    break
            timer.stop()  # joined: a batch it was sending is in in_flight now
            failure = failure or (stopped[0] if stopped else None)
            if failure is None:  # the input ended: what is buffered goes now
                for name, rest in batchers.flush():
                    send(name, rest)
                for name, work in lanes.end():
                    enqueue(name, [work])
            while in_flight or ready:
                if not ready:
                    collect(block=True)
                while ready:
                    yield ready.popleft()
            failure = failure or (stopped[0] if stopped else None)
        finally:
            timer.stop()
            for pool in pools.values():
                pool.shutdown()
            for future in in_flight:
                future.cancel()  # only one not started yet: it was never sent, drop it
            started = {future: record for future, record in in_flight.items() if not future.cancelled()}
            bound = _stop_bound(source.shippers[n] for n in pools)
            try:
                if busy := sum(not future.done() for future in started):
                    (on_stopping or _log_stopping)(busy, bound)
                wait(started, timeout=bound)
                _give_back(starts.values())
            finally:  # even when interrupted (a second Ctrl-C): a batch still sending is pending, not missing
                left = _left(started.items(), lanes, report)
                _hand_over([*ready, *left], on_unclaimed)
        if failure is not None:
            raise failure


@dataclass(frozen=True)
class _Failure:
    """The input iterable raised: the runner finishes what was sent, then re-raises ``error``."""

    error: Exception


def _guarded(
    shipments: Iterable[ShipmentLike | CarrierEnd],
) -> Iterator[ShipmentLike | CarrierEnd | _Failure]:
    """The input's items, then a ``_Failure`` instead of letting its exception cut the runner short."""
    try:
        yield from shipments
    except Exception as error:
        yield _Failure(error)


async def _aguarded(
    shipments: Iterable[ShipmentLike | CarrierEnd] | AsyncIterable[ShipmentLike | CarrierEnd],
) -> AsyncIterator[ShipmentLike | CarrierEnd | _Failure]:
    try:
        if isinstance(shipments, AsyncIterable):
            async for shipment in shipments:
                yield shipment
        else:
            for shipment in shipments:
                yield shipment
    except Exception as error:
        yield _Failure(error)


async def _arun_batch(
    shipper: Shipper,
    work: Work,
    journal: Journal | None,
    slots: asyncio.Semaphore,
    started: set[asyncio.Task[object]],
    circuit: Circuit,
    record: Sending,
    starter: journaled.Starter | None,
) -> Done:
    async with slots:
        task = asyncio.current_task()
        if task is not None:
            started.add(task)
        with guarded_by(circuit), sending(record):
            done = await journaled.aattempt(shipper, work, journal, starter)
    return await journaled.arecorded(done, journal)  # its slot is free for the next batch meanwhile


async def aship(
    shipments: Iterable[ShipmentLike | CarrierEnd] | AsyncIterable[ShipmentLike | CarrierEnd],
    *,
    carrier: str | None = None,
    shippers: Mapping[str, Shipper] | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    on_unclaimed: Unclaimed | None = None,
    journal: JournalLike | None = None,
    on_earlier: Unclaimed | None = None,
    linger: float | None = DEFAULT_LINGER_SECONDS,
    on_stopping: Stopping | None = None,
    circuits: Mapping[str, Circuit] | None = None,
) -> AsyncGenerator[ShipmentResult, None]:
    """The async twin of :func:`ship`: same batching, per-carrier concurrency, journal and one result per
    shipment. Stopping early cancels the batches still waiting for a slot and waits for those already
    sending (as :func:`ship` does: bounded, and a batch still sending then is handed over ``pending``).
    ``circuits`` as for :func:`ship`."""
    source = ShipperSource(dict(shippers or {}), settings)
    slots: dict[str, asyncio.Semaphore] = {}
    starts: dict[str, Starts] = {}  # as in ``ship``
    batchers = Buffers(linger)
    lanes = Lanes()
    run_circuits: dict[str, Circuit] = dict(circuits or {})
    in_flight: AsyncCompletions[Done, Sending] = AsyncCompletions()  # each batch's task, with its shipments
    started: set[asyncio.Task[object]] = set()
    ready: deque[ShipmentResult] = deque()
    stopped: list[JournalError] = []
    limit = 0

    with ExitStack() as stack:
        journal_ = _journal(journal, stack)
        report = on_earlier or ready.append

        def enqueue(name: str, works: Iterable[Work]) -> None:
            for work in works:
                lanes.submitted(name, work)
                record = Sending(work.shipments)
                coroutine = _arun_batch(
                    source.get(name),
                    work,
                    journal_,
                    slots[name],
                    started,
                    run_circuits[name],
                    record,
                    _starter(starts.get(name), work),
                )
                task = asyncio.ensure_future(coroutine)
                in_flight[task] = record

        async def collect(block: bool) -> None:
            for task in await in_flight.finished(block):
                done = task.result()
                _take(done, ready, report, stopped)
                enqueue(done.carrier, lanes.finished(done))

        def send(name: str, batch: list[Shipment]) -> None:
            enqueue(name, [Work(batch)])

        failure: Exception | None = None
        timer = AsyncLingerTimer(batchers, send)
        try:
            position = 0
            async for item in _aguarded(shipments):
                if isinstance(item, _Failure):
                    failure = item.error
                    break
                if isinstance(item, CarrierEnd):
                    if rest := batchers.end(item.carrier):
                        send(item.carrier, rest)
                    continue
                try:
                    shipment = accepted(item, position)
                except InputError as error:
                    failure = error
                    break
                position += 1
                if isinstance(shipment, ShipmentResult):
                    yield shipment
                    continue
                if carrier is not None and shipment.carrier != carrier:
                    yield _wrong_carrier(shipment, carrier)
                    continue
                name: str = shipment.carrier
                if name not in slots:
                    try:
                        shipper = source.get(name)
                    except ShipspecError as exc:
                        yield failed(shipment, exc)
                        continue
                    slots[name] = asyncio.Semaphore(shipper.concurrency)
                    if journal_ is not None:
                        starts[name] = Starts(journal_)
                    lanes.open(name, shipper.batch_size)
                    run_circuits.setdefault(name, Circuit(name))
                    batchers.open(name, shipper)
                    limit += _in_flight_limit(shipper)
                for batch in batchers.add(name, shipment):
                    send(name, batch)
                while ready:
                    yield ready.popleft()
                if len(in_flight) >= limit:
                    with batchers.held():
                        while len(in_flight) >= limit:
                            await collect(block=True)
                            while ready:
                                yield ready.popleft()
                if in_flight:
                    await collect(block=False)
                if stopped:
                    break
            await timer.stop()
            failure = failure or (stopped[0] if stopped else None)
            if failure is None:
                for name, rest in batchers.flush():
                    send(name, rest)
                for name, work in lanes.end():
                    enqueue(name, [work])
            while in_flight or ready:
                if not ready:
                    await collect(block=True)
                while ready:
                    yield ready.popleft()
            failure = failure or (stopped[0] if stopped else None)
        finally:
            await timer.stop()
            for task in in_flight:
                if task not in started:
                    task.cancel()  # still waiting for a slot: nothing was sent
            sending_now = {task: record for task, record in in_flight.items() if task in started}
            bound = _stop_bound(source.shippers[n] for n in slots)
            try:
                if busy := sum(not task.done() for task in sending_now):
                    (on_stopping or _log_stopping)(busy, bound)
                if in_flight:
                    await asyncio.wait(list(in_flight), timeout=bound)
            finally:  # even when the wait is cancelled: a batch still sending is pending, not missing
                for task in sending_now:
                    if not task.done():
                        task.cancel()  # left to a later run, which resolves it
                await asyncio.gather(*in_flight, return_exceptions=True)  # cancelled ones end here
                left = _left(sending_now.items(), lanes, report)
                _hand_over([*ready, *left], on_unclaimed)
                if starts:  # every task has ended: none takes a batch now (interrupted: they stay sending)
                    await off_loop(journal_, partial(_give_back, starts.values()))
        if failure is not None:
            raise failure
