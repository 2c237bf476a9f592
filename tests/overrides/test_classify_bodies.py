"""classify() on answers that are not the documented envelope: HTML, broken JSON, HTTP errors, Retry-After."""

from __future__ import annotations

import email.utils
import time

import pytest
from shipspec.classify import classify, parse_retry_after
from shipspec.errors import (
    AuthError,
    CarrierError,
    NotFoundError,
    QuotaError,
    ResponseDecodeError,
    RetryableError,
)
from shipspec.spec_tables import tables_for


def baaship(status: int, content: bytes, headers: dict[str, str] | None = None) -> object:
    return classify(tables_for("baaship"), "createShipment", status, headers or {}, content)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "not valid JSON"),
        (b'{"success": true, "code": 200, "da', "not valid JSON"),
        (b"{success: true}", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b'[{"success": true}]', "not an object"),
        (b'"ok"', "not an object"),
        (b"", "empty"),
        (b"   ", "empty"),
    ],
)
def test_undocumented_200_bodies_are_decode_errors(content: bytes, problem: str) -> None:
    """A 200 that is not a JSON object is a ResponseDecodeError with the start of the body kept."""
    error = baaship(200, content)
    assert isinstance(error, ResponseDecodeError)
    assert problem in str(error)
    assert error.http_status == 200
    assert error.body_excerpt == content[:200].decode("utf-8", "replace")


def test_excerpt_masks_credentials() -> None:
    """A broken token answer does not carry the token into the error's excerpt."""
    content = b'{"access_token": "AT-very-secret", "expires_in": 72'
    error = classify(tables_for("wechat_shop"), "getAccessToken", 200, {}, content)
    assert isinstance(error, ResponseDecodeError)
    assert "AT-very-secret" not in error.body_excerpt
    assert "access_token" in error.body_excerpt


def test_unknown_enum_value_is_a_decode_error() -> None:
    """An enum value the spec does not list is reported with its path, before the parser raises ValueError."""
    content = b'{"success": true, "data": {"id": "1", "status": "exploded"}}'
    error = classify(tables_for("deftship"), "getBatch", 200, {}, content)
    assert isinstance(error, ResponseDecodeError)
    assert "'exploded'" in str(error)
    assert "data.status" in str(error)


def test_unknown_enum_value_inside_a_list_is_found() -> None:
    """Enum paths through arrays (data.items.data[].status) are checked item by item."""
    items = b'{"data": [{"id": "a", "status": "valid"}, {"id": "b", "status": "lost"}]}'
    content = b'{"success": true, "data": {"id": "1", "status": "ready", "items": ' + items + b"}}"
    error = classify(tables_for("deftship"), "getBatch", 200, {}, content)
    assert isinstance(error, ResponseDecodeError)
    assert "'lost'" in str(error)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, RetryableError),
        (502, RetryableError),
        (503, RetryableError),
        (401, AuthError),
        (404, NotFoundError),
    ],
)
def test_http_errors_without_an_envelope(status: int, expected: type[CarrierError]) -> None:
    """An HTML error page is typed by its status and has no business code."""
    error = baaship(status, b"<html>oops</html>")
    assert type(error) is expected
    assert isinstance(error, CarrierError)
    assert error.code is None
    assert error.http_status == status


def test_429_with_retry_after_seconds() -> None:
    """HTTP 429 is a quota error carrying Retry-After in seconds, whatever the header's spelling."""
    error = baaship(429, b"Too Many Requests", {"Retry-After": "7"})
    assert isinstance(error, QuotaError)
    assert error.retry_after == 7.0


def test_429_with_retry_after_http_date() -> None:
    """A Retry-After HTTP date becomes the seconds left until then."""
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    error = baaship(429, b"", {"retry-after": when})
    assert isinstance(error, QuotaError)
    assert error.retry_after is not None
    assert 115 <= error.retry_after <= 121


def test_429_wins_over_a_non_quota_business_code() -> None:
    """TikTok answers 429 with its own body; the HTTP layer's 'too many requests' makes it a quota error."""
    content = b'{"code": 36009004, "message": "sign invalid", "request_id": "r"}'
    error = classify(tables_for("tiktok_shop"), "batchShipPackages", 429, {"retry-after": "3"}, content)
    assert isinstance(error, QuotaError)
    assert error.code == 36009004
    assert error.retry_after == 3.0


def test_tiktok_401_with_its_envelope_uses_the_code() -> None:
    """A bad signature comes back as HTTP 401 with 106001: the documented code decides."""
    content = b'{"code": 106001, "message": "Invalid credentials", "request_id": "r"}'
    error = classify(tables_for("tiktok_shop"), "batchShipPackages", 401, {}, content)
    assert isinstance(error, AuthError)
    assert error.name == "INVALID_SIGN"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("120", 120.0),
        (" 5 ", 5.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:28:30 -0000", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    """Delta-seconds, GMT dates (also the '-0000' form, which parses without a zone) and junk."""
    now = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:28:00 GMT").timestamp()
    assert parse_retry_after(value, now=now) == expected


def test_retry_after_date_without_a_zone_is_gmt_whatever_the_local_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'-0000' dates parse without a zone; they are still GMT when the machine runs on New York time."""
    now = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:28:00 GMT").timestamp()
    try:
        with monkeypatch.context() as env:
            env.setenv("TZ", "America/New_York")
            time.tzset()
            assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 -0000", now=now) == 30.0
    finally:
        time.tzset()
