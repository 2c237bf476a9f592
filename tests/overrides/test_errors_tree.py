"""The error tree: a class per kind; carrier answers and transport failures are separate branches."""

from __future__ import annotations

import pytest
from shipspec import errors


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("retry", errors.RetryableError),
        ("quota", errors.QuotaError),
        ("refresh_token", errors.TokenExpiredError),
        ("already_done", errors.AlreadyDoneError),
        ("invalid_request", errors.InvalidRequestError),
        ("not_allowed", errors.NotAllowedError),
        ("not_found", errors.NotFoundError),
        ("auth", errors.AuthError),
        ("unknown", errors.UnknownCarrierError),
        ("no_such_kind", errors.UnknownCarrierError),
    ],
)
def test_carrier_error_builds_the_class_of_a_kind(kind: str, cls: type[errors.CarrierError]) -> None:
    """carrier_error() picks the subclass by kind; an unrecognised kind is UnknownCarrierError."""
    error = errors.carrier_error(kind, carrier="c", operation="op", code=1, message="m")
    assert type(error) is cls
    assert isinstance(error, errors.CarrierError)
    assert isinstance(error, errors.ShipspecError)


def test_transport_branch_is_not_a_carrier_error() -> None:
    """Connect, ambiguous and decode failures are TransportErrors, never CarrierErrors."""
    for cls in (errors.ConnectError, errors.AmbiguousTimeoutError):
        error = cls("x", carrier="c", operation="op")
        assert isinstance(error, errors.TransportError)
        assert not isinstance(error, errors.CarrierError)
    decode = errors.ResponseDecodeError("x", carrier="c", operation="op", http_status=200, body_excerpt="<")
    assert isinstance(decode, errors.TransportError)
    assert not isinstance(decode, errors.CarrierError)


def test_str_names_carrier_operation_code_kind_and_request() -> None:
    """str() is built from the documented fields so a log line says what happened and where."""
    error = errors.carrier_error(
        "already_done",
        carrier="tiktok_shop",
        operation="batchShipPackages",
        code=21011040,
        message="Package has shipped.",
        name="PACKAGE_ALREADY_SHIPPED",
        request_id="r-9",
    )
    assert str(error) == (
        "tiktok_shop.batchShipPackages: code 21011040 PACKAGE_ALREADY_SHIPPED [already_done]: "
        "Package has shipped. (request r-9)"
    )
