"""DeftShip sandbox: auth, Create Batch, validation answers, injected faults and persistence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from shipspec_deftship.api.deftship import create_batch, get_batch
from shipspec_deftship.models import (
    BatchEnvelope,
    BatchItemPage,
    CreateBatchRequest,
    FailureEnvelope,
    GetBatchStatus,
)
from shipspec_deftship.operations import OPERATIONS
from shipspec_sandbox import FaultPlan, FaultRule

from .test_deftship_support import TIMEOUT, Deft, classified, kind_of, name_of, running, shipment


@pytest.fixture
def deft() -> Iterator[Deft]:
    with running() as found:
        yield found


def _create_body(shipper_id: int | str = 123, count: int = 1) -> dict[str, object]:
    return {
        "shipper_id": shipper_id,
        "service": "USPS-3",
        "batch_shipments": [shipment(f"R{i}") for i in range(count)],
    }


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", "Basic sandbox-token", "sandbox-token"],
    ids=["missing", "wrong", "not-bearer", "no-scheme"],
)
def test_bad_credentials_answer_unauthenticated(deft: Deft, authorization: str | None) -> None:
    """A missing, wrong or non-bearer Authorization header answers the spec's 200 failure body, typed auth."""
    headers = {} if authorization is None else {"Authorization": authorization}
    response = httpx.post(f"{deft.url}/batches", json=_create_body(), headers=headers, timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.json() == {"success": False, "message": "Unauthenticated."}
    assert kind_of("createBatch", response) == "auth"


def test_registered_and_revoked_tokens(deft: Deft) -> None:
    """A registered token is accepted and stops working once revoked."""
    deft.app.register_token("second-token")
    headers = {"Authorization": "Bearer second-token"}
    message = httpx.get(f"{deft.url}/batches/1", headers=headers, timeout=TIMEOUT).json()["message"]
    assert message == "Batch not found."
    deft.app.revoke_token("second-token")
    message = httpx.get(f"{deft.url}/batches/1", headers=headers, timeout=TIMEOUT).json()["message"]
    assert message == "Unauthenticated."


def test_create_batch_through_generated_client(deft: Deft) -> None:
    """Create Batch answers the documented shape, status validating, with the shipper's hash id."""
    body = CreateBatchRequest.from_dict(_create_body(count=2))
    response = create_batch.sync_detailed(client=deft.api, body=body)
    assert response.status_code == 200
    parsed = response.parsed
    assert isinstance(parsed, BatchEnvelope)
    assert parsed.data.status.value == "validating"
    assert parsed.data.default_shipper_id == "99999999"
    assert parsed.data.default_service == "USPS-3"
    assert set(parsed.data.to_dict()) == {"id", "status", "default_service", "default_shipper_id"}
    assert classified("createBatch", httpx.Response(200, content=response.content)) is None


def test_batch_ids_are_deterministic_counters(deft: Deft) -> None:
    """Batch ids are consecutive numeric strings, so runs are reproducible."""
    first, second = deft.create([shipment()]), deft.create([shipment()])
    assert (first, second) == ("10000001", "10000002")


def test_registered_shipper_hash_id_is_returned(deft: Deft) -> None:
    """A registered shipper's string hash id is the batch's default_shipper_id."""
    deft.app.register_shipper(456, "abc123hash")
    answer = deft.call("POST", "/batches", _create_body(shipper_id=456))
    assert answer["data"]["default_shipper_id"] == "abc123hash"


@pytest.mark.parametrize("eligible", [None, False], ids=["unknown-shipper", "ineligible-shipper"])
def test_shipper_not_eligible_is_the_documented_failure(deft: Deft, eligible: bool | None) -> None:
    """An unknown or ineligible shipper gets the documented message, typed SHIPPER_NOT_ELIGIBLE."""
    if eligible is not None:
        deft.app.register_shipper(777, "hash777", eligible=eligible)
    body = CreateBatchRequest.from_dict(_create_body(shipper_id=777))
    response = create_batch.sync_detailed(client=deft.api, body=body)
    documented = OPERATIONS["createBatch"].error_messages[0]
    assert isinstance(response.parsed, FailureEnvelope)
    assert response.parsed.message == documented.message
    answer = httpx.Response(response.status_code, content=response.content)
    assert name_of("createBatch", answer) == "SHIPPER_NOT_ELIGIBLE"
    assert deft.app.store.items("deftship.batches") == []


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"service": "USPS-3", "batch_shipments": []}, "shipper_id", "The shipper id field is required."),
        (
            {**_create_body(), "shipper_id": "x"},
            "shipper_id",
            "The shipper id field is invalid.",
        ),
        ({**_create_body(), "colour": "red"}, "colour", "The colour field is not allowed."),
    ],
    ids=["required", "type", "undeclared"],
)
def test_spec_validation_answers_failure_keyed_by_field(
    deft: Deft, body: dict[str, object], field: str, text: str
) -> None:
    """A request breaking the spec answers the 200 VALIDATION_FAILED body with errors keyed by field."""
    response = deft.http.post("/batches", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert answer["message"] == "The given data was invalid."
    assert text in answer["data"][field]
    assert name_of("createBatch", response) == "VALIDATION_FAILED"
    assert kind_of("createBatch", response) == "invalid_request"
    assert deft.app.store.items("deftship.batches") == []


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        (
            {"to_address": {"name": "A", "street_1": "1 St", "city": "X", "zip": "1", "country": "US"}},
            "to_address.telephone",
            "The to address.telephone field is required.",
        ),
        ({"weight_unit": "STONE"}, "weight_unit", "The selected weight unit is invalid."),
        ({"colour": "red"}, "colour", "The colour field is not allowed."),
    ],
    ids=["missing-telephone", "enum", "undeclared"],
)
def test_item_rules_are_checked_asynchronously(
    deft: Deft, change: dict[str, object], field: str, text: str
) -> None:
    """A rule broken inside one shipment creates the batch; validation makes the item invalid, by field."""
    response = deft.http.post(
        "/batches", json={**_create_body(), "batch_shipments": [{**shipment(), **change}]}
    )
    assert response.json()["success"] is True
    batch_id = response.json()["data"]["id"]
    deft.app.validate_now(batch_id)
    data = deft.batch(batch_id)
    assert data["status"] == "invalid"
    [item] = data["items"]["data"]
    assert item["status"] == "invalid"
    assert text in item["errors"][field]


def test_shipper_id_as_a_string_of_digits_is_accepted(deft: Deft) -> None:
    """shipper_id "123" names the same shipper as 123 (the spec takes both)."""
    answer = deft.call("POST", "/batches", _create_body(shipper_id="123"))
    assert answer["success"] is True
    assert answer["data"]["default_shipper_id"] == "99999999"


def test_more_than_1000_items_are_refused(deft: Deft) -> None:
    """1,001 items break the documented cap: a validation failure on batch_shipments, no batch created."""
    response = deft.http.post("/batches", json=_create_body(count=1001))
    assert response.status_code == 200
    assert response.json()["data"] == {
        "batch_shipments": ["The batch shipments field must not have more than 1000 items."]
    }
    assert deft.app.store.items("deftship.batches") == []


def test_exactly_1000_items_are_accepted(deft: Deft) -> None:
    """A batch of exactly 1,000 items is created."""
    batch_id = deft.create([shipment(f"R{i}") for i in range(1000)])
    deft.app.validate_now(batch_id)
    assert deft.batch(batch_id)["results"]["total_count"] == 1000


def test_unknown_batch_answers_not_found(deft: Deft) -> None:
    """Reading an unknown batch answers the spec's BATCH_NOT_FOUND 200 failure body, typed not_found."""
    response = deft.http.get("/batches/999")
    assert response.status_code == 200
    assert response.json() == {"success": False, "message": "Batch not found."}
    assert kind_of("getBatch", response) == "not_found"


def test_get_batch_parses_with_generated_client(deft: Deft) -> None:
    """Get Batch with a status filter parses into the generated model."""
    batch_id = deft.ready([shipment("A")])
    parsed = get_batch.sync(batch_id, client=deft.api, status=GetBatchStatus.VALID)
    assert isinstance(parsed, BatchEnvelope)
    assert parsed.data.status.value == "ready"
    assert isinstance(parsed.data.items, BatchItemPage)
    assert isinstance(parsed.data.items.data, list)
    assert [item.id for item in parsed.data.items.data] == ["20000001"]


@pytest.mark.parametrize("operation", ["createBatch", "getBatch"])
def test_rate_limit_fault_answers_too_many_attempts_with_retry_after(operation: str) -> None:
    """An injected rate limit answers the 200 failure body with Retry-After, typed quota."""
    plan = FaultPlan(seed=1, rules=(FaultRule("rate_limit", 1.0, carrier="deftship", retry_after_seconds=7),))
    with running(faults=plan) as deft:
        if operation == "createBatch":
            response = deft.http.post("/batches", json=_create_body())
        else:
            response = deft.http.get("/batches/1")
    assert response.status_code == 200
    assert response.headers["Retry-After"] == "7"
    assert response.json() == {"success": False, "message": "Too Many Attempts."}
    assert kind_of(operation, response) == "quota"


def test_token_expiry_fault_answers_unauthenticated() -> None:
    """An injected token expiry answers like a wrong token ("Unauthenticated."), and nothing is created."""
    plan = FaultPlan(seed=1, rules=(FaultRule("token_expiry", 1.0, carrier="deftship"),))
    with running(faults=plan) as deft:
        response = deft.http.post("/batches", json=_create_body())
        assert deft.app.store.items("deftship.batches") == []
    assert response.status_code == 200
    assert response.json() == {"success": False, "message": "Unauthenticated."}


def test_state_survives_a_restart(tmp_path: Path) -> None:
    """With db=, batches, counters, tokens, shippers, credit and the ledger persist across a restart."""
    db = tmp_path / "s.db"
    with running(db=db) as deft:
        deft.app.register_token("kept-token")
        deft.app.register_shipper(456, "hash456")
        deft.app.set_credit(100.0, label_price=2.5)
        batch_id = deft.ready([shipment("KEEP-1")])
        assert deft.call("POST", f"/batches/{batch_id}/ship")["success"] is True
        deft.app.complete_now(batch_id, deft.ledger)
    with running(db=db) as deft:
        data = deft.batch(batch_id)
        assert data["status"] == "completed"
        assert data["items"]["data"][0]["shipment_order"]["main_tracking_number"]
        assert deft.app.balance() == 97.5
        assert deft.entries("item_shipped")[0][0] == "KEEP-1"
        assert deft.create([shipment()], shipper_id=456) == "10000002"
        headers = {"Authorization": "Bearer kept-token"}
        assert (
            httpx.get(f"{deft.url}/batches/{batch_id}", headers=headers, timeout=TIMEOUT).status_code == 200
        )
