"""WeChat sandbox: validation answers, fault answers, persistence, determinism and shipspec's own client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from shipspec.carriers.wechat_shop import WeChatAuth, WeChatTokenManager
from shipspec.errors import AuthError, InvalidRequestError, QuotaError, RetryableError, TokenExpiredError
from shipspec_sandbox import FaultPlan, FaultRule
from shipspec_sandbox.faults import FaultKind
from shipspec_wechat_shop.api.wechat_shop import send_delivery
from shipspec_wechat_shop.client import Client
from shipspec_wechat_shop.models import SendDeliveryRequest

from .wechat_shop_support import (
    COMPANIES_PATH,
    RID,
    SEND_PATH,
    TIMEOUT,
    Running,
    classic_token,
    errcode,
    package,
    running,
    shipment,
    stable_token,
    typed,
)

SEND = "sendDelivery"


@pytest.fixture
def wx() -> Iterator[Running]:
    with running() as started:
        started.app.add_order(5, [(1, 11, 1), (2, 22, 2)])
        yield started


def only(kind: FaultKind, operation: str) -> FaultPlan:
    """A plan that always injects one fault kind into one WeChat operation."""
    return FaultPlan(seed=3, rules=(FaultRule(kind, 1.0, carrier="wechat_shop", operation=operation),))


@pytest.mark.parametrize(
    ("body", "code", "mentions"),
    [
        (b'{"order_id": "x", "delivery_list": []}', 109000, "order_id"),
        (
            b'{"order_id": 5, "delivery_list": [{"product_infos": [{"product_cnt": "2"}]}]}',
            109000,
            "product_cnt",
        ),
        (b'{"order_id": 5}', 109002, "delivery_list"),
        (b"{not json", 47001, "not JSON"),
    ],
)
def test_send_delivery_validation_answers(wx: Running, body: bytes, code: int, mentions: str) -> None:
    """Bodies that break the spec answer 109002 (no delivery_list) or 109000 naming the problem; 47001 when
    they are not JSON at all."""
    answer = wx.http.post(
        SEND_PATH,
        params={"access_token": wx.token()},
        content=body,
        headers={"content-type": "application/json"},
    )
    assert errcode(answer) == code
    assert mentions in answer.json()["errmsg"]
    assert isinstance(typed(SEND, answer), InvalidRequestError)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", None])
def test_a_json_body_ships_whatever_its_content_type(wx: Running, content_type: str | None) -> None:
    """WeChat specifies no request content type: the JSON body is read as JSON under any header."""
    body = b'{"order_id": 5, "delivery_list": [{"delivery_id": "SF", "waybill_id": "W"}]}'
    headers = {} if content_type is None else {"content-type": content_type}
    answer = wx.http.post(SEND_PATH, params={"access_token": wx.token()}, content=body, headers=headers)
    assert errcode(answer) == 0


@pytest.mark.parametrize("operation", ["getStableAccessToken", "getDeliveryCompanyList"])
def test_a_body_that_is_not_json_answers_47001(wx: Running, operation: str) -> None:
    """Bytes that do not parse as JSON answer WeChat's data-format code 47001 (kind invalid_request)."""
    path = "/cgi-bin/stable_token" if operation == "getStableAccessToken" else COMPANIES_PATH
    answer = wx.http.post(path, params={"access_token": wx.token()}, content=b"appid=wxsandbox")
    assert errcode(answer) == 47001
    assert isinstance(typed(operation, answer), InvalidRequestError)


def test_company_list_validation_answers_9401020(wx: Running) -> None:
    """A company-list body that is not an object answers 9401020 "parameter error"."""
    answer = wx.http.post(COMPANIES_PATH, params={"access_token": wx.token()}, json=[])
    assert errcode(answer) == 9401020
    assert answer.json()["errmsg"].startswith("parameter error")
    assert isinstance(typed("getDeliveryCompanyList", answer), InvalidRequestError)


def test_token_endpoint_validation_answers(wx: Running) -> None:
    """A bad grant_type answers 40002, a missing secret the bad-secret code."""
    bad_grant = wx.http.get(
        "/cgi-bin/token", params={"grant_type": "password", "appid": "wxsandbox", "secret": "x"}
    )
    assert errcode(bad_grant) == 40002
    assert "client_credential" in bad_grant.json()["errmsg"]
    assert isinstance(typed("getAccessToken", bad_grant), InvalidRequestError)
    stable_bad_grant = wx.http.post(
        "/cgi-bin/stable_token", json={"grant_type": "x", "appid": "wxsandbox", "secret": "sandbox-secret"}
    )
    assert errcode(stable_bad_grant) == 40002
    no_secret = wx.http.post(
        "/cgi-bin/stable_token", json={"grant_type": "client_credential", "appid": "wxsandbox"}
    )
    assert errcode(no_secret) == 40001
    assert isinstance(typed("getStableAccessToken", no_secret), AuthError)
    assert wx.app.token_requests() == 0  # refused before the token logic ran


def test_rate_limit_fault_is_errcode_45009_in_http_200() -> None:
    """The rate-limit fault answers like WeChat: HTTP 200, errcode 45009, no Retry-After, nothing shipped."""
    with running(faults=only("rate_limit", SEND)) as wx:
        wx.app.add_order(5, [(1, 11, 1)])
        answer = wx.send(shipment(5, package("W")))
        assert errcode(answer) == 45009
        assert "retry-after" not in answer.headers
        assert RID.search(answer.json()["errmsg"])
        error = typed(SEND, answer)
        assert isinstance(error, QuotaError)
        assert error.retry_after is None
        order = wx.app.order(5)
        assert order is not None
        assert order["state"] == "PAID"


def test_token_expiry_fault_answers_42001_and_expires_the_token() -> None:
    """The token-expiry fault answers 42001 and the token stays expired for every later call."""
    with running(faults=only("token_expiry", SEND)) as wx:
        wx.app.add_order(5, [(1, 11, 1)])
        token = wx.token()
        answer = wx.send(shipment(5, package("W")), token)
        assert errcode(answer) == 42001
        assert isinstance(typed(SEND, answer), TokenExpiredError)
        assert errcode(wx.http.post(COMPANIES_PATH, params={"access_token": token}, json={})) == 42001
        assert wx.token() != token  # normal mode replaces an expired stable token
        assert wx.sandboxes.ledger.entries() == []


def test_token_expiry_fault_on_a_token_endpoint_answers_minus_1() -> None:
    """Token endpoints take no token: under the token-expiry fault they answer -1 "system busy"."""
    with running(faults=only("token_expiry", "getAccessToken")) as wx:
        answer = classic_token(wx.http)
        assert errcode(answer) == -1
        assert isinstance(typed("getAccessToken", answer), RetryableError)


def test_state_survives_a_restart(tmp_path: Path) -> None:
    """With a database, apps, tokens, orders, counters and the ledger survive a restart."""
    db = tmp_path / "s.db"
    with running(db=db) as first:
        first.app.register_app("wxsandbox", "rotated-secret")
        first.app.add_order(5, [(1, 11, 1), (2, 22, 2)])
        token = stable_token(first.http, secret="rotated-secret").json()["access_token"]
        assert errcode(first.send(shipment(5, package("A", (1, 11, 1))), token)) == 0
    with running(db=db) as second:
        assert errcode(second.http.post(COMPANIES_PATH, params={"access_token": token}, json={})) == 0
        assert errcode(stable_token(second.http)) == 40001  # the rotated secret was kept
        order = second.app.order(5)
        assert order is not None
        assert order["state"] == "PARTIALLY_SHIPPED"
        assert errcode(second.send(shipment(5, package("A", (1, 11, 1))), token)) == 109000
        fresh = classic_token(second.http, secret="rotated-secret").json()["access_token"]
        assert fresh != token
        assert errcode(second.send(shipment(5, package("B")), fresh)) == 0
        assert [entry.key for entry in second.sandboxes.ledger.entries()] == ["5/A", "5/B"]


def test_tokens_and_rids_are_deterministic() -> None:
    """Two fresh sandboxes given the same calls answer with the same tokens and the same rids."""
    seen = []
    for _ in range(2):
        with running() as wx:
            token = wx.token()
            refused = wx.http.post(COMPANIES_PATH, params={"access_token": "nope"}, json={})
            seen.append((token, refused.json()["errmsg"]))
    assert seen[0] == seen[1]
    assert RID.search(seen[0][1])


def test_shipspec_auth_refreshes_an_expired_token_once(wx: Running) -> None:
    """shipspec's WeChatAuth gets a stable token, meets 42001, refreshes once and ships the order."""
    manager = WeChatTokenManager("wxsandbox", "sandbox-secret", base_url=wx.url, clock=wx.clock)
    client = Client(base_url=wx.url, timeout=TIMEOUT, httpx_args={"auth": WeChatAuth(manager)})
    wx.app.expire_token(manager.get_token())
    body = SendDeliveryRequest.from_dict(shipment(5, package("W")))
    answer = send_delivery.sync_detailed(client=client, body=body)
    assert answer.parsed is not None
    assert answer.parsed.errcode == 0
    assert wx.app.token_requests("getStableAccessToken") == 2
    assert [entry.key for entry in wx.sandboxes.ledger.entries()] == ["5/W"]
