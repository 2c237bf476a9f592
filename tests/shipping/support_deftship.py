"""Shipments and a running DeftShip sandbox (fast asynchronous steps) for the DeftShip shipping tests."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from shipspec.carriers.deftship import client
from shipspec.carriers.deftship.shipper import DeftShipShipper, from_settings
from shipspec_sandbox import Ledger, start_sandboxes
from shipspec_sandbox.carriers.deftship import DeftShipSandbox
from shipspec_shipping_models import Shipment

from .support_faults import CountingPlan

TOKEN = "sandbox-token"
SHIPPER_ID = "123"
STEP_SECONDS = 0.05  # the sandbox's validation and processing delay in these tests (default 0.2 s)

SENDER: dict[str, Any] = {
    "name": "Ann Lee",
    "company": "ACME",
    "phone": "+1 (555) 123-4567",
    "address": {
        "line1": "1 Main St",
        "city": "Austin",
        "state": "TX",
        "postal_code": "73301",
        "country": "US",
    },
}
RECIPIENT: dict[str, Any] = {
    "name": "Bob Roe",
    "phone": "555.987.6543",
    "email": "bob@example.com",
    "address": {
        "line1": "2 Oak Ave",
        "line2": "Apt 3",
        "city": "Los Angeles",
        "state": "CA",
        "postal_code": "90001",
        "country": "US",
    },
}
PARCEL: dict[str, Any] = {
    "weight": {"value": "2", "unit": "lb"},
    "dimensions": {"length": "10", "width": "8", "height": "4", "unit": "in"},
}
ITEM: dict[str, Any] = {
    "name": "Mug",
    "sku": "MUG-1",
    "quantity": 2,
    "hs_code": "691200",
    "origin_country": "CN",
    "unit_value": {"amount": "12.50", "currency": "USD"},
}


def shipment(reference: str = "D-1", **fields: Any) -> Shipment:
    """A valid domestic DeftShip shipment (USPS-3, one parcel, no items); ``fields`` replace members."""
    data: dict[str, Any] = {
        "reference": reference,
        "carrier": "deftship",
        "service": "USPS-3",
        "sender": SENDER,
        "recipient": RECIPIENT,
        "parcels": [PARCEL],
    }
    data.update(fields)
    return Shipment.model_validate(copy.deepcopy({k: v for k, v in data.items() if v is not None}))


def invalid_later(reference: str) -> Shipment:
    """Valid for the mapping, invalid for DeftShip: a saved sender (a US address) and an overseas recipient
    without items, which DeftShip's asynchronous validation refuses."""
    overseas = RECIPIENT | {"address": RECIPIENT["address"] | {"country": "GB", "state": None}}
    return shipment(reference, sender={"name": "Ann", "saved_address_id": "1387235969"}, recipient=overseas)


@dataclass
class Env:
    """A running DeftShip sandbox."""

    app: DeftShipSandbox
    ledger: Ledger
    url: str
    plan: CountingPlan

    def settings(self, **overrides: str) -> dict[str, str]:
        base = {"api_token": TOKEN, "base_url": self.url, "shipper_id": SHIPPER_ID, "poll_seconds": "0.02"}
        return base | overrides

    def shipper(self, **overrides: str) -> DeftShipShipper:
        return from_settings(self.settings(**overrides))

    def direct(self, **options: Any) -> DeftShipShipper:
        """A shipper built by hand (options such as ``rounds`` are not settings)."""
        api = client(api_token=TOKEN, base_url=self.url)
        options.setdefault("poll_seconds", 0.02)
        return DeftShipShipper(api, base_url=self.url, shipper_id=int(SHIPPER_ID), **options)

    def shipped(self) -> list[str]:
        """References of the items the sandbox really shipped (duplicates kept)."""
        return [entry.caller_reference for entry in self.ledger.entries("deftship", "item_shipped")]

    def batches_shipped(self) -> list[str]:
        return [entry.key for entry in self.ledger.entries("deftship", "batch_shipped")]


@contextmanager
def sandbox(plan: CountingPlan | None = None) -> Iterator[Env]:
    """A DeftShip sandbox on 127.0.0.1 with fast asynchronous steps, stopped on exit."""
    faults = plan or CountingPlan()
    with start_sandboxes(("deftship",), faults=faults) as running:
        app = running.app("deftship")
        assert isinstance(app, DeftShipSandbox)
        app.validation_delay = app.processing_delay = STEP_SECONDS
        yield Env(app, running.ledger, running.url("deftship"), faults)
