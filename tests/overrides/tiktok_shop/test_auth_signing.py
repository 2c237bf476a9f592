"""TikTokAuth puts the common parameters, the token header and a correct sign on shop API requests."""

from __future__ import annotations

import httpx
import pytest
from shipspec.carriers.tiktok_shop import TikTokAuth
from shipspec.errors import InputError
from tiktok_shop_api import Signer

from .helpers import APP_KEY, APP_SECRET, AUTH_BASE, NOW, Clock, make_tokens, record, ship_request


def _signed(auth: TikTokAuth, request: httpx.Request) -> httpx.Request:
    return next(auth.sync_auth_flow(request))


def test_ship_request_gets_common_parameters_header_and_sign() -> None:
    """app_key, a 10-digit timestamp, the call's shop_cipher, the token header and an oracle-valid sign."""
    tokens, _ = make_tokens(Clock(), record())
    sent = _signed(TikTokAuth(tokens), ship_request())
    query = sent.url.params
    assert query["app_key"] == APP_KEY
    assert query["timestamp"] == str(int(NOW))
    assert len(query["timestamp"]) == 10
    assert query["shop_cipher"] == "CIPHER"
    assert sent.headers["x-tts-access-token"] == "old-access"
    pairs = [pair for pair in query.multi_items() if pair[0] != "sign"]
    expected = Signer.sign(
        path=sent.url.path,
        query=pairs,
        content_type=sent.headers["content-type"],
        body=sent.content,
        app_secret=APP_SECRET,
    )
    assert query["sign"] == expected


def test_stale_auth_parameters_from_the_caller_are_replaced() -> None:
    """A caller's own app_key/timestamp/sign never reach the wire next to ours (one value each)."""
    tokens, _ = make_tokens(Clock(), record())
    request = ship_request()
    request.url = request.url.copy_merge_params({"sign": "bogus", "timestamp": "1", "app_key": "other"})
    sent = _signed(TikTokAuth(tokens), request)
    assert sent.url.params.get_list("timestamp") == [str(int(NOW))]
    assert sent.url.params.get_list("app_key") == [APP_KEY]
    assert sent.url.params.get_list("sign") != ["bogus"]
    assert len(sent.url.params.get_list("sign")) == 1


def test_configured_shop_cipher_fills_in_for_operations_that_need_it() -> None:
    """Without a shop_cipher on the call, the one given to TikTokAuth is added."""
    tokens, _ = make_tokens(Clock(), record())
    sent = _signed(TikTokAuth(tokens, shop_cipher="FROM_AUTH"), ship_request(shop_cipher=None))
    assert sent.url.params["shop_cipher"] == "FROM_AUTH"


def test_missing_shop_cipher_is_an_input_error_before_sending() -> None:
    """An operation that needs shop_cipher and has none fails locally instead of answering 106013."""
    tokens, _ = make_tokens(Clock(), record())
    with pytest.raises(InputError, match="shop_cipher"):
        _signed(TikTokAuth(tokens), ship_request(shop_cipher=None))


def test_shop_cipher_is_never_added_where_the_operation_does_not_take_it() -> None:
    """For an operation without shop_cipher the configured one is not added, and a stray one is refused."""
    tokens, _ = make_tokens(Clock(), record())
    auth = TikTokAuth(tokens, shop_cipher="FROM_AUTH", shop_cipher_operations=())
    sent = _signed(auth, ship_request(shop_cipher=None))
    assert "shop_cipher" not in sent.url.params
    with pytest.raises(InputError, match="36009004"):
        _signed(auth, ship_request(shop_cipher="STRAY"))


def test_token_calls_pass_through_unsigned() -> None:
    """The unsigned token operations get no sign, timestamp, shop_cipher or token header."""
    tokens, _ = make_tokens(Clock(), record())
    request = httpx.Request("GET", f"{AUTH_BASE}/api/v2/token/get", params={"app_key": APP_KEY})
    sent = _signed(TikTokAuth(tokens, shop_cipher="FROM_AUTH"), request)
    assert dict(sent.url.params) == {"app_key": APP_KEY}
    assert "x-tts-access-token" not in sent.headers


def test_sign_covers_the_exact_body_bytes() -> None:
    """Two requests that differ only in body bytes (key order) get different signatures."""
    tokens, _ = make_tokens(Clock(), record())
    auth = TikTokAuth(tokens)
    first = _signed(auth, ship_request(body={"packages": [{"id": "P1", "handover_method": "PICKUP"}]}))
    second = _signed(auth, ship_request(body={"packages": [{"handover_method": "PICKUP", "id": "P1"}]}))
    assert first.url.params["sign"] != second.url.params["sign"]
