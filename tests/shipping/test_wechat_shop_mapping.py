"""WeChat mapping: neutral Shipments → exact delivery/send dicts, and answers → ShipmentResults."""

from __future__ import annotations

from typing import Any

import pytest
from shipspec.carriers.wechat_shop import mapping
from shipspec.errors import InputError, ResponseDecodeError, RetryableError
from shipspec_shipping_models import ShipmentResult

from .support_wechat_shop import CARRIER, item, shipment

NEEDS_PROVIDER = f"required with platform.tracking_number ({CARRIER} delivery_id)"


def _body(*shipments: Any) -> dict[str, Any]:
    deliveries = [mapping.to_delivery(s) for s in shipments]
    return mapping.to_request(mapping.order_id_of(shipments[0]), deliveries).to_dict()


def test_a_whole_order_by_courier() -> None:
    """No items → is_all_product true; courier code → delivery_id, tracking number → waybill_id."""
    assert _body(shipment("R1", "3701234567890123", "SF123")) == {
        "order_id": 3701234567890123,
        "delivery_list": [{"delivery_id": "SF", "waybill_id": "SF123", "is_all_product": True}],
    }


def test_a_whole_order_without_courier_sends_neither_id() -> None:
    """Same-city or offline delivery: delivery_id and waybill_id are both left out."""
    assert _body(shipment("R1", 42)) == {"order_id": 42, "delivery_list": [{"is_all_product": True}]}


def test_a_split_shipment_lists_its_products_with_repeated_lines_merged() -> None:
    """Items → product_infos (int64 ids); the same product/SKU twice is one line with the sum."""
    split = shipment("R1", 42, "YT9", item(11, 21, 1), item(12, 22, 2), item(11, 21, 3), courier="YTO")
    assert _body(split) == {
        "order_id": 42,
        "delivery_list": [
            {
                "delivery_id": "YTO",
                "waybill_id": "YT9",
                "is_all_product": False,
                "product_infos": [
                    {"product_cnt": 4, "product_id": 11, "sku_id": 21},
                    {"product_cnt": 2, "product_id": 12, "sku_id": 22},
                ],
            }
        ],
    }


def test_two_shipments_of_one_order_are_two_packages_of_one_request() -> None:
    """Shipments of the same order become delivery_list entries of ONE request."""
    first = shipment("R1", 42, "W1", item(11, 21))
    second = shipment("R2", 42, "W2", item(12, 22, 2))
    assert mapping.group_problems([first, second]) is None
    assert _body(first, second)["delivery_list"] == [
        {"delivery_id": "SF", "waybill_id": "W1", "is_all_product": False,
         "product_infos": [{"product_cnt": 1, "product_id": 11, "sku_id": 21}]},
        {"delivery_id": "SF", "waybill_id": "W2", "is_all_product": False,
         "product_infos": [{"product_cnt": 2, "product_id": 12, "sku_id": 22}]},
    ]  # fmt: skip


def test_ignored_fields_do_not_reach_the_wire() -> None:
    """Parties, parcels, service, remark and other item fields change nothing."""
    rich = shipment(
        "R1",
        42,
        "W1",
        service="X",
        sender={"name": "Ann"},
        parcels=[{"weight": {"value": "1", "unit": "kg"}}],
        remark="fragile",
    )
    assert _body(rich) == _body(shipment("R1", 42, "W1"))


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (lambda: shipment("R1", None, "W1"), {"platform.order_id": "required by wechat_shop (order_id)"}),
        (
            lambda: shipment("R1", "12a", "W1"),
            {"platform.order_id": "must be digits (wechat_shop sends it as an int64)"},
        ),
        (
            lambda: shipment("R1", str(2**63), "W1"),
            {"platform.order_id": "exceeds 2^63-1 (wechat_shop sends it as an int64)"},
        ),
        (
            lambda: shipment("R1", 42, "W1", {"name": "Mug", "quantity": 1, "product_id": "11"}),
            {"items[0].sku_id": "required by wechat_shop (product_infos[].sku_id)"},
        ),
        (
            lambda: shipment("R1", 42, "W1", cod={"amount": "9.90", "currency": "CNY"}),
            {"cod": "rejected by wechat_shop: cash on delivery comes from the platform order"},
        ),
        (
            lambda: shipment("R1", 42, "W1", handover={"method": "pickup"}),
            {"handover": "rejected by wechat_shop: the buyer's order fixes how the parcel travels"},
        ),
        (
            lambda: shipment("R1", 42, "W1", reverse=True),
            {"reverse": "rejected by wechat_shop: returns do not go through delivery/send"},
        ),
        (
            lambda: shipment("R1", 42, None, platform={"order_id": "42", "tracking_number": "W1"}),
            {"platform.shipping_provider_id": NEEDS_PROVIDER},
        ),
    ],
)
def test_bad_input_names_the_neutral_field(built: Any, expected: dict[str, str]) -> None:
    """Each missing, malformed or rejected field is reported by its neutral path."""
    with pytest.raises(InputError) as caught:
        mapping.to_delivery(built())
    assert caught.value.problems == expected


def test_shipments_that_cannot_share_an_order_are_refused() -> None:
    """A whole-order shipment among others, or one SKU in two shipments, is an input error."""
    whole = mapping.group_problems([shipment("A", 42, "W1"), shipment("B", 42, "W2", item(11, 21))])
    assert whole is not None
    assert "whole-order shipment (no items) shares order 42 with others (A, B)" in whole.problems["items"]
    same_sku = mapping.group_problems(
        [shipment("A", 42, "W1", item(11, 21)), shipment("B", 42, "W2", item(11, 21))]
    )
    assert same_sku is not None
    assert same_sku.problems == {
        "items[].sku_id": "product 11 sku 21 is in shipments A and B; wechat_shop wants one package per SKU"
    }


def test_results_of_the_three_answers() -> None:
    """0 → shipped with the waybill; 109001 → already_shipped without one; -1 keeps its sign and rid."""
    sent = shipment("R1", 42, "SF123")
    assert mapping.shipped_result(sent) == ShipmentResult(
        reference="R1", carrier="wechat_shop", status="shipped", tracking_number="SF123"
    )
    assert mapping.already_shipped_result(sent) == ShipmentResult(  # 109001 keeps the waybill given
        reference="R1", carrier="wechat_shop", status="already_shipped", tracking_number="SF123"
    )
    busy = RetryableError(
        carrier="wechat_shop",
        operation="sendDelivery",
        code=-1,
        message="System exceptions rid: 5f2a-0b1c-77",
    )
    failed = mapping.failed_result(sent, busy)
    assert failed.error is not None
    assert failed.error.model_dump() == {
        "carrier": "wechat_shop",
        "code": "-1",
        "kind": "retry",
        "message": "System exceptions rid: 5f2a-0b1c-77",
        "request_id": "5f2a-0b1c-77",
    }


def test_the_doc_success_example_with_a_trailing_comma_counts_as_success() -> None:
    """The seed doc's `{"errcode": 0, "errmsg": "ok",}` is read leniently; other broken bodies are not."""

    def broken(excerpt: str, status: int = 200) -> ResponseDecodeError:
        return ResponseDecodeError("bad JSON", carrier="wechat_shop", operation="sendDelivery",
                                   http_status=status, body_excerpt=excerpt)  # fmt: skip

    assert mapping.lenient_success(broken('{"errcode": 0, "errmsg": "ok",}'))
    assert not mapping.lenient_success(broken('{"errcode": 109001, "errmsg": "x",}'))
    assert not mapping.lenient_success(broken("<html>502</html>"))
    assert not mapping.lenient_success(broken('{"errcode": 0,}', status=502))
