"""Helpers shared by the DeftShip sandbox tests: a running sandbox with a fake clock and request builders."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from shipspec.classify import classify
from shipspec.errors import CarrierError, ResponseDecodeError
from shipspec.spec_tables import tables_for
from shipspec_deftship.client import AuthenticatedClient
from shipspec_sandbox import FaultPlan, Ledger, start_sandboxes
from shipspec_sandbox.carriers.deftship import DeftShipSandbox

TOKEN = "sandbox-token"
SHIPPER = 123
TIMEOUT = httpx.Timeout(10.0)

BASE_SHIPMENT: dict[str, Any] = {
    "from_address_id": 1387235969,
    "to_address": {
        "name": "Jane Smith",
        "street_1": "456 Oak Ave",
        "city": "Los Angeles",
        "state": "CA",
        "zip": "90001",
        "country": "US",
        "telephone": "5559876543",
    },
    "package_list": [{"count": 1, "length": 10, "width": 8, "height": 4, "weight": 1}],
}


def shipment(reference: str | None = None, **package: Any) -> dict[str, Any]:
    """A valid batch shipment; ``reference`` becomes package_list[0].reference_1, ``package`` overrides."""
    found = copy.deepcopy(BASE_SHIPMENT)
    if reference is not None:
        found["package_list"][0]["reference_1"] = reference
    found["package_list"][0].update(package)
    return found


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Deft:
    """A running DeftShip sandbox and ways to call it."""

    app: DeftShipSandbox
    ledger: Ledger
    url: str
    http: httpx.Client
    api: AuthenticatedClient
    clock: Clock

    def create(self, shipments: list[dict[str, Any]], shipper_id: int = SHIPPER) -> str:
        """Create a batch and return its id."""
        answer = self.call(
            "POST", "/batches", {"shipper_id": shipper_id, "service": "USPS-3", "batch_shipments": shipments}
        )
        assert answer["success"] is True, answer
        return str(answer["data"]["id"])

    def ready(self, shipments: list[dict[str, Any]]) -> str:
        """Create a batch and finish its validation."""
        batch_id = self.create(shipments)
        self.app.validate_now(batch_id)
        return batch_id

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> dict[str, Any]:
        """Call the sandbox and return the JSON answer."""
        response = self.http.request(method, path, json=body, params=params or None)
        found: dict[str, Any] = response.json()
        return found

    def batch(self, batch_id: str, **params: Any) -> dict[str, Any]:
        """Get Batch's data."""
        answer = self.call("GET", f"/batches/{batch_id}", **params)
        assert answer["success"] is True, answer
        data: dict[str, Any] = answer["data"]
        return data

    def entries(self, action: str) -> list[tuple[str, dict[str, Any]]]:
        """The ledger's (caller reference, result) pairs of one action."""
        found = self.ledger.entries(carrier="deftship", action=action)
        return [(entry.caller_reference, entry.result) for entry in found]


@contextmanager
def running(db: Path | None = None, faults: FaultPlan | None = None) -> Iterator[Deft]:
    """Start the DeftShip sandbox with a fake clock; stop it afterwards."""
    with start_sandboxes(("deftship",), db=db, faults=faults) as sandboxes:
        app = sandboxes.app("deftship")
        assert isinstance(app, DeftShipSandbox)
        clock = Clock()
        app.clock = clock
        url = sandboxes.url("deftship")
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
        with (
            httpx.Client(base_url=url, headers=headers, timeout=TIMEOUT) as http,
            AuthenticatedClient(base_url=url, token=TOKEN, timeout=TIMEOUT) as api,
        ):
            yield Deft(app, sandboxes.ledger, url, http, api, clock)


def classified(operation_id: str, response: httpx.Response) -> CarrierError | ResponseDecodeError | None:
    """What shipspec's classifier makes of a sandbox answer."""
    return classify(
        tables_for("deftship"), operation_id, response.status_code, response.headers, response.content
    )


def kind_of(operation_id: str, response: httpx.Response) -> str | None:
    """The error kind shipspec's classifier gives an answer (None for a success)."""
    error = classified(operation_id, response)
    return None if error is None else str(getattr(error, "kind", "decode"))


def name_of(operation_id: str, response: httpx.Response) -> str | None:
    """The documented failure name shipspec's classifier matches for an answer."""
    error = classified(operation_id, response)
    return getattr(error, "name", None)
