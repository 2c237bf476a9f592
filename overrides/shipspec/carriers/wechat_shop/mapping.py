"""WeChat mini-shop ↔ the neutral model for ``product/delivery/send``: pure functions, MAPPING.md § WeChat.

A WeChat order ships once, so all Shipments of one ``platform.order_id`` in a batch go in ONE request, each as
one ``delivery_list[]`` element:

- ``platform.order_id`` (digits) → ``order_id`` (int64);
- ``platform.shipping_provider_id`` → ``delivery_id`` and ``platform.tracking_number`` → ``waybill_id``, both
  or neither (neither: same-city or offline delivery);
- no ``items`` → ``is_all_product: true`` (the whole order); items → ``is_all_product: false`` with one
  ``product_infos[]`` line per (product_id, sku_id), quantities of repeated lines added;
- ``cod``, ``handover`` and ``reverse: true`` are rejected; the rest is ignored (the order holds it).

The one answer applies to every Shipment of the request: ``errcode`` 0 → shipped (tracking number = the
waybill), 109001 → already_shipped (the ORDER was shipped; the tracking number is the waybill given, which is
the one shipped unless the order went out by other means before), anything else → failed with
``error.code`` the errcode as text and ``error.request_id`` from the `` rid: …`` suffix of ``errmsg``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Final, Literal

from shipspec_shipping_models import Shipment, ShipmentError, ShipmentResult
from shipspec_wechat_shop.models import DeliveryPackage, ProductInfo, SendDeliveryRequest

from ...errors import CarrierError, InputError, ResponseDecodeError, ShipspecError
from ...shipping.results import normalized_error
from ...spec_tables import tables_for
from ..ids import int64_of

CARRIER: Final = "wechat_shop"
OPERATION: Final = "sendDelivery"
_RID = re.compile(r"\brid:\s*(\S+)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")

__all__ = [
    "CARRIER",
    "OPERATION",
    "already_shipped_result",
    "failed_result",
    "group_problems",
    "lenient_success",
    "order_id_of",
    "pending_result",
    "problems",
    "request_id_of",
    "shipped_result",
    "to_delivery",
    "to_request",
]


# --- request ---------------------------------------------------------------------------------------------


def _int64_problem(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.isascii() or not value.isdigit():
        return f"must be digits ({CARRIER} sends it as an int64)"
    if int64_of(value) is None:
        return f"exceeds 2^63-1 ({CARRIER} sends it as an int64)"
    return None


def problems(shipment: Shipment) -> dict[str, str]:
    """Every reason this Shipment cannot be sent to WeChat, by neutral field path (empty: fine)."""
    found: dict[str, str] = {}
    if shipment.carrier != CARRIER:
        found["carrier"] = f"is {shipment.carrier}; this shipper ships {CARRIER}"
    platform = shipment.platform
    order_id = platform.order_id if platform is not None else None
    if order_id is None:
        found["platform.order_id"] = f"required by {CARRIER} (order_id)"
    elif (problem := _int64_problem(order_id)) is not None:
        found["platform.order_id"] = problem
    for index, item in enumerate(shipment.items or ()):
        for name, value in (("product_id", item.product_id), ("sku_id", item.sku_id)):
            path = f"items[{index}].{name}"
            if value is None:
                found[path] = f"required by {CARRIER} (product_infos[].{name})"
            elif (problem := _int64_problem(value)) is not None:
                found[path] = problem
    for name, why in (
        ("cod", "cash on delivery comes from the platform order"),
        ("handover", "the buyer's order fixes how the parcel travels"),
    ):
        if getattr(shipment, name) is not None:
            found[name] = f"rejected by {CARRIER}: {why}"
    if shipment.reverse:
        found["reverse"] = f"rejected by {CARRIER}: returns do not go through delivery/send"
    if platform is not None:
        tracking, provider = platform.tracking_number, platform.shipping_provider_id
        if tracking is not None and provider is None:
            found["platform.shipping_provider_id"] = (
                f"required with platform.tracking_number ({CARRIER} delivery_id)"
            )
        if provider is not None and tracking is None:
            found["platform.tracking_number"] = (
                f"required with platform.shipping_provider_id ({CARRIER} waybill_id)"
            )
    return found


def group_of(shipment: Shipment) -> str | None:
    """The order a Shipment ships (its group: one delivery/send per order), None when it has no valid one."""
    platform = shipment.platform
    order_id = platform.order_id if platform is not None else None
    if order_id is None or _int64_problem(order_id) is not None:
        return None
    return str(int(order_id))


def order_id_of(shipment: Shipment) -> int:
    """The int64 order id of a Shipment that passed ``problems``."""
    platform = shipment.platform
    assert platform is not None
    assert platform.order_id is not None
    return int(platform.order_id)


def to_delivery(shipment: Shipment) -> DeliveryPackage:
    """The ``delivery_list[]`` element of a Shipment; InputError (all problems at once) if it cannot go."""
    found = problems(shipment)
    if found:
        raise InputError(found)
    platform = shipment.platform
    assert platform is not None
    package = DeliveryPackage()
    if platform.shipping_provider_id is not None and platform.tracking_number is not None:
        package.delivery_id = platform.shipping_provider_id
        package.waybill_id = platform.tracking_number
    if not shipment.items:
        package.is_all_product = True
        return package
    counts: dict[tuple[int, int], int] = {}
    for item in shipment.items:
        assert item.product_id is not None
        assert item.sku_id is not None
        line = (int(item.product_id), int(item.sku_id))
        counts[line] = counts.get(line, 0) + item.quantity
    package.is_all_product = False
    package.product_infos = [
        ProductInfo(product_cnt=count, product_id=product_id, sku_id=sku_id)
        for (product_id, sku_id), count in counts.items()
    ]
    return package


def group_problems(shipments: Sequence[Shipment]) -> InputError | None:
    """Why Shipments of ONE order cannot travel in one request together (None: they can).

    WeChat wants every unit of a SKU in one package (800001), and a whole-order package holds every SKU.
    """
    if len(shipments) < 2:
        return None
    references = ", ".join(shipment.reference for shipment in shipments)
    if any(not shipment.items for shipment in shipments):
        problem = f"a whole-order shipment (no items) shares order {order_id_of(shipments[0])} with others"
        return InputError({"items": f"{problem} ({references}); {CARRIER} ships an order once"})
    owner: dict[tuple[str | None, str | None], str] = {}
    for shipment in shipments:
        for item in shipment.items or ():
            line = (item.product_id, item.sku_id)
            first = owner.setdefault(line, shipment.reference)
            if first != shipment.reference:
                problem = f"product {line[0]} sku {line[1]} is in shipments {first} and {shipment.reference}"
                return InputError({"items[].sku_id": f"{problem}; {CARRIER} wants one package per SKU"})
    return None


def to_request(order_id: int, deliveries: Sequence[DeliveryPackage]) -> SendDeliveryRequest:
    """The body of one delivery/send call for one order."""
    return SendDeliveryRequest(order_id=order_id, delivery_list=list(deliveries))


# --- results ---------------------------------------------------------------------------------------------


def request_id_of(message: str) -> str | None:
    """The request id of a WeChat errmsg's `` rid: …`` suffix, if present."""
    found = _RID.search(message)
    return found.group(1) if found else None


def lenient_success(error: ShipspecError) -> bool:
    """Whether an answer rejected as broken JSON is really a success envelope with a trailing comma.

    The vendor doc's own success example (``{"errcode": 0, "errmsg": "ok",}``) is not valid JSON; a server
    built from it would answer like that, so such a body is read leniently rather than taken as lost. Only
    that: a body that is valid JSON was refused for its shape, and stays refused; and once the comma is
    gone the body must be the documented success (errcode the integer 0, every field of its documented type).
    """
    if not isinstance(error, ResponseDecodeError) or error.http_status != 200:
        return False
    if _parses(error.body_excerpt):
        return False  # not a trailing-comma problem: the answer was refused for what it says
    try:
        body = json.loads(_TRAILING_COMMA.sub(r"\1", error.body_excerpt))
    except (ValueError, RecursionError):
        return False
    if not isinstance(body, dict) or type(body.get("errcode")) is not int or body["errcode"] != 0:
        return False
    return tables_for(CARRIER).answer_problem(OPERATION, 200, body) is None


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def shipped_result(shipment: Shipment) -> ShipmentResult:
    """errcode 0: shipped; the tracking number is the waybill sent (absent for same-city/offline)."""
    return _with_waybill(shipment, "shipped")


def already_shipped_result(shipment: Shipment) -> ShipmentResult:
    """109001: the order was shipped before; the tracking number is the waybill this shipment gives.

    Mostly the earlier shipment is this one (a resend after a lost answer), so that is its waybill. An order
    shipped before by other means may hold another one: WeChat's answer does not say which.
    """
    return _with_waybill(shipment, "already_shipped")


def _with_waybill(shipment: Shipment, status: Literal["shipped", "already_shipped"]) -> ShipmentResult:
    platform = shipment.platform
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status=status,
        tracking_number=platform.tracking_number if platform is not None else None,
    )


def _error(error: ShipspecError) -> ShipmentError:
    normalized = normalized_error(CARRIER, error)
    if isinstance(error, CarrierError) and normalized.request_id is None:
        return normalized.model_copy(update={"request_id": request_id_of(error.message)})
    return normalized


def failed_result(shipment: Shipment, error: ShipspecError) -> ShipmentResult:
    """A failed result; the errcode keeps its sign ("-1"), InputError becomes kind invalid_request."""
    return ShipmentResult(reference=shipment.reference, carrier=CARRIER, status="failed", error=_error(error))


def pending_result(shipment: Shipment, why: str, error: ShipspecError | None = None) -> ShipmentResult:
    """A result whose outcome could not be learnt: resend the same Shipment later (109001 guards it)."""
    detail = f"{why}; last error: {_error(error).message}" if error is not None else why
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status="pending",
        error=ShipmentError(carrier=CARRIER, code=None, kind="retry", message=detail),
    )
