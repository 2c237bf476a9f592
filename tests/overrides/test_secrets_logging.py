"""No token or signature reaches log output or exception text when requests are retried or fail."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from shipspec import settings
from shipspec.errors import AmbiguousTimeoutError, ShipspecError
from shipspec.hooks import raise_for_envelope
from shipspec.secrets import RedactingFilter, Secret, redact_logger
from shipspec.transport import RetryingTransport

from tests.support.http_server import Reply, ScriptedServer, scripted_server
from tests.support.scripted_mock import Script, fail, reply

ACCESS_TOKEN = "AT-wechat-5f1e2d3c"
SIGN = "9b2e6c0d4f1a"
TTS_TOKEN = "TTS-tiktok-77aa"
URL = f"https://api.weixin.qq.com/product/delivery/send?access_token={ACCESS_TOKEN}"
SECRETS = (ACCESS_TOKEN, SIGN, TTS_TOKEN)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with settings.instant_backoff():
        yield from scripted_server()


def assert_clean(text: str) -> None:
    for value in SECRETS:
        assert value not in text


def test_retry_debug_log_carries_no_credentials(caplog: pytest.LogCaptureFixture) -> None:
    """Retries are logged at DEBUG; failures that echo the URL or the token are masked in the log."""
    echoed = {"errcode": -1, "errmsg": f"system busy for access_token={ACCESS_TOKEN} rid: 1"}
    script = Script(fail(httpx.ConnectError, f"cannot reach {URL}"), reply(echoed), reply({"errcode": 0}))
    transport = RetryingTransport("wechat_shop", script.transport, sleep=lambda _: None)
    with caplog.at_level(logging.DEBUG, logger="shipspec"), httpx.Client(transport=transport) as http:
        assert http.post(URL, json={}).json() == {"errcode": 0}
    retries = [r for r in caplog.records if r.name == "shipspec" and "retrying" in r.getMessage()]
    assert len(retries) == 2
    assert all(r.levelno == logging.DEBUG for r in retries)
    assert "wechat_shop.sendDelivery" in caplog.text
    assert_clean(caplog.text)


def test_retried_request_over_http_logs_no_token_or_sign(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A signed TikTok-style request retried over real HTTP leaves no sign or token in shipspec's log."""
    busy = {"code": 36009003, "message": f"Internal error for sign={SIGN}", "request_id": "r"}
    server.script(
        Reply(body=busy), Reply(body={"code": 0, "message": "Success", "request_id": "r", "data": {}})
    )
    path = f"/fulfillment/202309/packages/ship?app_key=k&timestamp=1&sign={SIGN}"
    with (
        caplog.at_level(logging.DEBUG, logger="shipspec"),
        httpx.Client(base_url=server.url, transport=RetryingTransport("tiktok_shop")) as http,
    ):
        http.post(path, json={}, headers={"x-tts-access-token": TTS_TOKEN})
    assert len(server.requests) == 2
    assert server.requests[1].headers["x-tts-access-token"] == TTS_TOKEN  # the resend still carries it
    assert "retrying" in caplog.text
    assert_clean(caplog.text)


def test_exception_text_carries_no_credentials() -> None:
    """Typed errors raised by the transport and the hook do not quote tokens from URLs or messages."""
    ambiguous = Script(fail(httpx.ReadTimeout, f"timed out reading {URL}"))
    client = httpx.Client(transport=RetryingTransport("wechat_shop", ambiguous.transport))
    with client as http, pytest.raises(AmbiguousTimeoutError) as timeout:
        http.post(URL, json={})
    refused = Script(reply({"errcode": 40001, "errmsg": f"invalid credential access_token={ACCESS_TOKEN}"}))
    hooks = {"response": [raise_for_envelope]}
    with (
        httpx.Client(
            transport=RetryingTransport("wechat_shop", refused.transport), event_hooks=hooks
        ) as http,
        pytest.raises(ShipspecError) as business,
    ):
        http.post(URL, json={})
    for error in (timeout.value, business.value):
        assert_clean(str(error))
        assert_clean(repr(error))


def test_live_secret_is_masked_even_in_free_text(caplog: pytest.LogCaptureFixture) -> None:
    """A token held in a Secret is masked wherever it appears in a shipspec log line."""
    held = Secret("free-floating-token-42")
    with caplog.at_level(logging.DEBUG, logger="shipspec"):
        logging.getLogger("shipspec").debug("carrier said: %s", "your key free-floating-token-42 expired")
    assert "free-floating-token-42" not in caplog.text
    assert held.reveal() == "free-floating-token-42"


def test_redact_logger_protects_httpx_request_lines(caplog: pytest.LogCaptureFixture) -> None:
    """httpx logs the full URL at INFO; redact_logger('httpx') masks the access_token in it."""
    httpx_logger = logging.getLogger("httpx")
    already = any(isinstance(f, RedactingFilter) for f in httpx_logger.filters)  # a carrier may have added it
    added = redact_logger(httpx_logger)
    try:
        with (
            caplog.at_level(logging.INFO, logger="httpx"),
            httpx.Client(transport=httpx.MockTransport(reply({"errcode": 0}))) as http,
        ):
            http.post(URL, json={})
    finally:
        if not already:
            httpx_logger.removeFilter(added)
    assert "HTTP Request: POST" in caplog.text
    assert_clean(caplog.text)
