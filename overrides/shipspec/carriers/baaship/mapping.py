"""Baaship ↔ the carrier-neutral model, as pure functions (specs/MAPPING.md, section Baaship).

Requests are built as wire JSON (the doc's names, ``packageList[].weight``), checked completely, and only
then turned into the generated models, so every problem of a shipment is reported at once as an
``InputError`` keyed by neutral field path (``items[0].name_cn: required by baaship (goodsNameCn)``) and
nothing is ever sent half checked. Numbers go out as decimal text, as every vendor example sends them (the
spec accepts a number or a numeric string for each Number field): weights in kg rounded up to 3 decimals,
lengths in cm rounded up to 1, money exactly as given; each text is held to the doc's field length and never
truncated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_CEILING, Context, Decimal
from typing import Any

from shipspec_baaship.models import (
    CancelShipmentResponse,
    CreateShipmentRequest,
    CreateShipmentResponse,
    ReverseShipmentRequest,
    ReverseShipmentResponse,
    ShipmentLabelResponse,
    TrackingResponse,
)
from shipspec_baaship.models import ShipmentResult as WireResult
from shipspec_baaship.types import Unset
from shipspec_shipping_models import Item, Party, Shipment, ShipmentResult, TrackingEvent, Weight

from ...errors import InputError, UnknownCarrierError
from ...shipping.results import failed
from .codes import field_limits, product

__all__ = [
    "CARRIER",
    "cancelled_result",
    "created_result",
    "decimal_text",
    "label_of",
    "looked_up_result",
    "to_request",
    "tracking_events",
]

CARRIER = "baaship"
KG_PER_LB = Decimal("0.45359237")
CM_PER_IN = Decimal("2.54")
WEIGHT_PLACES = 3  # "in kg, up to 3 decimal places"
LENGTH_PLACES = 1  # "in cm, up to 1 decimal place"
_EXACT = Context(prec=80)  # neutral decimals have at most 32 characters: no rounding before the last step
_PHONE_NOISE = re.compile(r"[ ().-]")
_ZONE = re.compile(r"^UTC(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

Wire = dict[str, Any]


# ---------------------------------------------------------------------------------------------- numbers


def ceil_to(value: Decimal, places: int) -> Decimal:
    """Round up to ``places`` decimals, so a parcel is never declared lighter or smaller than it is."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_CEILING, context=_EXACT)


def decimal_text(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros ("1.5", "100", "0.908")."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def kilograms(weight: Weight) -> Decimal:
    value = Decimal(weight.value)
    return value if weight.unit == "kg" else _EXACT.multiply(value, KG_PER_LB)


def centimetres(value: str, unit: str) -> Decimal:
    amount = Decimal(value)
    return amount if unit == "cm" else _EXACT.multiply(amount, CM_PER_IN)


def phone_text(phone: str) -> str:
    """Spaces, dots, dashes and parentheses removed; a leading ``+`` kept."""
    return _PHONE_NOISE.sub("", phone)


# ---------------------------------------------------------------------------------------------- requests


class _Request:
    """Builds one request's wire JSON and collects every problem on the way."""

    def __init__(self, shipment: Shipment) -> None:
        self.shipment = shipment
        self.reverse = shipment.reverse
        self.problems: dict[str, str] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.setdefault(path, message)

    def required(self, path: str, wire_field: str) -> None:
        self.problem(path, f"required by baaship ({wire_field})")

    def put(self, wire: Wire, path: str, schema: str, name: str, value: str | None) -> None:
        """Set ``wire[name]`` to ``value`` when there is one, holding it to the documented length."""
        if value is None:
            return
        limit = field_limits(schema).get(name)
        if limit is not None and len(value) > limit:
            self.problem(path, f"{len(value)} characters; baaship allows at most {limit} ({name})")
        wire[name] = value

    def put_required(self, wire: Wire, path: str, schema: str, name: str, value: str | None) -> None:
        if value is None:
            self.required(path, name)
        self.put(wire, path, schema, name, value)

    # ------------------------------------------------------------------ parties

    def sender(self) -> Wire:
        schema = "ReverseSender" if self.reverse else "Sender"
        party = self.shipment.sender
        if party is None:
            self.required("sender", "sender")
            return {}
        wire = self._contact(party, "sender", schema)
        self.put_required(wire, "sender.phone", schema, "phone", _phone(party))
        address = party.address
        if address is None:
            self.required("sender.address", "sender.address")
            return wire
        self.put(wire, "sender.address.country", schema, "country", address.country)
        self.put_required(wire, "sender.address.state", schema, "province", address.state)
        self.put(wire, "sender.address.city", schema, "city", address.city)
        # The sender has no suburb field: the district joins the street lines.
        lines = ", ".join(p for p in (address.line1, address.line2, address.line3, address.district) if p)
        self.put(wire, "sender.address.line1", schema, "address", lines)
        self.put_required(wire, "sender.address.postal_code", schema, "postCode", address.postal_code)
        return wire

    def receiver(self) -> Wire:
        party = self.shipment.recipient
        if party is None:
            self.required("recipient", "receiver")
            return {}
        schema = "Receiver"
        wire = self._contact(party, "recipient", schema)
        self.put_required(wire, "recipient.phone", schema, "phone", _phone(party))
        self.put(wire, "recipient.tax_id", schema, "vat", party.tax_id)
        address = party.address
        home_delivery = party.store_id is None
        if address is None:
            if home_delivery:
                self.required("recipient.address", "receiver.address")
            return wire
        self.put(wire, "recipient.address.country", schema, "country", address.country)
        self.put(wire, "recipient.address.state", schema, "province", address.state)
        self.put(wire, "recipient.address.city", schema, "city", address.city)
        self.put(wire, "recipient.address.district", schema, "suburb", address.district)
        lines = ", ".join(p for p in (address.line1, address.line2, address.line3) if p)
        self.put(wire, "recipient.address.line1", schema, "address", lines)
        if address.postal_code is None and home_delivery:
            self.required("recipient.address.postal_code", "receiver.postCode")
        self.put(wire, "recipient.address.postal_code", schema, "postCode", address.postal_code)
        return wire

    def _contact(self, party: Party, path: str, schema: str) -> Wire:
        wire: Wire = {}
        self.put(wire, f"{path}.name", schema, "contact", party.name)
        self.put(wire, f"{path}.company", schema, "company", party.company)
        self.put(wire, f"{path}.email", schema, "email", party.email)
        if party.saved_address_id is not None:
            self.problem(f"{path}.saved_address_id", "rejected: baaship has no saved addresses")
        if path == "sender" and party.store_id is not None:
            self.problem("sender.store_id", "rejected: baaship store delivery is for the recipient only")
        return wire

    # ------------------------------------------------------------------ parcels and goods

    def packages(self) -> list[Wire]:
        parcels = self.shipment.parcels or []
        items = self.shipment.items or []
        if not parcels:
            self.required("parcels", "packageList")
        if not items:
            self.required("items", "packageList[].packageItemList")
        if self.reverse and len(parcels) > 1:
            self.problem("parcels", "rejected: reverseShipment takes one parcel (packageList is one object)")
        several = len(parcels) > 1
        for index, item in enumerate(items):
            if item.parcel_index is None and several:
                self.required(f"items[{index}].parcel_index", "packageList[].packageItemList")
            elif item.parcel_index is not None and item.parcel_index >= max(1, len(parcels)):
                self.problem(f"items[{index}].parcel_index", f"no parcel {item.parcel_index} in parcels")
        schema = "ReversePackage" if self.reverse else "Package"
        packages: list[Wire] = []
        for number, parcel in enumerate(parcels):
            path = f"parcels[{number}]"
            wire: Wire = {}
            kg = ceil_to(kilograms(parcel.weight), WEIGHT_PLACES)
            self.put(wire, f"{path}.weight", schema, "weight", decimal_text(kg))
            self._check_weight(path, kg)
            if parcel.dimensions is not None:
                unit = parcel.dimensions.unit
                for name in ("length", "width", "height"):
                    cm = ceil_to(centimetres(getattr(parcel.dimensions, name), unit), LENGTH_PLACES)
                    self.put(wire, f"{path}.dimensions.{name}", schema, name, decimal_text(cm))
            if parcel.insurance:
                self.problem(f"{path}.insurance", "rejected: baaship has no parcel insurance")
            if parcel.hazmat:
                self.problem(f"{path}.hazmat", "rejected: baaship has no dangerous-goods declaration")
            if parcel.signature not in (None, "none"):
                self.problem(f"{path}.signature", "rejected: baaship has no signature option")
            wire["packageItemList"] = [
                self.item(index, item)
                for index, item in enumerate(items)
                if not several or item.parcel_index == number
            ]
            packages.append(wire)
        return packages

    def item(self, index: int, item: Item) -> Wire:
        schema = "ReversePackageItem" if self.reverse else "PackageItem"
        path = f"items[{index}]"
        wire: Wire = {}
        self.put(wire, f"{path}.sku", schema, "sku", item.sku)
        self.put(wire, f"{path}.name", schema, "goodsNameEn", item.name)
        self.put_required(wire, f"{path}.name_cn", schema, "goodsNameCn", item.name_cn)
        self.put(wire, f"{path}.description", schema, "fullDescEn", item.description)
        self.put(wire, f"{path}.hs_code", schema, "hsCode", item.hs_code)
        self.put(wire, f"{path}.quantity", schema, "quantity", str(item.quantity))
        weight = item.unit_weight
        kg = None if weight is None else decimal_text(ceil_to(kilograms(weight), WEIGHT_PLACES))
        self.put_required(wire, f"{path}.unit_weight", schema, "itemWeight", kg)
        value = item.unit_value
        amount, currency = (None, None) if value is None else (value.amount, value.currency)
        self.put_required(wire, f"{path}.unit_value", schema, "itemValue", amount)
        self.put(wire, f"{path}.unit_value.currency", schema, "currency", currency)
        self.put(wire, f"{path}.selling_url", schema, "itemSellingUrl", item.selling_url)
        self.put(wire, f"{path}.image_url", schema, "imageUrl", item.image_url)
        return wire

    # ------------------------------------------------------------------ product rules

    def product_code(self, schema: str, wire: Wire) -> None:
        code = self.shipment.service
        self.put_required(wire, "service", schema, "productCode", code)
        found = product(code) if code else None
        if found is None:
            return
        wanted = "reverse" if self.reverse else "forward"
        if found.direction is not None and found.direction != wanted:
            flag = "true" if found.direction == "reverse" else "false"
            self.problem("service", f"{code} is a {found.direction} product: ship it with reverse {flag}")
        if found.max_value is not None and found.max_value_currency is not None:
            currency = found.max_value_currency
            declared = sum(
                (
                    Decimal(item.unit_value.amount) * item.quantity
                    for item in self.shipment.items or []
                    if item.unit_value is not None and item.unit_value.currency == currency
                ),
                Decimal(0),
            )
            # Items in other currencies cannot be converted (no rates documented): the sum is a lower bound.
            if declared > found.max_value:
                limit = f"{decimal_text(found.max_value)} {currency}"
                self.problem("items", f"declared {declared} {currency} exceeds {code}'s limit of {limit}")

    def _check_weight(self, path: str, kg: Decimal) -> None:
        found = product(self.shipment.service) if self.shipment.service else None
        if found is not None and found.max_weight_kg is not None and kg > found.max_weight_kg:
            limit = f"{decimal_text(found.max_weight_kg)} kg"
            self.problem(f"{path}.weight", f"{decimal_text(kg)} kg exceeds {found.code}'s limit of {limit}")

    def cod(self, wire: Wire) -> None:
        code = self.shipment.service
        found = product(code) if code else None
        is_cod = found is not None and found.cod
        cod = self.shipment.cod
        if cod is None:
            if is_cod:
                self.required("cod", f"codAmount, for product {code}")
        elif self.reverse:
            self.problem("cod", "rejected: reverseShipment takes no cash on delivery")
        elif not is_cod:
            self.problem("cod", f"rejected: product {code} is not a baaship cash-on-delivery product")
        else:
            # Top level, as the table documents it (the example's packageList[] place is the other reading).
            self.put(wire, "cod.amount", "CreateShipmentRequest", "codAmount", cod.amount)

    def common(self, schema: str) -> Wire:
        shipment = self.shipment
        wire: Wire = {}
        if shipment.carrier != CARRIER:
            self.problem("carrier", f"this shipper ships baaship, not {shipment.carrier}")
        self.put(wire, "reference", schema, "referenceNo", shipment.reference)
        self.product_code(schema, wire)
        order_id = None if shipment.platform is None else shipment.platform.order_id
        self.put(wire, "platform.order_id", schema, "orderNo", order_id)
        self.put(wire, "remark", schema, "remark", shipment.remark)
        if shipment.handover is not None:
            self.problem("handover", "rejected: baaship takes no pickup or drop-off instructions")
        wire["sender"] = self.sender()
        return wire


def _phone(party: Party) -> str | None:
    return None if party.phone is None else phone_text(party.phone)


def to_request(shipment: Shipment) -> CreateShipmentRequest | ReverseShipmentRequest:
    """The createShipment request (``reverse`` false) or the reverseShipment request (``reverse`` true).

    Raises ``InputError`` naming every problem by neutral field path; nothing is built half checked.
    """
    builder = _Request(shipment)
    if shipment.reverse:
        wire = builder.common("ReverseShipmentRequest")
        if shipment.recipient is not None:
            builder.problem("recipient", "rejected: reverseShipment has no receiver (the product fixes it)")
        builder.cod(wire)
        packages = builder.packages()
        if builder.problems:
            raise InputError(builder.problems)
        wire["packageList"] = packages[0]
        return ReverseShipmentRequest.from_dict(wire)
    wire = builder.common("CreateShipmentRequest")
    wire["receiver"] = builder.receiver()
    if shipment.incoterms is not None:
        wire["incoterms"] = shipment.incoterms
    if shipment.recipient is not None:
        store = shipment.recipient.store_id
        builder.put(wire, "recipient.store_id", "CreateShipmentRequest", "storeId", store)
    builder.cod(wire)
    wire["packageList"] = builder.packages()
    if builder.problems:
        raise InputError(builder.problems)
    return CreateShipmentRequest.from_dict(wire)


# ---------------------------------------------------------------------------------------------- answers


def _text(value: str | Unset | None) -> str | None:
    return None if value is None or isinstance(value, Unset) else value


def _unexpected(shipment: Shipment, operation: str, why: str, request_id: str | None) -> ShipmentResult:
    error = UnknownCarrierError(
        carrier=CARRIER, operation=operation, code=None, message=why, request_id=request_id
    )
    return failed(shipment, error)


def created_result(
    shipment: Shipment, response: CreateShipmentResponse | ReverseShipmentResponse
) -> ShipmentResult:
    """``shipped`` with waybill and label from a success envelope (``data`` an object or an array)."""
    operation = "reverseShipment" if isinstance(response, ReverseShipmentResponse) else "createShipment"
    entries: Sequence[WireResult] = response.data if isinstance(response.data, list) else [response.data]
    mine = [entry for entry in entries if _text(entry.reference_no) == shipment.reference]
    request_id = _text(response.request_id)
    if len(mine) != 1:
        why = f"success answer holds {len(mine)} shipments with referenceNo {shipment.reference!r}, not 1"
        return _unexpected(shipment, operation, why, request_id)
    waybill = _text(mine[0].waybill)
    if waybill is None:
        return _unexpected(shipment, operation, "success answer without a waybill", request_id)
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status="shipped",
        tracking_number=waybill,
        carrier_shipment_id=waybill,
        label_url=_text(mine[0].label_url),
    )


def looked_up_result(shipment: Shipment, response: ShipmentLabelResponse, status: str) -> ShipmentResult:
    """A shipment found by ``getShipmentLabel?referenceNo=``: ``shipped`` or ``already_shipped``."""
    data = response.data
    found = _text(data.reference_no)
    request_id = _text(response.request_id)
    if found is not None and found != shipment.reference:
        why = f"lookup by referenceNo {shipment.reference!r} answered referenceNo {found!r}"
        return _unexpected(shipment, "getShipmentLabel", why, request_id)
    waybill = _text(data.waybill)
    if waybill is None:
        return _unexpected(shipment, "getShipmentLabel", "lookup answer without a waybill", request_id)
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status="already_shipped" if status == "already_shipped" else "shipped",
        tracking_number=waybill,
        carrier_shipment_id=waybill,
        label_url=_text(data.label_url),
    )


def label_of(response: ShipmentLabelResponse) -> str | None:
    """The labelUrl of a getShipmentLabel answer, when it has one."""
    return _text(response.data.label_url)


def cancelled_result(waybill: str, response: CancelShipmentResponse) -> ShipmentResult:
    """A cancel Baaship confirmed: ``shipped`` means "done by this call" (see ``BaashipShipper.cancel``)."""
    return ShipmentResult(
        reference=waybill,
        carrier=CARRIER,
        status="shipped",
        tracking_number=response.waybill,
        carrier_shipment_id=response.waybill,
    )


def _instant(local_time: str | None, zone: str | None) -> datetime | None:
    """The moment of an event ("2023-12-27 11:00:08" in "UTC+12"), or None when either part is unreadable."""
    match = _ZONE.match(zone or "")
    if local_time is None or match is None:
        return None
    try:
        moment = datetime.strptime(local_time, _TIME_FORMAT)
    except ValueError:
        return None
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    return moment.replace(tzinfo=timezone(-offset if sign == "-" else offset)).astimezone(UTC)


def tracking_events(response: TrackingResponse, waybill: str) -> list[TrackingEvent]:
    """One event per ``data[].events[]``, newest first.

    Sorted by moment (local time and its zone) when every event has a readable one; otherwise kept in the
    carrier's order, which is newest first in the doc's example.
    """
    events: list[TrackingEvent] = []
    for result in response.data:
        number = _text(result.waybill) or waybill
        for event in [] if isinstance(result.events, Unset) else result.events:
            events.append(
                TrackingEvent(
                    carrier=CARRIER,
                    tracking_number=number,
                    status_code=_text(event.status_code),
                    description=_text(event.description),
                    location=_text(event.location),
                    occurred_at=_text(event.local_time),
                    time_zone=_text(event.time_zone),
                    country=_text(event.country),
                    state=_text(event.state),
                    city=_text(event.city),
                    postal_code=_text(event.postcode),
                )
            )
    moments = [_instant(event.occurred_at, event.time_zone) for event in events]
    known = [moment for moment in moments if moment is not None]
    if len(known) < len(events):
        return events
    # sorted(..., reverse=True) keeps events of the same moment in the carrier's order (a stable sort)
    return [event for _, event in sorted(zip(known, events, strict=True), key=lambda p: p[0], reverse=True)]
