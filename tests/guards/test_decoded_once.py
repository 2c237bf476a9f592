"""A call converts its request model to JSON once and decodes its answer once: the check's work is reused."""

from __future__ import annotations

import json
from typing import Any

import httpx
from shipspec.transport import ANSWER_JSON_EXTENSION, RetryingTransport
from shipspec_tiktok_shop import checks
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest, ShipPackage, ShipPackageHandoverMethod

from .calls import BASE_URL, wired_client

SHIPPED = {"code": 0, "message": "Success", "request_id": "r1", "data": {"errors": []}}
FAILED = {"code": 21011040, "message": "package has shipped", "request_id": "r2"}
SHIP_PATH = "/fulfillment/202309/packages/ship"


class CountingRequest(BatchShipPackagesRequest):
    """A request model that counts its conversions to JSON."""

    conversions = 0

    def to_dict(self) -> dict[str, Any]:
        self.conversions += 1
        return super().to_dict()


def _request() -> CountingRequest:
    package = ShipPackage(id="P1", handover_method=ShipPackageHandoverMethod.DROP_OFF)
    return CountingRequest(packages=[package])


def _answer(body: dict[str, Any], sent: list[httpx.Request]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=body)

    return answer


def test_the_checked_conversion_of_the_body_is_what_is_sent() -> None:
    """The request model is converted once: the JSON the check held to the spec is the JSON sent."""
    sent: list[httpx.Request] = []
    body = _request()
    batch_ship_packages.sync(client=wired_client("tiktok_shop", _answer(SHIPPED, sent)), body=body)
    assert body.conversions == 1
    assert json.loads(sent[0].content) == body.to_dict()


def test_get_kwargs_alone_still_converts_the_body() -> None:
    """Called without the check's conversion (as openapi-python-client's own code does), it converts."""
    kwargs = batch_ship_packages._get_kwargs(body=_request(), shop_cipher="C1")
    assert kwargs["json"] == {"packages": [{"id": "P1", "handover_method": "DROP_OFF"}]}


def test_the_transport_leaves_a_successful_answers_json_for_the_parser() -> None:
    """A success's JSON, decoded to classify it, stays on the response; a failure's does not."""
    for body, kept in ((SHIPPED, True), (FAILED, False)):
        transport = RetryingTransport("tiktok_shop", httpx.MockTransport(_answer(body, [])))
        with httpx.Client(transport=transport, base_url=BASE_URL) as client:
            response = client.post(SHIP_PATH, json={"packages": []})
        assert (ANSWER_JSON_EXTENSION in response.extensions) is kept
        if kept:
            assert response.extensions[ANSWER_JSON_EXTENSION] == body


def test_the_parser_reads_the_decoded_answer_it_is_given() -> None:
    """``answer_json`` returns the decoding its check left (the same object), else decodes the body."""
    response = httpx.Response(200, json=SHIPPED)
    assert checks.answer_json(response) == SHIPPED
    decoded = {"code": 0, "data": {"errors": []}}
    response.extensions[checks.ANSWER_JSON_EXTENSION] = decoded
    assert checks.answer_json(response) is decoded


def test_the_packages_own_answer_check_leaves_its_decoding() -> None:
    """Without shipspec's hooks (a bare generated client), the package's answer check leaves its decoding."""
    response = httpx.Response(200, json=SHIPPED)
    checks.check_answer(f"POST {SHIP_PATH}", response)
    assert response.extensions[checks.ANSWER_JSON_EXTENSION] == SHIPPED
