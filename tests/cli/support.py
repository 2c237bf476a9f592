"""Shared pieces of the command-line tests: fake shippers, sample rows, sandbox settings as environment."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from shipspec.config import as_environment
from shipspec_sandbox import Sandboxes, start_sandboxes
from shipspec_sandbox.clients import sandbox_settings
from shipspec_shipping_models import Shipment, ShipmentError, ShipmentResult

BAASHIP_ROW = {
    "reference": "B-1",
    "carrier": "baaship",
    "service": "TEST",
    "sender.name": "Li Wei",
    "sender.phone": "+86 20 8888 0000",
    "sender.address.line1": "No.100 South Baiyun Street",
    "sender.address.city": "Guangzhou",
    "sender.address.state": "Guangdong",
    "sender.address.postal_code": "510000",
    "sender.address.country": "CN",
    "recipient.name": "Aroha Smith",
    "recipient.phone": "+64 21 234 0908",
    "recipient.address.line1": "3 Churchill Avenue",
    "recipient.address.city": "Te Aroha",
    "recipient.address.postal_code": "3320",
    "recipient.address.country": "NZ",
    "parcels.0.weight.value": "1.2",
    "parcels.0.weight.unit": "kg",
    "items.0.name": "Computer bag",
    "items.0.name_cn": "电脑包",
    "items.0.quantity": "1",
    "items.0.unit_value.amount": "29.90",
    "items.0.unit_value.currency": "USD",
    "items.0.unit_weight.value": "1.05",
    "items.0.unit_weight.unit": "kg",
}


def write_csv(path: Path, rows: Sequence[Mapping[str, str]], columns: Sequence[str] | None = None) -> Path:
    """A CSV with the given rows; columns default to the union of their keys, in first-seen order."""
    names = list(columns or dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_results(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class FakeShipper:
    """Ships every shipment (tracking ``T-<reference>``), except references starting with ``NO``: failed."""

    def __init__(self, carrier: str, batch_size: int = 2, concurrency: int = 2) -> None:
        self.carrier = carrier
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.shipped: list[str] = []

    def _one(self, shipment: Shipment) -> ShipmentResult:
        if shipment.reference.startswith("NO"):
            error = ShipmentError(
                carrier=shipment.carrier, code="1008", kind="invalid_request", message="nope"
            )
            return ShipmentResult(
                reference=shipment.reference, carrier=shipment.carrier, status="failed", error=error
            )
        self.shipped.append(shipment.reference)
        return ShipmentResult(
            reference=shipment.reference,
            carrier=shipment.carrier,
            status="shipped",
            tracking_number=f"T-{shipment.reference}",
        )

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return [self._one(shipment) for shipment in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        await asyncio.sleep(0)
        return self.ship_batch(shipments)

    # The fake carrier is idempotent like TikTok's: a shipment an earlier run may have sent is sent again.
    def reconcile_batch(self, shipments: Sequence[Shipment], batch_id: str | None) -> list[ShipmentResult]:
        self.reconciled = [*getattr(self, "reconciled", []), *(s.reference for s in shipments)]
        return self.ship_batch(shipments)

    async def areconcile_batch(
        self, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]:
        return self.reconcile_batch(shipments, batch_id)


environment = as_environment  # settings per carrier as the SHIPSPEC_<CARRIER>_<SETTING> variables


@contextmanager
def sandboxes(*carriers: str) -> Iterator[tuple[Sandboxes, dict[str, str]]]:
    """Running sandboxes and the environment that points the commands at them."""
    with start_sandboxes(carriers) as running:
        yield running, environment(sandbox_settings(running))
