"""TikTokShipper's resend rounds with scripted answers (httpx.MockTransport): when to resend, when to stop."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from shipspec.carriers.tiktok_shop.shipper import TikTokShipper
from shipspec.settings import instant_backoff
from shipspec.wiring import wire
from shipspec_tiktok_shop import AuthenticatedClient

from .support_tiktok_shop import shipment

URL = "https://tiktok.test"
Answer = Callable[[list[str]], httpx.Response]


@pytest.fixture(autouse=True)
def _instant() -> Iterator[None]:
    with instant_backoff():
        yield


def _ok(*errors: tuple[str, int]) -> Answer:
    listed = [{"code": code, "message": f"code {code}", "detail": {"package_id": p}} for p, code in errors]
    body = {"code": 0, "message": "Success", "request_id": "RID", "data": {"errors": listed}}
    return lambda ids: httpx.Response(200, json=body)


def _lost(ids: list[str]) -> httpx.Response:
    raise httpx.ReadTimeout("no answer")


def _refused(ids: list[str]) -> httpx.Response:
    return httpx.Response(401, json={"code": 106001, "message": "Invalid credentials.", "request_id": "RID"})


class Script:
    """Answers in order (the last one repeats) and records the package ids of every request."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.sent: list[list[str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        ids = [package["id"] for package in json.loads(request.content)["packages"]]
        self.sent.append(ids)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(ids)

    def shipper(self) -> TikTokShipper:
        generated = AuthenticatedClient(base_url=URL, token="unused")
        wire(generated, carrier="tiktok_shop", base_url=URL, auth=None, transport=httpx.MockTransport(self))
        return TikTokShipper(generated, shop_cipher="SHOP")


BATCH = [shipment("R1", "P1"), shipment("R2", "P2")]


def test_a_package_failed_with_a_retry_code_alone_is_sent_again() -> None:
    """21001002 (system timeout) on P1: the next round sends only P1, which then ships."""
    script = Script(_ok(("P1", 21001002)), _ok())
    results = script.shipper().ship_batch(BATCH)
    assert [r.status for r in results] == ["shipped", "shipped"]
    assert script.sent == [["P1", "P2"], ["P1"]]


def test_a_lost_answer_then_a_refusal_is_pending_not_failed() -> None:
    """After a lost answer, a refused resend says nothing about the packages: pending."""
    script = Script(_lost, _refused)
    results = script.shipper().ship_batch(BATCH)
    assert [r.status for r in results] == ["pending", "pending"]
    assert results[0].error is not None
    assert results[0].error.code is None  # the refusal is not this package's answer
    assert "Invalid credentials." in results[0].error.message
    assert len(script.sent) == 2


def test_a_refusal_without_earlier_doubt_fails_at_once() -> None:
    """A first-call refusal is final: failed with the envelope's code, kind and request id, one call."""
    script = Script(_refused)
    results = script.shipper().ship_batch(BATCH)
    assert [(r.status, r.error.code, r.error.kind, r.error.request_id) for r in results if r.error] == [
        ("failed", "106001", "auth", "RID"),
        ("failed", "106001", "auth", "RID"),
    ]
    assert len(script.sent) == 1


def test_rounds_are_bounded_and_end_pending_when_doubt_remains() -> None:
    """Answers lost every time: five rounds, then pending (never an endless resend)."""
    script = Script(_lost)
    results = script.shipper().ship_batch(BATCH)
    assert [r.status for r in results] == ["pending", "pending"]
    assert len(script.sent) == 5


def test_a_lost_answer_then_21011040_is_already_shipped() -> None:
    """The resend's 21011040 for both packages turns the lost call into already_shipped."""
    script = Script(_lost, _ok(("P1", 21011040), ("P2", 21011040)))
    results = script.shipper().ship_batch(BATCH)
    assert [(r.status, r.carrier_shipment_id) for r in results] == [
        ("already_shipped", "P1"),
        ("already_shipped", "P2"),
    ]


def test_a_broken_answer_is_treated_as_lost() -> None:
    """An HTML page with HTTP 200 is no answer: resent, then settled by the real answer."""
    page = httpx.Response(200, text="<html>proxy</html>", headers={"content-type": "text/html"})
    script = Script(lambda ids: page, _ok(("P2", 21011040)))
    results = script.shipper().ship_batch(BATCH)
    assert [r.status for r in results] == ["shipped", "already_shipped"]


def test_an_error_for_an_unrequested_package_is_not_read_as_success() -> None:
    """data.errors naming a package not in the request cannot be trusted: resent until a clean answer."""
    script = Script(_ok(("P9", 21011001)), _ok())
    results = script.shipper().ship_batch(BATCH)
    assert [r.status for r in results] == ["shipped", "shipped"]
    assert len(script.sent) == 2


def test_a_long_quota_stops_without_resending() -> None:
    """36009037 (test-shop hourly quota, no Retry-After) fails with kind quota after one call."""
    body = {"code": 36009037, "message": "Too many requests for test shop.", "request_id": "RID"}
    script = Script(lambda ids: httpx.Response(200, json=body))
    results = script.shipper().ship_batch(BATCH)
    assert {(r.status, r.error.kind) for r in results if r.error} == {("failed", "quota")}
    assert len(script.sent) == 1
