"""One batch's work with the journal around it: the runner's unit of work, sync and async.

- ``Work`` is what the runner submits: a batch as the input gave it, or shipments an earlier run left
  uncertain, claimed already, to reconcile (with the batch id the journal kept, if any).
- Before a send, in the worker, the journal claims the batch and records ``sending`` in one commit
  (``Journal.start``): only what this run may send goes out; what the journal already has (final earlier,
  held by another run, a reference used twice) is reported without sending; what an earlier run left
  uncertain goes back to the runner (``Done.reconcile``), which groups it per carrier batch (``lanes``).
- The shipper runs inside ``recording(journal)`` so it can record carrier ids the moment they are named; the
  results are recorded as soon as the shipper returns, so they are durable even if the caller never reads
  them: ``run`` waits for that commit, ``record_then`` (the runner's workers) queues it and hands the ``Done``
  over once it is committed (``Journal.settle_soon``), so the worker takes its next batch meanwhile and
  one commit records many outcomes.
- A shipper that raises after the carrier named a batch gives ``pending`` with that batch id, never a bare
  ``failed``: resubmitting could ship the batch twice.
- A shipper that cannot reconcile (no ``Reconciler``) leaves such shipments ``pending``: never a blind resend.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from shipspec_shipping_models import Shipment, ShipmentResult

from ..errors import InputError, JournalError, ShipspecError, UnknownCarrierError
from ..journal import Claim, Journal, recording
from ..journal.offload import off_loop
from .capabilities import Reconciler, Shipper
from .results import failed, pending

__all__ = [
    "Done",
    "Starter",
    "Work",
    "aattempt",
    "arecorded",
    "arun",
    "attempt",
    "record_then",
    "reported",
    "run",
]

logger = logging.getLogger("shipspec")


@dataclass(frozen=True)
class Work:
    """A batch for one shipper: ``reconcile`` when an earlier run may have sent it (``batch_id`` then names
    the carrier batch the journal recorded; its shipments are claimed already)."""

    shipments: list[Shipment]
    reconcile: bool = False
    batch_id: str | None = None


@dataclass(frozen=True)
class Done:
    """What one ``Work`` gave: ``results`` of the shipments sent or reconciled; ``earlier``, results of
    those not sent because the journal has them already (see ``reported``); ``reconcile``, claims of
    those an earlier run left uncertain, now held by this run, for the runner to reconcile."""

    carrier: str
    work: Work
    results: list[ShipmentResult]
    earlier: list[ShipmentResult] = field(default_factory=list)
    reconcile: list[Claim] = field(default_factory=list)
    journal_error: JournalError | None = None
    """The journal could not record the batch (nothing of it was sent): the run stops (see ``runner``)."""


def reported(claim: Claim) -> ShipmentResult:
    """The result of a claimed shipment that is not sent: recorded earlier, held elsewhere, or in conflict."""
    if claim.action is None:
        return failed(claim.shipment, InputError({"reference": claim.conflict or "used by another carrier"}))
    entry = claim.entry
    assert entry is not None
    if claim.action == "done":
        recorded = entry.result()
        if recorded is not None:
            return recorded
        status = "shipped" if entry.state == "shipped" else "already_shipped"
        return ShipmentResult(reference=entry.reference, carrier=claim.shipment.carrier, status=status)
    return pending(
        claim.shipment, "another run is shipping it now (held in the journal); its result is there"
    )


def _checked(
    shipper: Shipper, batch: Sequence[Shipment], results: list[ShipmentResult]
) -> list[ShipmentResult]:
    """Hold a shipper to its contract: one result per input, matched by reference."""
    if len(results) == len(batch) and all(
        r.reference == s.reference for r, s in zip(results, batch, strict=True)
    ):
        return results
    by_reference = {result.reference: result for result in results}
    problem = UnknownCarrierError(
        carrier=shipper.carrier,
        operation="ship_batch",
        code=None,
        message="the shipper returned no result for this shipment",
    )
    return [by_reference.get(s.reference) or failed(s, problem) for s in batch]


def _crashed(
    carrier: str, batch: Sequence[Shipment], exc: BaseException, batch_ids: Mapping[str, str] | None
) -> list[ShipmentResult]:
    """Results for a batch whose shipper raised: a typed error keeps its kind, anything else is unknown;
    a shipment whose carrier batch the journal knows (``batch_ids``, see ``_known_batches``) is ``pending``
    with it (follow it, never resend). When the journal could not be read (``None``), every shipment is
    ``pending``: a batch may exist that nothing here knows of, so it is reconciled, never resent blindly."""
    error = (
        exc
        if isinstance(exc, ShipspecError)
        else UnknownCarrierError(
            carrier=carrier, operation="ship_batch", code=None, message=f"{type(exc).__name__}: {exc}"
        )
    )
    if batch_ids is None:
        why = f"the shipper stopped ({error}) and the journal could not be read for what the carrier created"
        return [pending(shipment, why) for shipment in batch]
    results = []
    for shipment in batch:
        batch_id = batch_ids.get(shipment.reference)
        if batch_id is not None:
            why = f"the shipper stopped after the carrier created batch {batch_id}: {error}"
            results.append(pending(shipment, why).model_copy(update={"batch_id": batch_id}))
        else:
            results.append(failed(shipment, error))
    return results


def _known_batches(journal: Journal | None, batch: Sequence[Shipment]) -> dict[str, str] | None:
    """The carrier batch ids the journal recorded for these shipments (one read); None if it failed."""
    if journal is None:
        return {}
    try:
        entries = journal.find([shipment.reference for shipment in batch])
    except JournalError as error:
        logger.error("%s; reading what the carrier created for a failed batch", error)
        return None
    return {reference: entry.batch_id for reference, entry in entries.items() if entry.batch_id is not None}


def _cannot_reconcile(shipper: Shipper, work: Work) -> list[ShipmentResult]:
    why = (
        f"an earlier run may have sent it and {type(shipper).__name__} cannot reconcile it "
        "(no reconcile_batch); "
        "check with the carrier before sending it again"
    )
    return [pending(s, why).model_copy(update={"batch_id": work.batch_id}) for s in work.shipments]


def _settled(results: list[ShipmentResult], journal: Journal | None) -> list[ShipmentResult]:
    """Record the outcomes; a journal that fails now leaves them uncertain there (a later run reconciles
    them) but they are still returned: they really happened."""
    if journal is not None:
        try:
            journal.settle(results)
        except JournalError as error:
            _not_recorded(error, results)
    return results


def _not_recorded(error: JournalError, results: Sequence[ShipmentResult]) -> None:
    logger.error("%s; %d results not recorded (a later run reconciles them)", error, len(results))


def _to_record(done: Done, journal: Journal | None) -> bool:
    """Whether ``done`` has outcomes for the journal (not when it could not even record the start)."""
    return journal is not None and bool(done.results) and done.journal_error is None


@dataclass(frozen=True)
class _Started:
    """A batch after ``Journal.start``: what to send now, and what the runner gets back without sending."""

    send: list[Shipment]
    earlier: list[ShipmentResult]
    reconcile: list[Claim]


Starter = Callable[[], list[Claim]]
"""Gives a batch's claims once its ``sending`` is committed (``Journal.start``, or a commit that started it
with others: see ``ahead``); raises JournalError when that commit failed."""


def _start(work: Work, journal: Journal | None, starter: Starter | None = None) -> _Started:
    """Claim the batch and record ``sending`` for what this run may send (one commit, before anything goes
    out; ``starter`` when another commit makes it). Raises JournalError when the journal fails: then nothing
    is sent."""
    if journal is None:
        return _Started(work.shipments, [], [])
    claims = starter() if starter is not None else journal.start(work.shipments)
    return _Started(
        [c.shipment for c in claims if c.action == "send"],
        [reported(c) for c in claims if c.action not in ("send", "reconcile")],
        [c for c in claims if c.action == "reconcile"],
    )


def _unstarted(shipper: Shipper, work: Work, error: JournalError) -> Done:
    """The journal could not record the batch: nothing of it was sent (a later run may find some of it
    ``sending``, and reconciles it: never a blind resend)."""
    return Done(shipper.carrier, work, [failed(s, error) for s in work.shipments], journal_error=error)


def run(shipper: Shipper, work: Work, journal: Journal | None) -> Done:
    """Send (or reconcile) one batch, journalled, and record its outcomes; never raises."""
    done = attempt(shipper, work, journal)
    if _to_record(done, journal):
        _settled(done.results, journal)
    return done


def record_then(done: Done, journal: Journal | None, deliver: Callable[[Done], None]) -> None:
    """Record ``done``'s outcomes without waiting for the commit: ``deliver(done)`` once they are recorded
    (from the journal's background thread; at once when there is nothing to record). A failed commit is
    logged and the results are delivered all the same (they really happened; a later run reconciles
    them)."""
    if journal is None or not _to_record(done, journal):
        deliver(done)
        return

    def recorded(error: JournalError | None) -> None:
        if error is not None:
            _not_recorded(error, done.results)
        deliver(done)

    try:
        journal.settle_soon(done.results, recorded)
    except JournalError as error:
        recorded(error)


def attempt(shipper: Shipper, work: Work, journal: Journal | None, starter: Starter | None = None) -> Done:
    """Send (or reconcile) one batch, journalled up to its outcomes (not recorded yet); never raises.
    ``starter`` gives its claims when its start is made with other batches' (see ``ahead``)."""
    if work.reconcile:
        reconcile = shipper.reconcile_batch if isinstance(shipper, Reconciler) else None
        return Done(shipper.carrier, work, _outcome(shipper, work, journal, reconcile))
    try:
        started = _start(work, journal, starter)
    except JournalError as error:
        return _unstarted(shipper, work, error)
    results = _outcome(shipper, Work(started.send), journal, None) if started.send else []
    return Done(shipper.carrier, work, results, started.earlier, started.reconcile)


def _outcome(
    shipper: Shipper,
    work: Work,
    journal: Journal | None,
    reconcile: Callable[[Sequence[Shipment], str | None], list[ShipmentResult]] | None,
) -> list[ShipmentResult]:
    try:
        with recording(journal):
            if not work.reconcile:
                answer = shipper.ship_batch(work.shipments)
            elif reconcile is not None:
                answer = reconcile(work.shipments, work.batch_id)
            else:
                answer = _cannot_reconcile(shipper, work)
            return _checked(shipper, work.shipments, answer)
    except Exception as exc:
        return _crashed(shipper.carrier, work.shipments, exc, _known_batches(journal, work.shipments))


async def arun(shipper: Shipper, work: Work, journal: Journal | None) -> Done:
    """The async twin of :func:`run`: the outcomes' commit is awaited without blocking the event loop."""
    return await arecorded(await aattempt(shipper, work, journal), journal)


async def arecorded(done: Done, journal: Journal | None) -> Done:
    """``done`` once its outcomes are recorded (with the others queued meanwhile: ``settle_soon``); a
    failed commit is logged and ``done`` returned all the same (its results really happened)."""
    if journal is None or not _to_record(done, journal):
        return done
    loop = asyncio.get_running_loop()
    committed: asyncio.Future[JournalError | None] = loop.create_future()

    def recorded(error: JournalError | None) -> None:  # in the journal's thread
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            loop.call_soon_threadsafe(_resolve, committed, error)

    try:
        journal.settle_soon(done.results, recorded)
    except JournalError as refused:
        _resolve(committed, refused)
    failure = await committed
    if failure is not None:
        _not_recorded(failure, done.results)
    return done


def _resolve(future: asyncio.Future[JournalError | None], error: JournalError | None) -> None:
    if not future.done():  # cancelled when the run stopped waiting for it
        future.set_result(error)


async def aattempt(
    shipper: Shipper, work: Work, journal: Journal | None, starter: Starter | None = None
) -> Done:
    """The async twin of :func:`attempt`; a remote journal's commit before the send runs off the event loop
    (``journal.offload``), and so does waiting for another batch's commit that starts this one."""
    if work.reconcile:
        reconcile = shipper.areconcile_batch if isinstance(shipper, Reconciler) else None
        return Done(shipper.carrier, work, await _aoutcome(shipper, work, journal, reconcile))
    try:
        started = await off_loop(journal, partial(_start, work, journal, starter))
    except JournalError as error:
        return _unstarted(shipper, work, error)
    results = await _aoutcome(shipper, Work(started.send), journal, None) if started.send else []
    return Done(shipper.carrier, work, results, started.earlier, started.reconcile)


async def _aoutcome(
    shipper: Shipper,
    work: Work,
    journal: Journal | None,
    reconcile: Callable[[Sequence[Shipment], str | None], Awaitable[list[ShipmentResult]]] | None,
) -> list[ShipmentResult]:
    try:
        with recording(journal):
            if not work.reconcile:
                answer = await shipper.aship_batch(work.shipments)
            elif reconcile is not None:
                answer = await reconcile(work.shipments, work.batch_id)
            else:
                answer = _cannot_reconcile(shipper, work)
            return _checked(shipper, work.shipments, answer)
    except Exception as exc:
        known = await off_loop(journal, partial(_known_batches, journal, work.shipments))
        return _crashed(shipper.carrier, work.shipments, exc, known)
