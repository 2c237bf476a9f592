"""Support for the schemathesis contract tests of the carrier sandboxes (test_schemathesis_sandboxes.py).

- ``schemathesis_config``: one schemathesis configuration per carrier: positive data only, bounded and
  seeded, the response checks that run (and why the others do not), and dictionaries that steer some
  generated values to the state ``Contract.seed`` creates, so success answers get checked too, not only the
  "not found" envelopes that random identifiers earn.
- ``TikTokSigner``: signs each request as the real client does (app_key + timestamp + sign over the exact
  path, query and body bytes sent), with the real client's ``sign``.
- ``Contract``: the running sandboxes with their seeded state and run-time credentials, and ``call``, which
  sends a case with the right credentials, lets schemathesis validate the answer, and asks each sandbox
  whether the request got past its auth and its own spec validation into the carrier handler.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import requests
import schemathesis
import yaml
from schemathesis import BaseSchema, Case, Response
from shipspec.carriers.tiktok_shop.auth import AUTH_QUERY_KEYS, CREDENTIAL_HEADER
from shipspec.carriers.tiktok_shop.signing import sign
from shipspec_sandbox import Sandboxes
from shipspec_sandbox.app import CarrierSandbox, SandboxRequest, SandboxResponse
from shipspec_sandbox.carriers.baaship import BaashipSandbox
from shipspec_sandbox.carriers.deftship import DeftShipSandbox
from shipspec_sandbox.carriers.tiktok_shop import TikTokSandbox
from shipspec_sandbox.carriers.wechat_shop import WeChatSandbox
from shipspec_sandbox.validation import close_objects

from generator.paths import SPECS
from tests.sandbox.baaship_payloads import forward_body

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")
OpenApiCase = Case[Any]  # a generated (or hand-built) request of one operation
TestFunction = Callable[..., None]
SEED = 20261105
MAX_EXAMPLES = 25  # per operation, fuzzing phase; the examples and coverage phases add a few each
TIMEOUT = httpx.Timeout(10.0)

# --- credentials (the sandbox defaults each carrier app's docstring lists; sandbox-only values) -----------
TIKTOK_APP_KEY, TIKTOK_APP_SECRET, TIKTOK_SHOP = "sandbox-app", "sandbox-secret", "SANDBOX_SHOP"
WECHAT_APPID, WECHAT_SECRET = "wxsandbox", "sandbox-secret"
STATIC_TOKEN = "sandbox-token"  # Baaship `token` header and DeftShip bearer token

# --- seeded state, named here because the generation dictionaries must exist before the sandboxes do -----
# Every sandbox numbers what it creates with a persisted counter starting at 1, so on a fresh sandbox the ids
# below are what seeding gets back; Contract.seed asserts it, so a change of numbering fails loudly there.
TIKTOK_OTHER_APP, TIKTOK_OTHER_SHOP = "other-app", "OTHER_SHOP"
TIKTOK_PACKAGES: dict[str, tuple[str, str, str]] = {  # id -> (shop, state, shipping type)
    **{f"57700000000000010{n}": (TIKTOK_SHOP, "AWAITING_SHIPMENT", "TIKTOK") for n in range(6)},
    **{f"57700000000000020{n}": (TIKTOK_SHOP, "AWAITING_SHIPMENT", "SELLER") for n in range(3)},
    "577000000000000300": (TIKTOK_SHOP, "SHIPPED", "TIKTOK"),
    "577000000000000301": (TIKTOK_SHOP, "DELIVERED", "TIKTOK"),
    "577000000000000302": (TIKTOK_SHOP, "CANCELLED", "TIKTOK"),
    "577000000000000303": (TIKTOK_SHOP, "AFTER_SALE", "TIKTOK"),
    "577000000000000400": (TIKTOK_OTHER_SHOP, "AWAITING_SHIPMENT", "TIKTOK"),
}
TIKTOK_FUZZ_AUTH_CODES = 30  # one-time codes minted for the generated getAccessToken calls
# The first code is the fixture's own (its access token signs the shop calls), the rest the fuzzer's.
TIKTOK_AUTH_CODES = [f"SBX_code_{n:08d}" for n in range(1, TIKTOK_FUZZ_AUTH_CODES + 2)]
TIKTOK_REFRESH_TOKEN = "SBX_rt_00000001"

# Generated token calls use their own app, so a force_refresh can never retire the business calls' token.
WECHAT_FUZZ_APPID, WECHAT_FUZZ_SECRET = "wxcontract", "contract-secret"
WECHAT_PRODUCTS, WECHAT_SKUS = (7001, 7002), (8001, 8002)
WECHAT_ORDERS: dict[int, str] = {  # order_id -> seed state
    **{3000 + n: "PAID" for n in range(1, 9)},
    3101: "SHIPPED",
    3102: "AFTER_SALE",
    3103: "CANCELLED",
}
WECHAT_ONLINE_LOGISTICS_ORDER = 3104  # PAID, but shipped by WeChat's own logistics (109205)
WECHAT_COMPANIES = ("SF", "YTO", "ZTO")

BAASHIP_REFERENCES = ("CONTRACT-1", "CONTRACT-2", "CONTRACT-3", "CONTRACT-4")
BAASHIP_WAYBILLS = tuple(f"T8{n:07d}" for n in range(1, len(BAASHIP_REFERENCES) + 1))

DEFTSHIP_SHIPPER = 123  # the sandbox's default eligible shipper (the docs' example)
# 1: shipped and completed by Contract.seed (getBatch shows labels; Add/Remove Items are refused, busy);
# 2: ready, for the generated shipBatch calls; 3: ready, for the generated Add/Remove Items calls, which a
# batch shipped by the fuzzer would refuse.
DEFTSHIP_BATCHES = ("10000001", "10000002", "10000003")
DEFTSHIP_ITEMS = tuple(str(20_000_000 + n) for n in range(1, 2 * len(DEFTSHIP_BATCHES) + 1))

LARGE_BODIES = ("createShipment", "reverseShipment", "createBatch", "addBatchItems")

# How often a dictionary value replaces a generated one; the rest stays random (unknown ids, bad secrets).
HIT = 0.7

Bindings = dict[str, tuple[str, list[Any]]]  # parameter ("query.waybill") -> (dictionary name, values)
Config = dict[str, Any]  # a section of schemathesis' configuration (what schemathesis.toml would hold)


def _steer(bindings: Bindings, per_operation: dict[tuple[str, ...], Bindings] | None = None) -> Config:
    """Config sections ``dictionaries``, ``parameters`` and ``operations`` that steer generated values."""

    def parameters(found: Bindings) -> dict[str, Any]:
        return {key: {"dictionary": name, "probability": HIT} for key, (name, _) in found.items()}

    every = [bindings, *(per_operation or {}).values()]
    return {
        "dictionaries": {name: {"values": values} for found in every for name, values in found.values()},
        "parameters": parameters(bindings),
        "operations": [
            {"include-operation-id": list(operation_ids), "parameters": parameters(found)}
            for operation_ids, found in (per_operation or {}).items()
        ],
    }


STEERING: dict[str, Config] = {
    "tiktok_shop": _steer(
        {
            "query.shop_cipher": ("shops", [TIKTOK_SHOP]),
            "body.packages[*].id": ("packages", list(TIKTOK_PACKAGES)),
            "query.app_key": ("app_keys", [TIKTOK_APP_KEY]),
            "query.app_secret": ("app_secrets", [TIKTOK_APP_SECRET]),
            "query.auth_code": ("auth_codes", TIKTOK_AUTH_CODES[1:]),
            "query.refresh_token": ("refresh_tokens", [TIKTOK_REFRESH_TOKEN]),
        }
    ),
    "wechat_shop": _steer(
        {
            "query.appid": ("query_appids", [WECHAT_FUZZ_APPID]),
            "query.secret": ("query_secrets", [WECHAT_FUZZ_SECRET]),
            "body.appid": ("body_appids", [WECHAT_FUZZ_APPID]),
            "body.secret": ("body_secrets", [WECHAT_FUZZ_SECRET]),
            "body.order_id": ("orders", [*WECHAT_ORDERS, WECHAT_ONLINE_LOGISTICS_ORDER]),
            "body.delivery_list[*].delivery_id": ("companies", list(WECHAT_COMPANIES)),
            "body.delivery_list[*].product_infos[*].product_id": ("products", list(WECHAT_PRODUCTS)),
            "body.delivery_list[*].product_infos[*].sku_id": ("skus", list(WECHAT_SKUS)),
        }
    ),
    "baaship": _steer(
        {
            "query.waybill": ("waybills", list(BAASHIP_WAYBILLS)),
            "query.referenceNo": ("references", list(BAASHIP_REFERENCES)),
        }
    ),
    "deftship": _steer(
        {
            "path.batch_id": ("batches", list(DEFTSHIP_BATCHES)),
            "body.shipper_id": ("shippers", [DEFTSHIP_SHIPPER]),
            "body.batch_shipment_ids[*]": ("items", list(DEFTSHIP_ITEMS)),
        },
        {
            ("shipBatch",): {"path.batch_id": ("shippable", list(DEFTSHIP_BATCHES[:2]))},
            ("addBatchItems", "removeBatchItems"): {
                "path.batch_id": ("editable", [DEFTSHIP_BATCHES[0], DEFTSHIP_BATCHES[2]])
            },
        },
    ),
}

# Response checks, listed explicitly (top-level "enabled": false turns every other one off). Not run:
# - negative_data_rejection, missing_required_header, unsupported_method, allow_header_conformance: they judge
#   answers to invalid requests, and generation is positive-only. Three carriers document answering invalid
#   input with HTTP 200 and an error envelope (TikTok 36009004, WeChat 109000/9401020/40013, Baaship
#   1002/1003, DeftShip "The given data was invalid."), which those checks (expecting 4xx/405) would report
#   as failures. An exploratory negative run also made the sandboxes drop the connection on any JSON body
#   that is not UTF-8 (sandbox/validation.py; reported).
# - ignored_auth: every carrier documents refused credentials as HTTP 200 error envelopes (TikTok 36009004
#   "Missing app_key"/"Missing access token", WeChat 41001/40001, Baaship 1001, DeftShip
#   "Unauthenticated."), which the check (expecting 401/403) would report.
# - use_after_free, ensure_resource_availability: they follow OpenAPI links, which the specs do not declare
#   (the stateful phase is off; state comes from Contract.seed instead).
# - object_level_authorization: needs two identities; each sandbox is tested with one.
# - max_response_time: not a contract property (and timing on a shared CI machine is noise).
# not_a_server_error stays on: faults are off, so any 5xx is a sandbox bug.
# positive_data_acceptance: only 200 for valid data with valid credentials (the default also accepts 401,
# 403, 404, 409, 429 and 5xx). A 401 from TikTok would mean our signature was refused; 429 needs injected
# faults.
_RESPONSE_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
ACCEPTED_STATUSES: dict[str, list[str]] = {
    "tiktok_shop": ["200"],
    "wechat_shop": ["200"],
    "baaship": ["200"],
    "deftship": ["200"],
}


def _checks(carrier: str) -> Config:
    checks: Config = {"enabled": False}
    checks.update({name: {"enabled": True} for name in _RESPONSE_CHECKS})
    checks["positive_data_acceptance"] = {"enabled": True, "expected-statuses": ACCEPTED_STATUSES[carrier]}
    return checks


def schemathesis_config(carrier: str) -> schemathesis.Config:
    """The schemathesis configuration of one carrier's contract test."""
    data: Config = {
        "seed": SEED,
        "generation": {
            "mode": "positive",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            # Credentials are ours (Contract.call), never generated.
            "with-security-parameters": False,
        },
        # Examples (the specs' own), coverage (boundary values) and fuzzing; no stateful phase (no links).
        "phases": {"stateful": {"enabled": False}},
        "request-timeout": 10,
        "checks": _checks(carrier),
        **STEERING[carrier],
    }
    # The coverage phase walks every optional field of a large body one by one: 70-125 requests and most of
    # this file's run time for each of these four operations; the fuzzing phase covers them.
    data["operations"].append(
        {"include-operation-id": list(LARGE_BODIES), "phases": {"coverage": {"enabled": False}}}
    )
    return schemathesis.Config.from_dict(data)


def load_schema(carrier: str) -> BaseSchema:
    """Our spec of the carrier, loaded by schemathesis with the carrier's configuration.

    Objects are closed as the sandboxes read them (``close_objects``): a property the spec does not declare
    is refused there, so it is no valid data here either.
    """
    spec = yaml.safe_load((SPECS / f"{carrier}.yaml").read_text(encoding="utf-8"))
    close_objects(spec)
    return schemathesis.openapi.from_dict(spec, config=schemathesis_config(carrier))


def parametrize(schema: BaseSchema) -> Callable[[TestFunction], TestFunction]:
    """``schema.parametrize()`` with its type spelled out (schemathesis types it as a bare Callable)."""
    decorator: Callable[[TestFunction], TestFunction] = schema.parametrize()
    return decorator


class TikTokSigner(requests.auth.AuthBase):
    """Sign a prepared request as ``shipspec.carriers.tiktok_shop.auth`` does for the real client.

    It runs on the request exactly as it will be sent: the query as encoded (stale app_key/timestamp/sign
    dropped, fresh app_key and timestamp added), the path and the body bytes, then ``sign`` appended.
    """

    def __init__(self, app_key: str, app_secret: str, clock: Callable[[], float] = time.time) -> None:
        self.app_key, self.app_secret, self.clock = app_key, app_secret, clock

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        split = urlsplit(request.url or "")
        sent = parse_qsl(split.query, keep_blank_values=True)  # decoded as the server decodes it
        query = [(key, value) for key, value in sent if key not in AUTH_QUERY_KEYS]
        query += [("app_key", self.app_key), ("timestamp", str(int(self.clock())))]
        signature = sign(
            split.path,
            query,
            _text(request.headers.get("Content-Type")),
            _bytes(request.body),
            self.app_secret,
        )
        request.url = urlunsplit(split._replace(query=urlencode([*query, ("sign", signature)])))
        return request


def _text(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _bytes(body: object) -> bytes:
    """The body as sent: requests keeps JSON and form bodies as bytes or str (a stream cannot be signed)."""
    if body is None or isinstance(body, bytes):
        return body or b""
    if isinstance(body, str):
        return body.encode()
    raise TypeError(f"cannot sign a {type(body).__name__} body")


@dataclass(frozen=True)
class Event:
    """How far one request got in a sandbox: refused by its auth, by its spec validation, or handled."""

    carrier: str
    operation_id: str
    stage: str  # "denied" | "invalid" | "handled"
    detail: str = ""


@dataclass
class Probe:
    """Records, per request, whether a sandbox's auth, its request validation or its handler answered."""

    events: list[Event] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, app: CarrierSandbox) -> None:
        """Wrap the app's auth, validation-failure and handler hooks (instance attributes; behaviour kept)."""
        authenticate, invalid, handle = app.authenticate, app.invalid, app.handle

        def denied(request: SandboxRequest) -> SandboxResponse | None:
            answer = authenticate(request)
            if answer is not None:
                self._add(request, "denied", answer.body.decode(errors="replace"))
            return answer

        def rejected(request: SandboxRequest, problems: list[Any]) -> SandboxResponse:
            self._add(request, "invalid", "; ".join(map(str, problems)))
            return invalid(request, problems)

        def handled(request: SandboxRequest, ledger: Any) -> SandboxResponse:
            self._add(request, "handled")
            return handle(request, ledger)

        for name, wrapper in (("authenticate", denied), ("invalid", rejected), ("handle", handled)):
            setattr(app, name, wrapper)

    def _add(self, request: SandboxRequest, stage: str, detail: str = "") -> None:
        with self._lock:
            self.events.append(Event(request.carrier, request.operation_id, stage, detail))

    @contextmanager
    def watch(self) -> Iterator[list[Event]]:
        """Collect the events of the requests sent inside the block."""
        with self._lock:
            start = len(self.events)
        seen: list[Event] = []
        try:
            yield seen
        finally:
            with self._lock:
                seen.extend(self.events[start:])


@dataclass
class Contract:
    """The running sandboxes, seeded, with the run-time credentials and a probe on every carrier app."""

    sandboxes: Sandboxes
    probe: Probe = field(default_factory=Probe)
    tiktok_access_token: str = ""
    wechat_access_token: str = ""
    calls: Counter[str] = field(default_factory=Counter)  # per operation label: cases sent
    handled: Counter[str] = field(default_factory=Counter)  # per operation label: cases handled

    def seed(self) -> None:
        """Create the state the generation dictionaries point at, and get the run-time credentials."""
        for carrier in CARRIERS:
            self.probe.install(self.sandboxes.app(carrier))
        self._seed_tiktok()
        self._seed_wechat()
        self._seed_baaship()
        self._seed_deftship()
        self.probe.events.clear()

    def call(self, carrier: str, case: OpenApiCase) -> Response:
        """Send the case with the carrier's credentials and validate the answer; check the sandbox's verdict.

        Beyond schemathesis' checks: a positive case must not be refused by the sandbox's own request
        validation (the carriers with envelopes answer that refusal with HTTP 200, where
        positive_data_acceptance cannot see it), and the operation counts as handled when it got past auth
        and validation into the carrier handler.
        """
        with self.probe.watch() as events:
            credentials = self._credentials(carrier, case)
            response = case.call_and_validate(base_url=self.sandboxes.url(carrier), **credentials)
        label = case.operation.label
        self.calls[label] += 1
        self.handled[label] += any(event.stage == "handled" for event in events)
        positive = case.meta is None or case.meta.generation.mode.is_positive  # hand-built cases are valid
        refusals = [event.detail for event in events if event.stage == "invalid"]
        assert not (positive and refusals), (
            f"{label}: the sandbox's validation refused a valid request: {refusals}"
        )
        return response

    # --- per-call credentials -------------------------------------------------------------------------

    def _credentials(self, carrier: str, case: OpenApiCase) -> dict[str, Any]:
        """What ``call_and_validate`` adds to the case (the probes of ignored_auth strip it again)."""
        if carrier == "baaship":
            return {"headers": {"token": STATIC_TOKEN}}
        if carrier == "deftship":
            return {"headers": {"Authorization": f"Bearer {STATIC_TOKEN}"}}
        operation_id = case.operation.definition.raw.get("operationId")
        if operation_id == "batchShipPackages":  # TikTok's only signed operation
            return {
                "headers": {CREDENTIAL_HEADER: self.tiktok_access_token},
                "auth": TikTokSigner(TIKTOK_APP_KEY, TIKTOK_APP_SECRET),
            }
        if operation_id in ("sendDelivery", "getDeliveryCompanyList"):  # WeChat's token-bearing calls
            return {"params": {"access_token": self.wechat_access_token}}
        return {}  # TikTok's and WeChat's token endpoints carry their credentials as parameters

    # --- seeding ----------------------------------------------------------------------------------------

    def _http(self, carrier: str, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.sandboxes.url(carrier), timeout=TIMEOUT, **kwargs)

    def _seed_tiktok(self) -> None:
        app = self.sandboxes.app("tiktok_shop")
        assert isinstance(app, TikTokSandbox)
        app.register_app(TIKTOK_OTHER_APP, "other-secret", (TIKTOK_OTHER_SHOP,))
        for package_id, (shop, state, shipping_type) in TIKTOK_PACKAGES.items():
            app.add_package(package_id, shop, state, shipping_type)
        codes = [app.mint_auth_code() for _ in TIKTOK_AUTH_CODES]
        assert codes == TIKTOK_AUTH_CODES, f"auth codes of a fresh TikTok sandbox changed: {codes}"
        query = {
            "app_key": TIKTOK_APP_KEY,
            "app_secret": TIKTOK_APP_SECRET,
            "auth_code": codes[0],
            "grant_type": "authorized_code",
        }
        with self._http("tiktok_shop") as http:
            answer = http.get("/api/v2/token/get", params=query).json()
        assert answer["code"] == 0, answer
        assert answer["data"]["refresh_token"] == TIKTOK_REFRESH_TOKEN, answer
        self.tiktok_access_token = answer["data"]["access_token"]

    def _seed_wechat(self) -> None:
        app = self.sandboxes.app("wechat_shop")
        assert isinstance(app, WeChatSandbox)
        app.register_app(WECHAT_FUZZ_APPID, WECHAT_FUZZ_SECRET)
        lines = [(product, sku, 1) for product, sku in zip(WECHAT_PRODUCTS, WECHAT_SKUS, strict=True)]
        for order_id, state in WECHAT_ORDERS.items():
            app.add_order(order_id, lines[: 1 + order_id % 2], state)
        app.add_order(WECHAT_ONLINE_LOGISTICS_ORDER, lines, online_logistics=True)
        body = {"grant_type": "client_credential", "appid": WECHAT_APPID, "secret": WECHAT_SECRET}
        with self._http("wechat_shop") as http:  # once, as a client would: POST /cgi-bin/stable_token
            answer = http.post("/cgi-bin/stable_token", json=body).json()
        assert "access_token" in answer, answer
        self.wechat_access_token = answer["access_token"]

    def _seed_baaship(self) -> None:
        app = self.sandboxes.app("baaship")
        assert isinstance(app, BaashipSandbox)
        with self._http("baaship", headers={"token": STATIC_TOKEN}) as http:
            waybills = []
            for reference in BAASHIP_REFERENCES:
                answer = http.post("/createShipment", json=forward_body(reference)).json()
                assert answer["success"], answer
                waybills.append(answer["data"][0]["waybill"])
            assert tuple(waybills) == BAASHIP_WAYBILLS, f"waybills of a fresh Baaship sandbox: {waybills}"
            assert http.get("/cancelShipment", params={"waybill": waybills[2]}).json()["success"]
        app.advance_tracking(waybills[3], "DL01", "Delivered.")

    def _seed_deftship(self) -> None:
        app = self.sandboxes.app("deftship")
        assert isinstance(app, DeftShipSandbox)
        # Batches settle at their next read instead of 0.2 s later, so generated Add/Remove Items calls meet
        # a ready batch (and succeed) instead of one still validating the previous call's items.
        app.validation_delay = app.processing_delay = 0
        shipments = [_shipment(f"C-{n}") for n in range(1, 3)]
        body = {"shipper_id": DEFTSHIP_SHIPPER, "service": "USPS-3", "batch_shipments": shipments}
        with self._http("deftship", headers={"Authorization": f"Bearer {STATIC_TOKEN}"}) as http:
            batches = [http.post("/batches", json=body).json()["data"]["id"] for _ in DEFTSHIP_BATCHES]
            assert tuple(batches) == DEFTSHIP_BATCHES, f"batch ids of a fresh DeftShip sandbox: {batches}"
            for batch_id in batches:
                app.validate_now(batch_id)
            # One batch shipped and completed (labels in getBatch); the others stay ready for shipBatch.
            assert http.post(f"/batches/{batches[0]}/ship").json()["success"]
        app.complete_now(batches[0], self.sandboxes.ledger)


def _shipment(reference: str) -> dict[str, Any]:
    """A batch shipment the DeftShip sandbox validates as good (the docs' example)."""
    package = {"count": 1, "length": 10, "width": 8, "height": 4, "weight": 1, "reference_1": reference}
    return {**_SHIPMENT, "package_list": [package]}


_SHIPMENT = {
    "from_address_id": 1387235969,
    "to_address": {
        "name": "Jane Smith",
        "street_1": "456 Oak Ave",
        "city": "Los Angeles",
        "state": "CA",
        "zip": "90001",
        "country": "US",
        "telephone": "5559876543",
    },
}
