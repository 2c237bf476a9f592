"""The auth flow refreshes before expiry, and once (then resends once) when the API rejects the token."""

from __future__ import annotations

import contextlib

import pytest
from shipspec.carriers.tiktok_shop import TikTokAuth
from shipspec.errors import AuthError
from shipspec.hooks import DEFERRED_KINDS_EXTENSION

from .helpers import NOW, AuthHost, Clock, envelope_response, make_tokens, record, ship_request

OK = 0
EXPIRED = 105002


def test_token_inside_the_buffer_is_refreshed_before_sending() -> None:
    """A token expiring within the buffer is refreshed first; the request carries the new one."""
    tokens, host = make_tokens(Clock(), record(expires_in=100))
    sent = next(TikTokAuth(tokens).sync_auth_flow(ship_request()))
    assert len(host.calls) == 1
    assert host.calls[0].url.path == "/api/v2/token/refresh"
    assert host.calls[0].url.params["grant_type"] == "refresh_token"
    assert host.calls[0].url.params["refresh_token"] == "old-refresh"
    assert sent.headers["x-tts-access-token"] == "fresh-access-1"


def test_token_outside_the_buffer_is_used_as_is() -> None:
    """A token with days left is sent without any token call."""
    tokens, host = make_tokens(Clock(), record(expires_in=3 * 24 * 3600))
    sent = next(TikTokAuth(tokens).sync_auth_flow(ship_request()))
    assert host.calls == []
    assert sent.headers["x-tts-access-token"] == "old-access"


def test_expired_token_without_valid_refresh_token_is_an_auth_error() -> None:
    """An expired access token whose refresh token expired too means the seller must authorize again."""
    tokens, host = make_tokens(Clock(), record(expires_in=-1, refresh_expires_in=-1))
    with pytest.raises(AuthError, match="authorize"):
        next(TikTokAuth(tokens).sync_auth_flow(ship_request()))
    assert host.calls == []


def test_105002_refreshes_once_and_resends_once_re_signed() -> None:
    """On 105002 the token is refreshed, the request re-signed with a new timestamp and sent again."""
    clock = Clock()
    tokens, host = make_tokens(clock, record())
    flow = TikTokAuth(tokens).sync_auth_flow(ship_request())
    first = next(flow)
    first_sign, first_timestamp = first.url.params["sign"], first.url.params["timestamp"]
    assert first.extensions[DEFERRED_KINDS_EXTENSION] == ("refresh_token",)
    clock.now = NOW + 5
    second = flow.send(envelope_response(first, EXPIRED, "Access token expired."))
    assert len(host.calls) == 1
    assert second.headers["x-tts-access-token"] == "fresh-access-1"
    assert second.url.params["timestamp"] == str(int(NOW + 5)) != first_timestamp
    assert second.url.params["sign"] != first_sign
    assert DEFERRED_KINDS_EXTENSION not in second.extensions
    with pytest.raises(StopIteration):
        flow.send(envelope_response(second, OK))


def test_second_105002_is_returned_as_is_without_a_loop() -> None:
    """A resend that is rejected again ends the flow: one refresh, two requests, no third."""
    tokens, host = make_tokens(Clock(), record())
    flow = TikTokAuth(tokens).sync_auth_flow(ship_request())
    first = next(flow)
    second = flow.send(envelope_response(first, EXPIRED, "Access token expired."))
    with pytest.raises(StopIteration):
        flow.send(envelope_response(second, EXPIRED, "Access token expired."))
    assert len(host.calls) == 1


@pytest.mark.parametrize(
    ("message", "refreshes"),
    [
        ("Invalid x-tts-access-token.", 1),
        ("The access_token is invalid.", 1),
        ("Invalid timestamp: more than 30 seconds ahead.", 0),
        ("Unexpected identifier: shop_cipher.", 0),
    ],
)
def test_36009004_refreshes_only_for_token_messages(message: str, refreshes: int) -> None:
    """36009004 is classified by message: a token complaint refreshes, a timestamp or cipher one does not."""
    tokens, host = make_tokens(Clock(), record())
    flow = TikTokAuth(tokens).sync_auth_flow(ship_request())
    first = next(flow)
    with contextlib.suppress(StopIteration):
        flow.send(envelope_response(first, 36009004, message))
    assert len(host.calls) == refreshes


@pytest.mark.parametrize(("code", "status"), [(106001, 401), (36009003, 200), (105005, 200)])
def test_other_failures_are_not_token_refreshes(code: int, status: int) -> None:
    """A bad sign, a transient error or a missing scope ends the flow with no refresh and no resend."""
    tokens, host = make_tokens(Clock(), record())
    flow = TikTokAuth(tokens).sync_auth_flow(ship_request())
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(envelope_response(first, code, "nope", status=status))
    assert host.calls == []


def test_a_token_refreshed_elsewhere_is_reused_not_refreshed_again() -> None:
    """After 105002, if another caller already replaced the rejected token, that token is used as is."""
    tokens, host = make_tokens(Clock(), record())
    flow = TikTokAuth(tokens).sync_auth_flow(ship_request())
    first = next(flow)
    tokens.store.save(tokens.key, record(access="other-callers-access"))
    second = flow.send(envelope_response(first, EXPIRED, "Access token expired."))
    assert host.calls == []
    assert second.headers["x-tts-access-token"] == "other-callers-access"


def test_a_failing_refresh_after_105002_is_raised_from_the_flow() -> None:
    """When the refresh itself fails, its typed error comes out of the flow and nothing is resent."""
    clock = Clock()
    host = AuthHost(clock, answer={"code": 36009004, "message": "Invalid app_key", "data": None})
    tokens, _ = make_tokens(clock, record(), host)
    flow = TikTokAuth(tokens).sync_auth_flow(ship_request())
    first = next(flow)
    with pytest.raises(AuthError):
        flow.send(envelope_response(first, EXPIRED, "Access token expired."))
