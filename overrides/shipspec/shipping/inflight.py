"""What the runner knows of a batch while it is being sent, for when the caller leaves before it ends.

The runner runs each batch inside :func:`sending` with a :class:`Sending` record; a shipper that learns an
id that a later run needs to follow the batch (DeftShip's batch id) notes it with :func:`note_batch_id`. If
the caller leaves without waiting for the batch (a second Ctrl-C), its shipments are handed over as
``pending`` with that id: a re-run then follows the batch instead of creating another.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass

from shipspec_shipping_models import Shipment, ShipmentResult

from ..scoped import scoped
from .results import pending

__all__ = ["LEFT_WHILE_SENDING", "Sending", "note_batch_id", "sending"]

LEFT_WHILE_SENDING = "not known: the run stopped while this was being sent; a later run resolves it"


@dataclass
class Sending:
    """A batch in the hands of its shipper, and the carrier batch id once the shipper noted one."""

    shipments: Sequence[Shipment]
    batch_id: str | None = None

    def left_pending(self) -> list[ShipmentResult]:
        """Its shipments as ``pending`` results, with the batch id when one is known."""
        return [
            pending(shipment, LEFT_WHILE_SENDING).model_copy(update={"batch_id": self.batch_id})
            for shipment in self.shipments
        ]


_CURRENT: ContextVar[Sending | None] = ContextVar("shipspec_sending", default=None)


def sending(record: Sending) -> AbstractContextManager[None]:
    """Within the block (this thread or task), :func:`note_batch_id` writes to ``record``."""
    return scoped(_CURRENT, record)


def note_batch_id(batch_id: str) -> None:
    """Record the carrier batch id of the batch being sent (nothing outside a run)."""
    record = _CURRENT.get()
    if record is not None:
        record.batch_id = batch_id
