"""DeftShip mapping: neutral Shipment → exact batch entries, problems by field path, batch items → results."""

from __future__ import annotations

from typing import Any

import pytest
from shipspec.carriers.deftship import mapping
from shipspec.errors import InputError
from shipspec_deftship.models import BatchItem

from .support_deftship import ITEM, PARCEL, RECIPIENT, SENDER, shipment

WIRE_TO = {
    "name": "Bob Roe",
    "telephone": "5559876543",
    "email": "bob@example.com",
    "street_1": "2 Oak Ave",
    "street_2": "Apt 3",
    "city": "Los Angeles",
    "state": "CA",
    "zip": "90001",
    "country": "US",
}


def problems(**fields: Any) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        mapping.to_batch_shipment(shipment(**fields))
    return caught.value.problems


def test_domestic_entry_is_exact() -> None:
    """Company on the name line, person as attention, digits-only phones, the reference in reference_1."""
    second = {
        "weight": {"value": "1", "unit": "kg"},
        "dimensions": {"length": "10", "width": "5", "height": "3", "unit": "cm"},
        "reference_1": "BOX-2",
        "reference_2": "R2",
        "box_type": "PARCEL",
        "signature": "none",
        "hazmat": True,
    }
    entry = mapping.to_batch_shipment(shipment(parcels=[PARCEL, second], incoterms="DDU"))
    assert entry.to_dict() == {
        "from_address": {
            "name": "ACME",
            "attention": "Ann Lee",
            "telephone": "15551234567",
            "street_1": "1 Main St",
            "city": "Austin",
            "state": "TX",
            "zip": "73301",
            "country": "US",
        },
        "to_address": WIRE_TO,
        "weight_unit": "LBS",
        "length_unit": "IN",
        "package_list": [
            {"count": 1, "length": 10.0, "width": 8.0, "height": 4.0, "weight": 2.0, "reference_1": "D-1"},
            {
                "count": 1,
                "box_type": "PARCEL",
                "length": 3.94,  # 10 cm = 3.937… in, rounded up to 2 decimals
                "width": 1.97,
                "height": 1.19,
                "weight": 2.21,  # 1 kg = 2.2046… lb
                "reference_1": "BOX-2",
                "reference_2": "R2",
                "is_hazmat": True,
                "signature": "no_signature",
            },
        ],
        "customs_details": {"bill_type": "DDU"},
    }


def test_saved_sender_and_international_items() -> None:
    """A saved sender goes by from_address_id; items carry price, origin and a description fallback."""
    sender = {"name": "Ann", "saved_address_id": "1387235969", "tax_id": "12-345", "tax_id_type": "EIN"}
    insured = PARCEL | {"insurance": True}
    entry = mapping.to_batch_shipment(shipment(sender=sender, parcels=[insured], items=[ITEM]))
    wire = entry.to_dict()
    assert wire["from_address_id"] == 1387235969
    assert "from_address" not in wire
    assert wire["package_list"][0]["insurance"] is True
    assert wire["package_list"][0]["items"] == [
        {
            "quantity": 2,
            "sku": "MUG-1",
            "hs_code": "691200",
            "country_of_manufacture": "CN",
            "price": 12.5,
            "description": "Mug",
            "content_type": "Merchandise",
        }
    ]
    assert wire["customs_details"] == {"tax_id_type": "EIN", "tax_id": "12-345"}


OVERSEAS = RECIPIENT | {"address": RECIPIENT["address"] | {"country": "GB", "state": None}}


@pytest.mark.parametrize(
    ("fields", "path", "text"),
    [
        ({"service": None}, "service", "required by deftship (service)"),
        (
            {"sender": SENDER | {"phone": "12345"}},
            "sender.phone",
            "deftship needs 10 to 15 digits, this has 5",
        ),
        (
            {"recipient": RECIPIENT | {"phone": None}},
            "recipient.phone",
            "required by deftship (to_address.telephone)",
        ),
        (
            {"recipient": RECIPIENT | {"address": RECIPIENT["address"] | {"state": None}}},
            "recipient.address.state",
            "required",
        ),
        ({"recipient": RECIPIENT | {"store_id": "S1"}}, "recipient.store_id", "rejected"),
        ({"sender": {"name": "A", "saved_address_id": "abc"}}, "sender.saved_address_id", "rejected"),
        ({"parcels": [PARCEL | {"dimensions": None}]}, "parcels[0].dimensions", "required"),
        ({"parcels": [PARCEL | {"reference_1": "OTHER"}]}, "parcels[0].reference_1", "rejected"),
        ({"recipient": OVERSEAS}, "items", "required by deftship (package_list[].items"),
        ({"items": [ITEM | {"sku": None}]}, "items[0].sku", "required by deftship (items[].sku)"),
        (
            {"items": [ITEM | {"unit_value": {"amount": "1", "currency": "EUR"}}]},
            "items[0].unit_value.currency",
            "rejected",
        ),
        ({"items": [ITEM], "parcels": [PARCEL, PARCEL]}, "items[0].parcel_index", "required"),
        ({"sender": SENDER | {"tax_id": "1", "tax_id_type": "GST"}}, "sender.tax_id_type", "rejected"),
        ({"cod": {"amount": "1", "currency": "USD"}}, "cod", "rejected"),
        ({"handover": {"method": "pickup"}}, "handover", "rejected"),
        ({"reverse": True}, "reverse", "rejected"),
        ({"carrier": "baaship"}, "carrier", "this shipper ships deftship, not baaship"),
        (
            {"parcels": [PARCEL | {"weight": {"value": "12345678901234567890", "unit": "lb"}}]},
            "parcels[0].weight.value",
            "rejected: has more significant digits",
        ),
        (
            {"items": [ITEM | {"unit_value": {"amount": "1.000000000000000001", "currency": "USD"}}]},
            "items[0].unit_value.amount",
            "rejected: has more significant digits",
        ),
    ],
)
def test_bad_input_names_the_neutral_path(fields: dict[str, Any], path: str, text: str) -> None:
    """Each missing or rejected field is reported at its neutral path before anything is sent."""
    assert problems(**fields)[path].startswith(text)


def test_a_configured_service_fills_in() -> None:
    """A shipment without service takes the configured default; none at all is an input error."""
    assert mapping.service_of(shipment(service=None), "USPS-3") == "USPS-3"
    assert mapping.service_of(shipment(service="USPS-9"), "USPS-3") == "USPS-9"
    mapping.to_batch_shipment(shipment(service=None), "USPS-3")  # no problem with a default
    with pytest.raises(InputError):
        mapping.service_of(shipment(service=None), None)


def test_create_request_holds_one_to_a_thousand() -> None:
    """createBatch takes 1 to 1,000 shipments."""
    entry = mapping.to_batch_shipment(shipment())
    body = mapping.create_request(123, "USPS-3", [entry]).to_dict()
    assert (body["shipper_id"], body["service"], len(body["batch_shipments"])) == (123, "USPS-3", 1)
    for count in (0, 1001):
        with pytest.raises(ValueError, match="1 to 1000"):
            mapping.create_request(123, "USPS-3", [entry] * count)


def _item(status: str | None, reference: str | None = "D-1", **extra: Any) -> BatchItem:
    order = {"id": "3", "main_tracking_number": "9400111", "reference_1": reference} if reference else None
    listed = {} if status is None else {"status": status}  # no status while validation is pending
    return BatchItem.from_dict({"id": "20", **listed, "shipment_order": order, **extra})


def test_completed_item_is_shipped_with_its_tracking_number() -> None:
    """A completed item gives the main tracking number, the item id and the batch's single label file."""
    result = mapping.item_result(shipment(), _item("completed"), "10", ["https://x/batch-1.pdf"])
    assert result.model_dump(exclude_none=True) == {
        "reference": "D-1",
        "carrier": "deftship",
        "status": "shipped",
        "tracking_number": "9400111",
        "label_url": "https://x/batch-1.pdf",
        "carrier_shipment_id": "20",
        "batch_id": "10",
    }
    several = mapping.item_result(
        shipment(), _item("completed"), "10", ["https://x/1.pdf", "https://x/2.pdf"]
    )
    assert several.label_url is None  # which merged file holds this label is not documented


@pytest.mark.parametrize(
    ("status", "errors", "outcome", "kind", "message"),
    [
        (
            "invalid",
            {"to_address.state": ["The state is required."]},
            "failed",
            "invalid_request",
            "to_address.state: The state is required.",
        ),
        ("failed", None, "failed", "unknown", "item failed while shipping"),
        ("valid", None, "pending", "retry", "item is valid; batch 10 not completed"),
        (None, None, "pending", "retry", "item is waiting for validation; batch 10 not completed"),
    ],
)
def test_other_item_states(status: str | None, errors: Any, outcome: str, kind: str, message: str) -> None:
    """Invalid items fail with their field errors, failed ones as unknown, valid and unvalidated ones stay
    pending."""
    result = mapping.item_result(shipment(), _item(status, errors=errors), "10", [])
    assert (result.status, result.batch_id, result.carrier_shipment_id) == (outcome, "10", "20")
    assert result.error is not None
    assert (result.error.kind, result.error.message) == (kind, message)


def test_items_match_by_reference_then_by_id_then_by_position() -> None:
    """Items match by the echoed reference_1, then by remembered id; position only without any echo."""
    known: dict[str, str] = {}
    found = mapping.match_items(["A", "B"], [_item("valid", "B"), _item("valid", "X")], known)
    assert list(found) == ["B"]
    assert known == {"B": "20"}
    assert list(mapping.match_items(["B"], [_item("completed", None)], known)) == ["B"]  # by id now
    plain = [BatchItem.from_dict({"id": n, "status": "valid"}) for n in ("7", "8")]
    assert {r: i.id for r, i in mapping.match_items(["A", "B"], plain, {}).items()} == {"A": "7", "B": "8"}
    assert mapping.match_items(["A", "B", "C"], plain, {}) == {}  # counts differ: no guessing


def test_flatten_errors() -> None:
    """Laravel error bags flatten to ``field: text; …``."""
    assert mapping.flatten_errors({"a": ["x", "y"], "b": "z"}) == "a: x y; b: z"
    assert mapping.flatten_errors(None) == ""
