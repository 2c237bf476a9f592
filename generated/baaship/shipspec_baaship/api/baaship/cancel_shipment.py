from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_shipment_response import CancelShipmentResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    waybill: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["waybill"] = waybill

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/cancelShipment",
        "params": params,
    }

    return _kwargs


def _checked_kwargs(
    *,
    waybill: str,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "GET /cancelShipment",
        {
            "waybill": waybill,
        },
        None,
    )
    return _get_kwargs(
        waybill=waybill,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelShipmentResponse | ErrorResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> CancelShipmentResponse | ErrorResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_cancel_shipment_reply_type_0 = CancelShipmentResponse.from_dict(data)

                return componentsschemas_cancel_shipment_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_cancel_shipment_reply_type_1 = ErrorResponse.from_dict(data)

            return componentsschemas_cancel_shipment_reply_type_1

        response_200 = _parse_response_200(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CancelShipmentResponse | ErrorResponse]:
    checks.check_answer("GET /cancelShipment", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    waybill: str,
) -> Response[CancelShipmentResponse | ErrorResponse]:
    """Cancel a shipment

     Cancels the shipment with the given waybill. Although it changes state, the documented method is GET
    with the waybill in the query. The success body carries the waybill at the top level (no `data`).

    Args:
        waybill (str):  Example: 70000000366.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelShipmentResponse | ErrorResponse]
    """

    kwargs = _checked_kwargs(
        waybill=waybill,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    waybill: str,
) -> CancelShipmentResponse:
    """Cancel a shipment

     Cancels the shipment with the given waybill. Although it changes state, the documented method is GET
    with the waybill in the query. The success body carries the waybill at the top level (no `data`).

    Args:
        waybill (str):  Example: 70000000366.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelShipmentResponse
    """

    return checks.success_of(
        "GET /cancelShipment",
        sync_detailed(
            client=client,
            waybill=waybill,
        ),
        CancelShipmentResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    waybill: str,
) -> Response[CancelShipmentResponse | ErrorResponse]:
    """Cancel a shipment

     Cancels the shipment with the given waybill. Although it changes state, the documented method is GET
    with the waybill in the query. The success body carries the waybill at the top level (no `data`).

    Args:
        waybill (str):  Example: 70000000366.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelShipmentResponse | ErrorResponse]
    """

    kwargs = _checked_kwargs(
        waybill=waybill,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    waybill: str,
) -> CancelShipmentResponse:
    """Cancel a shipment

     Cancels the shipment with the given waybill. Although it changes state, the documented method is GET
    with the waybill in the query. The success body carries the waybill at the top level (no `data`).

    Args:
        waybill (str):  Example: 70000000366.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelShipmentResponse
    """

    return checks.success_of(
        "GET /cancelShipment",
        await asyncio_detailed(
            client=client,
            waybill=waybill,
        ),
        CancelShipmentResponse,
    )
