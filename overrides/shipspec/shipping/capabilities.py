"""What a carrier can do, as ``typing.Protocol``s: each carrier implements the ones it supports.

There is no base class whose methods raise "not supported": ``shipspec.carriers_capabilities()`` (and
``shipspec carriers``) list which protocols each carrier's shipper satisfies.

The contract every implementation keeps:

- ``ship_batch`` returns exactly one ``ShipmentResult`` per input, in input order, and never raises for a
  carrier's answer about one item (a failed item is a result with ``status="failed"`` and a normalized error).
- Exactly-once: after an ambiguous failure (sent, no answer) it reconciles before resending, using what the
  carrier offers (Baaship lookup by referenceNo, TikTok/WeChat already-shipped codes, DeftShip batch state).
  It returns ``pending`` only when the state could not be learnt within its bounded attempts.
- Bad input raises nothing either: it becomes a ``failed`` result with kind ``invalid_request`` naming the
  field path, before anything is sent for that item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from shipspec_shipping_models import Shipment, ShipmentResult, TrackingEvent

__all__ = [
    "BatchResumer",
    "Canceller",
    "Grouper",
    "Labeler",
    "Reconciler",
    "Returner",
    "Shipper",
    "Tracker",
]


@runtime_checkable
class Shipper(Protocol):
    """Ships shipments; ``batch_size`` per call, up to ``concurrency`` calls at a time."""

    @property
    def carrier(self) -> str: ...

    @property
    def batch_size(self) -> int:
        """Shipments per ``ship_batch`` call (DeftShip up to 1,000; per-item APIs 1)."""
        ...

    @property
    def concurrency(self) -> int:
        """How many ``ship_batch`` calls may run at once against this carrier."""
        ...

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]: ...

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]: ...


@runtime_checkable
class Grouper(Protocol):
    """A shipper whose shipments of one group (e.g. one order) travel best in one ``ship_batch`` call.

    The runner keeps adjacent shipments of one group in one batch, even past ``batch_size``.
    """

    def group_of(self, shipment: Shipment) -> str | None:
        """The shipment's group, or None when it has none (a shipment the shipper will reject anyway)."""
        ...


@runtime_checkable
class BatchResumer(Protocol):
    """A shipper whose ``pending`` results carry a ``batch_id`` that can be followed later."""

    def resume_batch(self, batch_id: str, shipments: Sequence[Shipment]) -> list[ShipmentResult]: ...


@runtime_checkable
class Reconciler(Protocol):
    """A shipper that can settle shipments an earlier run may have sent (the journal left them uncertain).

    It must learn the state from the carrier's own evidence before anything could ship twice: look the
    shipment up by its natural key, resend where the carrier answers "already done", or follow the batch
    ``batch_id`` the journal recorded. One result per shipment, in order, like ``ship_batch``.
    """

    def reconcile_batch(
        self, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]: ...

    async def areconcile_batch(
        self, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]: ...


@runtime_checkable
class Canceller(Protocol):
    """Cancels a shipment by its tracking number (waybill)."""

    def cancel(self, tracking_number: str) -> ShipmentResult: ...


@runtime_checkable
class Tracker(Protocol):
    """Lists the tracking events of a shipment, newest first."""

    def track(self, tracking_number: str) -> list[TrackingEvent]: ...


@runtime_checkable
class Labeler(Protocol):
    """Fetches a shipment's label: its URL, and its bytes (a PDF)."""

    def label_url(self, *, tracking_number: str | None = None, reference: str | None = None) -> str: ...

    def label_pdf(self, *, tracking_number: str | None = None, reference: str | None = None) -> bytes: ...


@runtime_checkable
class Returner(Protocol):
    """Creates return (reverse) shipments."""

    def ship_return(self, shipment: Shipment) -> ShipmentResult: ...
