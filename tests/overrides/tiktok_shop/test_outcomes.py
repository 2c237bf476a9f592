"""package_outcomes turns a Batch Ship Packages answer into one outcome per requested package."""

from __future__ import annotations

import json
from typing import Any

import pytest
from shipspec.carriers.tiktok_shop import PackageOutcome, package_outcomes
from shipspec.errors import AlreadyDoneError, ResponseDecodeError, RetryableError


def _answer(
    code: int = 0, errors: list[dict[str, Any]] | None = None, message: str = "Success"
) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": "r", "data": {"errors": errors or []}}


def _error(package_id: str, code: int, message: str = "as sent") -> dict[str, Any]:
    return {"code": code, "message": message, "detail": {"package_id": package_id}}


def test_unlisted_packages_are_shipped() -> None:
    """With code 0 and no errors every requested package is shipped, in request order."""
    outcomes = package_outcomes(["B", "A"], _answer())
    assert outcomes == [PackageOutcome("B", "shipped"), PackageOutcome("A", "shipped")]


def test_partial_success_never_raises_for_the_whole_batch() -> None:
    """code 0 with some errors: shipped, already_shipped (21011040, 21011027) and failed side by side."""
    answer = _answer(
        errors=[
            _error("P2", 21011040),
            _error("P3", 21011027),
            _error("P4", 21011041, "order cancelled"),
            _error("P5", 12345678, "something new"),
        ]
    )
    by_id = {o.package_id: o for o in package_outcomes(["P1", "P2", "P3", "P4", "P5"], answer)}
    assert by_id["P1"].status == "shipped"
    assert (by_id["P2"].status, by_id["P2"].name) == ("already_shipped", "PACKAGE_ALREADY_SHIPPED")
    assert (by_id["P3"].status, by_id["P3"].kind) == ("already_shipped", "already_done")
    cancelled = by_id["P4"]
    assert (cancelled.status, cancelled.code, cancelled.kind) == ("failed", 21011041, "not_allowed")
    assert cancelled.message == "order cancelled"
    assert cancelled.documented_message is not None
    assert cancelled.documented_message.startswith("Cannot complete the operation when order is cancelled")
    unknown = by_id["P5"]
    assert (unknown.status, unknown.kind, unknown.name, unknown.documented_message) == (
        "failed",
        "unknown",
        None,
        None,
    )


def test_raw_json_bytes_are_accepted() -> None:
    """The raw response body works as well as the decoded JSON."""
    raw = json.dumps(_answer(errors=[_error("P1", 21011040)])).encode()
    assert package_outcomes(["P1"], raw)[0].status == "already_shipped"


def test_failed_envelope_raises_its_typed_error() -> None:
    """A non-zero envelope code failed the whole call and raises the kind's error."""
    with pytest.raises(RetryableError):
        package_outcomes(["P1"], _answer(code=36009003, message="Internal error"))
    with pytest.raises(AlreadyDoneError):
        package_outcomes(["P1"], _answer(code=21011040, message="Package has shipped."))


@pytest.mark.parametrize(
    "errors",
    [
        [{"code": 21011001, "message": "no detail"}],
        [_error("NOT-REQUESTED", 21011001)],
    ],
)
def test_failures_that_name_no_requested_package_are_decode_errors(errors: list[dict[str, Any]]) -> None:
    """A failure that cannot be tied to a requested package must not let that package count as shipped."""
    with pytest.raises(ResponseDecodeError):
        package_outcomes(["P1"], _answer(errors=errors))


def test_non_json_answer_is_a_decode_error() -> None:
    """An HTML page instead of the envelope is a ResponseDecodeError."""
    with pytest.raises(ResponseDecodeError):
        package_outcomes(["P1"], b"<html>busy</html>")
