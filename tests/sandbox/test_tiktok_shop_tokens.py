"""TikTok Shop sandbox tokens: auth codes (once, 30 min), refresh, expiry, shipspec's own client on top."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from shipspec.carriers.tiktok_shop import TikTokAuth, TikTokTokens, package_outcomes
from shipspec.hooks import raise_for_envelope
from shipspec.tokens import MemoryTokenStore
from shipspec.transport import RetryingTransport
from shipspec_tiktok_shop import AuthenticatedClient
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import AccessTokenResponse, BatchShipPackagesRequest

from .tiktok_shop_helpers import (
    APP_KEY,
    APP_SECRET,
    SHOP,
    T0,
    TIMEOUT,
    Env,
    documented,
    envelope,
    get_token,
    kind_of,
    sandbox_env,
    ship,
)

WEEK = 7 * 24 * 3600
YEAR = 365 * 24 * 3600


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox_env() as running:
        running.app.add_package("P1")
        running.app.add_package("P2")
        yield running


def _get(env: Env, code: str, **overrides: str) -> httpx.Response:
    params = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": code,
        "grant_type": "authorized_code",
    }
    return httpx.get(env.url + "/api/v2/token/get", params=params | overrides, timeout=TIMEOUT)


def _refresh(env: Env, refresh_token: str, **overrides: str) -> httpx.Response:
    params = {"app_key": APP_KEY, "app_secret": APP_SECRET, "refresh_token": refresh_token}
    params |= {"grant_type": "refresh_token"} | overrides
    return httpx.get(env.url + "/api/v2/token/refresh", params=params, timeout=TIMEOUT)


def _data(response: httpx.Response) -> dict[str, Any]:
    parsed = AccessTokenResponse.from_dict(envelope(response))  # the generated model reads it
    assert parsed.code == 0, envelope(response)
    data = envelope(response)["data"]
    assert isinstance(data, dict)
    return data


def test_get_token_answers_absolute_expiry_timestamps(env: Env) -> None:
    """getAccessToken answers absolute expiry times: now + 7 days and now + the authorization period."""
    data = _data(_get(env, env.app.mint_auth_code()))
    assert data["access_token_expire_in"] == T0 + WEEK
    assert data["refresh_token_expire_in"] == T0 + YEAR
    assert data["user_type"] == 0
    assert data["access_token"] != data["refresh_token"]


def test_auth_code_works_once(env: Env) -> None:
    """A second exchange of the same auth_code is refused with 36004004."""
    code = env.app.mint_auth_code()
    _data(_get(env, code))
    again = _get(env, code)
    assert envelope(again)["code"] == 36004004
    assert envelope(again)["message"] == documented(36004004, "getAccessToken")
    assert kind_of(again, "getAccessToken") == "auth"


@pytest.mark.parametrize(("age", "accepted"), [(1799, True), (1800, False)])
def test_auth_code_expires_after_30_minutes(env: Env, age: int, accepted: bool) -> None:
    """An auth_code exchanged 1799 s after minting works; at 1800 s it has expired (36004004)."""
    code = env.app.mint_auth_code()
    env.clock.now += age
    assert envelope(_get(env, code))["code"] == (0 if accepted else 36004004)


def test_auth_code_of_another_app_gets_36004004(env: Env) -> None:
    """A code minted for one app cannot be exchanged with another app's credentials."""
    env.app.register_app("app-b", "secret-b", [SHOP])
    code = env.app.mint_auth_code("app-b")
    assert envelope(_get(env, code))["code"] == 36004004


@pytest.mark.parametrize(
    "overrides",
    [{"app_secret": "wrong"}, {"app_key": "unknown-app"}],
    ids=["wrong-secret", "unknown-app"],
)
def test_bad_app_credentials_get_36009004_and_keep_the_code(env: Env, overrides: dict[str, str]) -> None:
    """Wrong app credentials are an app_key problem (auth) and do not spend the auth_code."""
    code = env.app.mint_auth_code()
    refused = _get(env, code, **overrides)
    assert envelope(refused)["code"] == 36009004
    assert "app_key" in envelope(refused)["message"]
    assert kind_of(refused, "getAccessToken") == "auth"
    _data(_get(env, code))


@pytest.mark.parametrize("overrides", [{"grant_type": "authorization_code"}, {"auth_code": ""}])
def test_token_request_breaking_the_spec_gets_36009004(env: Env, overrides: dict[str, str]) -> None:
    """A wrong grant_type or an empty auth_code fails spec validation with 36009004 naming the parameter."""
    refused = _get(env, env.app.mint_auth_code(), **overrides)
    assert envelope(refused)["code"] == 36009004
    assert next(iter(overrides)) in envelope(refused)["message"]
    assert kind_of(refused, "getAccessToken") == "invalid_request"


def test_refresh_gives_a_new_access_token_and_old_ones_stay_valid(env: Env) -> None:
    """refreshAccessToken issues a new 7-day token, keeps the refresh token, and the old token still works."""
    first = _data(_get(env, env.app.mint_auth_code()))
    env.clock.now += 3600
    second = _data(_refresh(env, first["refresh_token"]))
    assert second["access_token"] != first["access_token"]
    assert second["access_token_expire_in"] == T0 + 3600 + WEEK
    assert second["refresh_token"] == first["refresh_token"]
    assert second["refresh_token_expire_in"] == first["refresh_token_expire_in"]
    assert envelope(ship(env, first["access_token"], [{"id": "P1"}]))["code"] == 0
    assert envelope(ship(env, second["access_token"], [{"id": "P2"}]))["code"] == 0


@pytest.mark.parametrize("case", ["unknown", "expired", "other-app"])
def test_unusable_refresh_token_gets_36009004(env: Env, case: str) -> None:
    """An unknown, expired or foreign refresh token is refused with 36009004 naming refresh_token."""
    env.app.register_app("app-b", "secret-b", [SHOP])
    code = env.app.mint_auth_code(authorization_seconds=100)
    refresh_token = _data(_get(env, code))["refresh_token"]
    overrides = {"app_key": "app-b", "app_secret": "secret-b"} if case == "other-app" else {}
    if case == "expired":
        env.clock.now += 100
    refused = _refresh(env, "SBX_rt_99999999" if case == "unknown" else refresh_token, **overrides)
    assert envelope(refused)["code"] == 36009004
    assert "refresh_token" in envelope(refused)["message"]


@pytest.mark.parametrize(("age", "expired"), [(WEEK - 1, False), (WEEK, True)])
def test_access_token_expires_after_7_days_with_105002(env: Env, age: int, expired: bool) -> None:
    """A token is accepted up to its absolute expiry and answered 105002 from that second on."""
    token = get_token(env)
    env.clock.now += age
    response = ship(env, token, [{"id": "P1"}])
    assert envelope(response)["code"] == (105002 if expired else 0)
    if expired:
        assert envelope(response)["message"] == documented(105002)
        assert kind_of(response) == "refresh_token"
        assert env.ledger.entries() == []


def test_token_of_another_app_is_unknown(env: Env) -> None:
    """A token issued to another app is an invalid access_token for this app_key (36009004)."""
    env.app.register_app("app-b", "secret-b", [SHOP])
    code = env.app.mint_auth_code("app-b")
    token = _data(_get(env, code, app_key="app-b", app_secret="secret-b"))["access_token"]
    response = ship(env, token, [{"id": "P1"}])
    assert envelope(response)["code"] == 36009004
    assert "access_token" in envelope(response)["message"]


def _shipspec_client(env: Env, tokens: TikTokTokens) -> AuthenticatedClient:
    """The client a carrier entry point builds: TikTokAuth, retrying transport, typed-error hook."""
    httpx_args: dict[str, Any] = {
        "auth": TikTokAuth(tokens, shop_cipher=SHOP, clock=env.clock),
        "transport": RetryingTransport("tiktok_shop"),
        "event_hooks": {"response": [raise_for_envelope]},
    }
    return AuthenticatedClient(base_url=env.url, token="", prefix="", timeout=TIMEOUT, httpx_args=httpx_args)


@pytest.mark.parametrize("proactive", [True, False], ids=["refresh-before", "refresh-on-105002"])
def test_shipspec_client_refreshes_and_ships_through_the_sandbox(env: Env, proactive: bool) -> None:
    """shipspec's own stack exchanges a code, refreshes a week-old token (early or on 105002), ships once."""
    frozen = float(T0)
    token_clock = env.clock if proactive else (lambda: frozen)  # a lagging clock believes the token fresh
    tokens = TikTokTokens(
        app_key=APP_KEY,
        app_secret=APP_SECRET,
        store=MemoryTokenStore(),
        auth_base_url=env.url,
        clock=token_clock,
    )
    first = tokens.exchange_auth_code(env.app.mint_auth_code())
    env.clock.now += WEEK
    body = BatchShipPackagesRequest.from_dict({"packages": [{"id": "P1"}, {"id": "P2"}]})
    with _shipspec_client(env, tokens) as client:
        response = batch_ship_packages.sync_detailed(client=client, body=body, shop_cipher=SHOP)
    outcomes = package_outcomes(["P1", "P2"], response.content)
    assert [outcome.status for outcome in outcomes] == ["shipped", "shipped"]
    assert tokens.current().access_token != first.access_token
    assert [entry.key for entry in env.ledger.entries()] == ["P1", "P2"]
