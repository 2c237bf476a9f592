"""Building ``ShipmentResult``s from outcomes and errors: one place for the normalized error shape."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipspec_shipping_models import Shipment, ShipmentError, ShipmentResult

from ..errors import CarrierError, ConfigError, InputError, ShipspecError, TransportError
from ..secrets import redact
from .problems import input_problems

if TYPE_CHECKING:
    from ..journal import Entry

__all__ = ["failed", "input_problems", "normalized_error", "pending", "recorded"]


def normalized_error(carrier: str, error: ShipspecError) -> ShipmentError:
    """The carrier-neutral error of a typed shipspec error (messages redacted)."""
    if isinstance(error, CarrierError):
        return ShipmentError(
            carrier=carrier,
            code=None if error.code is None else str(error.code),
            kind=error.kind,
            message=redact(error.message) or error.kind,
            request_id=error.request_id,
        )
    # Settings problems are not retryable (like bad credentials); transport trouble is transient.
    if isinstance(error, InputError):
        kind = "invalid_request"
    elif isinstance(error, ConfigError):
        kind = "auth"
    else:
        kind = "retry"
    message = redact(str(error))
    if isinstance(error, TransportError):
        message = f"{type(error).__name__}: {message}"
    return ShipmentError(carrier=carrier, code=None, kind=kind, message=message)


def failed(shipment: Shipment, error: ShipspecError) -> ShipmentResult:
    """A failed result for one shipment."""
    return ShipmentResult(
        reference=shipment.reference,
        carrier=shipment.carrier,
        status="failed",
        error=normalized_error(shipment.carrier, error),
    )


def pending(shipment: Shipment, why: str) -> ShipmentResult:
    """A result whose outcome could not be learnt yet (reconcile later with the same reference)."""
    return ShipmentResult(
        reference=shipment.reference,
        carrier=shipment.carrier,
        status="pending",
        error=ShipmentError(carrier=shipment.carrier, code=None, kind="retry", message=why),
    )


def recorded(entry: Entry) -> ShipmentResult:
    """A journal entry's result: its recorded outcome, or ``pending`` (with the carrier ids known) while it
    is still in flight."""
    outcome = entry.result()
    if outcome is not None:
        return outcome
    if entry.state == "intent":
        why = "not sent: its run stopped first; ship the file again"
    else:
        why = f"in flight when its run stopped ({entry.state}); run shipspec recover or ship the file again"
    held = pending(entry.shipment(), why)
    return held.model_copy(
        update={"batch_id": entry.batch_id, "carrier_shipment_id": entry.carrier_shipment_id}
    )
