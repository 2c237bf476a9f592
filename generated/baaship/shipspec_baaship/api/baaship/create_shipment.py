from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.create_shipment_request import CreateShipmentRequest
from ...models.create_shipment_response import CreateShipmentResponse
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreateShipmentRequest,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/createShipment",
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: CreateShipmentRequest,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /createShipment",
        {},
        body,
    )
    return _get_kwargs(
        body=body,
        body_json=body_json,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateShipmentResponse | ErrorResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> CreateShipmentResponse | ErrorResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_create_shipment_reply_type_0 = CreateShipmentResponse.from_dict(data)

                return componentsschemas_create_shipment_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_create_shipment_reply_type_1 = ErrorResponse.from_dict(data)

            return componentsschemas_create_shipment_reply_type_1

        response_200 = _parse_response_200(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateShipmentResponse | ErrorResponse]:
    checks.check_answer("POST /createShipment", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateShipmentRequest,
) -> Response[CreateShipmentResponse | ErrorResponse]:
    """Create a forward shipment

     Creates a shipment for one customer order and returns its waybill, product code and PDF label URL.
    `referenceNo` is the customer's unique order number: sending one that was already used answers 1005,
    and the earlier shipment can be read back with getShipmentLabel?referenceNo=…. Store delivery and
    COD products add conditional requirements (see CreateShipmentRequest).

    Args:
        body (CreateShipmentRequest): Body of POST /createShipment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateShipmentResponse | ErrorResponse]
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
    body: CreateShipmentRequest,
) -> CreateShipmentResponse:
    """Create a forward shipment

     Creates a shipment for one customer order and returns its waybill, product code and PDF label URL.
    `referenceNo` is the customer's unique order number: sending one that was already used answers 1005,
    and the earlier shipment can be read back with getShipmentLabel?referenceNo=…. Store delivery and
    COD products add conditional requirements (see CreateShipmentRequest).

    Args:
        body (CreateShipmentRequest): Body of POST /createShipment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateShipmentResponse
    """

    return checks.success_of(
        "POST /createShipment",
        sync_detailed(
            client=client,
            body=body,
        ),
        CreateShipmentResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateShipmentRequest,
) -> Response[CreateShipmentResponse | ErrorResponse]:
    """Create a forward shipment

     Creates a shipment for one customer order and returns its waybill, product code and PDF label URL.
    `referenceNo` is the customer's unique order number: sending one that was already used answers 1005,
    and the earlier shipment can be read back with getShipmentLabel?referenceNo=…. Store delivery and
    COD products add conditional requirements (see CreateShipmentRequest).

    Args:
        body (CreateShipmentRequest): Body of POST /createShipment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateShipmentResponse | ErrorResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateShipmentRequest,
) -> CreateShipmentResponse:
    """Create a forward shipment

     Creates a shipment for one customer order and returns its waybill, product code and PDF label URL.
    `referenceNo` is the customer's unique order number: sending one that was already used answers 1005,
    and the earlier shipment can be read back with getShipmentLabel?referenceNo=…. Store delivery and
    COD products add conditional requirements (see CreateShipmentRequest).

    Args:
        body (CreateShipmentRequest): Body of POST /createShipment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateShipmentResponse
    """

    return checks.success_of(
        "POST /createShipment",
        await asyncio_detailed(
            client=client,
            body=body,
        ),
        CreateShipmentResponse,
    )
