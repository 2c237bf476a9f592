"""With DEBUG on every logger, no credential reaches any log line, httpcore's included, nor an error text.

A real server on 127.0.0.1 answers token and business calls with a redirect whose ``Location`` echoes the
request's query (app_secret, refresh_token, secret, access_token); httpcore logs that header on its own
logger.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from shipspec import settings
from shipspec.carriers import wechat_shop
from shipspec.carriers.tiktok_shop.tokens import TikTokTokens
from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.errors import ShipspecError
from shipspec.tokens import MemoryTokenStore, TokenRecord
from shipspec_wechat_shop.api.wechat_shop import get_delivery_company_list
from shipspec_wechat_shop.models import GetDeliveryCompanyListRequest

from tests.support.servers import serving

APP_SECRET = "tiktok-app-secret-0123456789abcdef"
REFRESH_TOKEN = "ROW_refresh-token-fedcba9876543210"
WECHAT_SECRET = "wechat-secret-00112233445566778899"
ACCESS_TOKEN = "wechat-access-token-aabbccddeeff0011"
CREDENTIALS = (APP_SECRET, REFRESH_TOKEN, WECHAT_SECRET, ACCESS_TOKEN)


class _Handler(BaseHTTPRequestHandler):
    """Hands out a WeChat token when told to; quotes it bare in a business error; redirects anything else,
    echoing the query."""

    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        if self.server.token_answers and self.path.startswith(("/cgi-bin/token", "/cgi-bin/stable_token")):
            self._send(200, {"access_token": ACCESS_TOKEN, "expires_in": 7200}, {})
        elif self.path.startswith("/product/delivery/get_company_list"):
            quoted = {"errcode": 40097, "errmsg": f"invalid args: token {ACCESS_TOKEN} is not for this shop"}
            self._send(200, quoted, {})
        else:
            self._send(301, {"moved": True}, {"Location": f"http://127.0.0.1:9/moved{self.path}"})

    def _send(self, status: int, body: object, headers: dict[str, str]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass


class _Server(ThreadingHTTPServer):
    token_answers = False


@contextmanager
def echo_server(*, token_answers: bool = False) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.token_answers = token_answers
    with serving(server) as url:
        yield url


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything every logger writes at DEBUG and above, as a handler on the root logger formats it."""
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with settings.instant_backoff():
            yield text
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def expired_tiktok_tokens(url: str) -> TikTokTokens:
    """TikTok tokens whose access token expired: the next call refreshes with app_secret + refresh_token."""
    tokens = TikTokTokens(app_key="app-key", app_secret=APP_SECRET, auth_base_url=url)
    tokens.seed("expired-access-token-000000", 1.0, REFRESH_TOKEN)
    return tokens


def assert_clean(text: str) -> None:
    for value in CREDENTIALS:
        assert value not in text


def test_tiktok_refresh_redirect_leaves_no_secret_in_any_log_line(debug_log: io.StringIO) -> None:
    """The refresh call's URL and the Location echoing it are masked in httpx's and httpcore's lines."""
    with echo_server() as url, pytest.raises(ShipspecError) as caught:
        expired_tiktok_tokens(url).current()
    log = debug_log.getvalue()
    assert "httpcore.http11 DEBUG receive_response_headers.complete" in log
    assert "/moved" in log
    assert_clean(log)
    assert_clean(str(caught.value))


def test_token_call_errors_name_their_operation_and_status_once(debug_log: io.StringIO) -> None:
    """An undocumented answer to a token call says "tiktok_shop.refreshAccessToken: … (HTTP 301)" once."""
    with echo_server() as url:
        with pytest.raises(ShipspecError) as tiktok:
            expired_tiktok_tokens(url).current()
        wechat = WeChatTokenManager("wx-app", WECHAT_SECRET, MemoryTokenStore(), base_url=url)
        with pytest.raises(ShipspecError) as stable:
            wechat.get_token()
    assert str(tiktok.value).count("refreshAccessToken") == 1
    assert str(tiktok.value).count("(HTTP 301)") == 1
    assert str(stable.value).count("getStableAccessToken") == 1
    assert str(stable.value).count("(HTTP 301)") == 1


def test_wechat_secret_and_access_token_never_reach_a_log_line(debug_log: io.StringIO) -> None:
    """The classic token call (secret in the query) and a business call (access_token in the query)."""
    with echo_server() as url:
        classic = WeChatTokenManager(
            "wx-app", WECHAT_SECRET, MemoryTokenStore(), use_stable_token=False, base_url=url
        )
        with pytest.raises(ShipspecError):
            classic.get_token()
    with echo_server(token_answers=True) as url:
        client = wechat_shop.client(
            appid="wx-app", secret=WECHAT_SECRET, use_classic_token=True, base_url=url
        )
        with pytest.raises(ShipspecError):
            get_delivery_company_list.sync_detailed(client=client, body=GetDeliveryCompanyListRequest())
    log = debug_log.getvalue()
    assert "receive_response_headers.complete" in log
    assert "/moved/cgi-bin/token" in log
    assert "get_company_list" in log
    assert_clean(log)


def test_a_token_quoted_bare_in_a_carrier_message_is_masked(debug_log: io.StringIO) -> None:
    """A carrier message naming the token without "access_token=" still shows it masked."""
    with echo_server(token_answers=True) as url:
        client = wechat_shop.client(appid="wx-app", secret=WECHAT_SECRET, base_url=url)
        with pytest.raises(ShipspecError) as caught:
            get_delivery_company_list.sync_detailed(client=client, body=GetDeliveryCompanyListRequest())
    assert "is not for this shop" in str(caught.value)
    assert_clean(str(caught.value))
    assert_clean(debug_log.getvalue())


def test_the_bare_token_of_a_record_is_masked_while_the_record_lives() -> None:
    """A TokenRecord's tokens are known to redact() as long as the record is alive."""
    from shipspec.secrets import redact

    record = TokenRecord(access_token=ACCESS_TOKEN, expires_at=1.0, refresh_token=REFRESH_TOKEN)
    assert redact(f"token {ACCESS_TOKEN}, refresh {REFRESH_TOKEN}") == "token ***, refresh ***"
    assert record.access_token == ACCESS_TOKEN
