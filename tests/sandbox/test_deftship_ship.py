"""DeftShip sandbox: Ship Batch, its documented failures, charging and the exactly-once ledger."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from shipspec_deftship.api.deftship import ship_batch
from shipspec_deftship.models import BatchEnvelope, BatchResults, FailureEnvelope

from .test_deftship_support import Deft, kind_of, name_of, running, shipment


@pytest.fixture
def deft() -> Iterator[Deft]:
    with running() as found:
        found.app.validation_delay = found.app.processing_delay = 10.0
        yield found


def _ship(deft: Deft, batch_id: str) -> httpx.Response:
    return deft.http.post(f"/batches/{batch_id}/ship")


def test_ship_through_generated_client_charges_and_records(deft: Deft) -> None:
    """Shipping a ready batch answers processing with results, charges per label and records batch_shipped."""
    batch_id = deft.ready([shipment("A", count=2), shipment("B")])
    response = ship_batch.sync_detailed(batch_id, client=deft.api)
    parsed = response.parsed
    assert isinstance(parsed, BatchEnvelope)
    assert parsed.data.status.value == "processing"
    assert isinstance(parsed.data.results, BatchResults)
    assert parsed.data.results.total_count == 2
    assert deft.app.balance() == 10_000.0 - 3 * 5.0
    assert deft.entries("batch_shipped") == [(batch_id, {"items": 2, "labels": 3, "charged_cents": 1500})]
    assert kind_of("shipBatch", httpx.Response(200, content=response.content)) is None


def _validating(deft: Deft) -> str:
    return deft.create([shipment("V")])


def _processing(deft: Deft) -> str:
    batch_id = deft.ready([shipment("P")])
    assert _ship(deft, batch_id).json()["success"] is True
    return batch_id


def _completed(deft: Deft) -> str:
    batch_id = _processing(deft)
    deft.app.complete_now(batch_id, deft.ledger)
    return batch_id


def _empty(deft: Deft) -> str:
    return deft.ready([])


@pytest.mark.parametrize("make", [_validating, _processing, _completed, _empty], ids=lambda f: f.__name__[1:])
def test_ship_refused_unless_ready(deft: Deft, make: object) -> None:
    """Shipping a validating, processing, completed or empty batch is the documented "not ready" failure."""
    assert callable(make)
    batch_id = make(deft)
    entries_before = deft.ledger.entries(carrier="deftship")
    balance_before = deft.app.balance()
    response = ship_batch.sync_detailed(batch_id, client=deft.api)
    assert isinstance(response.parsed, FailureEnvelope)
    assert response.parsed.message == "Batch is not ready to ship."
    assert name_of("shipBatch", httpx.Response(200, content=response.content)) == "BATCH_NOT_READY"
    assert deft.ledger.entries(carrier="deftship") == entries_before
    assert deft.app.balance() == balance_before


def test_second_ship_adds_no_ledger_entry(deft: Deft) -> None:
    """A resent ship of a shipped batch is refused and the ledger keeps exactly one batch_shipped entry."""
    batch_id = _processing(deft)
    assert _ship(deft, batch_id).json()["message"] == "Batch is not ready to ship."
    deft.app.complete_now(batch_id, deft.ledger)
    assert _ship(deft, batch_id).json()["message"] == "Batch is not ready to ship."
    assert [key for key, _ in deft.entries("batch_shipped")] == [batch_id]
    assert deft.ledger.duplicates() == {}


def test_invalid_batch_lists_invalid_order_ids(deft: Deft) -> None:
    """Shipping an invalid batch fails with data.invalid_order_ids (its invalid item ids): INVALID_ITEMS."""
    bad = shipment("BAD", weight=0)
    batch_id = deft.ready([shipment("GOOD"), bad])
    bad_id = deft.batch(batch_id, status="invalid")["items"]["data"][0]["id"]
    response = _ship(deft, batch_id)
    answer = response.json()
    assert answer["success"] is False
    assert answer["data"] == {"invalid_order_ids": [bad_id]}
    assert name_of("shipBatch", response) == "INVALID_ITEMS"
    assert deft.entries("batch_shipped") == []


def test_not_enough_credit(deft: Deft) -> None:
    """A balance below labels x price fails with a "credit" message; the batch stays ready, uncharged."""
    deft.app.set_credit(9.99, label_price=5.0)
    batch_id = deft.ready([shipment("A"), shipment("B")])
    response = _ship(deft, batch_id)
    assert "credit" in response.json()["message"].lower()
    assert name_of("shipBatch", response) == "NOT_ENOUGH_CREDIT"
    assert kind_of("shipBatch", response) == "not_allowed"
    assert deft.batch(batch_id)["status"] == "ready"
    assert deft.app.balance() == 9.99
    assert deft.entries("batch_shipped") == []
    deft.app.set_credit(10.0)
    assert _ship(deft, batch_id).json()["success"] is True
    assert deft.app.balance() == 0.0


def test_ship_unknown_batch_answers_not_found(deft: Deft) -> None:
    """Shipping an unknown batch answers "Batch not found." (typed not_found) and records nothing."""
    response = _ship(deft, "424242")
    assert response.status_code == 200
    assert kind_of("shipBatch", response) == "not_found"
    assert deft.ledger.entries() == []


def test_concurrent_ships_charge_once(deft: Deft) -> None:
    """Eight simultaneous ships of one ready batch: one succeeds, seven are "not ready", one ledger entry."""
    from concurrent.futures import ThreadPoolExecutor

    batch_id = deft.ready([shipment("X")])
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: _ship(deft, batch_id).json(), range(8)))
    assert sum(answer["success"] for answer in answers) == 1
    assert [key for key, _ in deft.entries("batch_shipped")] == [batch_id]
    assert deft.app.balance() == 10_000.0 - 5.0
