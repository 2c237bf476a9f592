"""App secret, tokens, auth codes and signatures never show in reprs, logs or exception text."""

from __future__ import annotations

import logging
import traceback

import pytest
from shipspec import settings
from shipspec.carriers.tiktok_shop import TikTokAuth, TikTokTokens
from shipspec.errors import AuthError, ShipspecError, TokenExpiredError
from shipspec.hooks import raise_for_envelope
from shipspec.tokens import MemoryTokenStore
from shipspec.transport import RetryingTransport
from shipspec_tiktok_shop import AuthenticatedClient
from shipspec_tiktok_shop.api.tiktok_shop import batch_ship_packages
from shipspec_tiktok_shop.models import BatchShipPackagesRequest

from tests.support.servers import free_port

from .fake_server import APP_KEY, APP_SECRET, SHIP_PATH, SHOP_CIPHER, FakeTikTok

AUTH_CODE = "authcode-7f3a9c"
BODY = BatchShipPackagesRequest.from_dict({"packages": [{"id": "P1"}]})


def _credentials(fake: FakeTikTok) -> list[str]:
    """Every credential the run produced: secret, auth code, issued tokens and the signatures sent."""
    signs = [dict(seen.query)["sign"] for seen in fake.seen if seen.path == SHIP_PATH]
    issued = [f"{kind}-{n}" for kind in ("access", "refresh") for n in range(1, fake.issued + 1)]
    return [APP_SECRET, AUTH_CODE, *issued, *signs]


def _text_of(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error)


def _run(fake: FakeTikTok, url: str) -> tuple[TikTokTokens, list[ShipspecError]]:
    """Exchange, refresh, ship through a 105002 twice (raised), and reuse the auth code (raised)."""
    fake.auth_codes = {AUTH_CODE}
    tokens = TikTokTokens(app_key=APP_KEY, app_secret=APP_SECRET, store=MemoryTokenStore(), auth_base_url=url)
    tokens.exchange_auth_code(AUTH_CODE)
    tokens.refresh()
    fake.reject_tokens_times = 2
    client = AuthenticatedClient(
        base_url=url,
        token="",
        prefix="",
        timeout=settings.DEFAULT_TIMEOUT,
        httpx_args={
            "auth": TikTokAuth(tokens),
            "transport": RetryingTransport("tiktok_shop"),
            "event_hooks": {"response": [raise_for_envelope]},
        },
    )
    errors: list[ShipspecError] = []
    with client, pytest.raises(TokenExpiredError) as expired:
        batch_ship_packages.sync_detailed(client=client, body=BODY, shop_cipher=SHOP_CIPHER)
    errors.append(expired.value)
    with pytest.raises(AuthError) as reused:
        tokens.exchange_auth_code(AUTH_CODE)
    errors.append(reused.value)
    return tokens, errors


@pytest.fixture
def only_shipspec_redaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop the filter tiktok_shop_api (the test oracle) puts on the httpx logger when imported.

    It masks app_secret and tokens too, so with it in place these tests could not see a leak of ours.
    """
    httpx_logger = logging.getLogger("httpx")
    own = [f for f in httpx_logger.filters if not type(f).__module__.startswith("tiktok_shop_api")]
    monkeypatch.setattr(httpx_logger, "filters", own)


@pytest.mark.usefixtures("only_shipspec_redaction")
def test_logs_hold_no_credentials(fake: FakeTikTok, fake_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Everything logged at DEBUG during a full token and ship run is free of credentials."""
    caplog.set_level(logging.DEBUG)
    _run(fake, fake_url)
    assert "/api/v2/token/get?" in caplog.text  # httpx did log the URLs that carry the secret
    assert "sign=" in caplog.text
    for credential in _credentials(fake):
        assert credential not in caplog.text


def test_reprs_and_exceptions_hold_no_credentials(fake: FakeTikTok, fake_url: str) -> None:
    """repr/str of the token manager, the auth, records and every raised error are free of credentials."""
    tokens, errors = _run(fake, fake_url)
    record = tokens.current()
    texts = [repr(tokens), str(tokens), repr(TikTokAuth(tokens)), repr(record), str(record)]
    texts += [repr(tokens.app_secret), f"{tokens.app_secret}"]
    texts += [_text_of(error) for error in errors]
    for credential in _credentials(fake):
        assert all(credential not in text for text in texts), credential


def test_unreachable_auth_host_error_holds_no_credentials() -> None:
    """A connection failure on a token call (URL with app_secret and code) names neither."""
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    tokens = TikTokTokens(app_key=APP_KEY, app_secret=APP_SECRET, auth_base_url=url)
    with settings.instant_backoff(), pytest.raises(ShipspecError) as caught:
        tokens.exchange_auth_code(AUTH_CODE)
    text = _text_of(caught.value)
    assert APP_SECRET not in text
    assert AUTH_CODE not in text
