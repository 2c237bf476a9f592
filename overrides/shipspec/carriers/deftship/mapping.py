"""DeftShip batches ↔ the carrier-neutral model, as pure functions (specs/MAPPING.md, section DeftShip).

A Shipment becomes one ``batch_shipments[]`` entry. Its first package's ``reference_1`` is always the
Shipment's ``reference``: it is printed on the label and it is how a batch item is matched back to its
Shipment (Get Batch's items carry no other caller key), so a different ``parcels[0].reference_1`` is rejected.
Requests are built as wire JSON, checked completely (every problem reported at once, keyed by neutral path),
and only then turned into the generated models.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from decimal import ROUND_CEILING, Context, Decimal
from typing import Any

from shipspec_deftship.checks import part_problems
from shipspec_deftship.limits import MAX_ITEMS_PER_BATCH
from shipspec_deftship.models import BatchItem, BatchShipment, CreateBatchRequest
from shipspec_deftship.types import Unset
from shipspec_shipping_models import Item, Parcel, Party, Shipment, ShipmentResult

from ...errors import InputError, InvalidRequestError, UnknownCarrierError
from ...shipping.results import failed, pending
from ..ids import int64_of

__all__ = [
    "CARRIER",
    "create_request",
    "flatten_errors",
    "item_reference",
    "item_result",
    "item_status",
    "match_items",
    "service_of",
    "to_batch_shipment",
]

CARRIER = "deftship"
KG_PER_LB = Decimal("0.45359237")
CM_PER_IN = Decimal("2.54")
CONVERTED_PLACES = 2  # a parcel converted to the shipment's unit is rounded up to 2 decimals
STATE_COUNTRIES = ("US", "CA")  # "state: required for US and CA addresses"
TAX_ID_TYPES = ("VAT", "EIN", "SSN")
SIGNATURES = {"none": "no_signature", "signature": "signature", "adult_signature": "adult_signature"}
WEIGHT_UNITS = {"kg": "KG", "lb": "LBS"}
LENGTH_UNITS = {"cm": "CM", "in": "IN"}
# Not documented for batches (assumption, specs/MAPPING.md "Unresolved"): batches are for US USPS accounts.
PRICE_CURRENCY = "USD"
SERVICE_MISSING = "required by deftship (service); or set the deftship 'service' setting"
_EXACT = Context(prec=80)
_DIGITS = re.compile(r"\D")

Wire = dict[str, Any]


def _convert(value: str, unit: str, to_unit: str, factor: Decimal, base: str) -> Decimal:
    """``value`` in ``unit`` expressed in ``to_unit``: exact, rounded up to 2 decimals when converted."""
    amount = Decimal(value)
    if unit == to_unit:
        return amount
    exact = _EXACT.multiply(amount, factor) if unit != base else _EXACT.divide(amount, factor)
    step = Decimal(1).scaleb(-CONVERTED_PLACES)
    return exact.quantize(step, rounding=ROUND_CEILING, context=_EXACT)


def _wire_number(amount: Decimal) -> float | None:
    """``amount`` as the JSON number DeftShip's spec types it as, or None when a float would change it
    (more significant digits than a double carries): such a value is refused, never sent rounded."""
    number = float(amount)
    return number if Decimal(repr(number)) == amount else None


def telephone(phone: str) -> str:
    """Digits only (DeftShip: "avoid special characters")."""
    return _DIGITS.sub("", phone)


class _Builder:
    """Builds one ``batch_shipments[]`` entry as wire JSON and collects every problem on the way."""

    def __init__(self, shipment: Shipment) -> None:
        self.shipment = shipment
        self.problems: dict[str, str] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.setdefault(path, message)

    def required(self, path: str, wire_field: str) -> None:
        self.problem(path, f"required by deftship ({wire_field})")

    def number(self, wire: Wire, name: str, path: str, amount: Decimal) -> None:
        """Put ``amount`` into ``wire`` as a JSON number, or refuse it when a float cannot hold it exactly."""
        number = _wire_number(amount)
        if number is None:
            self.rejected(path, "has more significant digits than deftship's numbers carry (at most 15)")
        else:
            wire[name] = number

    def rejected(self, path: str, why: str) -> None:
        self.problem(path, f"rejected: {why}")

    def address(self, party: Party | None, path: str, wire_name: str, *, needs_address: bool) -> Wire | None:
        if party is None:
            self.required(path, wire_name)
            return None
        if party.store_id is not None:
            self.rejected(f"{path}.store_id", "deftship has no store delivery")
        if not needs_address:
            return None
        wire: Wire = {"name": party.company or party.name}
        if party.company is not None:
            wire["attention"] = party.name
        if party.phone is None:
            self.required(f"{path}.phone", f"{wire_name}.telephone")
        else:
            digits = telephone(party.phone)
            if not 10 <= len(digits) <= 15:
                self.problem(f"{path}.phone", f"deftship needs 10 to 15 digits, this has {len(digits)}")
            wire["telephone"] = digits
        if party.email is not None:
            wire["email"] = party.email
        address = party.address
        if address is None:
            self.required(f"{path}.address", wire_name)
            return wire
        for line, name in (
            (address.line1, "street_1"),
            (address.line2, "street_2"),
            (address.line3, "street_3"),
        ):
            if line is not None:
                wire[name] = line
        wire.update(city=address.city, country=address.country)
        if address.postal_code is None:
            self.required(f"{path}.address.postal_code", f"{wire_name}.zip")
        else:
            wire["zip"] = address.postal_code
        if address.state is not None:
            wire["state"] = address.state
        elif address.country in STATE_COUNTRIES:
            self.required(f"{path}.address.state", f"{wire_name}.state, for {address.country}")
        return wire

    def parties(self, wire: Wire) -> None:
        shipment = self.shipment
        sender, recipient = shipment.sender, shipment.recipient
        saved = None if sender is None else sender.saved_address_id
        if saved is not None:
            address_id = int64_of(saved)
            if address_id is None:
                self.rejected(
                    "sender.saved_address_id", "ASCII digits, at most 2^63-1 (a deftship address id)"
                )
            else:
                wire["from_address_id"] = address_id
        from_address = self.address(sender, "sender", "from_address", needs_address=saved is None)
        if from_address is not None:
            wire["from_address"] = from_address
        if recipient is not None and recipient.saved_address_id is not None:
            self.rejected("recipient.saved_address_id", "deftship has no saved receiver addresses")
        to_address = self.address(recipient, "recipient", "to_address", needs_address=True)
        if to_address is not None:
            wire["to_address"] = to_address

    def packages(self, wire: Wire) -> None:
        parcels = self.shipment.parcels or []
        items = self.shipment.items or []
        if not parcels:
            self.required("parcels", "package_list")
            return
        several = len(parcels) > 1
        for index, item in enumerate(items):
            if item.parcel_index is None and several:
                self.required(f"items[{index}].parcel_index", "package_list[].items")
            elif item.parcel_index is not None and item.parcel_index >= len(parcels):
                self.problem(f"items[{index}].parcel_index", f"no parcel {item.parcel_index} in parcels")
        first = parcels[0]
        weight_unit = first.weight.unit
        length_unit = next((p.dimensions.unit for p in parcels if p.dimensions is not None), None)
        wire["weight_unit"] = WEIGHT_UNITS[weight_unit]
        if length_unit is not None:
            wire["length_unit"] = LENGTH_UNITS[length_unit]
        if first.reference_1 is not None and first.reference_1 != self.shipment.reference:
            why = "deftship carries the shipment reference in the first package's reference_1 (results are "
            self.rejected("parcels[0].reference_1", why + "matched by it); leave it unset")
        wire["package_list"] = [
            self.package(number, parcel, items, several, weight_unit, length_unit)
            for number, parcel in enumerate(parcels)
        ]
        international = self._international()
        insured = any(parcel.insurance for parcel in parcels)
        if not items and (international or insured):
            self.required("items", "package_list[].items, for international or insured shipments")

    def package(
        self,
        number: int,
        parcel: Parcel,
        items: Sequence[Item],
        several: bool,
        weight_unit: str,
        length_unit: str | None,
    ) -> Wire:
        path = f"parcels[{number}]"
        wire: Wire = {"count": 1}  # each neutral parcel is one piece
        if parcel.box_type is not None:
            wire["box_type"] = parcel.box_type
        dimensions = parcel.dimensions
        if dimensions is None or length_unit is None:
            self.required(f"{path}.dimensions", "package_list[].length/width/height")
        else:
            for name in ("length", "width", "height"):
                value = getattr(dimensions, name)
                self.number(
                    wire,
                    name,
                    f"{path}.dimensions.{name}",
                    _convert(value, dimensions.unit, length_unit, CM_PER_IN, "cm"),
                )
        weight = parcel.weight
        converted = _convert(weight.value, weight.unit, weight_unit, KG_PER_LB, "kg")
        self.number(wire, "weight", f"{path}.weight.value", converted)
        reference = self.shipment.reference if number == 0 else parcel.reference_1 or self.shipment.reference
        wire["reference_1"] = reference
        if parcel.reference_2 is not None:
            wire["reference_2"] = parcel.reference_2
        if parcel.insurance:
            wire["insurance"] = True
        if parcel.hazmat:
            wire["is_hazmat"] = True
        if parcel.signature is not None:
            wire["signature"] = SIGNATURES[parcel.signature]
        mine = [(i, item) for i, item in enumerate(items) if not several or item.parcel_index == number]
        if mine:
            wire["items"] = [self.item(i, item) for i, item in mine]
        return wire

    def item(self, index: int, item: Item) -> Wire:
        path = f"items[{index}]"
        wire: Wire = {"quantity": item.quantity}
        for value, neutral, name in (
            (item.sku, "sku", "sku"),
            (item.hs_code, "hs_code", "hs_code"),
            (item.origin_country, "origin_country", "country_of_manufacture"),
        ):
            if value is None:
                self.required(f"{path}.{neutral}", f"items[].{name}")
            else:
                wire[name] = value
        if item.unit_value is None:
            self.required(f"{path}.unit_value", "items[].price")
        elif item.unit_value.currency != PRICE_CURRENCY:
            self.rejected(f"{path}.unit_value.currency", f"deftship prices are in {PRICE_CURRENCY}")
        else:
            self.number(wire, "price", f"{path}.unit_value.amount", Decimal(item.unit_value.amount))
        wire["description"] = item.description or item.name
        # Not mapped in MAPPING.md (the default applies), but the spec requires it on every item sent.
        wire["content_type"] = "Merchandise"
        return wire

    def customs(self, wire: Wire) -> None:
        shipment = self.shipment
        customs: Wire = {}
        if shipment.incoterms is not None:
            customs["bill_type"] = shipment.incoterms
        sender = shipment.sender
        if sender is not None and sender.tax_id is not None:
            if sender.tax_id_type is not None:
                if sender.tax_id_type not in TAX_ID_TYPES:
                    self.rejected("sender.tax_id_type", f"deftship takes {', '.join(TAX_ID_TYPES)}")
                customs["tax_id_type"] = sender.tax_id_type
            customs["tax_id"] = sender.tax_id
            if sender.address is not None:
                customs["issuer_country"] = sender.address.country
        if customs:
            wire["customs_details"] = customs

    def _international(self) -> bool:
        sender, recipient = self.shipment.sender, self.shipment.recipient
        origin = None if sender is None or sender.address is None else sender.address.country
        destination = None if recipient is None or recipient.address is None else recipient.address.country
        return origin is not None and destination is not None and origin != destination

    def rejections(self) -> None:
        shipment = self.shipment
        if shipment.carrier != CARRIER:
            self.problem("carrier", f"this shipper ships deftship, not {shipment.carrier}")
        if shipment.cod is not None:
            self.rejected("cod", "deftship batches take no cash on delivery")
        if shipment.handover is not None:
            self.rejected("handover", "deftship batches take no pickup or drop-off instructions")
        if shipment.reverse:
            self.rejected("reverse", "deftship batches make no return shipments")


def service_of(shipment: Shipment, default: str | None) -> str:
    """The shipment's service, else the configured default; InputError when there is neither."""
    service = shipment.service or default
    if not service:
        raise InputError({"service": SERVICE_MISSING})
    return service


def to_batch_shipment(shipment: Shipment, default_service: str | None = None) -> BatchShipment:
    """The ``batch_shipments[]`` entry of a shipment; InputError names every problem by neutral path.

    The service is not part of the entry (it is one per batch, see ``service_of``), but a shipment without
    one, and without ``default_service``, is reported here with its other problems.
    """
    builder = _Builder(shipment)
    builder.rejections()
    if not (shipment.service or default_service):
        builder.problem("service", SERVICE_MISSING)
    wire: Wire = {}
    builder.parties(wire)
    builder.packages(wire)
    builder.customs(wire)
    if builder.problems:
        raise InputError(builder.problems)
    # The spec's own limits on the entry (lengths, patterns, ranges), checked for this shipment alone: sent
    # in a batch, one entry breaking them would fail all 1,000.
    problems = part_problems("createBatch", "batch_shipments[]", wire)
    if problems:
        raise InputError(problems)
    return BatchShipment.from_dict(wire)


def create_request(shipper_id: int, service: str, shipments: Sequence[BatchShipment]) -> CreateBatchRequest:
    """The createBatch body for up to 1,000 shipments of one shipper and service."""
    if not 1 <= len(shipments) <= MAX_ITEMS_PER_BATCH:
        raise ValueError(f"a deftship batch holds 1 to {MAX_ITEMS_PER_BATCH} shipments, not {len(shipments)}")
    return CreateBatchRequest(shipper_id=shipper_id, service=service, batch_shipments=list(shipments))


# ---------------------------------------------------------------------------------------------- answers


def item_reference(item: BatchItem) -> str | None:
    """The reference an item carries: its shipment order's ``reference_1``, when DeftShip echoes it."""
    order = item.shipment_order
    if order is None or isinstance(order, Unset):
        return None
    found = order.additional_properties.get("reference_1")
    return str(found) if found else None


def match_items(
    references: Sequence[str], items: Sequence[BatchItem], known: MutableMapping[str, str]
) -> dict[str, BatchItem]:
    """Which listed item is which shipment: by item id once known, else by the echoed reference_1.

    Where no item echoes a reference and the listing holds exactly one item per shipment, item k is taken to
    be shipment k (creation order; not promised by the docs, see MAPPING.md "Correlation"). Matches are
    remembered in ``known`` (reference → item id), so later reads match by id.
    """
    by_id = {item.id: item for item in items}
    found = {ref: by_id[known[ref]] for ref in references if ref in known and known[ref] in by_id}
    wanted = set(references)
    for item in items:
        reference = item_reference(item)
        if reference in wanted and reference not in found:
            found[reference] = item
    if not found and not known and len(items) == len(references):
        found = dict(zip(references, items, strict=True))
    known.update({reference: item.id for reference, item in found.items()})
    return found


def flatten_errors(errors: Mapping[str, Any] | None) -> str:
    """An item's field-keyed errors as ``field: text; …`` (Laravel bags hold a list of texts per field)."""
    if not errors:
        return ""
    parts = []
    for field, texts in errors.items():
        listed = texts if isinstance(texts, list) else [texts]
        parts.append(f"{field}: {' '.join(str(text) for text in listed)}")
    return "; ".join(parts)


def _errors_of(item: BatchItem) -> Mapping[str, Any] | None:
    errors = item.errors
    return None if errors is None or isinstance(errors, Unset) else errors.additional_properties


def item_status(item: BatchItem) -> str | None:
    """The item's status, or None while it waits for validation (listed without one)."""
    return None if isinstance(item.status, Unset) else item.status.value


def item_result(shipment: Shipment, item: BatchItem, batch_id: str, labels: Sequence[str]) -> ShipmentResult:
    """The result of one batch item: completed → shipped; invalid/failed → failed; valid → pending."""
    ids = {"batch_id": batch_id, "carrier_shipment_id": item.id}
    status = item_status(item)
    if status == "completed":
        order = item.shipment_order
        number = None if order is None or isinstance(order, Unset) else order.main_tracking_number
        return ShipmentResult(
            reference=shipment.reference,
            carrier=CARRIER,
            status="shipped",
            tracking_number=None if isinstance(number, Unset) else number,
            # Labels come as merged PDFs of up to 100; with one file this shipment's label is in it.
            label_url=labels[0] if len(labels) == 1 else None,
            **ids,
        )
    if status == "invalid":
        message = flatten_errors(_errors_of(item)) or "item is invalid"
        error = InvalidRequestError(carrier=CARRIER, operation="getBatch", code=None, message=message)
        return failed(shipment, error).model_copy(update=ids)
    if status == "failed":
        message = flatten_errors(_errors_of(item)) or "item failed while shipping"
        unknown = UnknownCarrierError(carrier=CARRIER, operation="shipBatch", code=None, message=message)
        return failed(shipment, unknown).model_copy(update=ids)
    shown = status or "waiting for validation"
    return pending(shipment, f"item is {shown}; batch {batch_id} not completed").model_copy(update=ids)
