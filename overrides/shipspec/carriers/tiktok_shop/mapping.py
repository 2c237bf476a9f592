"""TikTok Shop ↔ the neutral model for Batch Ship Packages: pure functions, specs/MAPPING.md § TikTok Shop.

One Shipment is one element of ``packages[]``, identified by ``platform.package_id``:

- ``handover.method`` → ``handover_method`` (``PICKUP``/``DROP_OFF``); the pickup window → ``pickup_slot``
  in whole Unix seconds, sent only with ``PICKUP``;
- a seller-shipped package (``platform.tracking_number`` + ``platform.shipping_provider_id``) →
  ``self_shipment``;
- ``cod`` and ``reverse: true`` are rejected; everything else of the Shipment is ignored, because the
  platform package already holds the order, goods and addresses.

Results: the per-package outcome (``shipspec.carriers.tiktok_shop.package_outcomes``) decides the status.
This API returns no tracking number: for TikTok-arranged shipping the platform assigns one later (Get
Package Detail, not in our specs), so a result carries a tracking number only when the seller gave it. No
label URL either (shipping documents are a separate API). ``carrier_shipment_id`` is the package id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from shipspec_shipping_models import Shipment, ShipmentError, ShipmentResult
from shipspec_tiktok_shop.checks import part_problems
from shipspec_tiktok_shop.models import (
    BatchShipPackagesRequest,
    PickupSlot,
    SelfShipment,
    ShipPackage,
    ShipPackageHandoverMethod,
)

from ...errors import CarrierError, InputError, ShipspecError, carrier_error
from ...shipping.results import normalized_error
from .outcomes import PackageOutcome

CARRIER: Final = "tiktok_shop"
OPERATION: Final = "batchShipPackages"
METHODS: Final = {"pickup": ShipPackageHandoverMethod.PICKUP, "drop_off": ShipPackageHandoverMethod.DROP_OFF}

__all__ = [
    "CARRIER",
    "OPERATION",
    "duplicate_package_problems",
    "failed_result",
    "outcome_error",
    "pending_result",
    "problems",
    "result_of",
    "to_package",
    "to_request",
]

UNIX_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


# --- request ---------------------------------------------------------------------------------------------


def problems(shipment: Shipment) -> dict[str, str]:
    """Every reason this Shipment cannot be sent to TikTok Shop, by neutral field path (empty: fine)."""
    found: dict[str, str] = {}
    if shipment.carrier != CARRIER:
        found["carrier"] = f"is {shipment.carrier}; this shipper ships {CARRIER}"
    platform = shipment.platform
    if platform is None or platform.package_id is None:
        found["platform.package_id"] = f"required by {CARRIER} (packages[].id)"
    if shipment.cod is not None:
        found["cod"] = f"rejected by {CARRIER}: cash on delivery comes from the platform order"
    if shipment.reverse:
        found["reverse"] = f"rejected by {CARRIER}: returns do not go through Batch Ship Packages"
    if platform is not None:
        tracking, provider = platform.tracking_number, platform.shipping_provider_id
        if tracking is not None and provider is None:
            found["platform.shipping_provider_id"] = (
                f"required with platform.tracking_number by {CARRIER} (self_shipment.shipping_provider_id)"
            )
        if provider is not None and tracking is None:
            found["platform.tracking_number"] = (
                f"required with platform.shipping_provider_id by {CARRIER} (self_shipment.tracking_number)"
            )
    found.update(_handover_problems(shipment))
    return found


def _handover_problems(shipment: Shipment) -> dict[str, str]:
    handover = shipment.handover
    if handover is None:
        return {}
    found: dict[str, str] = {}
    start, end = handover.window_start, handover.window_end
    if (start is None) != (end is None):
        missing = "handover.window_end" if end is None else "handover.window_start"
        found[missing] = "required when the other window bound is set (both or neither)"
    if (start is not None or end is not None) and handover.method != "pickup":
        found["handover.method"] = f"a pickup window needs method pickup ({CARRIER}: pickup_slot only then)"
    for path, bound in (("handover.window_start", start), ("handover.window_end", end)):
        if bound is not None and bound.microsecond:
            found[path] = f"whole seconds only ({CARRIER} pickup_slot takes Unix seconds)"
        elif bound is not None and unix_seconds(bound) <= 0:
            found[path] = f"must be after 1970-01-01T00:00:00Z ({CARRIER} pickup_slot takes Unix seconds)"
    if start is not None and end is not None and end <= start:
        found["handover.window_end"] = "must be later than handover.window_start"
    return found


def unix_seconds(moment: datetime) -> int:
    """Whole Unix seconds of an aware date-time (integer arithmetic: no float on the way).

    A difference of aware date-times, not a conversion to UTC: 9999-12-31T23:59:59-23:59 is past the last
    UTC date-time Python can hold, and converting it raised OverflowError for its whole batch.
    """
    return (moment - UNIX_EPOCH) // timedelta(seconds=1)


def to_package(shipment: Shipment) -> ShipPackage:
    """The ``packages[]`` element of a Shipment; InputError (all problems at once) when it cannot be sent."""
    found = problems(shipment)
    if found:
        raise InputError(found)
    platform = shipment.platform
    package_id = platform.package_id if platform is not None else None
    assert platform is not None  # checked above
    assert package_id is not None
    package = ShipPackage(id=package_id)
    handover = shipment.handover
    if handover is not None:
        package.handover_method = METHODS[handover.method]
        if handover.window_start is not None and handover.window_end is not None:
            package.pickup_slot = PickupSlot(
                start_time=unix_seconds(handover.window_start), end_time=unix_seconds(handover.window_end)
            )
    if platform.tracking_number is not None and platform.shipping_provider_id is not None:
        package.self_shipment = SelfShipment(
            tracking_number=platform.tracking_number, shipping_provider_id=platform.shipping_provider_id
        )
    # The spec's own limits on the element, checked for this shipment alone (sent in a batch, one element
    # breaking them would fail every package of it).
    spec_problems = part_problems(OPERATION, "packages[]", package.to_dict())
    if spec_problems:
        raise InputError(spec_problems)
    return package


def to_request(packages: Sequence[ShipPackage]) -> BatchShipPackagesRequest:
    """The body of one Batch Ship Packages call."""
    return BatchShipPackagesRequest(packages=list(packages))


def duplicate_package_problems(shipments: Sequence[Shipment]) -> dict[int, InputError]:
    """Index → InputError for every Shipment whose package id another Shipment of the batch also names.

    All of them are rejected, not only the later ones: which of two different requests for one package the
    caller meant cannot be known, and the answer for one package id could not be told apart.
    """
    positions: dict[str, list[int]] = {}
    for index, shipment in enumerate(shipments):
        package_id = shipment.platform.package_id if shipment.platform is not None else None
        if package_id is not None:
            positions.setdefault(package_id, []).append(index)
    rejected: dict[int, InputError] = {}
    for package_id, indexes in positions.items():
        if len(indexes) < 2:
            continue
        references = ", ".join(shipments[i].reference for i in indexes)
        for index in indexes:
            problem = f"package {package_id} is named by several shipments of one batch ({references})"
            rejected[index] = InputError({"platform.package_id": problem})
    return rejected


# --- results ---------------------------------------------------------------------------------------------


def outcome_error(outcome: PackageOutcome, request_id: str | None) -> CarrierError:
    """The typed error of a package listed in ``data.errors`` (kind from the spec; undocumented: unknown)."""
    return carrier_error(
        outcome.kind or "unknown",
        carrier=CARRIER,
        operation=OPERATION,
        code=outcome.code,
        message=outcome.message or outcome.documented_message or "package failed without a message",
        request_id=request_id,
        name=outcome.name,
        documented_message=outcome.documented_message,
    )


def result_of(shipment: Shipment, outcome: PackageOutcome, request_id: str | None = None) -> ShipmentResult:
    """The ShipmentResult of a package's outcome in a code-0 answer.

    ``tracking_number`` is the seller's own on ``shipped``; it is left out on ``already_shipped``, which may
    come from an earlier shipment with another tracking number.
    """
    if outcome.status == "failed":
        return failed_result(shipment, outcome_error(outcome, request_id))
    status: Literal["shipped", "already_shipped"] = outcome.status
    platform = shipment.platform
    seller_tracking = platform.tracking_number if platform is not None else None
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status=status,
        tracking_number=seller_tracking if status == "shipped" else None,
        carrier_shipment_id=outcome.package_id,
    )


def failed_result(shipment: Shipment, error: ShipspecError) -> ShipmentResult:
    """A failed result with the normalized error (InputError → kind invalid_request naming the paths)."""
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status="failed",
        carrier_shipment_id=_package_id(shipment),
        error=normalized_error(CARRIER, error),
    )


def pending_result(shipment: Shipment, why: str, error: ShipspecError | None = None) -> ShipmentResult:
    """A result whose outcome could not be learnt: resend the same Shipment later (it cannot ship twice)."""
    detail = f"{why}; last error: {normalized_error(CARRIER, error).message}" if error is not None else why
    return ShipmentResult(
        reference=shipment.reference,
        carrier=CARRIER,
        status="pending",
        carrier_shipment_id=_package_id(shipment),
        error=ShipmentError(carrier=CARRIER, code=None, kind="retry", message=detail),
    )


def _package_id(shipment: Shipment) -> str | None:
    return shipment.platform.package_id if shipment.platform is not None else None
