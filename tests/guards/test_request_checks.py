"""The generated functions refuse what their spec forbids before anything is sent, naming the field."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
from shipspec.errors import InputError
from shipspec_deftship.api.deftship import create_batch, get_batch
from shipspec_deftship.checks import RequestValidationError
from shipspec_deftship.models import RemoveBatchItemsRequest

from .calls import CALLS, wired_client

CREATE_BATCH = next(call for call in CALLS if call.operation_id == "createBatch")


def _unreachable(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"sent {request.method} {request.url}")


@pytest.mark.parametrize("batch_id", ["..", ".", "", None])
def test_a_batch_id_that_is_no_path_segment_is_refused(batch_id: Any) -> None:
    """get_batch('..') would be GET /, None would be /batches/None: both refused before sending."""
    client = wired_client("deftship", _unreachable)
    with pytest.raises(InputError) as caught:
        get_batch.sync(batch_id, client=client)
    assert set(caught.value.problems) == {"batch_id"}


def test_a_raw_generated_client_raises_its_own_validation_error() -> None:
    """A bare generated client raises the package's RequestValidationError (shipspec's InputError is one)."""
    from shipspec_deftship import AuthenticatedClient

    raw = AuthenticatedClient(base_url="http://127.0.0.1:9", token="t")
    with pytest.raises(RequestValidationError) as caught:
        get_batch.sync("..", client=raw)
    assert caught.value.problems == {"batch_id": "'..' cannot be a URL path segment"}


def test_a_wired_client_raises_an_input_error_that_the_package_type_also_catches() -> None:
    """One error, both trees: ``except InputError`` and ``except RequestValidationError`` both catch it."""
    with pytest.raises(InputError) as caught:
        get_batch.sync("..", client=wired_client("deftship", _unreachable))
    assert isinstance(caught.value, RequestValidationError)
    assert caught.value.operation_id == "getBatch"


def _body(**changes: Any) -> Any:
    body = CREATE_BATCH.arguments()["body"]
    for path, value in changes.items():
        node = body
        *parents, name = path.split("__")
        for part in parents:
            node = node[0] if part == "0" else getattr(node, part)
        setattr(node, name, value)
    return body


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"shipper_id": 2**63}, "body.shipper_id"),
        (
            {"batch_shipments__0__package_list__0__weight": math.nan},
            "body.batch_shipments[0].package_list[0].weight",
        ),
        (
            {"batch_shipments__0__package_list__0__weight": True},
            "body.batch_shipments[0].package_list[0].weight",
        ),
        ({"batch_shipments__0__to_address__name": None}, "body.batch_shipments[0].to_address.name"),
    ],
)
def test_a_body_breaking_the_spec_is_refused_with_its_path(changes: dict[str, Any], path: str) -> None:
    """int64 overflow, NaN (a bare ValueError in httpx before), a bool for a number, a required null."""
    client = wired_client("deftship", _unreachable)
    with pytest.raises(InputError) as caught:
        create_batch.sync(client=client, body=_body(**changes))
    assert path in caught.value.problems


def test_more_items_than_the_documented_cap_are_refused() -> None:
    """maxItems: 10,000 ids per remove request."""
    from shipspec_deftship.api.deftship import remove_batch_items

    client = wired_client("deftship", _unreachable)
    body = RemoveBatchItemsRequest(batch_shipment_ids=["1"] * 10_001)
    with pytest.raises(InputError) as caught:
        remove_batch_items.sync("12345678", client=client, body=body)
    assert "at most 10000" in caught.value.problems["body.batch_shipment_ids"]
