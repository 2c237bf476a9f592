"""classify() per carrier: documented codes, per-operation meanings, message rules and code-less failures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from shipspec.classify import classify
from shipspec.errors import (
    AlreadyDoneError,
    AuthError,
    CarrierError,
    InvalidRequestError,
    NotAllowedError,
    NotFoundError,
    QuotaError,
    ResponseDecodeError,
    RetryableError,
    TokenExpiredError,
    UnknownCarrierError,
)
from shipspec.spec_tables import tables_for


def answer(
    carrier: str, operation: str, body: dict[str, Any], status: int = 200
) -> CarrierError | ResponseDecodeError | None:
    return classify(tables_for(carrier), operation, status, {}, json.dumps(body).encode())


def tiktok(code: int, message: str = "", **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": "req-1", "data": None, **extra}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (105002, TokenExpiredError),
        (36009002, QuotaError),
        (36009003, RetryableError),
        (11001001, RetryableError),
        (106001, AuthError),
        (21011040, AlreadyDoneError),
        (21011027, AlreadyDoneError),
    ],
)
def test_tiktok_documented_codes(code: int, expected: type[CarrierError]) -> None:
    """Each documented TikTok code becomes its kind's class, with name, request id and documented text."""
    error = answer("tiktok_shop", "batchShipPackages", tiktok(code, "as sent"))
    assert type(error) is expected
    assert isinstance(error, CarrierError)
    assert (error.code, error.request_id, error.message) == (code, "req-1", "as sent")
    assert error.name
    assert error.documented_message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Invalid timestamp: the request is older than 5 minutes", InvalidRequestError),
        ("Invalid access_token", TokenExpiredError),
        ("x-tts-access-token header is invalid", TokenExpiredError),
        ("app_key not found", AuthError),
        ("Invalid refresh_token", AuthError),
        ("something else entirely", InvalidRequestError),
    ],
)
def test_tiktok_36009004_is_classified_by_its_message(message: str, expected: type[CarrierError]) -> None:
    """The overloaded 36009004 means a stale timestamp or a bad token depending on the message words."""
    assert type(answer("tiktok_shop", "batchShipPackages", tiktok(36009004, message))) is expected


def test_tiktok_partial_success_is_not_an_error() -> None:
    """Code 0 with failed packages in data.errors is a success for classify: the runner reads the items."""
    body = tiktok(0, "Success", data={"errors": [{"code": 21011040, "message": "shipped", "detail": {}}]})
    assert answer("tiktok_shop", "batchShipPackages", body) is None


def test_unknown_code_keeps_the_raw_message() -> None:
    """An undocumented code is kind unknown and keeps the carrier's own words."""
    error = answer("tiktok_shop", "batchShipPackages", tiktok(12345678, "Brand new failure"))
    assert isinstance(error, UnknownCarrierError)
    assert (error.code, error.name, error.message) == (12345678, None, "Brand new failure")
    assert "Brand new failure" in str(error)


@pytest.mark.parametrize(
    ("operation", "errcode", "expected"),
    [
        ("sendDelivery", -1, RetryableError),
        ("sendDelivery", 40001, TokenExpiredError),
        ("sendDelivery", 42001, TokenExpiredError),
        ("sendDelivery", 109001, AlreadyDoneError),
        ("sendDelivery", 101100, NotAllowedError),
        ("sendDelivery", 100002, NotFoundError),
        ("sendDelivery", 45009, QuotaError),
        ("getAccessToken", 40001, AuthError),
        ("getDeliveryCompanyList", 9401020, InvalidRequestError),
    ],
)
def test_wechat_codes_and_operation_tables_win(
    operation: str, errcode: int, expected: type[CarrierError]
) -> None:
    """An operation's own entry wins over the root table (40001 is a wrong secret when fetching a token)."""
    error = answer("wechat_shop", operation, {"errcode": errcode, "errmsg": "text rid: 6350ba59"})
    assert type(error) is expected


def test_wechat_success_without_errcode() -> None:
    """A token answer carries no errcode at all, and errcode 0 is success."""
    assert answer("wechat_shop", "getAccessToken", {"access_token": "t", "expires_in": 7200}) is None
    assert answer("wechat_shop", "sendDelivery", {"errcode": 0, "errmsg": "ok"}) is None


@pytest.mark.parametrize(
    ("operation", "code", "expected"),
    [
        ("createShipment", 1001, AuthError),
        ("createShipment", 1005, AlreadyDoneError),
        ("createShipment", 1004, RetryableError),
        ("getTracking", 1003, RetryableError),
        ("getTracking", 1004, NotFoundError),
        ("getShipmentLabel", 1003, InvalidRequestError),
    ],
)
def test_baaship_codes_mean_what_their_operation_says(
    operation: str, code: int, expected: type[CarrierError]
) -> None:
    """Baaship 1003/1004 change meaning on /tracking; each operation's table is used."""
    body = {"success": False, "code": str(code), "message": "m", "requestId": "r"}
    assert type(answer("baaship", operation, body)) is expected


def test_baaship_success() -> None:
    """success true with code 200 is a success."""
    assert answer("baaship", "createShipment", {"success": True, "code": 200, "data": []}) is None


@pytest.mark.parametrize(
    ("operation", "body", "expected", "name"),
    [
        ("shipBatch", {"message": "Batch is not ready to ship."}, NotAllowedError, "BATCH_NOT_READY"),
        ("shipBatch", {"message": "Batch  is not ready\nto ship."}, NotAllowedError, "BATCH_NOT_READY"),
        (
            "shipBatch",
            {"message": "Bad", "data": {"invalid_order_ids": [7]}},
            InvalidRequestError,
            "INVALID_ITEMS",
        ),
        ("shipBatch", {"message": "Not enough Credit in account"}, NotAllowedError, "NOT_ENOUGH_CREDIT"),
        ("removeBatchItems", {"message": "Shipment batch is being processed."}, NotAllowedError, None),
        ("createBatch", {"message": "Something undocumented"}, UnknownCarrierError, None),
    ],
)
def test_deftship_code_less_failures_match_documented_messages(
    operation: str, body: dict[str, Any], expected: type[CarrierError], name: str | None
) -> None:
    """DeftShip failures carry only a message: exact text (whitespace-normalised), keyword or data field."""
    error = answer("deftship", operation, {"success": False, **body})
    assert type(error) is expected
    assert isinstance(error, CarrierError)
    assert error.code is None
    if name is not None:
        assert error.name == name


def test_deftship_undocumented_message_with_an_http_error_status_uses_the_status() -> None:
    """No documented match on a 5xx/422 answer: the HTTP status decides the kind, not 'unknown'."""
    body = {"success": False, "message": "Server Error"}
    assert type(answer("deftship", "getBatch", body, status=500)) is RetryableError
    assert type(answer("deftship", "getBatch", body, status=422)) is InvalidRequestError


def test_an_invalid_refresh_token_is_an_auth_error_of_the_token_call() -> None:
    """36009004 "Invalid refresh_token" from the refresh call: the seller must authorize again (kind auth)."""
    error = answer("tiktok_shop", "refreshAccessToken", tiktok(36009004, "Invalid refresh_token"))
    assert isinstance(error, AuthError)
    assert error.kind == "auth"
