"""The Baaship sandbox's documented failures over real HTTP: one case per code, validation, faults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import httpx
import pytest
from shipspec.classify import classify
from shipspec.errors import AlreadyDoneError, NotFoundError, QuotaError, RetryableError
from shipspec.spec_tables import tables_for
from shipspec_baaship.api.baaship import create_shipment
from shipspec_baaship.error_codes import OPERATION_ERROR_CODES
from shipspec_baaship.models import CreateShipmentRequest, ErrorResponse
from shipspec_sandbox import FaultPlan, FaultRule, Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.baaship import BaashipSandbox

from .baaship_payloads import forward_body, generated_client, http_client, reverse_body

Call = Callable[[httpx.Client, BaashipSandbox], httpx.Response]


@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    with start_sandboxes(("baaship",)) as running:
        yield running


@pytest.fixture
def http(sandboxes: Sandboxes) -> Iterator[httpx.Client]:
    with http_client(sandboxes.url("baaship")) as client:
        yield client


def app_of(sandboxes: Sandboxes) -> BaashipSandbox:
    app = sandboxes.app("baaship")
    assert isinstance(app, BaashipSandbox)
    return app


def post(path: str, body: object, token: str | None = None) -> Call:
    headers = {} if token is None else {"token": token}
    return lambda http, app: http.post(path, json=body, headers=headers)


def get(path: str, **params: str) -> Call:
    return lambda http, app: http.get(path, params=params)


def without_token(method: str, path: str, body: object = None) -> Call:
    def call(http: httpx.Client, app: BaashipSandbox) -> httpx.Response:
        request = http.build_request(method, path, json=body)
        del request.headers["token"]
        return http.send(request)

    return call


def twice(path: str, body: object) -> Call:
    def call(http: httpx.Client, app: BaashipSandbox) -> httpx.Response:
        assert http.post(path, json=body).json()["code"] == 200
        return http.post(path, json=body)

    return call


def with_product(call: Call, code: str, *, kg: Decimal | None = None, usd: Decimal | None = None) -> Call:
    """Add a forward product with limits first (the spec's only limited product, BNRTN, is reverse)."""

    def wrapped(http: httpx.Client, app: BaashipSandbox) -> httpx.Response:
        app.add_product(code, max_weight_kg=kg, max_value_usd=usd)
        return call(http, app)

    return wrapped


def strict(call: Call) -> Call:
    """Run the call with the opt-in country rule on (1008 for a country that is not an ISO code)."""

    def wrapped(http: httpx.Client, app: BaashipSandbox) -> httpx.Response:
        app.strict_countries = True
        return call(http, app)

    return wrapped


def forward_with(path: str, value: object) -> dict[str, object]:
    """A createShipment body with one nested member (dotted path, list indexes as digits) replaced."""
    body: dict[str, object] = forward_body()
    node: object = body
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    node[last] = value  # type: ignore[index]
    return body


CASES: dict[str, tuple[str, int, Call]] = {
    "create-no-token": ("createShipment", 1001, without_token("POST", "/createShipment", forward_body())),
    "create-empty-token": ("createShipment", 1001, post("/createShipment", forward_body(), token="")),
    "create-wrong-token": ("createShipment", 1001, post("/createShipment", forward_body(), token="nope")),
    "create-null-sender": ("createShipment", 1002, post("/createShipment", forward_body(sender=None))),
    "create-cod-without-amount": (
        "createShipment",
        1002,
        post("/createShipment", forward_body(product="TWYCS-COD")),
    ),
    "create-home-delivery-without-city": (
        "createShipment",
        1002,
        post("/createShipment", forward_with("receiver.city", "")),
    ),
    "create-reverse-product": (
        "createShipment",
        1002,
        post("/createShipment", forward_body(product="BNRTN")),
    ),
    "create-negative-weight": (
        "createShipment",
        1002,
        post("/createShipment", forward_with("packageList.0.weight", "-1")),
    ),
    "create-string-too-long": ("createShipment", 1003, post("/createShipment", forward_body("R" * 31))),
    "create-number-string-too-long": (
        "createShipment",
        1003,
        post("/createShipment", forward_with("packageList.0.weight", "123456.78")),
    ),
    "create-json-number-too-long": (
        "createShipment",
        1003,
        post("/createShipment", forward_with("packageList.0.packageItemList.0.quantity", 12345678901)),
    ),
    "create-duplicate": ("createShipment", 1005, twice("/createShipment", forward_body())),
    "create-too-heavy": (
        "createShipment",
        1006,
        with_product(post("/createShipment", forward_body(product="LIMITED")), "LIMITED", kg=Decimal(13)),
    ),
    "create-too-valuable": (
        "createShipment",
        1007,
        with_product(post("/createShipment", forward_body(product="LIMITED")), "LIMITED", usd=Decimal(29)),
    ),
    "create-receiver-country-not-iso-when-strict": (
        "createShipment",
        1008,
        strict(post("/createShipment", forward_with("receiver.country", "New Zealand"))),
    ),
    "create-sender-country-not-iso-when-strict": (
        "createShipment",
        1008,
        strict(post("/createShipment", forward_with("sender.country", "XX"))),
    ),
    "create-empty-package-list": (
        "createShipment",
        1002,
        post("/createShipment", forward_with("packageList", [])),
    ),
    "reverse-no-token": ("reverseShipment", 1001, without_token("POST", "/reverseShipment", reverse_body())),
    "reverse-package-array": (
        "reverseShipment",
        1002,
        post("/reverseShipment", reverse_body(packageList=[])),
    ),
    "reverse-contact-too-long": (
        "reverseShipment",
        1003,
        post("/reverseShipment", reverse_body(sender={**reverse_body()["sender"], "contact": "C" * 31})),
    ),
    "reverse-duplicate": ("reverseShipment", 1005, twice("/reverseShipment", reverse_body())),
    "reverse-bnrtn-over-25-kg": (
        "reverseShipment",
        1006,
        post(
            "/reverseShipment",
            reverse_body(packageList={**reverse_body()["packageList"], "weight": "25.001"}),
        ),
    ),
    "cancel-no-token": ("cancelShipment", 1001, without_token("GET", "/cancelShipment?waybill=T8")),
    "cancel-missing-waybill": ("cancelShipment", 1002, get("/cancelShipment")),
    "cancel-waybill-too-long": ("cancelShipment", 1003, get("/cancelShipment", waybill="W" * 31)),
    "cancel-unknown-waybill": ("cancelShipment", 1004, get("/cancelShipment", waybill="T89999999")),
    "tracking-no-token": ("getTracking", 1001, without_token("GET", "/tracking?waybill=T8")),
    "tracking-neither-key": ("getTracking", 1002, get("/tracking")),
    "tracking-both-keys": ("getTracking", 1002, get("/tracking", waybill="T8", referenceNo="R")),
    "tracking-unknown-reference": ("getTracking", 1004, get("/tracking", referenceNo="NOPE")),
    "tracking-empty-reference": ("getTracking", 1002, get("/tracking", referenceNo="")),
    "tracking-waybill-too-long": ("getTracking", 1002, get("/tracking", waybill="W" * 31)),
    "tracking-unknown-waybill": ("getTracking", 1004, get("/tracking", waybill="T89999999")),
    "label-no-token": ("getShipmentLabel", 1001, without_token("GET", "/getShipmentLabel?waybill=T8")),
    "label-both-keys": ("getShipmentLabel", 1002, get("/getShipmentLabel", waybill="T8", referenceNo="R")),
    "label-neither-key": ("getShipmentLabel", 1002, get("/getShipmentLabel")),
    "label-reference-too-long": ("getShipmentLabel", 1003, get("/getShipmentLabel", referenceNo="R" * 31)),
    "label-unknown-reference": ("getShipmentLabel", 1004, get("/getShipmentLabel", referenceNo="NOPE")),
}


@pytest.mark.parametrize(("operation", "code", "call"), list(CASES.values()), ids=list(CASES))
def test_documented_failure_codes(
    sandboxes: Sandboxes, http: httpx.Client, operation: str, code: int, call: Call
) -> None:
    """Each failure answers HTTP 200, the operation's documented code and message, and records nothing new."""
    before = len(sandboxes.ledger.entries())
    response = call(http, app_of(sandboxes))
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is False
    assert body["code"] == code
    assert body["message"] == OPERATION_ERROR_CODES[operation][code].message
    assert len(body["requestId"]) == 16
    setup_entries = 1 if code == 1005 else 0  # the first, successful send of a duplicate
    assert len(sandboxes.ledger.entries()) == before + setup_entries


def test_reverse_value_over_the_bnrtn_limit_answers_1007(http: httpx.Client) -> None:
    """BNRTN's 295 USD limit answers 1007 with createShipment's text: reverseShipment's table has no code."""
    body = reverse_body()
    body["packageList"]["packageItemList"][0].update(itemValue="148", quantity="2")
    answer = http.post("/reverseShipment", json=body).json()
    assert (answer["code"], answer["message"]) == (
        1007,
        OPERATION_ERROR_CODES["createShipment"][1007].message,
    )
    assert 1007 not in OPERATION_ERROR_CODES["reverseShipment"]  # why this case is not in CASES


def test_reverse_value_at_the_bnrtn_limit_is_accepted(http: httpx.Client) -> None:
    """Exactly 295 USD (≤295 in the doc) passes."""
    body = reverse_body()
    body["packageList"]["packageItemList"][0].update(itemValue="147.5", quantity="2")
    assert http.post("/reverseShipment", json=body).json()["code"] == 200


def test_length_problem_wins_over_structure_problem(http: httpx.Client) -> None:
    """A body both too long and malformed answers 1003, also when the length is a Number field's."""
    string_field = forward_body("R" * 31, sender=None)
    number_field = {**forward_with("packageList.0.weight", "123456.78"), "sender": None}
    assert http.post("/createShipment", json=string_field).json()["code"] == 1003
    assert http.post("/createShipment", json=number_field).json()["code"] == 1003


def test_a_body_that_is_not_json_answers_1002(http: httpx.Client) -> None:
    """Bytes that are not JSON are a structure error."""
    response = http.post("/createShipment", content=b"{oops", headers={"content-type": "application/json"})
    assert response.json()["code"] == 1002


def test_generated_client_parses_a_failure_as_error_response(sandboxes: Sandboxes) -> None:
    """The generated client reads a failure envelope as ErrorResponse (sync_detailed; sync() refuses it)."""
    client = generated_client(sandboxes.url("baaship"), token="wrong")
    body = CreateShipmentRequest.from_dict(forward_body())
    parsed = create_shipment.sync_detailed(client=client, body=body).parsed
    assert isinstance(parsed, ErrorResponse)
    assert (parsed.success, parsed.code) == (False, 1001)


@pytest.mark.parametrize(
    ("operation", "call", "error"),
    [
        ("createShipment", twice("/createShipment", forward_body()), AlreadyDoneError),
        ("getTracking", get("/tracking", waybill="T89999999"), NotFoundError),
        ("getShipmentLabel", get("/getShipmentLabel", referenceNo="NOPE"), RetryableError),
    ],
    ids=["1005-already-done", "tracking-1004-not-found", "label-1004-interface-exception"],
)
def test_shipspec_classifier_types_the_answers(
    sandboxes: Sandboxes, http: httpx.Client, operation: str, call: Call, error: type[Exception]
) -> None:
    """shipspec's classifier reads the sandbox's answers with the per-operation meaning of each code."""
    response = call(http, app_of(sandboxes))
    found = classify(
        tables_for("baaship"), operation, response.status_code, response.headers, response.content
    )
    assert type(found) is error


def test_rate_limit_fault_answers_429_with_retry_after() -> None:
    """The rate-limit fault answers HTTP 429, Retry-After and a failure envelope, and creates nothing."""
    plan = FaultPlan(rules=(FaultRule("rate_limit", 1.0, carrier="baaship", retry_after_seconds=7),))
    with start_sandboxes(("baaship",), faults=plan) as running, http_client(running.url("baaship")) as http:
        response = http.post("/createShipment", json=forward_body())
        assert response.status_code == 429
        assert response.headers["retry-after"] == "7"
        assert response.json()["success"] is False
        assert response.json()["code"] == 429
        found = classify(tables_for("baaship"), "createShipment", 429, response.headers, response.content)
        assert isinstance(found, QuotaError)
        assert found.retry_after == 7
        assert running.ledger.entries() == []


def test_token_expiry_fault_answers_1001() -> None:
    """Baaship tokens are static, so the token-expiry fault answers the documented 1001."""
    plan = FaultPlan(rules=(FaultRule("token_expiry", 1.0, carrier="baaship"),))
    with start_sandboxes(("baaship",), faults=plan) as running, http_client(running.url("baaship")) as http:
        answer = http.get("/tracking", params={"waybill": "T80000001"}).json()
        assert (answer["success"], answer["code"]) == (False, 1001)
