from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.shipment_label_response import ShipmentLabelResponse
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
        "url": "/getShipmentLabel",
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
        "GET /getShipmentLabel",
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
) -> ErrorResponse | ShipmentLabelResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorResponse | ShipmentLabelResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_shipment_label_reply_type_0 = ShipmentLabelResponse.from_dict(data)

                return componentsschemas_shipment_label_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_shipment_label_reply_type_1 = ErrorResponse.from_dict(data)

            return componentsschemas_shipment_label_reply_type_1

        response_200 = _parse_response_200(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ShipmentLabelResponse]:
    checks.check_answer("GET /getShipmentLabel", response)
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
) -> Response[ErrorResponse | ShipmentLabelResponse]:
    """Get a shipment's label

     Returns the waybill, reference number and label URL of one shipment, found either by its waybill or
    by the customer's referenceNo. Send exactly one of the two query parameters. The doc marks both
    "Required" but says to choose one of them, and its example sends only waybill. Looking up by
    referenceNo is how an earlier shipment is found after createShipment or reverseShipment answers
    1005.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ShipmentLabelResponse]
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
) -> ShipmentLabelResponse:
    """Get a shipment's label

     Returns the waybill, reference number and label URL of one shipment, found either by its waybill or
    by the customer's referenceNo. Send exactly one of the two query parameters. The doc marks both
    "Required" but says to choose one of them, and its example sends only waybill. Looking up by
    referenceNo is how an earlier shipment is found after createShipment or reverseShipment answers
    1005.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ShipmentLabelResponse
    """

    return checks.success_of(
        "GET /getShipmentLabel",
        sync_detailed(
            client=client,
            waybill=waybill,
            reference_no=reference_no,
        ),
        ShipmentLabelResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    waybill: str | Unset = UNSET,
    reference_no: str | Unset = UNSET,
) -> Response[ErrorResponse | ShipmentLabelResponse]:
    """Get a shipment's label

     Returns the waybill, reference number and label URL of one shipment, found either by its waybill or
    by the customer's referenceNo. Send exactly one of the two query parameters. The doc marks both
    "Required" but says to choose one of them, and its example sends only waybill. Looking up by
    referenceNo is how an earlier shipment is found after createShipment or reverseShipment answers
    1005.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ShipmentLabelResponse]
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
) -> ShipmentLabelResponse:
    """Get a shipment's label

     Returns the waybill, reference number and label URL of one shipment, found either by its waybill or
    by the customer's referenceNo. Send exactly one of the two query parameters. The doc marks both
    "Required" but says to choose one of them, and its example sends only waybill. Looking up by
    referenceNo is how an earlier shipment is found after createShipment or reverseShipment answers
    1005.

    Args:
        waybill (str | Unset):  Example: 70000000366.
        reference_no (str | Unset):  Example: TEST20210923823.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ShipmentLabelResponse
    """

    return checks.success_of(
        "GET /getShipmentLabel",
        await asyncio_detailed(
            client=client,
            waybill=waybill,
            reference_no=reference_no,
        ),
        ShipmentLabelResponse,
    )
