"""WeChat sandbox: both token endpoints, their limits, and the token checks of business calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shipspec.errors import AuthError, InvalidRequestError, QuotaError, TokenExpiredError
from shipspec_sandbox.carriers.wechat_shop import DEFAULT_APPID
from shipspec_wechat_shop.api.wechat_shop import get_stable_access_token
from shipspec_wechat_shop.models import StableTokenRequest, StableTokenRequestGrantType

from .wechat_shop_support import (
    COMPANIES_PATH,
    RID,
    Running,
    TokenCall,
    classic_token,
    documented_message,
    errcode,
    running,
    stable_token,
    typed,
)

CLASSIC, STABLE = "getAccessToken", "getStableAccessToken"


@pytest.fixture
def wx() -> Iterator[Running]:
    with running() as started:
        yield started


def companies(wx: Running, token: str | None) -> int:
    """Call the company list with ``token`` (None: no access_token at all) and return the errcode."""
    params = {} if token is None else {"access_token": token}
    return errcode(wx.http.post(COMPANIES_PATH, params=params, json={}))


def test_generated_client_gets_a_stable_token(wx: Running) -> None:
    """The generated client parses the stable_token answer: a token and expires_in 7200."""
    body = StableTokenRequest(
        grant_type=StableTokenRequestGrantType.CLIENT_CREDENTIAL, appid=DEFAULT_APPID, secret="sandbox-secret"
    )
    parsed = get_stable_access_token.sync(client=wx.generated(""), body=body)
    assert parsed is not None
    assert isinstance(parsed.access_token, str)
    assert parsed.expires_in == 7200
    assert companies(wx, parsed.access_token) == 0


def test_stable_token_is_reused_until_it_nears_expiry(wx: Running) -> None:
    """Normal mode returns the same token with its remaining lifetime, then a new one 5 minutes early."""
    first = stable_token(wx.http).json()
    wx.clock.advance(1000)
    again = stable_token(wx.http).json()
    assert again == {"access_token": first["access_token"], "expires_in": 6200}
    wx.clock.advance(6200 - 300)  # 300 s left: the platform rotates now
    rotated = stable_token(wx.http).json()
    assert rotated["access_token"] != first["access_token"]
    assert rotated["expires_in"] == 7200
    assert companies(wx, first["access_token"]) == 0  # the old one lives out its own lifetime
    wx.clock.advance(300)
    assert companies(wx, first["access_token"]) == 42001
    assert companies(wx, rotated["access_token"]) == 0


def test_force_refresh_invalidates_the_current_stable_token_at_once(wx: Running) -> None:
    """force_refresh issues a new token and the previous one answers 40001 immediately."""
    old = wx.token()
    new = stable_token(wx.http, force_refresh=True).json()["access_token"]
    assert new != old
    assert companies(wx, old) == 40001
    assert companies(wx, new) == 0


def test_force_refresh_needs_30_seconds_spacing(wx: Running) -> None:
    """A second force_refresh within 30 s answers 45009 and keeps the current token; at 30 s it works."""
    current = stable_token(wx.http, force_refresh=True).json()["access_token"]
    wx.clock.advance(29)
    refused = stable_token(wx.http, force_refresh=True)
    assert errcode(refused) == 45009
    assert isinstance(typed(STABLE, refused), QuotaError)
    assert companies(wx, current) == 0
    wx.clock.advance(1)
    assert stable_token(wx.http, force_refresh=True).json()["access_token"] != current


def test_force_refresh_is_limited_to_20_a_day(wx: Running) -> None:
    """The 21st force_refresh of a China-time day answers 45009; the next day it works again."""
    for _ in range(20):
        assert "access_token" in stable_token(wx.http, force_refresh=True).json()
        wx.clock.advance(31)
    refused = stable_token(wx.http, force_refresh=True)
    assert errcode(refused) == 45009
    assert "20" in refused.json()["errmsg"]
    wx.clock.advance(86400)
    assert "access_token" in stable_token(wx.http, force_refresh=True).json()


def test_classic_token_overlaps_its_successor_for_5_minutes(wx: Running) -> None:
    """A new classic token leaves the previous one working for 300 s, then it answers 40001."""
    old = classic_token(wx.http).json()
    new = classic_token(wx.http).json()
    assert old["access_token"] != new["access_token"]
    assert new["expires_in"] == 7200
    wx.clock.advance(299)
    assert companies(wx, old["access_token"]) == 0
    wx.clock.advance(1)
    answer = wx.http.post(COMPANIES_PATH, params={"access_token": old["access_token"]}, json={})
    assert errcode(answer) == 40001
    assert isinstance(typed("getDeliveryCompanyList", answer), TokenExpiredError)
    assert companies(wx, new["access_token"]) == 0


def test_classic_and_stable_tokens_do_not_invalidate_each_other(wx: Running) -> None:
    """Classic calls leave the stable token alone and a stable force_refresh leaves the classic one."""
    stable = wx.token()
    classic_token(wx.http)
    classic_token(wx.http)
    wx.clock.advance(600)
    assert companies(wx, stable) == 0
    classic = classic_token(wx.http).json()["access_token"]
    stable_token(wx.http, force_refresh=True)
    assert companies(wx, classic) == 0


@pytest.mark.parametrize("endpoint", [classic_token, stable_token])
def test_unknown_appid_answers_40013(wx: Running, endpoint: TokenCall) -> None:
    """Both token endpoints answer 40013 (kind auth) for an appid that is not registered."""
    answer = endpoint(wx.http, appid="wxnobody")
    assert errcode(answer) == 40013
    assert answer.json()["errmsg"].startswith(documented_message(CLASSIC, 40013))
    assert isinstance(typed(CLASSIC, answer), AuthError)


@pytest.mark.parametrize("code", [40001, 40125])
@pytest.mark.parametrize(("endpoint", "operation_id"), [(classic_token, CLASSIC), (stable_token, STABLE)])
def test_wrong_secret_answers_the_chosen_code(code: int, endpoint: TokenCall, operation_id: str) -> None:
    """A wrong secret answers 40001 (official) or, switched, 40125; both are kind auth on token endpoints."""
    with running(bad_secret_code=code) as wx:
        answer = endpoint(wx.http, secret="wrong")
        assert errcode(answer) == code
        assert RID.search(answer.json()["errmsg"])
        assert isinstance(typed(operation_id, answer), AuthError)


def test_business_call_without_token_answers_41001(wx: Running) -> None:
    """No access_token (or an empty one) answers 41001, kind invalid_request."""
    assert companies(wx, None) == 41001
    answer = wx.http.post(COMPANIES_PATH, params={"access_token": ""}, json={})
    assert errcode(answer) == 41001
    assert isinstance(typed("getDeliveryCompanyList", answer), InvalidRequestError)


def test_token_longer_than_512_characters_answers_minus_2(wx: Running) -> None:
    """A token longer than the 512 characters WeChat tells callers to reserve is "Token too long"."""
    assert companies(wx, "x" * 512) == 40001
    answer = wx.http.post(COMPANIES_PATH, params={"access_token": "x" * 513}, json={})
    assert errcode(answer) == -2
    assert answer.json()["errmsg"].startswith("token too long")


@pytest.mark.parametrize("code", [40001, 40014])
def test_unknown_token_answers_the_chosen_code(code: int) -> None:
    """A token never issued answers 40001 (official), or 40014 when switched; both mean refresh."""
    with running(unknown_token_code=code) as wx:
        answer = wx.http.post(COMPANIES_PATH, params={"access_token": "never-issued"}, json={})
        assert errcode(answer) == code
        assert isinstance(typed("getDeliveryCompanyList", answer), TokenExpiredError)


def test_expired_token_answers_42001(wx: Running) -> None:
    """A token past its 7200 s (or expired by the test helper) answers 42001."""
    token = wx.token()
    wx.clock.advance(7199)
    assert companies(wx, token) == 0
    wx.clock.advance(1)
    assert companies(wx, token) == 42001
    other = wx.app.issue_token(stable=False)
    wx.app.expire_token(other)
    assert companies(wx, other) == 42001


def test_app_without_shop_permission_answers_48001(wx: Running) -> None:
    """An app without the shop API permission gets 48001 where the operation documents it."""
    wx.app.register_app("wxnoshop", "s3cret", shop_api=False)
    token = stable_token(wx.http, appid="wxnoshop", secret="s3cret").json()["access_token"]
    answer = wx.send({"order_id": 1, "delivery_list": []}, token)
    assert errcode(answer) == 48001
    assert isinstance(typed("sendDelivery", answer), AuthError)


def test_token_requests_are_counted_per_endpoint_and_app(wx: Running) -> None:
    """token_requests counts every call that reached a token endpoint, refused or not."""
    stable_token(wx.http)
    stable_token(wx.http)
    classic_token(wx.http)
    classic_token(wx.http, appid="wxnobody")
    assert wx.app.token_requests() == 4
    assert wx.app.token_requests(STABLE) == 2
    assert wx.app.token_requests(CLASSIC, DEFAULT_APPID) == 1
    assert wx.app.token_requests(CLASSIC, "wxnobody") == 1
