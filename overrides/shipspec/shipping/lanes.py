"""Turning claimed shipments into work for one carrier: send, reconcile, or report without sending.

With a journal, each batch the ``Batcher`` closes is claimed first (one transaction); the claim sorts its
shipments: new ones are sent, uncertain ones wait in a reconcile group (per carrier batch id) until it
fills or the input ends, final ones are reported from the journal, and those a live run holds are reported
``pending``. Without a journal every batch is sent as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from shipspec_shipping_models import Shipment, ShipmentResult

from ..errors import InputError
from ..journal import Claim, Journal
from .journaled import Work
from .results import failed, pending

__all__ = ["Lane", "reported"]


@dataclass
class Lane:
    """One carrier's claims: ``sort`` a closed batch into work; ``rest`` gives partial reconcile groups."""

    batch_size: int
    reconciling: dict[str | None, list[Shipment]] = field(default_factory=dict)

    def sort(
        self,
        batch: list[Shipment],
        journal: Journal | None,
        report: Callable[[ShipmentResult], object],
    ) -> Iterator[Work]:
        if journal is None:
            yield Work(batch)
            return
        send: list[Shipment] = []
        for claim in journal.claim(batch):
            if claim.action == "send":
                send.append(claim.shipment)
            elif claim.action == "reconcile":
                yield from self._reconcile(claim)
            else:
                report(reported(claim))
        if send:
            yield Work(send)

    def _reconcile(self, claim: Claim) -> Iterator[Work]:
        assert claim.entry is not None  # an uncertain state is an existing entry
        group = self.reconciling.setdefault(claim.entry.batch_id, [])
        group.append(claim.entry.shipment())  # the request as recorded: what may have been sent
        if len(group) >= self.batch_size:
            yield Work(
                self.reconciling.pop(claim.entry.batch_id), reconcile=True, batch_id=claim.entry.batch_id
            )

    def rest(self) -> Iterator[Work]:
        """The partial reconcile groups, at the end of the input."""
        groups, self.reconciling = self.reconciling, {}
        for batch_id, shipments in groups.items():
            yield Work(shipments, reconcile=True, batch_id=batch_id)


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
