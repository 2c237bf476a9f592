"""Baaship mapping: neutral Shipment → exact wire requests, problems by field path, answers → results."""

from __future__ import annotations

from typing import Any

import pytest
from shipspec.carriers.baaship import mapping
from shipspec.errors import InputError
from shipspec_baaship.models import (
    CancelShipmentResponse,
    CreateShipmentResponse,
    ReverseShipmentResponse,
    ShipmentLabelResponse,
    TrackingResponse,
)

from .support_baaship import ITEM, RECIPIENT, SENDER, return_shipment, shipment

WIRE_SENDER = {
    "contact": "Li Lei",
    "company": "Test Co",
    "phone": "+862012345678",
    "email": "li@example.com",
    "country": "CN",
    "province": "GUANGDONG",
    "city": "Guangzhou",
    "address": "No.100 South Baiyun Street, Unit 3, Baiyun",
    "postCode": "510000",
}
WIRE_ITEM = {
    "sku": "td2902sx880",
    "goodsNameEn": "Computer Bag",
    "goodsNameCn": "电脑包",
    "quantity": "1",
    "itemWeight": "2.102",
    "itemValue": "29.90",
    "currency": "USD",
}


def problems(**fields: Any) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        mapping.to_request(shipment(**fields))
    return caught.value.problems


def test_forward_request_is_exact() -> None:
    """A full forward shipment becomes exactly the documented createShipment body."""
    request = mapping.to_request(shipment(platform={"order_id": "OD1"}, incoterms="DDU", remark="Fragile"))
    assert request.to_dict() == {
        "referenceNo": "REF-1",
        "productCode": "TEST",
        "orderNo": "OD1",
        "incoterms": "DDU",
        "remark": "Fragile",
        "sender": WIRE_SENDER,
        "receiver": {
            "contact": "Kim Lee",
            "phone": "0212340908",
            "vat": "A123456789",
            "country": "NZ",
            "province": "Waikato",
            "city": "Te Aroha",
            "suburb": "Te Aroha",
            "address": "3 Churchill Avenue",
            "postCode": "3320",
        },
        "packageList": [{"weight": "13.109", "packageItemList": [WIRE_ITEM]}],
    }


def test_reverse_request_is_exact_with_one_package_object() -> None:
    """A return goes to reverseShipment: no receiver, packageList one object, incoterms ignored."""
    request = mapping.to_request(return_shipment(incoterms="DDP"))
    assert request.to_dict() == {
        "referenceNo": "RET-1",
        "productCode": "BNRTN",
        "sender": WIRE_SENDER,
        "packageList": {"weight": "13.109", "packageItemList": [WIRE_ITEM]},
    }


def test_units_convert_exactly_and_round_up() -> None:
    """Pounds and inches convert exactly and round up (kg to 3 places, cm to 1); money is never rounded."""
    parcel = {
        "weight": {"value": "2", "unit": "lb"},
        "dimensions": {"length": "10", "width": "5.01", "height": "3", "unit": "in"},
    }
    item = ITEM | {
        "unit_weight": {"value": "0.9", "unit": "lb"},
        "unit_value": {"amount": "0.10", "currency": "USD"},
    }
    wire = mapping.to_request(shipment(parcels=[parcel], items=[item])).to_dict()["packageList"][0]
    assert (wire["weight"], wire["length"], wire["width"], wire["height"]) == ("0.908", "25.4", "12.8", "7.7")
    assert (wire["packageItemList"][0]["itemWeight"], wire["packageItemList"][0]["itemValue"]) == (
        "0.409",
        "0.10",
    )


def test_items_go_to_their_parcel() -> None:
    """With two parcels each item lands in the parcel its parcel_index names."""
    parcels = [{"weight": {"value": "1", "unit": "kg"}}, {"weight": {"value": "2", "unit": "kg"}}]
    items = [ITEM | {"parcel_index": 1, "sku": "B"}, ITEM | {"parcel_index": 0, "sku": "A"}]
    wire = mapping.to_request(shipment(parcels=parcels, items=items)).to_dict()["packageList"]
    assert [[i["sku"] for i in p["packageItemList"]] for p in wire] == [["A"], ["B"]]


def test_store_delivery_needs_no_recipient_address() -> None:
    """A recipient store_id becomes storeId, and the address may then be left out."""
    recipient = {"name": "Kim", "phone": "0912345678", "store_id": "S123"}
    body = mapping.to_request(shipment(recipient=recipient)).to_dict()
    assert body["storeId"] == "S123"
    assert body["receiver"] == {"contact": "Kim", "phone": "0912345678"}


def test_cod_product_sends_cod_amount_at_the_top_level() -> None:
    """A COD product takes cod.amount as codAmount (top level, as the table documents)."""
    body = mapping.to_request(shipment(service="TW711-COD", cod={"amount": "3980", "currency": "TWD"}))
    assert body.to_dict()["codAmount"] == "3980"


@pytest.mark.parametrize(
    ("fields", "path", "text"),
    [
        ({"items": [ITEM | {"name_cn": None}]}, "items[0].name_cn", "required by baaship (goodsNameCn)"),
        ({"items": [ITEM | {"unit_value": None}]}, "items[0].unit_value", "required by baaship (itemValue)"),
        ({"sender": SENDER | {"phone": None}}, "sender.phone", "required by baaship (phone)"),
        ({"service": None}, "service", "required by baaship (productCode)"),
        ({"parcels": None}, "parcels", "required by baaship (packageList)"),
        (
            {"recipient": RECIPIENT | {"address": None}},
            "recipient.address",
            "required by baaship (receiver.address)",
        ),
        ({"reference": "R" * 31}, "reference", "31 characters; baaship allows at most 30 (referenceNo)"),
        ({"remark": "x" * 101}, "remark", "101 characters; baaship allows at most 100 (remark)"),
        ({"service": "TWYCS-COD"}, "cod", "required by baaship (codAmount, for product TWYCS-COD)"),
        ({"cod": {"amount": "1", "currency": "USD"}}, "cod", "rejected: product TEST is not a baaship"),
        ({"handover": {"method": "drop_off"}}, "handover", "rejected: baaship takes no pickup"),
        (
            {"parcels": [{"weight": {"value": "1", "unit": "kg"}, "insurance": True}]},
            "parcels[0].insurance",
            "rejected",
        ),
        (
            {"parcels": [{"weight": {"value": "1", "unit": "kg"}, "signature": "signature"}]},
            "parcels[0].signature",
            "rejected",
        ),
        (
            {"parcels": [{"weight": {"value": "123456.789", "unit": "kg"}}]},
            "parcels[0].weight",
            "10 characters",
        ),
        ({"service": "BNRTN"}, "service", "BNRTN is a reverse product: ship it with reverse true"),
        ({"carrier": "deftship"}, "carrier", "this shipper ships baaship, not deftship"),
    ],
)
def test_bad_input_names_the_neutral_path(fields: dict[str, Any], path: str, text: str) -> None:
    """Each missing, rejected or too long field is reported at its neutral path before anything is sent."""
    assert problems(**fields)[path].startswith(text)


def test_every_problem_is_reported_at_once() -> None:
    """Several problems come back together in one InputError."""
    found = problems(sender=SENDER | {"phone": None}, items=[ITEM | {"name_cn": None}], remark="x" * 101)
    assert set(found) == {"sender.phone", "items[0].name_cn", "remark"}


def test_bnrtn_limits_are_checked_before_sending() -> None:
    """BNRTN's 25 kg and 295 USD limits (x-product-codes) reject a return before any request."""
    heavy = [{"weight": {"value": "25.0001", "unit": "kg"}}]
    pricey = [ITEM | {"quantity": 10}]
    with pytest.raises(InputError) as caught:
        mapping.to_request(return_shipment(parcels=heavy, items=pricey))
    assert caught.value.problems["parcels[0].weight"] == "25.001 kg exceeds BNRTN's limit of 25 kg"
    assert caught.value.problems["items"] == "declared 299.00 USD exceeds BNRTN's limit of 295 USD"


def test_reverse_rejects_a_recipient_and_a_second_parcel() -> None:
    """Returns take no recipient and exactly one parcel."""
    two = [{"weight": {"value": "1", "unit": "kg"}}] * 2
    with pytest.raises(InputError) as caught:
        mapping.to_request(
            shipment("RET-2", service="BNRTN", reverse=True, parcels=two, items=[ITEM | {"parcel_index": 0}])
        )
    assert {"recipient", "parcels"} <= set(caught.value.problems)


def _created(data: Any, reference: str = "REF-1") -> CreateShipmentResponse:
    entry = {
        "waybill": "T80000045",
        "referenceNo": reference,
        "productCode": "TEST",
        "labelUrl": "https://x/l.pdf",
    }
    return CreateShipmentResponse.from_dict(
        {"success": True, "code": 200, "requestId": "r1", "data": data(entry)}
    )


@pytest.mark.parametrize("shape", [lambda e: [e], lambda e: e], ids=["array", "object"])
def test_created_answer_becomes_shipped(shape: Any) -> None:
    """A success answer (data as array or object) gives the waybill and label."""
    result = mapping.created_result(shipment(), _created(shape))
    assert (result.status, result.tracking_number, result.carrier_shipment_id) == (
        "shipped",
        "T80000045",
        "T80000045",
    )
    assert result.label_url == "https://x/l.pdf"


def test_created_answer_for_another_reference_fails_as_unknown() -> None:
    """A success that does not hold our referenceNo is a failed result of kind unknown."""
    result = mapping.created_result(shipment(), _created(lambda e: [e], reference="OTHER"))
    assert result.status == "failed"
    assert result.error is not None
    assert (result.error.kind, result.error.request_id) == ("unknown", "r1")


def test_reverse_answer_and_lookup_answer() -> None:
    """reverseShipment's object answer and a referenceNo lookup both give the waybill."""
    data = {"waybill": "T1", "referenceNo": "RET-1", "labelUrl": "https://x/1.pdf"}
    reverse = ReverseShipmentResponse.from_dict({"success": True, "code": 200, "data": data})
    assert mapping.created_result(return_shipment(), reverse).tracking_number == "T1"
    label = ShipmentLabelResponse.from_dict({"success": True, "code": 200, "data": data})
    found = mapping.looked_up_result(return_shipment(), label, "already_shipped")
    assert (found.status, found.tracking_number, found.label_url) == (
        "already_shipped",
        "T1",
        "https://x/1.pdf",
    )
    assert mapping.looked_up_result(shipment(), label, "shipped").status == "failed"  # referenceNo mismatch


def test_cancel_answer() -> None:
    """A confirmed cancel is the call's success, keyed by the waybill."""
    answer = CancelShipmentResponse.from_dict({"success": True, "code": 200, "waybill": "T1"})
    assert mapping.cancelled_result("T1", answer).model_dump(exclude_none=True) == {
        "reference": "T1",
        "carrier": "baaship",
        "status": "shipped",
        "tracking_number": "T1",
        "carrier_shipment_id": "T1",
    }


def test_tracking_events_newest_first_across_time_zones() -> None:
    """Events map field by field and sort newest first by local time and zone."""
    events = [
        {"statusCode": "IR01", "localTime": "2023-12-27 10:00:00", "timeZone": "UTC+8", "city": "GZ"},
        {
            "statusCode": "DL01",
            "localTime": "2023-12-27 11:00:08",
            "timeZone": "UTC+12",
            "location": "Maraetai",
            "description": "Delivered",
            "country": "NZ",
            "state": "Auckland",
            "postcode": "2018",
        },
        {"statusCode": "TR01", "localTime": "2023-12-27 00:30:00", "timeZone": "UTC-3"},
    ]
    answer = TrackingResponse.from_dict(
        {"success": True, "code": 200, "data": [{"waybill": "W1", "events": events}]}
    )
    found = mapping.tracking_events(answer, "W1")
    assert [e.status_code for e in found] == ["TR01", "IR01", "DL01"]  # 03:30Z, 02:00Z, 23:00Z the day before
    assert found[2].model_dump(exclude_none=True) == {
        "carrier": "baaship",
        "tracking_number": "W1",
        "status_code": "DL01",
        "description": "Delivered",
        "location": "Maraetai",
        "occurred_at": "2023-12-27 11:00:08",
        "time_zone": "UTC+12",
        "country": "NZ",
        "state": "Auckland",
        "postal_code": "2018",
    }


def test_tracking_keeps_carrier_order_when_a_time_is_unreadable() -> None:
    """Without a readable moment for every event the carrier's order is kept."""
    events = [
        {"statusCode": "A", "localTime": "soon"},
        {"statusCode": "B", "localTime": "2023-01-01 00:00:00"},
    ]
    answer = TrackingResponse.from_dict({"success": True, "code": 200, "data": [{"events": events}]})
    assert [e.status_code for e in mapping.tracking_events(answer, "W9")] == ["A", "B"]
