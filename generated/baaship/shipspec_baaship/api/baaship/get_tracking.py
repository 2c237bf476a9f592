from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.tracking_response import TrackingResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["waybill"] = waybill

    params["referenceNo"] = reference_no

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/tracking",
        "params": params,
    }

    return _kwargs


def _checked_kwargs(
    *,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "GET /tracking",
        {
            "waybill": waybill,
            "referenceNo": reference_no,
        },
        None,
    )
    return _get_kwargs(
        waybill=waybill,
        reference_no=reference_no,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TrackingResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorResponse | TrackingResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_tracking_reply_type_0 = TrackingResponse.from_dict(data)

                return componentsschemas_tracking_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_tracking_reply_type_1 = ErrorResponse.from_dict(data)

            return componentsschemas_tracking_reply_type_1

        response_200 = _parse_response_200(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | TrackingResponse]:
    checks.check_answer("GET /tracking", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> Response[ErrorResponse | TrackingResponse]:
    """Track a shipment

     Returns the latest status and the tracking events of the shipment with the given waybill (or
    referenceNo, which the 1004 text names). `data` is an array of tracking results.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TrackingResponse]
    """

    kwargs = _checked_kwargs(
        waybill=waybill,
        reference_no=reference_no,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> TrackingResponse:
    """Track a shipment

     Returns the latest status and the tracking events of the shipment with the given waybill (or
    referenceNo, which the 1004 text names). `data` is an array of tracking results.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        TrackingResponse
    """

    return checks.success_of(
        "GET /tracking",
        sync_detailed(
            client=client,
            waybill=waybill,
            reference_no=reference_no,
        ),
        TrackingResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> Response[ErrorResponse | TrackingResponse]:
    """Track a shipment

     Returns the latest status and the tracking events of the shipment with the given waybill (or
    referenceNo, which the 1004 text names). `data` is an array of tracking results.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TrackingResponse]
    """

    kwargs = _checked_kwargs(
        waybill=waybill,
        reference_no=reference_no,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> TrackingResponse:
    """Track a shipment

     Returns the latest status and the tracking events of the shipment with the given waybill (or
    referenceNo, which the 1004 text names). `data` is an array of tracking results.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        TrackingResponse
    """

    return checks.success_of(
        "GET /tracking",
        await asyncio_detailed(
            client=client,
            waybill=waybill,
            reference_no=reference_no,
        ),
        TrackingResponse,
    )
