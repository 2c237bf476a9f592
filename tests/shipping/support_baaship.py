"""Shipments and a running Baaship sandbox for the Baaship shipping tests."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from shipspec.carriers.baaship.shipper import BaashipShipper, from_settings
from shipspec_sandbox import Ledger, start_sandboxes
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN, BaashipSandbox
from shipspec_shipping_models import Shipment

from .support_faults import CountingPlan

SENDER: dict[str, Any] = {
    "name": "Li Lei",
    "company": "Test Co",
    "phone": "+86 (20) 1234-5678",
    "email": "li@example.com",
    "address": {
        "line1": "No.100 South Baiyun Street",
        "line2": "Unit 3",
        "district": "Baiyun",
        "city": "Guangzhou",
        "state": "GUANGDONG",
        "postal_code": "510000",
        "country": "CN",
    },
}
RECIPIENT: dict[str, Any] = {
    "name": "Kim Lee",
    "phone": "021 234 0908",
    "tax_id": "A123456789",
    "address": {
        "line1": "3 Churchill Avenue",
        "city": "Te Aroha",
        "district": "Te Aroha",
        "state": "Waikato",
        "postal_code": "3320",
        "country": "NZ",
    },
}
ITEM: dict[str, Any] = {
    "name": "Computer Bag",
    "name_cn": "电脑包",
    "sku": "td2902sx880",
    "quantity": 1,
    "unit_value": {"amount": "29.90", "currency": "USD"},
    "unit_weight": {"value": "2.102", "unit": "kg"},
}


def shipment(reference: str = "REF-1", **fields: Any) -> Shipment:
    """A valid forward Baaship shipment (product TEST, one parcel, one item); ``fields`` replace members."""
    data: dict[str, Any] = {
        "reference": reference,
        "carrier": "baaship",
        "service": "TEST",
        "sender": SENDER,
        "recipient": RECIPIENT,
        "parcels": [{"weight": {"value": "13.109", "unit": "kg"}}],
        "items": [ITEM],
    }
    data.update(fields)
    return Shipment.model_validate(copy.deepcopy({k: v for k, v in data.items() if v is not None}))


def return_shipment(reference: str = "RET-1", **fields: Any) -> Shipment:
    """A valid reverse shipment (BNRTN, no recipient)."""
    return shipment(reference, service="BNRTN", recipient=None, reverse=True, **fields)


@dataclass
class Env:
    """A running Baaship sandbox."""

    app: BaashipSandbox
    ledger: Ledger
    url: str
    plan: CountingPlan

    def shipper(self, **settings: str) -> BaashipShipper:
        return from_settings({"token": DEFAULT_TOKEN, "base_url": self.url} | settings)

    def created(self) -> list[str]:
        """The references the sandbox created shipments for, in order (duplicates kept)."""
        return [entry.key for entry in self.ledger.entries("baaship", "shipment_created")]


@contextmanager
def sandbox(plan: CountingPlan | None = None, *, strict_countries: bool = False) -> Iterator[Env]:
    """A Baaship sandbox on 127.0.0.1, stopped on exit; ``strict_countries``: country XX answers 1008."""
    faults = plan or CountingPlan()
    with start_sandboxes(("baaship",), faults=faults) as running:
        app = running.app("baaship")
        assert isinstance(app, BaashipSandbox)
        app.strict_countries = strict_countries
        yield Env(app, running.ledger, running.url("baaship"), faults)


def unplaceable(item: Shipment) -> Shipment:
    """The Shipment with a recipient country the sandbox cannot place (1008 "Address issue": not ISO 3166).

    The Shipment model refuses such a country, so it is set past validation (``model_copy`` does not
    validate): the point is the carrier's answer, which a caller who built the request otherwise still gets.
    """
    recipient = item.recipient
    assert recipient is not None
    assert recipient.address is not None
    address = recipient.address.model_copy(update={"country": "XX"})
    return item.model_copy(update={"recipient": recipient.model_copy(update={"address": address})})
