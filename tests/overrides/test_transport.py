"""RetryingTransport with httpx.MockTransport: what it retries, how often, and what it raises or returns."""

from __future__ import annotations

import time

import httpx
import pytest
from shipspec import settings
from shipspec.errors import (
    AmbiguousTimeoutError,
    ConnectError,
    QuotaError,
    ResponseDecodeError,
    RetryableError,
)
from shipspec.retry import RetryPolicy
from shipspec.transport import (
    CARRIER_EXTENSION,
    OPERATION_EXTENSION,
    STRATEGY_EXTENSION,
    RetryingTransport,
    answers_are_final,
)

from tests.support.scripted_mock import Script, fail, reply

BASE = {
    "baaship": "https://api.baaship.com",
    "tiktok_shop": "https://open-api.tiktokglobalshop.com",
    "wechat_shop": "https://api.weixin.qq.com",
    "deftship": "https://api.deftship.com",
}
BUSY = {"success": False, "code": 1004, "message": "Interface exception.", "requestId": "r"}
CREATED = {"success": True, "code": 200, "data": {"waybill": "W1"}}
TRACKED = {"success": True, "code": 200, "data": {"waybill": "W1"}}
SHIP_CALLS = [
    ("tiktok_shop", "POST", "/fulfillment/202309/packages/ship"),
    ("baaship", "POST", "/createShipment"),
    ("wechat_shop", "POST", "/product/delivery/send"),
    ("deftship", "POST", "/batches"),
    ("deftship", "POST", "/batches/b-1/ship"),
]
SENT_FAILURES = [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.RemoteProtocolError]


def client(carrier: str, script: Script, sleeps: list[float]) -> httpx.Client:
    transport = RetryingTransport(carrier, script.transport, sleep=sleeps.append)
    return httpx.Client(base_url=BASE[carrier], transport=transport)


def test_retries_a_retry_kind_envelope_then_succeeds() -> None:
    """A documented transient code is retried; the same body bytes are re-sent; one wait is slept."""
    script = Script(reply(BUSY), reply(CREATED))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        response = http.post("/createShipment", content=b'{"referenceNo":"R-1"}')
    assert response.json() == CREATED
    assert script.bodies == [b'{"referenceNo":"R-1"}'] * 2
    assert len(sleeps) == 1
    assert 0 < sleeps[0] <= settings.BASE_DELAY


def test_stops_after_max_attempts_with_the_typed_error() -> None:
    """A code that stays transient is tried MAX_ATTEMPTS times, then its RetryableError is raised."""
    script = Script(reply(BUSY))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http, pytest.raises(RetryableError) as caught:
        http.post("/createShipment", json={"referenceNo": "R-1"})
    assert len(script.requests) == settings.MAX_ATTEMPTS
    assert len(sleeps) == settings.MAX_ATTEMPTS - 1
    assert (caught.value.code, caught.value.operation) == (1004, "createShipment")


def test_a_non_retryable_answer_is_returned_for_the_hook_and_auth_flow() -> None:
    """An auth failure is not retried and comes back as the response, annotated with carrier and operation."""
    script = Script(reply({"success": False, "code": 1001, "message": "Token incorrect"}))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        response = http.post("/createShipment", json={})
    assert response.json()["code"] == 1001
    assert len(script.requests) == 1
    assert sleeps == []
    assert response.extensions[CARRIER_EXTENSION] == "baaship"
    assert response.extensions[OPERATION_EXTENSION] == "createShipment"
    assert response.elapsed.total_seconds() >= 0


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_not_sent_failures_are_retried_even_for_a_ship_call(error: type[httpx.TransportError]) -> None:
    """Nothing reached the server, so even a ship/create is sent again."""
    script = Script(fail(error), reply(CREATED))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        assert http.post("/createShipment", json={}).json() == CREATED
    assert len(script.requests) == 2


def test_connect_failures_run_out_into_a_typed_connect_error() -> None:
    """After MAX_ATTEMPTS refused connections the caller gets shipspec's ConnectError, caused by httpx's."""
    script = Script(fail(httpx.ConnectError, "[Errno 111] Connection refused"))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http, pytest.raises(ConnectError) as caught:
        http.get("/tracking", params={"waybill": "W1"})
    assert len(script.requests) == settings.MAX_ATTEMPTS
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "Connection refused" in str(caught.value)


@pytest.mark.parametrize(("carrier", "method", "path"), SHIP_CALLS)
@pytest.mark.parametrize("error", SENT_FAILURES)
def test_a_ship_call_is_never_resent_after_it_was_sent(
    carrier: str, method: str, path: str, error: type[httpx.TransportError]
) -> None:
    """A timeout or dropped connection after sending a ship/create raises AmbiguousTimeoutError at once."""
    script = Script(fail(error), reply({}))
    sleeps: list[float] = []
    with client(carrier, script, sleeps) as http, pytest.raises(AmbiguousTimeoutError) as caught:
        http.request(method, path, json={})
    assert len(script.requests) == 1
    assert sleeps == []
    assert isinstance(caught.value.__cause__, error)


@pytest.mark.parametrize("error", SENT_FAILURES)
def test_a_safe_read_is_resent_after_it_was_sent(error: type[httpx.TransportError]) -> None:
    """GET tracking is 'safe': the same failure is retried and the second answer returned."""
    script = Script(fail(error), reply(TRACKED))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        assert http.get("/tracking", params={"waybill": "W1"}).json() == TRACKED
    assert len(script.requests) == 2


def test_a_bare_5xx_is_resent_only_for_a_safe_operation() -> None:
    """A gateway 502 without a business code may hide done work: returned for a create, retried for a read."""
    script = Script(reply("<html>Bad Gateway</html>", status=502), reply(status=502), reply(TRACKED))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        assert http.post("/createShipment", json={}).status_code == 502
        assert len(script.requests) == 1
        assert http.get("/tracking", params={"waybill": "W1"}).status_code == 200
    assert len(script.requests) == 3


def test_retry_after_is_slept_exactly() -> None:
    """A 429 asking for 2 seconds is waited for exactly 2 seconds, then the call succeeds."""
    script = Script(reply("slow down", status=429, headers={"Retry-After": "2"}), reply(CREATED))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        assert http.post("/createShipment", json={}).json() == CREATED
    assert sleeps == [2.0]


def test_retry_after_beyond_the_cap_raises_at_once() -> None:
    """A 429 asking for an hour is not waited for: QuotaError with retry_after goes to the caller."""
    script = Script(reply("slow down", status=429, headers={"Retry-After": "3600"}))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http, pytest.raises(QuotaError) as caught:
        http.get("/tracking", params={"waybill": "W1"})
    assert caught.value.retry_after == 3600.0
    assert len(script.requests) == 1


def test_request_extension_overrides_the_tables_strategy() -> None:
    """stable_token is 'safe' in the table, but a force_refresh call marked unsafe is not resent."""
    token = reply({"access_token": "t", "expires_in": 7200})
    script = Script(fail(httpx.ReadTimeout), token, fail(httpx.ReadTimeout), token)
    sleeps: list[float] = []
    with client("wechat_shop", script, sleeps) as http:
        assert http.post("/cgi-bin/stable_token", json={}).status_code == 200
        with pytest.raises(AmbiguousTimeoutError):
            http.post("/cgi-bin/stable_token", json={}, extensions={STRATEGY_EXTENSION: "unsafe"})
    assert len(script.requests) == 3


def test_an_unknown_path_is_treated_as_unsafe() -> None:
    """A request the tables do not know is never resent after it was sent, and is named by method and path."""
    script = Script(fail(httpx.ReadTimeout), reply({}))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http, pytest.raises(AmbiguousTimeoutError) as caught:
        http.get("/somethingNew")
    assert caught.value.operation == "GET /somethingNew"
    assert len(script.requests) == 1


def test_a_body_that_does_not_decode_is_a_decode_error() -> None:
    """A gzip header on a body that is not gzip becomes ResponseDecodeError, not httpx.DecodingError."""

    def broken(request: httpx.Request) -> httpx.Response:
        headers = {"content-encoding": "gzip"}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(b"not gzip"))

    with client("baaship", Script(broken), []) as http, pytest.raises(ResponseDecodeError) as caught:
        http.get("/tracking", params={"waybill": "W1"})
    assert caught.value.http_status == 200


def test_other_httpx_errors_pass_through_untouched() -> None:
    """A programming error such as an unsupported protocol is not dressed up as a carrier failure."""
    with (
        client("baaship", Script(fail(httpx.UnsupportedProtocol)), []) as http,
        pytest.raises(httpx.UnsupportedProtocol),
    ):
        http.get("/tracking")


def test_the_instant_switch_skips_real_waits() -> None:
    """With the default sleep, waits are real unless instant_backoff() is on."""
    policy = RetryPolicy(base_delay=0.2, jitter=0.0)
    script = Script(reply(BUSY), reply(CREATED))
    with httpx.Client(
        base_url=BASE["baaship"], transport=RetryingTransport("baaship", script.transport, policy=policy)
    ) as http:
        with settings.instant_backoff(enabled=False):
            started = time.perf_counter()
            http.post("/createShipment", json={})
            assert time.perf_counter() - started >= 0.2
        script.requests.clear()
        with settings.instant_backoff():
            slow = RetryingTransport("baaship", script.transport, policy=RetryPolicy(base_delay=60.0))
            with httpx.Client(base_url=BASE["baaship"], transport=slow) as instant:
                started = time.perf_counter()
                instant.post("/createShipment", json={})
                assert time.perf_counter() - started < 5.0


def test_unknown_carrier_fails_at_construction() -> None:
    """A typo in the carrier id is caught when the transport is built, not at the first request."""
    with pytest.raises(ModuleNotFoundError):
        RetryingTransport("fedex")


def test_codes_a_caller_takes_as_final_are_returned_at_once() -> None:
    """Baaship 1004 is "retry" in the table; inside answers_are_final(1004) it is the answer, not retried."""
    script = Script(reply(BUSY), reply(BUSY), reply(BUSY), reply(BUSY))
    sleeps: list[float] = []
    with client("baaship", script, sleeps) as http:
        with answers_are_final(1004):
            final = http.get("/getShipmentLabel", params={"referenceNo": "R-9"})
        assert (final.json()["code"], len(script.bodies), sleeps) == (1004, 1, [])
        with pytest.raises(RetryableError):
            http.get("/getShipmentLabel", params={"referenceNo": "R-9"})  # outside the block: retried
    assert len(script.bodies) == 1 + RetryPolicy().max_attempts


def test_a_short_term_quota_code_in_a_200_is_retried() -> None:
    """TikTok 36009002 ("429 and/or 36009002", spec short_term) is retried with backoff even in a 200."""
    limited = {"code": 36009002, "message": "Too many requests.", "request_id": "r"}
    script = Script(reply(limited), reply({"code": 0, "message": "Success", "data": {"errors": []}}))
    sleeps: list[float] = []
    with client("tiktok_shop", script, sleeps) as http:
        response = http.post("/fulfillment/202309/packages/ship", content=b"{}")
    assert response.json()["code"] == 0
    assert len(script.bodies) == 2
    assert len(sleeps) == 1
    assert sleeps[0] > 0
