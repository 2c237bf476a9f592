from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.add_batch_items_request import AddBatchItemsRequest
from ...models.batch_envelope import BatchEnvelope
from ...models.failure_envelope import FailureEnvelope
from ...types import Response


def _get_kwargs(
    batch_id: str,
    *,
    body: AddBatchItemsRequest,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/batches/{batch_id}/add-items".format(
            batch_id=quote(str(batch_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    batch_id: str,
    *,
    body: AddBatchItemsRequest,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "PUT /batches/{batch_id}/add-items",
        {
            "batch_id": batch_id,
        },
        body,
    )
    return _get_kwargs(
        batch_id=batch_id,
        body=body,
        body_json=body_json,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchEnvelope | FailureEnvelope | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> BatchEnvelope | FailureEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_batch_result_type_0 = BatchEnvelope.from_dict(data)

                return componentsschemas_batch_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_batch_result_type_1 = FailureEnvelope.from_dict(data)

            return componentsschemas_batch_result_type_1

        response_200 = _parse_response_200(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchEnvelope | FailureEnvelope]:
    checks.check_answer("PUT /batches/{batch_id}/add-items", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    body: AddBatchItemsRequest,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Add shipments to a batch

     Append shipments (same shape as in createBatch) to a batch. Not allowed while the batch is
    validating, processing or completed. On success the batch goes back to `validating`.

    Args:
        batch_id (str):  Example: 12345678.
        body (AddBatchItemsRequest): Shipments to append to an existing batch; each has the same
            shape as in Create Batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        batch_id=batch_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    body: AddBatchItemsRequest,
) -> BatchEnvelope:
    """Add shipments to a batch

     Append shipments (same shape as in createBatch) to a batch. Not allowed while the batch is
    validating, processing or completed. On success the batch goes back to `validating`.

    Args:
        batch_id (str):  Example: 12345678.
        body (AddBatchItemsRequest): Shipments to append to an existing batch; each has the same
            shape as in Create Batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "PUT /batches/{batch_id}/add-items",
        sync_detailed(
            batch_id=batch_id,
            client=client,
            body=body,
        ),
        BatchEnvelope,
    )


async def asyncio_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    body: AddBatchItemsRequest,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Add shipments to a batch

     Append shipments (same shape as in createBatch) to a batch. Not allowed while the batch is
    validating, processing or completed. On success the batch goes back to `validating`.

    Args:
        batch_id (str):  Example: 12345678.
        body (AddBatchItemsRequest): Shipments to append to an existing batch; each has the same
            shape as in Create Batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        batch_id=batch_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    body: AddBatchItemsRequest,
) -> BatchEnvelope:
    """Add shipments to a batch

     Append shipments (same shape as in createBatch) to a batch. Not allowed while the batch is
    validating, processing or completed. On success the batch goes back to `validating`.

    Args:
        batch_id (str):  Example: 12345678.
        body (AddBatchItemsRequest): Shipments to append to an existing batch; each has the same
            shape as in Create Batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "PUT /batches/{batch_id}/add-items",
        await asyncio_detailed(
            batch_id=batch_id,
            client=client,
            body=body,
        ),
        BatchEnvelope,
    )
