"""TikTok Shop sandbox gateway: independent signature check, timestamp window, app_key, shop_cipher, token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from shipspec_sandbox.carriers.tiktok_shop_auth import expected_sign
from shipspec_sandbox.validation import load_packaged_spec

from .tiktok_shop_helpers import (
    APP_KEY,
    APP_SECRET,
    SHIP_PATH,
    SHOP,
    T0,
    TIMEOUT,
    Env,
    documented,
    envelope,
    get_token,
    hand_sign,
    kind_of,
    sandbox_env,
    ship,
    signed_post,
)

BODY = b'{"packages":[{"id":"P1"}]}'
SPEC_AUTH: dict[str, Any] = load_packaged_spec("tiktok_shop")["x-auth"]
VECTOR_B = next(vector for vector in SPEC_AUTH["test_vectors"] if vector["id"] == "B")


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox_env() as running:
        running.app.add_package("P1")
        yield running


@pytest.fixture
def token(env: Env) -> str:
    return get_token(env)


def _assert_rejected(response: httpx.Response, code: int, kind: str, keyword: str | None = None) -> None:
    body = envelope(response)
    assert body["code"] == code
    assert body["data"] is None
    if keyword is None:
        assert body["message"] == documented(code)
    else:
        assert keyword in body["message"]
    assert kind_of(response) == kind


def test_generated_client_with_hand_computed_signature_ships(env: Env, token: str) -> None:
    """A request signed by hand and sent through the generated client verifies and ships the package."""
    response = ship(env, token, [{"id": "P1", "handover_method": "DROP_OFF"}])
    assert response.status_code == 200
    assert envelope(response)["code"] == 0
    assert envelope(response)["data"] == {"errors": []}
    assert (env.app.package("P1") or {})["state"] == "SHIPPED"


def test_untampered_hand_signed_post_ships(env: Env, token: str) -> None:
    """The raw request the tamper tests start from is accepted as it is."""
    response = signed_post(env, token, BODY)
    assert envelope(response)["code"] == 0
    assert len(env.ledger.entries()) == 1


@pytest.mark.parametrize(
    ("tamper", "tamper_body"),
    [
        ({}, BODY.replace(b"P1", b"P2")),
        ({}, BODY + b" "),
        ({"timestamp": str(T0 - 1)}, None),
        ({"extra": "1"}, None),
        (
            {
                "sign": hand_sign(
                    SHIP_PATH, {"app_key": APP_KEY, "shop_cipher": SHOP, "timestamp": str(T0)}, BODY, "x"
                )
            },
            None,
        ),
    ],
    ids=["body-changed", "body-whitespace", "timestamp-changed", "param-added", "other-secret"],
)
def test_tampered_request_gets_106001_with_http_401(
    env: Env, token: str, tamper: dict[str, str], tamper_body: bytes | None
) -> None:
    """A request changed after signing is refused with HTTP 401 and 106001, and nothing ships."""
    response = signed_post(env, token, BODY, tamper=tamper, tamper_body=tamper_body)
    assert response.status_code == 401
    _assert_rejected(response, 106001, "auth")
    assert env.ledger.entries() == []


def test_access_token_and_sign_query_keys_are_not_signed(env: Env, token: str) -> None:
    """A legacy access_token query parameter added after signing does not break the signature."""
    response = signed_post(env, token, BODY, tamper={"access_token": "anything"})
    assert envelope(response)["code"] == 0


@pytest.mark.parametrize("vector", SPEC_AUTH["test_vectors"], ids=lambda vector: vector["id"])
def test_sandbox_signer_reproduces_the_published_vectors(vector: dict[str, Any]) -> None:
    """The sandbox's own signer gives the digests of the spec's golden vectors."""
    body = (vector["body"] or "").encode()
    query = list(vector["query"].items())
    signed = expected_sign(vector["path"], query, vector["content_type"] or "", body, vector["app_secret"])
    assert signed == vector["expected_sign"]


@pytest.mark.parametrize(
    ("extra_query", "content_type", "body"),
    [
        ([("access_token", "X"), ("sign", "Y")], "", b""),
        ([], "multipart/form-data; boundary=x", b"--x\r\nanything\r\n--x--"),
        ([], "Multipart/Form-Data", b"anything"),
    ],
    ids=["excluded-keys", "multipart-boundary", "multipart-case"],
)
def test_sandbox_signer_property_checks(
    extra_query: list[tuple[str, str]], content_type: str, body: bytes
) -> None:
    """Excluded query keys and multipart bodies leave vector B's digest unchanged."""
    query = [*VECTOR_B["query"].items(), *extra_query]
    signed = expected_sign(VECTOR_B["path"], query, content_type, body, VECTOR_B["app_secret"])
    assert signed == VECTOR_B["expected_sign"]


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-300, True), (-301, False), (30, True), (31, False), (0, True)],
)
def test_timestamp_window_edges(env: Env, token: str, offset: int, accepted: bool) -> None:
    """Timestamps from 300 s before to 30 s after server time pass; one second beyond either edge fails."""
    response = signed_post(env, token, BODY, query={"timestamp": str(T0 + offset)})
    if accepted:
        assert envelope(response)["code"] == 0
    else:
        _assert_rejected(response, 36009004, "invalid_request", "timestamp")
        assert env.ledger.entries() == []


@pytest.mark.parametrize(
    "timestamp", [None, "abc", "-5", str(T0 * 1000)], ids=["missing", "text", "neg", "ms"]
)
def test_bad_timestamps_get_36009004_with_a_timestamp_message(
    env: Env, token: str, timestamp: str | None
) -> None:
    """A missing, non-numeric, negative or millisecond timestamp is a timestamp validation failure."""
    _assert_rejected(
        signed_post(env, token, BODY, query={"timestamp": timestamp}),
        36009004,
        "invalid_request",
        "timestamp",
    )


@pytest.mark.parametrize("app_key", [None, "unknown-app"], ids=["missing", "unknown"])
def test_missing_or_unknown_app_key_gets_36009004_with_an_app_key_message(
    env: Env, token: str, app_key: str | None
) -> None:
    """A request without a known app_key is refused with an app_key message (an auth problem)."""
    _assert_rejected(signed_post(env, token, BODY, query={"app_key": app_key}), 36009004, "auth", "app_key")


def test_missing_sign_gets_36009004(env: Env, token: str) -> None:
    """A request without a sign is a validation failure naming sign."""
    _assert_rejected(signed_post(env, token, BODY, tamper={"sign": ""}), 36009004, "auth", "sign")


def test_missing_shop_cipher_on_ship_gets_106013(env: Env, token: str) -> None:
    """Batch Ship Packages without shop_cipher is refused with 106013."""
    _assert_rejected(signed_post(env, token, BODY, query={"shop_cipher": None}), 106013, "invalid_request")


def test_unknown_shop_cipher_gets_36009004(env: Env, token: str) -> None:
    """A shop_cipher the app is not authorized for is a shop_cipher validation failure."""
    response = signed_post(env, token, BODY, query={"shop_cipher": "NO_SUCH_SHOP"})
    _assert_rejected(response, 36009004, "invalid_request", "shop_cipher")


def test_token_for_another_shop_gets_101000(env: Env) -> None:
    """A token whose authorization does not cover the requested shop is refused with 101000."""
    env.app.register_shop("SHOP_B")
    token = get_token(env, shops=[SHOP])
    _assert_rejected(signed_post(env, token, BODY, query={"shop_cipher": "SHOP_B"}), 101000, "auth")


def test_shop_cipher_on_an_endpoint_that_does_not_take_it_gets_36009004(env: Env) -> None:
    """shop_cipher on getAccessToken is an unexpected identifier, and the auth code is not spent."""
    code = env.app.mint_auth_code()
    params = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": code,
        "grant_type": "authorized_code",
    }
    refused = httpx.get(env.url + "/api/v2/token/get", params=params | {"shop_cipher": SHOP}, timeout=TIMEOUT)
    assert envelope(refused)["code"] == 36009004
    assert "Unexpected identifier" in envelope(refused)["message"]
    assert kind_of(refused, "getAccessToken") == "invalid_request"
    accepted = httpx.get(env.url + "/api/v2/token/get", params=params, timeout=TIMEOUT)
    assert envelope(accepted)["code"] == 0


@pytest.mark.parametrize(
    ("header", "keyword"),
    [(None, "x-tts-access-token"), ("SBX_at_99999999", "access_token")],
    ids=["missing", "unknown"],
)
def test_missing_or_unknown_access_token_gets_36009004(env: Env, header: str | None, keyword: str) -> None:
    """A request without a known token is refused with an access-token message (worth one refresh)."""
    params = {"app_key": APP_KEY, "timestamp": str(T0), "shop_cipher": SHOP}
    params["sign"] = hand_sign(SHIP_PATH, params, BODY)
    headers = {"content-type": "application/json"} | ({"x-tts-access-token": header} if header else {})
    response = httpx.post(env.url + SHIP_PATH, params=params, content=BODY, headers=headers, timeout=TIMEOUT)
    _assert_rejected(response, 36009004, "refresh_token", keyword)


def test_a_body_that_is_not_json_or_multipart_gets_36009022(env: Env, token: str) -> None:
    """A signed body sent as text/plain is refused with 36009022."""
    response = signed_post(env, token, BODY, content_type="text/plain")
    _assert_rejected(response, 36009022, "invalid_request")


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("GET", SHIP_PATH, 36009010),
        ("POST", "/fulfillment/202212/packages/ship", 36009014),
        ("POST", "/fulfillment/202309/packages/sail", 36009009),
        ("POST", "/nowhere", 36009009),
    ],
    ids=["wrong-method", "old-version", "unknown-resource", "unknown-path"],
)
def test_unrouted_requests_answer_the_documented_gateway_codes(
    env: Env, method: str, path: str, code: int
) -> None:
    """Wrong method, old version or unknown path: the envelope with the gateway code, not a bare 404."""
    response = httpx.request(method, env.url + path, content=BODY, timeout=TIMEOUT)
    assert response.status_code == 200
    _assert_rejected(response, code, "invalid_request")
