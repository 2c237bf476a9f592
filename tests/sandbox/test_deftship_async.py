"""DeftShip sandbox: asynchronous validation and shipping on an injected clock, and their ledger entries."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from .test_deftship_support import Deft, running, shipment


@pytest.fixture
def deft() -> Iterator[Deft]:
    with running() as found:
        found.app.validation_delay = 10.0
        found.app.processing_delay = 10.0
        yield found


def _shipped(deft: Deft, shipments: list[dict[str, Any]]) -> str:
    batch_id = deft.ready(shipments)
    answer = deft.call("POST", f"/batches/{batch_id}/ship")
    assert answer["success"] is True, answer
    return batch_id


def test_validation_finishes_when_the_delay_has_passed(deft: Deft) -> None:
    """A new batch stays validating, listing its items without a status yet, until the clock passes the
    delay; then it is ready."""
    batch_id = deft.create([shipment("A"), shipment("B")])
    data = deft.batch(batch_id)
    assert (data["status"], data["results"]["completion_percentage"]) == ("validating", "0%")
    assert data["results"]["total_count"] == len(data["items"]["data"]) == 2
    assert ["status" in item for item in data["items"]["data"]] == [False, False]
    deft.clock.advance(10.0)
    data = deft.batch(batch_id)
    assert data["status"] == "ready"
    assert [item["status"] for item in data["items"]["data"]] == ["valid", "valid"]
    assert data["results"]["valid_count"] == 2


def test_validation_progresses_with_the_clock(deft: Deft) -> None:
    """Three tenths of the delay validate three tenths of the items, shown as "30%"."""
    batch_id = deft.create([shipment(f"R{i}") for i in range(10)])
    deft.clock.advance(3.0)
    data = deft.batch(batch_id)
    assert data["status"] == "validating"
    assert data["results"]["completion_percentage"] == "30%"
    statuses = [item.get("status") for item in data["items"]["data"]]
    assert statuses.count("valid") == data["results"]["valid_count"] == 3
    assert statuses.count(None) == 7


def _no_sender(item: dict[str, Any]) -> None:
    del item["from_address_id"]


def _international(item: dict[str, Any]) -> None:
    del item["from_address_id"]
    item["from_address"] = {**item["to_address"], "name": "Sender"}
    item["to_address"].update(country="MX", state="JAL")


CONTENT = {
    "quantity": 1,
    "price": 10.0,
    "country_of_manufacture": "US",
    "sku": "SKU-1",
    "hs_code": "6109.10",
    "description": "T-shirt",
    "content_type": "Merchandise",
}


def _canada_without_state(item: dict[str, Any]) -> None:
    item["to_address"].update(country="CA", state="")
    item["package_list"][0]["items"] = [CONTENT]  # Canada from a (US) saved address is international


def _content_without_sku(item: dict[str, Any]) -> None:
    item["package_list"][0].update(insurance=True, items=[{**CONTENT, "sku": ""}])


INVALID_CASES: list[tuple[str, Any, str]] = [
    ("us-state", lambda s: s["to_address"].pop("state"), "to_address.state"),
    ("ca-state", _canada_without_state, "to_address.state"),
    ("short-phone", lambda s: s["to_address"].update(telephone="555123"), "to_address.telephone"),
    ("phone-dashes", lambda s: s["to_address"].update(telephone="555-987-6543"), "to_address.telephone"),
    ("zero-weight", lambda s: s["package_list"][0].update(weight=0), "package_list.0.weight"),
    ("negative-weight", lambda s: s["package_list"][0].update(weight=-1.5), "package_list.0.weight"),
    ("insured-no-items", lambda s: s["package_list"][0].update(insurance=True), "package_list.0.items"),
    ("item-no-sku", _content_without_sku, "package_list.0.items.0.sku"),
    ("no-sender", _no_sender, "from_address"),
    ("international-no-items", _international, "package_list.0.items"),
]


@pytest.mark.parametrize(
    ("change", "field"), [(c, f) for _, c, f in INVALID_CASES], ids=[i for i, _, _ in INVALID_CASES]
)
def test_invalid_items_make_the_batch_invalid(deft: Deft, change: Any, field: str) -> None:
    """An item breaking a documented rule turns invalid, errors keyed by field; the batch turns invalid."""
    bad = shipment("BAD")
    change(bad)
    batch_id = deft.ready([shipment("GOOD"), bad])
    data = deft.batch(batch_id)
    assert data["status"] == "invalid"
    assert (data["results"]["valid_count"], data["results"]["invalid_count"]) == (1, 1)
    invalid = deft.batch(batch_id, status="invalid")["items"]["data"]
    assert len(invalid) == 1
    assert list(invalid[0]["errors"]) == [field]


def test_shipping_progresses_and_completes_with_the_clock(deft: Deft) -> None:
    """A shipped batch is processing, half done at half the delay, then completed with tracking numbers."""
    batch_id = _shipped(deft, [shipment(f"R{i}") for i in range(4)])
    assert deft.batch(batch_id)["status"] == "processing"
    deft.clock.advance(5.0)
    data = deft.batch(batch_id)
    assert (data["status"], data["results"]["completion_percentage"]) == ("processing", "50%")
    assert [item["status"] for item in data["items"]["data"]] == ["completed", "completed", "valid", "valid"]
    assert "labels" not in data
    deft.clock.advance(5.0)
    data = deft.batch(batch_id)
    assert data["status"] == "completed"
    assert data["results"]["completed_count"] == 4
    numbers = [item["shipment_order"]["main_tracking_number"] for item in data["items"]["data"]]
    assert all(numbers)
    assert len(set(numbers)) == 4
    assert data["labels"] == [f"{deft.url}/labels/batch-{batch_id}-1.pdf"]


def test_ledger_has_one_batch_entry_and_one_entry_per_shipped_item(deft: Deft) -> None:
    """batch_shipped is keyed by batch id; item_shipped by shipment order id with reference_1 (else the item
    id) as its reference; rereads add nothing."""
    no_reference = shipment()
    batch_id = _shipped(deft, [shipment("ORDER-001"), no_reference])
    deft.clock.advance(10.0)
    for _ in range(3):
        deft.batch(batch_id)
    assert deft.entries("batch_shipped") == [(batch_id, {"items": 2, "labels": 2, "charged_cents": 1000})]
    items = deft.batch(batch_id)["items"]["data"]
    assert [key for key, _ in deft.entries("item_shipped")] == ["ORDER-001", items[1]["id"]]
    shipped = deft.ledger.entries("deftship", "item_shipped")
    assert [entry.key for entry in shipped] == [item["shipment_order"]["id"] for item in items]
    assert (
        deft.entries("item_shipped")[0][1]["main_tracking_number"]
        == items[0]["shipment_order"]["main_tracking_number"]
    )
    assert deft.ledger.duplicates() == {}


def test_labels_are_merged_in_pdfs_of_at_most_100(deft: Deft) -> None:
    """180 labels (three items of 60 pieces) are merged into two PDFs of 100 and 80 labels."""
    batch_id = _shipped(deft, [shipment(f"R{i}", count=60) for i in range(3)])
    deft.app.complete_now(batch_id, deft.ledger)
    assert len(deft.batch(batch_id)["labels"]) == 2
    stored = deft.app.store.get("deftship.batches", batch_id)
    assert isinstance(stored, dict)
    assert [len(group) for group in stored["label_groups"]] == [100, 80]
    assert deft.app.balance() == 10_000.0 - 180 * 5.0


def test_rejected_item_fails_and_is_refunded(deft: Deft) -> None:
    """An item the carrier rejects ends failed with errors, is refunded, and gets no ledger entry."""
    deft.app.reject_on_ship("REJECT-ME")
    batch_id = _shipped(deft, [shipment("OK"), shipment("REJECT-ME")])
    deft.app.complete_now(batch_id, deft.ledger)
    data = deft.batch(batch_id)
    assert data["status"] == "completed"
    assert (data["results"]["completed_count"], data["results"]["failed_count"]) == (1, 1)
    failed = deft.batch(batch_id, status="failed")["items"]["data"]
    assert failed[0]["errors"] == {"shipment": ["The carrier rejected the shipment."]}
    assert [key for key, _ in deft.entries("item_shipped")] == ["OK"]
    assert deft.app.balance() == 10_000.0 - 5.0


def test_concurrent_reads_ship_each_item_exactly_once(deft: Deft) -> None:
    """Concurrent reads while the clock moves never ship an item twice."""
    batch_id = _shipped(deft, [shipment(f"C{i}") for i in range(50)])
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(11):
            deft.clock.advance(1.0)
            list(pool.map(lambda _: deft.batch(batch_id), range(8)))
    assert deft.batch(batch_id)["status"] == "completed"
    assert sorted(key for key, _ in deft.entries("item_shipped")) == sorted(f"C{i}" for i in range(50))
    assert deft.ledger.duplicates() == {}


def test_wall_clock_progression_by_default(deft: Deft) -> None:
    """With the real clock and short delays, polling sees ready and then completed within seconds."""
    deft.app.clock = time.time
    deft.app.validation_delay = deft.app.processing_delay = 0.05
    batch_id = deft.create([shipment("W")])
    for wanted in ("ready", "completed"):
        deadline = time.monotonic() + 5.0
        while deft.batch(batch_id)["status"] != wanted and time.monotonic() < deadline:
            time.sleep(0.02)
        assert deft.batch(batch_id)["status"] == wanted
        if wanted == "ready":
            assert deft.call("POST", f"/batches/{batch_id}/ship")["success"] is True


def test_a_reference_reused_across_batches_is_no_duplicate_of_the_carriers(deft: Deft) -> None:
    """The doc example's ORDER-001 in two batches is two shipment orders: no duplicate by key (DeftShip
    deduplicates nothing), while counting by reference, as exactly-once runs do, still sees it twice."""
    for _ in range(2):
        batch_id = _shipped(deft, [shipment("ORDER-001")])
        deft.clock.advance(10.0)
        assert deft.batch(batch_id)["status"] == "completed"
    assert deft.ledger.duplicates() == {}
    assert deft.ledger.duplicates(by="reference") == {("deftship", "item_shipped", "ORDER-001"): 2}


def test_merged_label_urls_of_a_completed_batch_resolve(deft: Deft) -> None:
    """Every label URL Get Batch lists serves a PDF; a number past the list does not."""
    batch_id = _shipped(deft, [shipment("A"), shipment("B")])
    deft.clock.advance(10.0)
    labels = deft.batch(batch_id)["labels"]
    assert labels
    for url in labels:
        answer = deft.http.get(url)
        assert (answer.status_code, answer.headers["content-type"]) == (200, "application/pdf")
        assert answer.content.startswith(b"%PDF-")
    assert deft.http.get(f"/labels/batch-{batch_id}-{len(labels) + 1}.pdf").status_code == 404
