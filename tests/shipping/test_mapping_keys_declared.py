"""A removed field cannot slip through: every key a carrier mapping sends is declared in its spec.

For every operation a hand-written mapping builds a body for, representative shipments with every optional
field the carrier takes filled in are mapped, serialised exactly as the generated client sends them
(``_get_kwargs``, then JSON), and every key at every nesting is checked against the operation's request
schema in ``specs/<carrier>.yaml``. The generated models would carry a key the spec dropped in
``additional_properties`` and send it anyway; this test is what stops that.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from shipspec.carriers.baaship import mapping as baaship
from shipspec.carriers.deftship import mapping as deftship
from shipspec.carriers.tiktok_shop import mapping as tiktok
from shipspec.carriers.wechat_shop import mapping as wechat
from shipspec_baaship.api.baaship import create_shipment, reverse_shipment
from shipspec_baaship.models import CreateShipmentRequest, ReverseShipmentRequest
from shipspec_deftship.api.deftship import create_batch
from shipspec_shipping_models import Shipment
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_wechat_shop.api.wechat_shop import send_delivery

from . import support_baaship, support_deftship, support_tiktok_shop, support_wechat_shop
from .declared_keys import count_keys, request_schema, undeclared

SPECS = Path(__file__).resolve().parents[2] / "specs"
Sent = tuple[str, str, str, dict[str, Any]]  # carrier, path, method, the JSON body as sent


def _as_sent(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The body bytes httpx sends for ``json=``, read back."""
    body: dict[str, Any] = json.loads(json.dumps(kwargs["json"]))
    return body


def _baaship(shipment: Shipment) -> Sent:
    request = baaship.to_request(shipment)
    if shipment.reverse:
        assert isinstance(request, ReverseShipmentRequest)
        return "baaship", "/reverseShipment", "post", _as_sent(reverse_shipment._get_kwargs(body=request))
    assert isinstance(request, CreateShipmentRequest)
    return "baaship", "/createShipment", "post", _as_sent(create_shipment._get_kwargs(body=request))


def _deftship(shipment: Shipment) -> Sent:
    entry = deftship.to_batch_shipment(shipment)
    request = deftship.create_request(123, deftship.service_of(shipment, None), [entry])
    return "deftship", "/batches", "post", _as_sent(create_batch._get_kwargs(body=request))


def _tiktok(shipment: Shipment) -> Sent:
    request = tiktok.to_request([tiktok.to_package(shipment)])
    kwargs = batch_ship_packages._get_kwargs(body=request, shop_cipher="ROW_1")
    return "tiktok_shop", "/fulfillment/202309/packages/ship", "post", _as_sent(kwargs)


def _wechat(shipment: Shipment) -> Sent:
    request = wechat.to_request(wechat.order_id_of(shipment), [wechat.to_delivery(shipment)])
    return "wechat_shop", "/product/delivery/send", "post", _as_sent(send_delivery._get_kwargs(body=request))


# --- representative shipments: every optional field each carrier takes ------------------------------

BAASHIP_FULL_ITEM = support_baaship.ITEM | {
    "description": "Laptop bag, black",
    "hs_code": "420212",
    "image_url": "https://example.com/bag.png",
    "selling_url": "https://example.com/bag",
}
BAASHIP_FULL_PARCEL = {
    "weight": {"value": "13.109", "unit": "kg"},
    "dimensions": {"length": "30", "width": "20", "height": "10", "unit": "cm"},
}
BAASHIP_FULL: dict[str, Any] = {
    "platform": {"order_id": "OD1"},
    "incoterms": "DDU",
    "remark": "Fragile",
    "recipient": support_baaship.RECIPIENT | {"company": "Kiwi Ltd", "email": "kim@example.com"},
    "parcels": [BAASHIP_FULL_PARCEL],
    "items": [BAASHIP_FULL_ITEM],
}
DEFTSHIP_FULL_PARCEL = support_deftship.PARCEL | {
    "box_type": "YOUR_PACKAGING",
    "insurance": True,
    "hazmat": True,
    "signature": "adult_signature",
}
DEFTSHIP_FULL_ITEM = support_deftship.ITEM | {"description": "Ceramic mug"}
HANDOVER = {"method": "pickup", "window_start": "2026-11-02T09:00:00Z", "window_end": "2026-11-02T12:00:00Z"}

CASES: dict[str, tuple[Callable[[Shipment], Sent], Callable[[], Shipment]]] = {
    "baaship-forward": (_baaship, lambda: support_baaship.shipment(**BAASHIP_FULL)),
    "baaship-forward-cod-store": (
        _baaship,
        lambda: support_baaship.shipment(
            service="TW711-COD",
            cod={"amount": "3980", "currency": "TWD"},
            recipient={"name": "Kim", "phone": "0912345678", "email": "k@example.com", "store_id": "S123"},
            remark="Call first",
            items=[BAASHIP_FULL_ITEM],
        ),
    ),
    "baaship-reverse": (
        _baaship,
        lambda: support_baaship.return_shipment(
            remark="Return",
            platform={"order_id": "OD2"},
            parcels=[BAASHIP_FULL_PARCEL],
            items=[BAASHIP_FULL_ITEM],
        ),
    ),
    "deftship-domestic": (
        _deftship,
        lambda: support_deftship.shipment(
            parcels=[DEFTSHIP_FULL_PARCEL],
            items=[DEFTSHIP_FULL_ITEM],
            incoterms="DDP",
            sender=support_deftship.SENDER | {"email": "ann@example.com"},
            recipient=support_deftship.RECIPIENT | {"company": "Roe Inc"},
        ),
    ),
    "deftship-saved-sender-international": (
        _deftship,
        lambda: support_deftship.shipment(
            sender={"name": "Ann", "saved_address_id": "1387235969"},
            recipient=support_deftship.RECIPIENT
            | {"address": support_deftship.RECIPIENT["address"] | {"country": "GB", "state": None}},
            parcels=[DEFTSHIP_FULL_PARCEL],
            items=[DEFTSHIP_FULL_ITEM],
        ),
    ),
    "tiktok-pickup": (_tiktok, lambda: support_tiktok_shop.shipment("T-1", "P1", handover=HANDOVER)),
    "tiktok-seller-shipped": (
        _tiktok,
        lambda: support_tiktok_shop.shipment(
            "T-2",
            "P2",
            platform={"tracking_number": "TN1", "shipping_provider_id": "6617675021119438849"},
            handover={"method": "drop_off"},
        ),
    ),
    "wechat-items": (
        _wechat,
        lambda: support_wechat_shop.shipment(
            "W-1", 3001, "SF100", support_wechat_shop.item(11, 21, 2), support_wechat_shop.item(12, 22)
        ),
    ),
    "wechat-whole-order": (_wechat, lambda: support_wechat_shop.shipment("W-2", 3002, "SF101")),
}


@cache
def _spec(carrier: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / f"{carrier}.yaml").read_text(encoding="utf-8"))
    return loaded


def _sent(case: str) -> Sent:
    build, make = CASES[case]
    return build(make())


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_key_the_mapping_sends_is_declared(case: str) -> None:
    """Each key of the body as sent, at every nesting, is a declared property of the operation's schema."""
    carrier, path, method, body = _sent(case)
    spec = _spec(carrier)
    assert count_keys(body) >= 2
    assert undeclared(spec, request_schema(spec, path, method), body) == []


def test_every_mapped_operation_is_covered() -> None:
    """The cases cover every operation a mapping builds a body for, with more than the required keys."""
    sent = [_sent(case) for case in CASES]
    assert {(carrier, path) for carrier, path, _, _ in sent} == {
        ("baaship", "/createShipment"),
        ("baaship", "/reverseShipment"),
        ("deftship", "/batches"),
        ("tiktok_shop", "/fulfillment/202309/packages/ship"),
        ("wechat_shop", "/product/delivery/send"),
    }
    keys = {carrier: 0 for carrier, _, _, _ in sent}
    for carrier, _, _, body in sent:
        keys[carrier] += count_keys(body)
    assert all(count > 5 for count in keys.values()), keys


def _without(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """A copy of the spec with property ``name`` removed from every schema that declares it."""
    edited = copy.deepcopy(spec)
    for schema in edited["components"]["schemas"].values():
        schema.get("properties", {}).pop(name, None)
        if name in schema.get("required", []):
            schema["required"].remove(name)
    return edited


def test_removing_remark_from_the_spec_fails(tmp_path: Path) -> None:
    """With `remark` deleted from a copy of specs/baaship.yaml, the `remark` the mapping sends is named."""
    copy_path = tmp_path / "baaship.yaml"
    copy_path.write_text(yaml.safe_dump(_without(_spec("baaship"), "remark")), encoding="utf-8")
    edited = yaml.safe_load(copy_path.read_text(encoding="utf-8"))
    for case, path in (("baaship-forward", "/createShipment"), ("baaship-reverse", "/reverseShipment")):
        _, _, method, body = _sent(case)
        assert "remark" in body
        assert undeclared(edited, request_schema(edited, path, method), body) == ["remark"]
