"""The envelope hook with MockTransport: partial success, unknown codes and enums, and auth-flow deferral."""

from __future__ import annotations

from collections.abc import Generator

import httpx
import pytest
from shipspec.classify import classify
from shipspec.errors import ResponseDecodeError, TokenExpiredError, UnknownCarrierError
from shipspec.hooks import DEFERRED_KINDS_EXTENSION, raise_for_envelope
from shipspec.spec_tables import tables_for
from shipspec.transport import RetryingTransport

from tests.support.scripted_mock import Script, reply

TIKTOK = "https://open-api.tiktokglobalshop.com"
SHIP = "/fulfillment/202309/packages/ship"
WECHAT = "https://api.weixin.qq.com"
EXPIRED = {"errcode": 42001, "errmsg": "access_token expired rid: 1"}
SENT = {"errcode": 0, "errmsg": "ok"}


def hooked(carrier: str, base_url: str, script: Script, auth: httpx.Auth | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        transport=RetryingTransport(carrier, script.transport),
        event_hooks={"response": [raise_for_envelope]},
        auth=auth,
    )


def test_tiktok_partial_success_does_not_raise() -> None:
    """Code 0 with failed packages in data.errors passes the hook; the items are the caller's to read."""
    failed = {"code": 21011040, "message": "Package has shipped.", "detail": {"package_id": "P2"}}
    body = {"code": 0, "message": "Success", "request_id": "r", "data": {"errors": [failed]}}
    with hooked("tiktok_shop", TIKTOK, Script(reply(body))) as http:
        response = http.post(SHIP, json={"packages": []})
    assert response.json()["data"]["errors"][0]["detail"]["package_id"] == "P2"


def test_unknown_code_raises_unknown_with_the_raw_message() -> None:
    """An undocumented code raises UnknownCarrierError that keeps the carrier's own words."""
    body = {"code": 12345678, "message": "Brand new failure", "request_id": "r"}
    with (
        hooked("tiktok_shop", TIKTOK, Script(reply(body))) as http,
        pytest.raises(UnknownCarrierError) as caught,
    ):
        http.post(SHIP, json={})
    assert caught.value.message == "Brand new failure"


def test_unknown_enum_value_raises_a_decode_error() -> None:
    """A batch status the spec does not list raises ResponseDecodeError naming the value."""
    body = {"success": True, "data": {"id": "b-1", "status": "teleported"}}
    script = Script(reply(body))
    with (
        hooked("deftship", "https://api.deftship.com", script) as http,
        pytest.raises(ResponseDecodeError) as caught,
    ):
        http.get("/batches/b-1")
    assert "teleported" in str(caught.value)


def test_hook_without_a_shipspec_transport_says_how_to_wire_it() -> None:
    """Without the transport the hook cannot know the carrier, and says so instead of passing silently."""
    hooks = {"response": [raise_for_envelope]}
    transport = httpx.MockTransport(reply(SENT))
    with (
        httpx.Client(transport=transport, event_hooks=hooks) as http,
        pytest.raises(RuntimeError, match="Retrying"),
    ):
        http.get("https://api.weixin.qq.com/product/delivery/send")


class RefreshOnce(httpx.Auth):
    """A minimal token flow like the carriers' own: defer refresh_token on the first try, resend once."""

    requires_response_body = True

    def __init__(self, *, defer: bool) -> None:
        self.defer = defer
        self.refreshes = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.defer:
            request.extensions[DEFERRED_KINDS_EXTENSION] = ("refresh_token",)
        response = yield request
        error = classify(tables_for("wechat_shop"), "sendDelivery", 200, response.headers, response.content)
        if isinstance(error, TokenExpiredError):
            self.refreshes += 1
            request.extensions.pop(DEFERRED_KINDS_EXTENSION, None)
            yield request


def test_deferred_kind_reaches_the_auth_flow_which_resends() -> None:
    """With the extension set, an expired token reaches the auth flow; its resend's success is returned."""
    auth, script = RefreshOnce(defer=True), Script(reply(EXPIRED), reply(SENT))
    with hooked("wechat_shop", WECHAT, script, auth) as http:
        assert http.post("/product/delivery/send", json={}).json() == SENT
    assert (auth.refreshes, len(script.requests)) == (1, 2)


def test_the_resend_is_raised_when_it_fails_again() -> None:
    """The resend carries no extension, so a second expired-token answer raises TokenExpiredError."""
    auth, script = RefreshOnce(defer=True), Script(reply(EXPIRED))
    with hooked("wechat_shop", WECHAT, script, auth) as http, pytest.raises(TokenExpiredError):
        http.post("/product/delivery/send", json={})
    assert (auth.refreshes, len(script.requests)) == (1, 2)


def test_without_the_extension_the_hook_raises_before_the_auth_flow_sees_the_answer() -> None:
    """httpx runs response hooks before the auth flow: without deferral the refresh never happens."""
    auth, script = RefreshOnce(defer=False), Script(reply(EXPIRED), reply(SENT))
    with hooked("wechat_shop", WECHAT, script, auth) as http, pytest.raises(TokenExpiredError):
        http.post("/product/delivery/send", json={})
    assert (auth.refreshes, len(script.requests)) == (0, 1)
