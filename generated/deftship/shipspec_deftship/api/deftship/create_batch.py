from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.batch_envelope import BatchEnvelope
from ...models.create_batch_request import CreateBatchRequest
from ...models.failure_envelope import FailureEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: CreateBatchRequest,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/batches",
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: CreateBatchRequest,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /batches",
        {},
        body,
    )
    return _get_kwargs(
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
    checks.check_answer("POST /batches", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateBatchRequest,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Create a shipment batch

     Create a batch of up to 1,000 shipments (beta; own USPS carrier account only; PDF labels only). The
    answer comes immediately with status `validating`; items are validated asynchronously, so poll
    getBatch until the status is `ready` or `invalid`.

    Args:
        body (CreateBatchRequest): Create a batch of shipments, all shipped with one shipper
            account and one service. Example: {'shipper_id': 123, 'service': 'USPS-3',
            'batch_shipments': [{'from_address_id': 1387235969, 'to_address': {'name': 'Jane Smith',
            'street_1': '456 Oak Ave', 'city': 'Los Angeles', 'state': 'CA', 'zip': '90001',
            'country': 'US', 'telephone': '5559876543'}, 'package_list': [{'count': 1, 'length': 10,
            'width': 8, 'height': 4, 'weight': 1, 'reference_1': 'ORDER-001'}]}, {'from_address_id':
            1387235969, 'to_address': {'name': 'Bob Johnson', 'street_1': '789 Pine Rd', 'city':
            'Chicago', 'state': 'IL', 'zip': '60601', 'country': 'US', 'telephone': '5551112222'},
            'package_list': [{'count': 1, 'length': 12, 'width': 10, 'height': 6, 'weight': 2,
            'reference_1': 'ORDER-002'}]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateBatchRequest,
) -> BatchEnvelope:
    """Create a shipment batch

     Create a batch of up to 1,000 shipments (beta; own USPS carrier account only; PDF labels only). The
    answer comes immediately with status `validating`; items are validated asynchronously, so poll
    getBatch until the status is `ready` or `invalid`.

    Args:
        body (CreateBatchRequest): Create a batch of shipments, all shipped with one shipper
            account and one service. Example: {'shipper_id': 123, 'service': 'USPS-3',
            'batch_shipments': [{'from_address_id': 1387235969, 'to_address': {'name': 'Jane Smith',
            'street_1': '456 Oak Ave', 'city': 'Los Angeles', 'state': 'CA', 'zip': '90001',
            'country': 'US', 'telephone': '5559876543'}, 'package_list': [{'count': 1, 'length': 10,
            'width': 8, 'height': 4, 'weight': 1, 'reference_1': 'ORDER-001'}]}, {'from_address_id':
            1387235969, 'to_address': {'name': 'Bob Johnson', 'street_1': '789 Pine Rd', 'city':
            'Chicago', 'state': 'IL', 'zip': '60601', 'country': 'US', 'telephone': '5551112222'},
            'package_list': [{'count': 1, 'length': 12, 'width': 10, 'height': 6, 'weight': 2,
            'reference_1': 'ORDER-002'}]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "POST /batches",
        sync_detailed(
            client=client,
            body=body,
        ),
        BatchEnvelope,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateBatchRequest,
) -> Response[BatchEnvelope | FailureEnvelope]:
    """Create a shipment batch

     Create a batch of up to 1,000 shipments (beta; own USPS carrier account only; PDF labels only). The
    answer comes immediately with status `validating`; items are validated asynchronously, so poll
    getBatch until the status is `ready` or `invalid`.

    Args:
        body (CreateBatchRequest): Create a batch of shipments, all shipped with one shipper
            account and one service. Example: {'shipper_id': 123, 'service': 'USPS-3',
            'batch_shipments': [{'from_address_id': 1387235969, 'to_address': {'name': 'Jane Smith',
            'street_1': '456 Oak Ave', 'city': 'Los Angeles', 'state': 'CA', 'zip': '90001',
            'country': 'US', 'telephone': '5559876543'}, 'package_list': [{'count': 1, 'length': 10,
            'width': 8, 'height': 4, 'weight': 1, 'reference_1': 'ORDER-001'}]}, {'from_address_id':
            1387235969, 'to_address': {'name': 'Bob Johnson', 'street_1': '789 Pine Rd', 'city':
            'Chicago', 'state': 'IL', 'zip': '60601', 'country': 'US', 'telephone': '5551112222'},
            'package_list': [{'count': 1, 'length': 12, 'width': 10, 'height': 6, 'weight': 2,
            'reference_1': 'ORDER-002'}]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | FailureEnvelope]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateBatchRequest,
) -> BatchEnvelope:
    """Create a shipment batch

     Create a batch of up to 1,000 shipments (beta; own USPS carrier account only; PDF labels only). The
    answer comes immediately with status `validating`; items are validated asynchronously, so poll
    getBatch until the status is `ready` or `invalid`.

    Args:
        body (CreateBatchRequest): Create a batch of shipments, all shipped with one shipper
            account and one service. Example: {'shipper_id': 123, 'service': 'USPS-3',
            'batch_shipments': [{'from_address_id': 1387235969, 'to_address': {'name': 'Jane Smith',
            'street_1': '456 Oak Ave', 'city': 'Los Angeles', 'state': 'CA', 'zip': '90001',
            'country': 'US', 'telephone': '5559876543'}, 'package_list': [{'count': 1, 'length': 10,
            'width': 8, 'height': 4, 'weight': 1, 'reference_1': 'ORDER-001'}]}, {'from_address_id':
            1387235969, 'to_address': {'name': 'Bob Johnson', 'street_1': '789 Pine Rd', 'city':
            'Chicago', 'state': 'IL', 'zip': '60601', 'country': 'US', 'telephone': '5551112222'},
            'package_list': [{'count': 1, 'length': 12, 'width': 10, 'height': 6, 'weight': 2,
            'reference_1': 'ORDER-002'}]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope
    """

    return checks.success_of(
        "POST /batches",
        await asyncio_detailed(
            client=client,
            body=body,
        ),
        BatchEnvelope,
    )
