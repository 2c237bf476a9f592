"""Answers that used to escape as success objects or bare exceptions, each now a typed error."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from shipspec.carriers.tiktok_shop.outcomes import package_outcomes
from shipspec.carriers.wechat_shop import mapping as wechat_mapping
from shipspec.classify import classify
from shipspec.errors import CarrierError, ResponseDecodeError
from shipspec.settings import instant_backoff
from shipspec.spec_tables import tables_for

from .calls import CALLS, Call, wired_client


def _call(operation_id: str) -> Call:
    return next(call for call in CALLS if call.operation_id == operation_id and call.carrier != "wechat_shop")


@pytest.fixture(autouse=True)
def _instant() -> Iterator[None]:
    with instant_backoff():
        yield


def _answer(status: int, content: bytes) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, content=content)


@pytest.mark.parametrize(
    ("operation_id", "content"),
    [
        ("getTracking", b'{"success": true, "code": 200}'),  # no data: was ErrorResponse(success=True)
        ("cancelShipment", b'{"success": true, "code": 200, "data": {"waybill": false}}'),
        ("getTracking", b'{"success": true, "code": 200, "data": [{"events": [{"timeZone": 1}]}]}'),
        ("getTracking", b'{"success": true, "code": 200, "data": [1]}'),  # array items are checked
        ("getTracking", b'{"success": true, "code": "--1", "data": []}'),  # int("--1") raised ValueError
        ("getTracking", '{"success": true, "code": "\u00b2", "data": []}'.encode()),  # "²".isdigit()
        ("getTracking", b'{"success": true, "code": ' + b"9" * 5_000 + b"}"),  # over Python's digit limit
        ("getTracking", b"[" * 100_000 + b"]" * 100_000),  # RecursionError in json.loads
    ],
)
def test_a_malformed_baaship_answer_is_a_decode_error(operation_id: str, content: bytes) -> None:
    """Each of these came back as a success model or a non-shipspec exception before."""
    call = _call(operation_id)
    with pytest.raises(ResponseDecodeError):
        call.run(wired_client("baaship", _answer(200, content)))


@pytest.mark.parametrize("status", [201, 202, 204, 302])
def test_an_undocumented_success_status_is_a_decode_error_not_none(status: int) -> None:
    """HTTP 201/202/302 with a success body returned None before; the spec documents 200 only."""
    body = b'{"success": true, "code": 200, "data": []}'
    with pytest.raises(ResponseDecodeError, match=f"HTTP {status} is not a documented answer"):
        _call("getTracking").run(
            wired_client("baaship", lambda request: httpx.Response(status, content=body))
        )


def test_a_documented_success_is_returned_as_the_success_model() -> None:
    """The wired sync returns the success model itself (not a union with the failure envelope)."""
    body = b'{"success": true, "code": 200, "data": [{"waybill": "T1", "events": [{"timeZone": "UTC+8"}]}]}'
    tracking = _call("getTracking").run(
        wired_client("baaship", lambda request: httpx.Response(200, content=body))
    )
    assert tracking.data[0].waybill == "T1"


def test_a_failure_envelope_is_a_carrier_error() -> None:
    """success false with a documented code raises the typed carrier error."""
    body = b'{"success": false, "code": 1004, "message": "Waybill or referenceNo does not exist"}'
    with pytest.raises(CarrierError):
        _call("getTracking").run(wired_client("baaship", _answer(200, body)))


def test_the_legacy_tiktok_failure_list_is_not_read_as_all_shipped() -> None:
    """data.fail_packages_list (pre-202309) named failures that data.errors rules would call shipped."""
    legacy = {"code": 0, "data": {"fail_packages_list": [{"id": "P1", "fail_code": 21011040}]}}
    with pytest.raises(ResponseDecodeError, match="fail_packages_list"):
        package_outcomes(["P1"], legacy)
    assert (
        classify(tables_for("tiktok_shop"), "batchShipPackages", 200, {}, b'{"code": 0, "data": {}}') is None
    )


def _broken(excerpt: str) -> ResponseDecodeError:
    return ResponseDecodeError(
        "bad", carrier="wechat_shop", operation="sendDelivery", http_status=200, body_excerpt=excerpt
    )


def test_wechat_reads_only_the_trailing_comma_success_leniently() -> None:
    """errcode 0 in a body refused for its shape (valid JSON, or wrong types) is no longer 'shipped'."""
    assert wechat_mapping.lenient_success(_broken('{"errcode": 0, "errmsg": "ok",}'))
    assert not wechat_mapping.lenient_success(
        _broken('{"errcode": 0, "errmsg": 5}')
    )  # valid JSON, wrong type
    assert not wechat_mapping.lenient_success(_broken('{"errcode": 0, "errmsg": 5,}'))
    assert not wechat_mapping.lenient_success(_broken('{"errcode": false, "errmsg": "ok",}'))
    assert not wechat_mapping.lenient_success(_broken('{"errcode": 0.0, "errmsg": "ok",}'))
