from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.batch_envelope import BatchEnvelope
from ...models.failure_envelope import FailureEnvelope
from ...types import Response


def _get_kwargs(
    batch_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/batches/{batch_id}/ship".format(
            batch_id=quote(str(batch_id), safe=""),
        ),
    }

    return _kwargs


def _checked_kwargs(
    batch_id: str,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "POST /batches/{batch_id}/ship",
        {
            "batch_id": batch_id,
        },
        None,
    )
    return _get_kwargs(
        batch_id=batch_id,
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
    checks.check_answer("POST /batches/{batch_id}/ship", response)
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
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Ship a ready batch

     Ship every item of a `ready` batch. The account is charged; the batch turns `processing` and then
    `completed` asynchronously, and the labels are merged into PDFs of at most 100 labels each (see
    getBatch `labels`).

    Args:
        batch_id (str):  Example: 12345678.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        batch_id=batch_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    batch_id: str,
    *,
    client: AuthenticatedClient,
) -> BatchEnvelope:
    """Ship a ready batch

     Ship every item of a `ready` batch. The account is charged; the batch turns `processing` and then
    `completed` asynchronously, and the labels are merged into PDFs of at most 100 labels each (see
    getBatch `labels`).

    Args:
        batch_id (str):  Example: 12345678.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "POST /batches/{batch_id}/ship",
        sync_detailed(
            batch_id=batch_id,
            client=client,
        ),
        BatchEnvelope,
    )


async def asyncio_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Ship a ready batch

     Ship every item of a `ready` batch. The account is charged; the batch turns `processing` and then
    `completed` asynchronously, and the labels are merged into PDFs of at most 100 labels each (see
    getBatch `labels`).

    Args:
        batch_id (str):  Example: 12345678.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        batch_id=batch_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    batch_id: str,
    *,
    client: AuthenticatedClient,
) -> BatchEnvelope:
    """Ship a ready batch

     Ship every item of a `ready` batch. The account is charged; the batch turns `processing` and then
    `completed` asynchronously, and the labels are merged into PDFs of at most 100 labels each (see
    getBatch `labels`).

    Args:
        batch_id (str):  Example: 12345678.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "POST /batches/{batch_id}/ship",
        await asyncio_detailed(
            batch_id=batch_id,
            client=client,
        ),
        BatchEnvelope,
    )
