"""What the journal keeps per shipment (``Entry``), what a run learns when it claims one (``Claim``), and the
request hash that tells whether a shipment changed between runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from shipspec_shipping_models import Shipment, ShipmentResult

from .states import FINAL, Action, State

__all__ = ["COLUMNS", "Claim", "Entry", "conflict", "request_hash", "text_hash"]

COLUMNS: Final = (
    "reference, carrier, state, request_hash, shipment, batch_id, carrier_shipment_id, tracking_number, "
    "result, owner, lease_until, attempts, updated_at"
)


def request_hash(shipment: Shipment) -> str:
    """sha256 of the shipment's canonical JSON: equal for the same request, whatever the input's form."""
    return text_hash(shipment.model_dump_json(exclude_none=True))


def text_hash(canonical: str) -> str:
    """sha256 of a shipment's canonical JSON (``request_hash`` when the JSON is at hand already)."""
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One shipment's row: its state, the request as sent, the carrier ids learnt and the outcome."""

    reference: str
    carrier: str
    state: State
    request_hash: str
    shipment_json: str
    batch_id: str | None
    carrier_shipment_id: str | None
    tracking_number: str | None
    result_json: str | None
    owner: str | None
    lease_until: float | None
    attempts: int
    updated_at: float

    @classmethod
    def from_row(cls, row: tuple[object, ...]) -> Entry:
        values = list(row)
        return cls(*values)  # type: ignore[arg-type]  # the column order is COLUMNS

    def shipment(self) -> Shipment:
        """The shipment as the journal recorded it (what was, or may have been, sent)."""
        return Shipment.model_validate_json(self.shipment_json)

    def result(self) -> ShipmentResult | None:
        """The recorded outcome (final or pending), or None before one."""
        return None if self.result_json is None else ShipmentResult.model_validate_json(self.result_json)

    def __repr__(self) -> str:  # the shipment and result hold addresses: keep reprs short
        return f"Entry({self.reference!r}, {self.carrier}, {self.state}, batch_id={self.batch_id!r})"


@dataclass(frozen=True)
class Claim:
    """The run's decision for one shipment: ``entry`` is the row as found (None when it was new);
    ``conflict`` (with ``action`` None) says why it cannot be sent under this reference."""

    shipment: Shipment
    action: Action | None
    entry: Entry | None
    conflict: str | None = None


def conflict(shipment: Shipment, entry: Entry, mine: bool) -> str | None:
    """Why ``shipment`` cannot go out under its reference given ``entry``: another carrier used it, or this
    very run holds it already (the reference appears twice in the input); None when it can."""
    if entry.carrier != shipment.carrier and entry.state not in ("intent", "failed"):
        return (
            f"reference {shipment.reference} went to {entry.carrier} in an earlier run ({entry.state}); "
            "give this shipment a new reference"
        )
    if mine and entry.state not in FINAL:
        return f"reference {shipment.reference} appears twice in this run (each shipment needs its own)"
    return None
