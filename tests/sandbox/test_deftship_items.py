"""DeftShip sandbox: Add Items, Remove Items (status rules, the 1,000 cap, shipment orders) and pagination."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from shipspec_deftship.api.deftship import add_batch_items, remove_batch_items
from shipspec_deftship.models import (
    AddBatchItemsRequest,
    BatchEnvelope,
    FailureEnvelope,
    RemoveBatchItemsRequest,
)

from .test_deftship_support import Deft, name_of, running, shipment


@pytest.fixture
def deft() -> Iterator[Deft]:
    with running() as found:
        found.app.validation_delay = found.app.processing_delay = 10.0
        yield found


def _validating(deft: Deft) -> str:
    return deft.create([shipment("V")])


def _processing(deft: Deft) -> str:
    batch_id = deft.ready([shipment("P")])
    assert deft.call("POST", f"/batches/{batch_id}/ship")["success"] is True
    return batch_id


def _completed(deft: Deft) -> str:
    batch_id = _processing(deft)
    deft.app.complete_now(batch_id, deft.ledger)
    return batch_id


BUSY: list[Callable[[Deft], str]] = [_validating, _processing, _completed]


@pytest.mark.parametrize("make", BUSY, ids=lambda f: f.__name__[1:])
@pytest.mark.parametrize("operation", ["addBatchItems", "removeBatchItems"])
def test_busy_batch_refuses_edits(deft: Deft, make: Callable[[Deft], str], operation: str) -> None:
    """Editing a validating, processing or completed batch fails "Shipment batch is being processed."."""
    batch_id = make(deft)
    before = deft.app.store.get("deftship.batches", batch_id)
    if operation == "addBatchItems":
        body: Any = {"batch_shipments": [shipment("NEW")]}
        response = deft.http.put(f"/batches/{batch_id}/add-items", json=body)
    else:
        response = deft.http.put(
            f"/batches/{batch_id}/remove-items", json={"batch_shipment_ids": ["20000001"]}
        )
    assert response.json() == {"success": False, "message": "Shipment batch is being processed."}
    assert name_of(operation, response) == "BATCH_BEING_PROCESSED"
    assert deft.app.store.get("deftship.batches", batch_id) == before


def test_add_items_returns_to_validating(deft: Deft) -> None:
    """Adding to a ready batch answers like Create (status validating); the batch is ready again later."""
    batch_id = deft.ready([shipment("A")])
    body = AddBatchItemsRequest.from_dict({"batch_shipments": [shipment("B"), shipment("C")]})
    parsed = add_batch_items.sync(batch_id, client=deft.api, body=body)
    assert isinstance(parsed, BatchEnvelope)
    assert parsed.data.status.value == "validating"
    assert set(parsed.data.to_dict()) == {"id", "status", "default_service", "default_shipper_id"}
    assert deft.batch(batch_id)["results"]["total_count"] == 3
    deft.clock.advance(10.0)
    data = deft.batch(batch_id)
    assert (data["status"], data["results"]["valid_count"]) == ("ready", 3)


def test_add_items_to_an_invalid_batch_is_allowed(deft: Deft) -> None:
    """An invalid batch accepts more items; it stays invalid while its invalid item remains."""
    batch_id = deft.ready([shipment("BAD", weight=0)])
    assert deft.call("PUT", f"/batches/{batch_id}/add-items", {"batch_shipments": [shipment("B")]})["success"]
    deft.app.validate_now(batch_id)
    assert deft.batch(batch_id)["status"] == "invalid"


def test_add_items_cannot_pass_1000_in_total(deft: Deft) -> None:
    """Adding past 1,000 items in total is a validation failure on batch_shipments and adds nothing."""
    batch_id = deft.ready([shipment(f"R{i}") for i in range(999)])
    response = deft.http.put(
        f"/batches/{batch_id}/add-items", json={"batch_shipments": [shipment(), shipment()]}
    )
    assert response.json()["message"] == "The given data was invalid."
    assert list(response.json()["data"]) == ["batch_shipments"]
    assert deft.batch(batch_id)["results"]["total_count"] == 999
    assert deft.call("PUT", f"/batches/{batch_id}/add-items", {"batch_shipments": [shipment()]})["success"]


def test_remove_items_deletes_items_and_their_shipment_orders(deft: Deft) -> None:
    """Removing the invalid item makes the batch ready; its shipment order is gone, the other one stays."""
    batch_id = deft.ready([shipment("GOOD"), shipment("BAD", weight=0)])
    good, bad = deft.batch(batch_id)["items"]["data"]
    body = RemoveBatchItemsRequest.from_dict({"batch_shipment_ids": [bad["id"]]})
    parsed = remove_batch_items.sync(batch_id, client=deft.api, body=body)
    assert isinstance(parsed, BatchEnvelope)
    assert parsed.data.status.value == "ready"
    assert parsed.data.to_dict()["results"]["total_count"] == 1
    assert deft.app.shipment_order(bad["shipment_order"]["id"]) is None
    assert deft.app.shipment_order(good["shipment_order"]["id"]) is not None
    assert [item["id"] for item in deft.batch(batch_id)["items"]["data"]] == [good["id"]]


def test_remove_unknown_ids_changes_nothing(deft: Deft) -> None:
    """Ids not in the batch are ignored: the answer is a success and the items stay."""
    batch_id = deft.ready([shipment("A")])
    answer = deft.call("PUT", f"/batches/{batch_id}/remove-items", {"batch_shipment_ids": ["no-such-id"]})
    assert answer["success"] is True
    assert answer["data"]["results"]["total_count"] == 1


def test_remove_more_than_10000_ids_is_refused(deft: Deft) -> None:
    """More than 10,000 ids break the documented limit: a validation failure on batch_shipment_ids."""
    batch_id = deft.ready([shipment("A")])
    response = deft.http.put(f"/batches/{batch_id}/remove-items", json={"batch_shipment_ids": ["1"] * 10_001})
    assert response.json()["message"] == "The given data was invalid."
    assert response.json()["data"] == {
        "batch_shipment_ids": ["The batch shipment ids field must not have more than 10000 items."]
    }


def test_edit_unknown_batch_answers_not_found(deft: Deft) -> None:
    """Adding to an unknown batch answers the 200 failure body "Batch not found.", as the spec documents."""
    parsed = add_batch_items.sync_detailed(
        "31337", client=deft.api, body=AddBatchItemsRequest.from_dict({"batch_shipments": []})
    )
    assert parsed.status_code == 200
    assert isinstance(parsed.parsed, FailureEnvelope)
    assert parsed.parsed.message == "Batch not found."


def test_items_are_paginated_100_per_page(deft: Deft) -> None:
    """150 items come as pages of 100 and 50; following next_page_url walks them all, Laravel-style."""
    batch_id = deft.ready([shipment(f"R{i}") for i in range(150)])
    first = deft.batch(batch_id)["items"]
    assert (first["current_page"], first["per_page"], first["from"], first["to"]) == (1, 100, 1, 100)
    assert first["prev_page_url"] is None
    assert first["path"] == f"{deft.url}/batches/{batch_id}"
    assert first["first_page_url"] == f"{deft.url}/batches/{batch_id}?page=1"
    second = deft.http.get(first["next_page_url"]).json()["data"]["items"]
    assert (second["current_page"], second["from"], second["to"], second["next_page_url"]) == (
        2,
        101,
        150,
        None,
    )
    assert second["prev_page_url"] == first["first_page_url"]
    ids = [item["id"] for item in first["data"] + second["data"]]
    assert len(set(ids)) == 150


def test_pagination_keeps_the_status_filter(deft: Deft) -> None:
    """With a status filter, page URLs keep it and pages hold only matching items."""
    deft.app.per_page = 2
    batch_id = deft.ready(
        [shipment("A"), shipment("B", weight=0), shipment("C", weight=0), shipment("D", weight=0)]
    )
    page = deft.batch(batch_id, status="invalid")["items"]
    assert page["next_page_url"] == f"{deft.url}/batches/{batch_id}?status=invalid&page=2"
    second = deft.http.get(page["next_page_url"]).json()["data"]["items"]
    statuses = [item["status"] for item in page["data"] + second["data"]]
    assert statuses == ["invalid"] * 3


def test_page_past_the_end_is_empty(deft: Deft) -> None:
    """A page past the last one has no items, null from/to and no next page."""
    batch_id = deft.ready([shipment("A")])
    page = deft.batch(batch_id, page=5)["items"]
    assert (page["data"], page["from"], page["to"], page["next_page_url"]) == ([], None, None, None)
    assert page["prev_page_url"] == f"{deft.url}/batches/{batch_id}?page=4"


def test_invalid_page_means_page_one(deft: Deft) -> None:
    """A page that is not a positive integer reads as page 1, as Laravel's paginator does."""
    batch_id = deft.ready([shipment("A")])
    assert deft.batch(batch_id, page="x")["items"]["current_page"] == 1
    assert deft.batch(batch_id, page="0")["items"]["data"][0]["status"] == "valid"
