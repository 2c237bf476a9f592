"""TikTok Shop mapping: neutral Shipment → exact Batch Ship Packages dicts, and answers → ShipmentResults."""

from __future__ import annotations

from typing import Any

import pytest
from shipspec.carriers.tiktok_shop import mapping, package_outcomes
from shipspec.errors import InputError, InvalidRequestError
from shipspec_shipping_models import ShipmentResult

from .support_tiktok_shop import seller_shipped, shipment

PICKUP = {
    "method": "pickup",
    "window_start": "2026-11-21T09:00:00+08:00",
    "window_end": "2026-11-21T12:00:00+08:00",
}


def test_a_bare_package_is_just_its_id() -> None:
    """Only platform.package_id goes out when nothing else TikTok takes is set."""
    body = mapping.to_request([mapping.to_package(shipment("R1", "P1"))])
    assert body.to_dict() == {"packages": [{"id": "P1"}]}


def test_a_pickup_window_becomes_unix_seconds() -> None:
    """pickup → PICKUP with pickup_slot in whole Unix seconds (the offset is honoured)."""
    package = mapping.to_package(shipment("R1", "P1", handover=PICKUP))
    assert package.to_dict() == {
        "id": "P1",
        "handover_method": "PICKUP",
        "pickup_slot": {"start_time": 1795222800, "end_time": 1795233600},
    }


def test_drop_off_and_pickup_without_a_window_send_only_the_method() -> None:
    """A method without a window sends handover_method alone."""
    drop = mapping.to_package(shipment("R1", "P1", handover={"method": "drop_off"}))
    pickup = mapping.to_package(shipment("R2", "P2", handover={"method": "pickup"}))
    assert drop.to_dict() == {"id": "P1", "handover_method": "DROP_OFF"}
    assert pickup.to_dict() == {"id": "P2", "handover_method": "PICKUP"}


def test_a_seller_shipped_package_sends_self_shipment() -> None:
    """tracking_number + shipping_provider_id → self_shipment."""
    package = mapping.to_package(seller_shipped("R1", "P1", "JX12345", "6617675021119438849"))
    assert package.to_dict() == {
        "id": "P1",
        "self_shipment": {"tracking_number": "JX12345", "shipping_provider_id": "6617675021119438849"},
    }


def test_fields_the_platform_already_holds_are_ignored() -> None:
    """order_id, service, parties, parcels, items, incoterms and remark change nothing on the wire."""
    rich = shipment(
        "R1",
        "P1",
        platform={"order_id": "576"},
        service="STANDARD",
        sender={"name": "Ann"},
        recipient={"name": "Bo"},
        parcels=[{"weight": {"value": "1", "unit": "kg"}}],
        items=[{"name": "Mug", "quantity": 2}],
        incoterms="DDP",
        remark="fragile",
    )
    assert mapping.to_package(rich).to_dict() == {"id": "P1"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {"platform.package_id": "required by tiktok_shop (packages[].id)"}),
        (
            {"package_id": "P1", "cod": {"amount": "5", "currency": "GBP"}},
            {"cod": "rejected by tiktok_shop: cash on delivery comes from the platform order"},
        ),
        (
            {"package_id": "P1", "reverse": True},
            {"reverse": "rejected by tiktok_shop: returns do not go through Batch Ship Packages"},
        ),
        (
            {"package_id": "P1", "platform": {"tracking_number": "JX1"}},
            {
                "platform.shipping_provider_id": "required with platform.tracking_number by tiktok_shop "
                "(self_shipment.shipping_provider_id)"
            },
        ),
        (
            {"package_id": "P1", "handover": PICKUP | {"method": "drop_off"}},
            {"handover.method": "a pickup window needs method pickup (tiktok_shop: pickup_slot only then)"},
        ),
        (
            {"package_id": "P1", "handover": {"method": "pickup", "window_start": PICKUP["window_start"]}},
            {"handover.window_end": "required when the other window bound is set (both or neither)"},
        ),
        (
            {"package_id": "P1", "handover": PICKUP | {"window_end": "2026-11-21T12:00:00.5+08:00"}},
            {"handover.window_end": "whole seconds only (tiktok_shop pickup_slot takes Unix seconds)"},
        ),
        (
            {"package_id": "P1", "handover": PICKUP | {"window_end": "2026-11-21T01:00:00Z"}},
            {"handover.window_end": "must be later than handover.window_start"},
        ),
    ],
)
def test_bad_input_names_the_neutral_field(fields: dict[str, Any], expected: dict[str, str]) -> None:
    """Each rejected or missing field is reported by its neutral path before anything is built."""
    package_id = fields.pop("package_id", None)
    with pytest.raises(InputError) as caught:
        mapping.to_package(shipment("R1", package_id, **fields))
    assert caught.value.problems == expected


def test_all_problems_come_at_once_and_the_result_says_invalid_request() -> None:
    """Several problems, one failed result with kind invalid_request and every path in the message."""
    bad = shipment("R9", None, cod={"amount": "5", "currency": "GBP"}, reverse=True)
    with pytest.raises(InputError) as caught:
        mapping.to_package(bad)
    assert set(caught.value.problems) == {"platform.package_id", "cod", "reverse"}
    result = mapping.failed_result(bad, caught.value)
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.kind == "invalid_request"
    assert result.error.code is None
    assert "platform.package_id: required by tiktok_shop (packages[].id)" in result.error.message


def test_a_shipment_for_another_carrier_is_rejected() -> None:
    """The carrier field must say tiktok_shop."""
    other = shipment("R1", "P1").model_copy(update={"carrier": "baaship"})
    with pytest.raises(InputError) as caught:
        mapping.to_package(other)
    assert caught.value.problems == {"carrier": "is baaship; this shipper ships tiktok_shop"}


def test_every_shipment_naming_a_repeated_package_is_rejected() -> None:
    """Two shipments for P1 are both rejected; P2 is untouched."""
    batch = [shipment("A", "P1"), shipment("B", "P2"), shipment("C", "P1")]
    rejected = mapping.duplicate_package_problems(batch)
    assert sorted(rejected) == [0, 2]
    assert rejected[0].problems == {
        "platform.package_id": "package P1 is named by several shipments of one batch (A, C)"
    }


ANSWER = {
    "code": 0,
    "message": "Success",
    "request_id": "REQ-1",
    "data": {
        "errors": [
            {"code": 21011040, "message": "Package has shipped.", "detail": {"package_id": "P2"}},
            {"code": 21011001, "message": "Package not found.", "detail": {"package_id": "P3"}},
        ]
    },
}


def test_a_partial_success_answer_becomes_one_result_per_package() -> None:
    """Unlisted → shipped (seller tracking kept), 21011040 → already_shipped, 21011001 → failed not_found."""
    batch = [seller_shipped("R1", "P1", "JX1"), shipment("R2", "P2"), shipment("R3", "P3")]
    outcomes = package_outcomes(["P1", "P2", "P3"], ANSWER)
    results = [mapping.result_of(s, o, "REQ-1") for s, o in zip(batch, outcomes, strict=True)]
    assert [r.model_dump(exclude_none=True) for r in results] == [
        {"reference": "R1", "carrier": "tiktok_shop", "status": "shipped", "tracking_number": "JX1",
         "carrier_shipment_id": "P1"},
        {"reference": "R2", "carrier": "tiktok_shop", "status": "already_shipped",
         "carrier_shipment_id": "P2"},
        {"reference": "R3", "carrier": "tiktok_shop", "status": "failed", "carrier_shipment_id": "P3",
         "error": {"carrier": "tiktok_shop", "code": "21011001", "kind": "not_found",
                   "message": "Package not found.", "request_id": "REQ-1"}},
    ]  # fmt: skip


def test_platform_shipping_has_no_tracking_number() -> None:
    """A TikTok-shipped package's result carries no tracking number: this API does not return one."""
    [outcome] = package_outcomes(["P1"], {"code": 0, "message": "Success", "data": {"errors": []}})
    result = mapping.result_of(shipment("R1", "P1"), outcome)
    assert result == ShipmentResult(
        reference="R1", carrier="tiktok_shop", status="shipped", carrier_shipment_id="P1"
    )


def test_an_undocumented_package_code_is_kind_unknown() -> None:
    """A code the spec does not list is failed with kind unknown and the carrier's message."""
    answer = {
        "code": 0,
        "data": {"errors": [{"code": 123, "message": "odd", "detail": {"package_id": "P1"}}]},
    }
    [outcome] = package_outcomes(["P1"], answer)
    result = mapping.result_of(shipment("R1", "P1"), outcome)
    assert result.error is not None
    assert (result.error.code, result.error.kind, result.error.message) == ("123", "unknown", "odd")


def test_a_pending_result_explains_itself() -> None:
    """pending carries kind retry and the last error's message."""
    error = InvalidRequestError(carrier="tiktok_shop", operation="batchShipPackages", code=1, message="no")
    result = mapping.pending_result(shipment("R1", "P1"), "lost answer", error)
    assert result.status == "pending"
    assert result.error is not None
    assert result.error.kind == "retry"
    assert result.error.message == "lost answer; last error: no"
