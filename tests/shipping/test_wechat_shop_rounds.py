"""WeChatShipper's resend rounds with scripted answers (httpx.MockTransport): when to resend, when to stop."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from shipspec.carriers.wechat_shop.shipper import WeChatShipper
from shipspec.settings import instant_backoff
from shipspec.wiring import wire
from shipspec_wechat_shop import Client

from .support_wechat_shop import shipment

URL = "https://wechat.test"
Answer = Callable[[], httpx.Response]


@pytest.fixture(autouse=True)
def _instant() -> Iterator[None]:
    with instant_backoff():
        yield


def _code(errcode: int, errmsg: str = "msg rid: 1a2b-3c4d-5e6f") -> Answer:
    return lambda: httpx.Response(200, json={"errcode": errcode, "errmsg": errmsg})


def _lost() -> httpx.Response:
    raise httpx.ReadTimeout("no answer")


class Script:
    """Answers in order (the last one repeats) and records every request body."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer()

    def shipper(self, batch_size: int = 1) -> WeChatShipper:
        generated = Client(base_url=URL)
        wire(generated, carrier="wechat_shop", base_url=URL, auth=None, transport=httpx.MockTransport(self))
        return WeChatShipper(generated, batch_size=batch_size)


def _statuses(script: Script, *shipments: Any) -> list[tuple[str, str | None, str | None]]:
    results = script.shipper().ship_batch(list(shipments) or [shipment("R1", 42, "W1")])
    return [(r.status, r.error.code if r.error else None, r.error.kind if r.error else None) for r in results]


def test_success_sends_the_mapped_body_once() -> None:
    """errcode 0 after one call; the body is the mapping's."""
    script = Script(_code(0, "ok"))
    assert _statuses(script) == [("shipped", None, None)]
    assert script.bodies == [
        {"order_id": 42, "delivery_list": [{"delivery_id": "SF", "waybill_id": "W1", "is_all_product": True}]}
    ]


def test_the_docs_trailing_comma_success_is_shipped_without_a_resend() -> None:
    """`{"errcode": 0, "errmsg": "ok",}` counts as success: one call, shipped."""
    script = Script(lambda: httpx.Response(200, content=b'{"errcode": 0, "errmsg": "ok",}'))
    assert _statuses(script) == [("shipped", None, None)]
    assert len(script.bodies) == 1


def test_a_lost_answer_then_109001_is_already_shipped() -> None:
    """The resend's 109001 turns the lost call into already_shipped."""
    assert _statuses(Script(_lost, _code(109001))) == [("already_shipped", None, None)]


def test_a_lost_answer_then_109000_is_pending() -> None:
    """109000 after a lost answer may be about our own shipped items: pending, not failed."""
    assert _statuses(Script(_lost, _code(109000))) == [("pending", None, "retry")]


def test_a_lost_answer_then_100002_stays_failed() -> None:
    """An order that does not exist cannot have been shipped by the lost call: failed, not_found."""
    assert _statuses(Script(_lost, _code(100002))) == [("failed", "100002", "not_found")]


def test_rounds_are_bounded() -> None:
    """Lost answers every time: five calls, then pending."""
    script = Script(_lost)
    assert _statuses(script) == [("pending", None, "retry")]
    assert len(script.bodies) == 5


def test_a_daily_quota_is_not_resent() -> None:
    """45009 (no Retry-After, daily) fails with kind quota after one call; the rid becomes request_id."""
    script = Script(_code(45009, "reach max api daily quota limit rid: 64a1-77ff-0c3e"))
    results = script.shipper().ship_batch([shipment("R1", 42, "W1")])
    assert results[0].error is not None
    assert (results[0].error.kind, results[0].error.request_id) == ("quota", "64a1-77ff-0c3e")
    assert len(script.bodies) == 1


def test_one_call_per_order_and_results_in_input_order() -> None:
    """Two orders and a bad shipment in one batch: two calls, three results in input order."""
    script = Script(_code(0, "ok"))
    batch = [shipment("A", 1, "W1"), shipment("bad", None, "W0"), shipment("B", 2, "W2")]
    results = script.shipper(batch_size=3).ship_batch(batch)
    assert [(r.reference, r.status) for r in results] == [
        ("A", "shipped"),
        ("bad", "failed"),
        ("B", "shipped"),
    ]
    assert [body["order_id"] for body in script.bodies] == [1, 2]
