"""One batch's work with the journal around it: the runner's unit of work, sync and async.

- ``Work`` is what the runner submits: shipments to send, or shipments an earlier run left uncertain to
  reconcile first (with the batch id the journal kept, if any).
- Before a send, the journal records ``sending``; the shipper runs inside ``recording(journal)`` so it can
  record carrier ids the moment they are named; the results are recorded (``settle``) in the worker, right
  after the shipper returns, so they are durable even if the caller never reads them.
- A shipper that raises after the carrier named a batch gives ``pending`` with that batch id, never a bare
  ``failed``: resubmitting could ship the batch twice.
- A shipper that cannot reconcile (no ``Reconciler``) leaves such shipments ``pending``: never a blind resend.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from shipspec_shipping_models import Shipment, ShipmentResult

from ..errors import JournalError, ShipspecError, UnknownCarrierError
from ..journal import Journal, recording
from .capabilities import Reconciler, Shipper
from .results import failed, pending

__all__ = ["Work", "arun", "run"]

logger = logging.getLogger("shipspec")


@dataclass(frozen=True)
class Work:
    """A batch for one shipper: ``reconcile`` when an earlier run may have sent it (``batch_id`` then names
    the carrier batch the journal recorded)."""

    shipments: list[Shipment]
    reconcile: bool = False
    batch_id: str | None = None


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
    carrier: str, batch: Sequence[Shipment], exc: BaseException, journal: Journal | None
) -> list[ShipmentResult]:
    """Results for a batch whose shipper raised: a typed error keeps its kind, anything else is unknown;
    a shipment whose carrier batch the journal knows is ``pending`` with it (follow it, never resend)."""
    error = (
        exc
        if isinstance(exc, ShipspecError)
        else UnknownCarrierError(
            carrier=carrier, operation="ship_batch", code=None, message=f"{type(exc).__name__}: {exc}"
        )
    )
    results = []
    for shipment in batch:
        batch_id = _known_batch(journal, shipment.reference)
        if batch_id is not None:
            why = f"the shipper stopped after the carrier created batch {batch_id}: {error}"
            results.append(pending(shipment, why).model_copy(update={"batch_id": batch_id}))
        else:
            results.append(failed(shipment, error))
    return results


def _known_batch(journal: Journal | None, reference: str) -> str | None:
    if journal is None:
        return None
    try:
        entry = journal.get(reference)
    except JournalError:
        return None
    return None if entry is None else entry.batch_id


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
            logger.error("%s; %d results not recorded (a later run reconciles them)", error, len(results))
    return results


def _held(work: Work, journal: Journal | None) -> tuple[list[Shipment], list[ShipmentResult]]:
    """Record ``sending`` for the batch: the shipments this run still holds go out; one another run took
    over meanwhile (this run's lease lapsed) is that run's to send, and is reported ``pending`` here.
    Raises JournalError, before anything is sent, when the journal fails."""
    if journal is None:
        return work.shipments, []
    held = set(journal.sending([s.reference for s in work.shipments]))
    taken = [
        pending(s, "another run took it over while this one waited (its hold lapsed); its result is there")
        for s in work.shipments
        if s.reference not in held
    ]
    return [s for s in work.shipments if s.reference in held], taken


def _send(shipper: Shipper, work: Work, journal: Journal | None) -> list[ShipmentResult]:
    if not work.reconcile:
        send, taken = _held(work, journal)
        return (shipper.ship_batch(send) if send else []) + taken
    if isinstance(shipper, Reconciler):
        return shipper.reconcile_batch(work.shipments, work.batch_id)
    return _cannot_reconcile(shipper, work)


async def _asend(shipper: Shipper, work: Work, journal: Journal | None) -> list[ShipmentResult]:
    if not work.reconcile:
        send, taken = _held(work, journal)
        return (await shipper.aship_batch(send) if send else []) + taken
    if isinstance(shipper, Reconciler):
        return await shipper.areconcile_batch(work.shipments, work.batch_id)
    return _cannot_reconcile(shipper, work)


def run(shipper: Shipper, work: Work, journal: Journal | None) -> list[ShipmentResult]:
    """Send (or reconcile) one batch, journalled; never raises."""
    try:
        with recording(journal):
            results = _checked(shipper, work.shipments, _send(shipper, work, journal))
    except Exception as exc:
        results = _crashed(shipper.carrier, work.shipments, exc, journal)
    return _settled(results, journal)


async def arun(shipper: Shipper, work: Work, journal: Journal | None) -> list[ShipmentResult]:
    """The async twin of :func:`run`."""
    try:
        with recording(journal):
            results = _checked(shipper, work.shipments, await _asend(shipper, work, journal))
    except Exception as exc:
        results = _crashed(shipper.carrier, work.shipments, exc, journal)
    return _settled(results, journal)
