"""classify() holds a 200 success to the spec's documented shape: no missing envelope field, no wrong type.

Each case below was read as success before (a shipment reported shipped that was not), or crashed the
generated parser with a bare KeyError.
"""

from __future__ import annotations

import pytest
from shipspec.classify import classify
from shipspec.errors import ResponseDecodeError
from shipspec.spec_tables import tables_for

CASES = [
    ("tiktok_shop", "batchShipPackages", b'{"code": null, "message": "gateway"}', "code is null"),
    ("tiktok_shop", "batchShipPackages", b'{"code": "abc"}', "code is str, documented integer"),
    ("tiktok_shop", "batchShipPackages", b'{"message": "ok"}', "required field code is missing"),
    ("tiktok_shop", "batchShipPackages", b'{"code": 0, "data": "garbage"}', "data is str, documented object"),
    ("tiktok_shop", "batchShipPackages", b'{"code": 0, "data": {"errors": {}}}', "data.errors is dict"),
    ("wechat_shop", "sendDelivery", b"{}", "required field errcode is missing"),
    ("wechat_shop", "sendDelivery", b'{"errmsg": "system error"}', "required field errcode is missing"),
    ("baaship", "getTracking", b"{}", "required field code is missing"),
    ("baaship", "getTracking", b'{"success": true}', "required field code is missing"),
    ("deftship", "createBatch", b'{"success": true}', "required field data is missing"),
    ("deftship", "getBatch", b'{"success": true, "data": {"status": "ready"}}', "data.id is missing"),
]


@pytest.mark.parametrize(("carrier", "operation", "content", "problem"), CASES)
def test_an_undocumented_success_is_a_decode_error(
    carrier: str, operation: str, content: bytes, problem: str
) -> None:
    error = classify(tables_for(carrier), operation, 200, {}, content)
    assert isinstance(error, ResponseDecodeError)
    assert "not the documented shape" in str(error)
    assert problem in str(error)


@pytest.mark.parametrize(
    ("carrier", "operation", "content"),
    [
        ("tiktok_shop", "batchShipPackages", b'{"code": 0, "message": "Success", "data": {"errors": []}}'),
        ("tiktok_shop", "batchShipPackages", b'{"code": 0, "data": null}'),
        ("tiktok_shop", "batchShipPackages", b'{"code": "0"}'),  # a code sent as text, read leniently
        ("wechat_shop", "sendDelivery", b'{"errcode": 0, "errmsg": "ok"}'),
        ("wechat_shop", "getAccessToken", b'{"access_token": "T", "expires_in": 7200}'),  # no errcode: fine
        ("baaship", "getTracking", b'{"success": true, "code": 200, "data": []}'),
        ("deftship", "getBatch", b'{"success": true, "data": {"id": "1", "status": "ready"}}'),
    ],
)
def test_documented_successes_still_pass(carrier: str, operation: str, content: bytes) -> None:
    assert classify(tables_for(carrier), operation, 200, {}, content) is None
