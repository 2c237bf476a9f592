"""Per-package results of Batch Ship Packages, where a success envelope can still carry failures.

A response with ``code`` 0 lists the packages that failed in ``data.errors`` (the operation's
``x-partial-success``); every requested package that is not listed was shipped. A failure whose kind is
``already_done`` (21011040 "Package has shipped", 21011027 "Package has been delivered") is the success of an
earlier attempt, so it is reported as ``already_shipped``, never as a failure to retry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from ...classify import classify, dig
from ...errors import CarrierError, ResponseDecodeError
from ...spec_tables import CarrierTables, tables_for

CARRIER = "tiktok_shop"
OPERATION = "batchShipPackages"
EXCERPT_CHARS = 200

PackageStatus = Literal["shipped", "already_shipped", "failed"]

__all__ = ["PackageOutcome", "PackageStatus", "package_outcomes"]


@attrs.frozen
class PackageOutcome:
    """What happened to one requested package.

    ``code``/``message`` are the carrier's, ``documented_message``/``name``/``kind`` come from the spec's
    error table (``kind`` is "unknown" and the documented fields None for an undocumented code).
    """

    package_id: str
    status: PackageStatus
    code: int | None = None
    message: str | None = None
    kind: str | None = None
    name: str | None = None
    documented_message: str | None = None


def package_outcomes(
    request_package_ids: Sequence[str],
    response_body: Mapping[str, Any] | bytes | str,
    *,
    tables: CarrierTables | None = None,
) -> list[PackageOutcome]:
    """Return one outcome per requested package, in request order.

    ``response_body`` is the decoded JSON envelope (or its raw text). An envelope whose ``code`` is not a
    success code failed as a whole and raises its typed ``CarrierError``; a success envelope never raises
    for the whole batch, except ``ResponseDecodeError`` when a failure cannot be tied to a requested
    package or the body is not the documented shape (e.g. the legacy ``data.fail_packages_list``):
    reporting such a package as shipped could lose a shipment; re-sending is safe because shipped
    packages answer 21011040.
    """
    tables = tables or tables_for(CARRIER)
    body = _decode(response_body)
    failed = _envelope_error(tables, body)
    if failed is not None:
        raise failed
    errors = _errors_by_package(body, set(request_package_ids))
    return [_outcome(tables, package_id, errors.get(package_id)) for package_id in request_package_ids]


def _decode(response_body: Mapping[str, Any] | bytes | str) -> Mapping[str, Any]:
    if isinstance(response_body, Mapping):
        return response_body
    try:
        body = json.loads(response_body)
    except (ValueError, RecursionError):  # bad JSON or UTF-8, a number over 4,300 digits, nesting too deep
        body = None
    if not isinstance(body, Mapping):
        raise _decode_error("answer is not a JSON object", response_body)
    return body


def _envelope_error(
    tables: CarrierTables, body: Mapping[str, Any]
) -> CarrierError | ResponseDecodeError | None:
    """The error the envelope means, or a decode error when the body is not the documented shape (a body
    in the legacy ``data.fail_packages_list`` shape must not read as "every package shipped")."""
    content = json.dumps(body).encode("utf-8")
    return classify(tables, OPERATION, 200, {}, content)


def _errors_by_package(body: Mapping[str, Any], requested: set[str]) -> dict[str, Mapping[str, Any]]:
    items = dig(body, "data.errors") or []
    if not isinstance(items, list):
        raise _decode_error("data.errors is not a list", body)
    by_package: dict[str, Mapping[str, Any]] = {}
    for item in items:
        package_id = dig(item, "detail.package_id")
        if package_id is None or str(package_id) not in requested:
            raise _decode_error(f"data.errors names a package that was not requested ({package_id!r})", body)
        # The first error listed for a package decides its outcome.
        by_package.setdefault(str(package_id), item)
    return by_package


def _outcome(tables: CarrierTables, package_id: str, error: Mapping[str, Any] | None) -> PackageOutcome:
    if error is None:
        return PackageOutcome(package_id=package_id, status="shipped")
    raw_code = error.get("code")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
    message = str(error.get("message") or "")
    entry = tables.lookup(OPERATION, code) if code is not None else None
    kind = entry.kind_for(message) if entry is not None else "unknown"
    return PackageOutcome(
        package_id=package_id,
        status="already_shipped" if kind == "already_done" else "failed",
        code=code,
        message=message,
        kind=kind,
        name=entry.name if entry is not None else None,
        documented_message=entry.message if entry is not None else None,
    )


def _decode_error(problem: str, body: object) -> ResponseDecodeError:
    text = (
        body
        if isinstance(body, str)
        else (body.decode("utf-8", "replace") if isinstance(body, bytes) else json.dumps(body))
    )
    return ResponseDecodeError(
        problem, carrier=CARRIER, operation=OPERATION, http_status=200, body_excerpt=text[:EXCERPT_CHARS]
    )
