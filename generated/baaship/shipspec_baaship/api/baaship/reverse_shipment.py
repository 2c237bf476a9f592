from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.reverse_shipment_request import ReverseShipmentRequest
from ...models.reverse_shipment_response import ReverseShipmentResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ReverseShipmentRequest,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/reverseShipment",
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: ReverseShipmentRequest,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /reverseShipment",
        {},
        body,
    )
    return _get_kwargs(
        body=body,
        body_json=body_json,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ReverseShipmentResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorResponse | ReverseShipmentResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_reverse_shipment_reply_type_0 = ReverseShipmentResponse.from_dict(data)

                return componentsschemas_reverse_shipment_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_reverse_shipment_reply_type_1 = ErrorResponse.from_dict(data)

            return componentsschemas_reverse_shipment_reply_type_1

        response_200 = _parse_response_200(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ReverseShipmentResponse]:
    checks.check_answer("POST /reverseShipment", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReverseShipmentRequest,
) -> Response[ErrorResponse | ReverseShipmentResponse]:
    """Create a reverse (return) shipment

     Creates a return shipment from the sender (the returning customer) and returns its waybill, product
    code and PDF label URL. Unlike createShipment there is no receiver block, packageList is a single
    object, and several sender fields have shorter documented lengths. `referenceNo` duplicates answer
    1005.

    Args:
        body (ReverseShipmentRequest): Body of POST /reverseShipment. There is no receiver block
            and packageList is one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ReverseShipmentResponse]
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
    body: ReverseShipmentRequest,
) -> ReverseShipmentResponse:
    """Create a reverse (return) shipment

     Creates a return shipment from the sender (the returning customer) and returns its waybill, product
    code and PDF label URL. Unlike createShipment there is no receiver block, packageList is a single
    object, and several sender fields have shorter documented lengths. `referenceNo` duplicates answer
    1005.

    Args:
        body (ReverseShipmentRequest): Body of POST /reverseShipment. There is no receiver block
            and packageList is one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ReverseShipmentResponse
    """

    return checks.success_of(
        "POST /reverseShipment",
        sync_detailed(
            client=client,
            body=body,
        ),
        ReverseShipmentResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReverseShipmentRequest,
) -> Response[ErrorResponse | ReverseShipmentResponse]:
    """Create a reverse (return) shipment

     Creates a return shipment from the sender (the returning customer) and returns its waybill, product
    code and PDF label URL. Unlike createShipment there is no receiver block, packageList is a single
    object, and several sender fields have shorter documented lengths. `referenceNo` duplicates answer
    1005.

    Args:
        body (ReverseShipmentRequest): Body of POST /reverseShipment. There is no receiver block
            and packageList is one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ReverseShipmentResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReverseShipmentRequest,
) -> ReverseShipmentResponse:
    """Create a reverse (return) shipment

     Creates a return shipment from the sender (the returning customer) and returns its waybill, product
    code and PDF label URL. Unlike createShipment there is no receiver block, packageList is a single
    object, and several sender fields have shorter documented lengths. `referenceNo` duplicates answer
    1005.

    Args:
        body (ReverseShipmentRequest): Body of POST /reverseShipment. There is no receiver block
            and packageList is one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ReverseShipmentResponse
    """

    return checks.success_of(
        "POST /reverseShipment",
        await asyncio_detailed(
            client=client,
            body=body,
        ),
        ReverseShipmentResponse,
    )
