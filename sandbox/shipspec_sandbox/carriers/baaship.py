"""Baaship sandbox: forward and reverse shipments keyed by referenceNo, labels, tracking and cancellation.

Documented behaviour it plays (specs/baaship.yaml; codes and messages from ``shipspec_baaship.error_codes``):

- Auth: the ``token`` request header. ``DEFAULT_TOKEN`` ("sandbox-token") is always accepted; more tokens with
  :meth:`BaashipSandbox.register_token`. Anything else answers 1001. Tokens are static (no refresh flow), so
  the token-expiry fault answers 1001 as well.
- Failures are ``{success: false, code, message, requestId}`` with HTTP 200 (the doc shows no HTTP status);
  successes ``{success: true, code: 200, message: "success", requestId, data}`` (cancelShipment: top-level
  ``waybill`` instead of ``data``). Request ids are a persisted counter, so runs are reproducible.
- Validation: a documented length exceeded (maxLength, or ``x-field-length`` on Number fields, which the
  validator does not know) answers the operation's length code (1003); any other problem 1002. /tracking has
  no length code (its 1003 is "Interface exception"), so it answers 1002 there.
- createShipment / reverseShipment: COD codes need codAmount, receiver address fields are required unless
  store delivery (storeId) — both 1002; product-code rules come from the spec's ``x-product-codes``: a code of
  the other direction (BNRTN on createShipment) 1002, parcel weight 1006, declared value 1007; a used
  referenceNo answers 1005 with no second shipment or ledger entry. Countries are taken as written ("New
  Zealand" as well as "NZ": the doc does not ask for ISO codes); ``strict_countries=True`` opts in to 1008 for
  a country that is not an ISO 3166-1 alpha-2 code, a rule of the sandbox's own (1008 has no documented
  trigger).
- cancelShipment, getShipmentLabel: an unknown waybill/referenceNo answers 1004; cancelling twice too.
- getTracking: an "info received" event at creation, more via :meth:`BaashipSandbox.advance_tracking`;
  by waybill or referenceNo; an unknown one answers 1004 (on /tracking: "Waybill or referenceNo does not
  exist").
- Labels: ``labelUrl`` points at this sandbox's ``/pdf-file/<waybill>/<uuid>.pdf``, served as a real PDF.

Where the doc is silent the choice is commented at the spot. Not simulated: getShopInfo (undocumented), real
carrier status codes beyond DL01, currency conversion, rate limits other than the injected fault.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from shipspec.spec_tables import ErrorCodeEntry

from ..app import CarrierSandbox, Problem, SandboxRequest, SandboxResponse
from ..labels import label_pdf
from ..ledger import Ledger
from ..state import Store
from ..validation import load_packaged_spec
from .baaship_support import ISO_COUNTRY_CODES, field_length_problems

__all__ = ["DEFAULT_TOKEN", "DELIVERED", "INFO_RECEIVED", "BaashipSandbox", "Product"]

DEFAULT_TOKEN = "sandbox-token"  # noqa: S105 - the sandbox's documented test token
SHIPMENTS = "baaship.shipments"  # waybill → shipment document
REFERENCES = "baaship.references"  # referenceNo → waybill, shared by createShipment and reverseShipment
COUNTERS = "baaship.counters"
TOKENS = "baaship.tokens"
PRODUCTS = "baaship.products"  # products added with add_product(), on top of the spec's x-product-codes

WAYBILL_PREFIX = "T8"  # the doc's example waybill is T80000045
LABEL_PREFIX = "/pdf-file/"
LABEL_NAMESPACE = uuid.UUID("6f1d3a52-7c1e-4b8e-9a57-3d5c0b2a9e11")  # uuid5 namespace: label names are stable
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # the doc's localTime format
DELIVERED = "DL01"  # the only documented status code
# Not documented (the statusCode list is not public): the sandbox's own code for the creation event.
INFO_RECEIVED = "IR01"
LATEST_STATUS = {DELIVERED: "Shipment Delivered", INFO_RECEIVED: "Shipment Information Received"}

# Error-table names (stable across operations, unlike the numbers: 1003/1004 differ on /tracking).
TOKEN_INVALID = "TOKEN_INVALID"  # noqa: S105 - an error-table name
STRUCTURE = "REQUEST_STRUCTURE_INVALID"
LENGTH = "PARAMETER_LENGTH_INVALID"
INTERFACE_EXCEPTION = "INTERFACE_EXCEPTION"
DUPLICATE = "REFERENCE_NO_DUPLICATED"
WEIGHT = "PARCEL_WEIGHT_EXCEEDED"
VALUE = "DECLARED_VALUE_EXCEEDED"
ADDRESS = "ADDRESS_ISSUE"
NOT_FOUND = "WAYBILL_OR_REFERENCE_NO_NOT_FOUND"


@dataclass(frozen=True)
class Product:
    """A product code and its documented rules; None where the doc gives nothing."""

    code: str
    direction: str | None  # "forward" | "reverse"
    cod: bool = False
    max_weight_kg: Decimal | None = None
    max_value: Decimal | None = None
    value_currency: str = "USD"

    @classmethod
    def from_spec(cls, entry: Mapping[str, Any]) -> Product:
        value = entry.get("max_value") or {}
        weight = entry.get("max_weight_kg")
        return cls(
            code=str(entry["code"]),
            direction=entry.get("type"),
            cod=bool(entry.get("cod")),
            max_weight_kg=None if weight is None else Decimal(str(weight)),
            max_value=None if value.get("amount") is None else Decimal(str(value["amount"])),
            value_currency=str(value.get("currency", "USD")),
        )


class Reject(Exception):
    """A documented failure, by error-table name; ``table`` names the operation whose table has it."""

    def __init__(self, name: str, table: str | None = None) -> None:
        super().__init__(name)
        self.name, self.table = name, table


class BaashipSandbox(CarrierSandbox):
    """The Baaship shipment API on 127.0.0.1 (see the module docstring for what is simulated).

    Default token: ``"sandbox-token"`` (``DEFAULT_TOKEN``), sent in the ``token`` header.
    """

    carrier = "baaship"
    credentials: ClassVar[dict[str, str]] = {"token": DEFAULT_TOKEN}

    def __init__(self, store: Store, *, strict_countries: bool = False) -> None:
        super().__init__(store)
        self.clock: Callable[[], float] = time.time
        self.strict_countries = strict_countries
        spec = load_packaged_spec(self.carrier)
        self._spec = spec
        self._body_schemas = {
            operation["operationId"]: operation["requestBody"]["content"]["application/json"]["schema"]
            for item in spec["paths"].values()
            for operation in item.values()
            if isinstance(operation, dict) and "requestBody" in operation
        }
        self._spec_products = {entry["code"]: Product.from_spec(entry) for entry in spec["x-product-codes"]}
        rules = spec["components"]["schemas"]["CreateShipmentRequest"]["x-conditional-required"]
        # The receiver fields "not required for store delivery mode" (the rule marked unless: true).
        self._home_delivery_fields = next(tuple(rule["require"]) for rule in rules if rule.get("unless"))
        self.handlers.update(
            createShipment=self._create_shipment,
            reverseShipment=self._reverse_shipment,
            cancelShipment=self._cancel_shipment,
            getTracking=self._tracking,
            getShipmentLabel=self._shipment_label,
        )

    # ------------------------------------------------------------------ seeding and inspection (public)

    def register_token(self, token: str) -> None:
        """Accept ``token`` in the ``token`` header from now on (persisted with the store)."""
        self.store.put(TOKENS, token, True)

    def add_product(
        self,
        code: str,
        *,
        direction: str | None = "forward",
        cod: bool = False,
        max_weight_kg: Decimal | None = None,
        max_value_usd: Decimal | None = None,
    ) -> None:
        """Add a product code with its limits (the spec has limits only for BNRTN, a reverse product)."""
        value = None if max_value_usd is None else {"amount": str(max_value_usd), "currency": "USD"}
        weight = None if max_weight_kg is None else str(max_weight_kg)
        entry = {"code": code, "type": direction, "cod": cod, "max_weight_kg": weight, "max_value": value}
        self.store.put(PRODUCTS, code, entry)

    def shipment(self, waybill: str) -> dict[str, Any] | None:
        """The stored shipment document (state, events, …), or None."""
        found: dict[str, Any] | None = self.store.get(SHIPMENTS, waybill)
        return found

    def advance_tracking(
        self, waybill: str, status_code: str, description: str, *, latest_status: str | None = None
    ) -> None:
        """Append a tracking event; DL01 marks the shipment delivered. KeyError for an unknown waybill."""
        with self.store.transaction():
            shipment = self.store.get(SHIPMENTS, waybill)
            if shipment is None:
                raise KeyError(waybill)
            delivered = status_code == DELIVERED
            place = shipment["destination"] if delivered else shipment["origin"]
            status = latest_status or LATEST_STATUS.get(status_code, description)
            self._add_event(shipment, status_code, description, status, place)
            if delivered:
                shipment["state"] = "delivered"
            self.store.put(SHIPMENTS, waybill, shipment)

    # ------------------------------------------------------------------ framework hooks

    def handle(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        try:
            return super().handle(request, ledger)
        except Reject as reject:
            return self._failure(reject.table or request.operation_id, reject.name)
        except (KeyError, TypeError, ValueError):
            # Reached only with spec validation switched off: a body of the wrong shape is a structure error.
            return self._failure(request.operation_id, STRUCTURE)

    def authenticate(self, request: SandboxRequest) -> SandboxResponse | None:
        token = request.headers.get("token", "")
        if token == DEFAULT_TOKEN or (token and self.store.get(TOKENS, token) is not None):
            return None
        return self._failure(request.operation_id, TOKEN_INVALID)

    def invalid(self, request: SandboxRequest, problems: list[Problem]) -> SandboxResponse:
        too_long = any(problem.keyword == "maxLength" for problem in problems) or bool(
            self._number_length_problems(request)
        )
        # /tracking documents no length code (its 1003 is "Interface exception"): a structure error there.
        has_length_code = self._entry(request.operation_id, LENGTH) is not None
        return self._failure(request.operation_id, LENGTH if too_long and has_length_code else STRUCTURE)

    def rate_limited(self, request: SandboxRequest, retry_after_seconds: int) -> SandboxResponse:
        # Baaship documents no rate limit and no code for it: HTTP 429 + Retry-After with the failure envelope
        # and code 429, an undocumented code (the classifier types it by the HTTP status).
        response = self._envelope(False, 429, "Too many requests")
        return SandboxResponse(429, response.body, {"Retry-After": str(retry_after_seconds)})

    def token_expired(self, request: SandboxRequest) -> SandboxResponse:
        # Tokens are static (no expiry or refresh documented): the only token failure is 1001.
        return self._failure(request.operation_id, TOKEN_INVALID)

    def extra_get(self, path: str) -> SandboxResponse | None:
        """Serve label PDFs at the path labelUrl names; no token (label URLs are handed out as links)."""
        if not path.startswith(LABEL_PREFIX):
            return None
        waybill = path.removeprefix(LABEL_PREFIX).split("/")[0]
        shipment = self.store.get(SHIPMENTS, waybill)
        if shipment is None or shipment["labelPath"] != path:
            return SandboxResponse(404, b"label not found", {"Content-Type": "text/plain"})
        lines = [
            "Baaship sandbox label (not a real label)",
            f"Waybill: {waybill}",
            f"Reference: {shipment['referenceNo']}",
            f"Product: {shipment['productCode']}",
        ]
        return SandboxResponse(200, label_pdf(lines), {"Content-Type": "application/pdf"})

    # ------------------------------------------------------------------ operations

    def _create_shipment(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = self._body(request)
        packages = list(body["packageList"])
        product = self._product(body["productCode"])
        self._check_numbers(packages, top_level=body)
        if product is not None and product.cod and not _has_cod_amount(body, packages):
            raise Reject(STRUCTURE)
        # The doc does not say how store delivery mode is chosen; a storeId means store delivery here.
        if not body.get("storeId"):
            for dotted in self._home_delivery_fields:
                if _blank(_dig(body, dotted)):
                    raise Reject(STRUCTURE)
        self._check_product(product, "forward", packages)
        if self.strict_countries:  # opt-in: 1008 has no documented trigger, and the doc asks for no ISO codes
            for party in (body["sender"], body["receiver"]):
                country = party.get("country")
                if not _blank(country) and str(country).strip().upper() not in ISO_COUNTRY_CODES:
                    raise Reject(ADDRESS)
        result = self._commit(request, ledger, body, "Forward", body["sender"], body["receiver"])
        # data as the doc's example has it: an array holding the shipment (the table says Object; the spec
        # accepts both).
        return self._success(data=[result])

    def _reverse_shipment(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = self._body(request)
        package = body["packageList"]  # one object here, unlike createShipment's array
        product = self._product(body["productCode"])
        self._check_numbers([package])
        self._check_product(product, "reverse", [package])
        # The returning customer is the sender; where the parcel goes back to is not in the request.
        result = self._commit(request, ledger, body, "Reverse", body["sender"], None)
        return self._success(data=result)

    def _cancel_shipment(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        waybill = request.query["waybill"]
        with self.store.transaction():
            shipment = self.store.get(SHIPMENTS, waybill)
            # The table has no "not found" or "already cancelled" code. 1004 for both (and for a delivered
            # shipment): the spec's own note expects it, and /tracking's 1004 means "does not exist", which
            # suggests the backend answers 1004 for a missing waybill everywhere. Never a second cancellation.
            if shipment is None or shipment["state"] != "created":
                raise Reject(INTERFACE_EXCEPTION)
            shipment["state"] = "cancelled"
            self.store.put(SHIPMENTS, waybill, shipment)
        # Recorded outside the store lock: Ledger.record takes its own lock and then the store's.
        ledger.record(self.carrier, "shipment_cancelled", waybill, referenceNo=shipment["referenceNo"])
        return self._success(waybill=waybill)

    def _tracking(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        shipment = self._find(request)
        if shipment is None:
            raise Reject(NOT_FOUND)
        result = {
            "waybill": shipment["waybill"],
            "shipmentType": shipment["shipmentType"],
            "latestStatus": shipment["latestStatus"],
            "latestLocalTime": shipment["latestLocalTime"],
            # newest first: the doc's example starts with the DL01 delivery event
            "events": list(reversed(shipment["events"])),
        }
        return self._success(data=[result])

    def _shipment_label(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        shipment = self._find(request)
        if shipment is None:
            # No "not found" code in this table; 1004 as for cancelShipment (see there).
            raise Reject(INTERFACE_EXCEPTION)
        label = {
            "waybill": shipment["waybill"],
            "referenceNo": shipment["referenceNo"],
            "labelUrl": _absolute(request, shipment["labelPath"]),
        }
        return self._success(data=label)

    def _find(self, request: SandboxRequest) -> dict[str, Any] | None:
        """The shipment named by exactly one of waybill and referenceNo (1002 for both or neither)."""
        waybill, reference = request.query.get("waybill"), request.query.get("referenceNo")
        if (waybill is None) == (reference is None):  # the spec's x-rules: exactly one of the two
            raise Reject(STRUCTURE)
        if waybill is None:
            waybill = self.store.get(REFERENCES, str(reference))
        found: dict[str, Any] | None = None if waybill is None else self.store.get(SHIPMENTS, waybill)
        return found

    # ------------------------------------------------------------------ rules

    def _body(self, request: SandboxRequest) -> dict[str, Any]:
        body = request.json()
        if not isinstance(body, dict):
            raise Reject(STRUCTURE)
        if self._number_length_problems(request):
            raise Reject(LENGTH)
        return body

    def _number_length_problems(self, request: SandboxRequest) -> list[str]:
        schema = self._body_schemas.get(request.operation_id)
        try:
            body = request.json()
        except ValueError:
            return []
        return [] if schema is None else field_length_problems(self._spec, schema, body)

    def _product(self, code: str) -> Product | None:
        # Codes outside x-product-codes (the examples' TEST, TESTPRODUCT) are accepted without limits: the
        # full list is not published and the test environment evidently takes such codes.
        added = self.store.get(PRODUCTS, code)
        return Product.from_spec(added) if added is not None else self._spec_products.get(code)

    def _check_numbers(self, packages: list[Any], top_level: Mapping[str, Any] | None = None) -> None:
        """Every amount must be a non-negative decimal (itemValue is a String on createShipment)."""
        values = [top_level.get("codAmount")] if top_level else []
        for package in packages:
            values += [package.get(key) for key in ("weight", "length", "width", "height", "codAmount")]
            for item in package["packageItemList"]:
                values += [item.get(key) for key in ("quantity", "itemWeight", "itemValue")]
        for value in values:
            if value is not None:
                _decimal(value)

    def _check_product(self, product: Product | None, direction: str, packages: list[Any]) -> None:
        if product is None:
            return
        if product.direction not in (None, direction):
            raise Reject(STRUCTURE)  # e.g. BNRTN (reverse) on createShipment: no better documented code
        if product.max_weight_kg is not None and any(
            _decimal(package["weight"]) > product.max_weight_kg for package in packages
        ):
            raise Reject(WEIGHT)
        if product.max_value is not None and _declared(packages, product.value_currency) > product.max_value:
            # Only createShipment's table has 1007; reverseShipment's lists no value code, yet BNRTN (a
            # reverse product) has a documented value limit. Answered with 1007 and its createShipment text
            # there too: an undocumented code on that operation, chosen because its meaning is exactly this.
            raise Reject(VALUE, table="createShipment")

    def _commit(
        self,
        request: SandboxRequest,
        ledger: Ledger,
        body: Mapping[str, Any],
        shipment_type: str,
        origin: Mapping[str, Any],
        destination: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """Create the shipment unless its referenceNo is taken (1005); record it in the ledger once."""
        reference = str(body["referenceNo"])
        with self.store.transaction():
            if self.store.get(REFERENCES, reference) is not None:
                raise Reject(DUPLICATE)
            waybill = f"{WAYBILL_PREFIX}{self._next('waybill'):07d}"
            label_path = f"{LABEL_PREFIX}{waybill}/{uuid.uuid5(LABEL_NAMESPACE, waybill)}.pdf"
            shipment: dict[str, Any] = {
                "waybill": waybill,
                "referenceNo": reference,
                "productCode": body["productCode"],
                "shipmentType": shipment_type,
                "labelPath": label_path,
                "state": "created",
                "origin": _place(origin),
                "destination": None if destination is None else _place(destination),
                "events": [],
            }
            self._add_event(
                shipment,
                INFO_RECEIVED,
                "Shipment information received.",
                LATEST_STATUS[INFO_RECEIVED],
                shipment["origin"],
            )
            self.store.put(SHIPMENTS, waybill, shipment)
            self.store.put(REFERENCES, reference, waybill)
        result = {
            "waybill": waybill,
            "referenceNo": reference,
            "productCode": body["productCode"],
            "labelUrl": _absolute(request, label_path),
        }
        # Outside the store lock (Ledger.record locks the ledger, then the store); only this thread made it.
        label_url = result["labelUrl"]
        ledger.record(self.carrier, "shipment_created", reference, waybill=waybill, labelUrl=label_url)
        return result

    def _add_event(
        self, shipment: dict[str, Any], code: str, description: str, status: str, place: Mapping[str, Any]
    ) -> None:
        local_time = time.strftime(TIME_FORMAT, time.gmtime(self.clock()))
        event = {"statusCode": code, "description": description, "localTime": local_time, "timeZone": "UTC+0"}
        event.update({key: value for key, value in place.items() if value})
        shipment["events"].append(event)
        shipment["latestStatus"], shipment["latestLocalTime"] = status, local_time

    # ------------------------------------------------------------------ envelopes and counters

    def _entry(self, operation_id: str, name: str) -> ErrorCodeEntry | None:
        table = self.tables.operation_codes.get(operation_id, {})
        return next((entry for entry in table.values() if entry.name == name), None)

    def _failure(self, operation_id: str, name: str) -> SandboxResponse:
        entry = self._entry(operation_id, name)
        if entry is None:
            raise RuntimeError(f"{operation_id} documents no {name}")
        return self._envelope(False, entry.code, entry.message)

    def _success(self, **members: Any) -> SandboxResponse:
        return self._envelope(True, 200, "success", **members)

    def _envelope(self, success: bool, code: int, message: str, **members: Any) -> SandboxResponse:
        head = {"success": success, "code": code, "message": message, "requestId": self._request_id()}
        return SandboxResponse.json({**head, **members})

    def _request_id(self) -> str:
        return f"{self._next('request'):016x}"  # 16 hex digits like the doc's 65bcecc674687425

    def _next(self, counter: str) -> int:
        with self.store.transaction():
            value = int(self.store.get(COUNTERS, counter) or 0) + 1
            self.store.put(COUNTERS, counter, value)
        return value


def _decimal(value: Any) -> Decimal:
    """A documented Number (a JSON number or numeric string) as a Decimal; 1002 when not a sane amount."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise Reject(STRUCTURE) from None
    if not amount.is_finite() or amount < 0:
        raise Reject(STRUCTURE)
    return amount


def _declared(packages: Iterable[Mapping[str, Any]], currency: str) -> Decimal:
    """Declared value in ``currency``: sum of itemValue * quantity over the items in that currency.

    No exchange rates are documented, so items in other currencies are left out: the sum is a lower bound
    and a limit is never reported exceeded when it might not be.
    """
    return sum(
        (
            _decimal(item["itemValue"]) * _decimal(item["quantity"])
            for package in packages
            for item in package["packageItemList"]
            if str(item["currency"]).strip().upper() == currency.upper()
        ),
        Decimal(0),
    )


def _has_cod_amount(body: Mapping[str, Any], packages: list[Any]) -> bool:
    # The table puts codAmount at the top level, the example in each parcel: either is accepted.
    return body.get("codAmount") is not None or all(p.get("codAmount") is not None for p in packages)


def _place(party: Mapping[str, Any]) -> dict[str, Any]:
    """Where a party is, in the tracking event's field names."""
    return {
        "location": party.get("city"),
        "country": party.get("country"),
        "state": party.get("province"),
        "city": party.get("city"),
        "postcode": party.get("postCode"),
    }


def _dig(body: Mapping[str, Any], dotted: str) -> Any:
    node: Any = body
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _absolute(request: SandboxRequest, path: str) -> str:
    """This sandbox's own URL for ``path``, from the Host the caller used (the port changes per run)."""
    return f"http://{request.headers.get('host') or '127.0.0.1'}{path}"
