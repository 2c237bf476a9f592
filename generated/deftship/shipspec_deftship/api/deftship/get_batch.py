from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.batch_envelope import BatchEnvelope
from ...models.failure_envelope import FailureEnvelope
from ...models.get_batch_status import GetBatchStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    batch_id: str,
    *,
    status: GetBatchStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/batches/{batch_id}".format(
            batch_id=quote(str(batch_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _checked_kwargs(
    batch_id: str,
    *,
    status: GetBatchStatus | Unset = UNSET,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "GET /batches/{batch_id}",
        {
            "batch_id": batch_id,
            "status": status,
        },
        None,
    )
    return _get_kwargs(
        batch_id=batch_id,
        status=status,
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
    checks.check_answer("GET /batches/{batch_id}", response)
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
    status: GetBatchStatus | Unset = UNSET,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Get a batch with its items

     Read a batch: status, counters, one page of items (optionally filtered by item status) and, once
    completed, the merged label PDF URLs.

    Args:
        batch_id (str):  Example: 12345678.
        status (GetBatchStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        batch_id=batch_id,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    status: GetBatchStatus | Unset = UNSET,
) -> BatchEnvelope:
    """Get a batch with its items

     Read a batch: status, counters, one page of items (optionally filtered by item status) and, once
    completed, the merged label PDF URLs.

    Args:
        batch_id (str):  Example: 12345678.
        status (GetBatchStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "GET /batches/{batch_id}",
        sync_detailed(
            batch_id=batch_id,
            client=client,
            status=status,
        ),
        BatchEnvelope,
    )


async def asyncio_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    status: GetBatchStatus | Unset = UNSET,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Get a batch with its items

     Read a batch: status, counters, one page of items (optionally filtered by item status) and, once
    completed, the merged label PDF URLs.

    Args:
        batch_id (str):  Example: 12345678.
        status (GetBatchStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        batch_id=batch_id,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    status: GetBatchStatus | Unset = UNSET,
) -> BatchEnvelope:
    """Get a batch with its items

     Read a batch: status, counters, one page of items (optionally filtered by item status) and, once
    completed, the merged label PDF URLs.

    Args:
        batch_id (str):  Example: 12345678.
        status (GetBatchStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "GET /batches/{batch_id}",
        await asyncio_detailed(
            batch_id=batch_id,
            client=client,
            status=status,
        ),
        BatchEnvelope,
    )
