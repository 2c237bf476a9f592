from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.batch_ship_packages_request import BatchShipPackagesRequest
from ...models.batch_ship_packages_response import BatchShipPackagesResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BatchShipPackagesRequest,
    shop_cipher: str | Unset = UNSET,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["shop_cipher"] = shop_cipher

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/fulfillment/202309/packages/ship",
        "params": params,
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: BatchShipPackagesRequest,
    shop_cipher: str | Unset = UNSET,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /fulfillment/202309/packages/ship",
        {
            "shop_cipher": shop_cipher,
        },
        body,
    )
    return _get_kwargs(
        body=body,
        shop_cipher=shop_cipher,
        body_json=body_json,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchShipPackagesResponse | None:
    if response.status_code == 200:
        response_200 = BatchShipPackagesResponse.from_dict(checks.answer_json(response))

        return response_200

    if response.status_code == 401:
        response_401 = BatchShipPackagesResponse.from_dict(checks.answer_json(response))

        return response_401

    if response.status_code == 429:
        response_429 = BatchShipPackagesResponse.from_dict(checks.answer_json(response))

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchShipPackagesResponse]:
    checks.check_answer("POST /fulfillment/202309/packages/ship", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchShipPackagesRequest,
    shop_cipher: str | Unset = UNSET,
) -> Response[BatchShipPackagesResponse]:
    """Batch ship packages

     Ships several packages of one shop in one call; package IDs come from Get Order Detail. Works for
    both kinds of shipping:

    * TikTok shipping: give a handover method and, for PICKUP, the pickup time slot (start and end
      time) for the TikTok carrier.
    * Seller shipping: the seller ships on their own and gives `self_shipment` (tracking number and
      shipping provider ID from Get Shipping Providers).

    The body is JSON: the vendor doc requires the header `content-type: application/json`, which the
    request body's media type below expresses (OpenAPI does not allow a header parameter named
    content-type).

    Authentication: the common query parameters app_key, timestamp and sign and the header
    x-tts-access-token (see the security requirement and the root x-auth); shop_cipher selects the
    shop.

    Partial success: a response with `code` 0 can still list failed packages in `data.errors`, each
    with its own `code`, `message` and `detail.package_id`; packages that are not listed count as
    shipped. The codes in this operation's `x-error-codes` can appear either as the envelope `code`
    (the whole call failed) or as `data.errors[].code` (one package failed).

    Args:
        shop_cipher (str | Unset):
        body (BatchShipPackagesRequest): Body of Batch Ship Packages.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchShipPackagesResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
        shop_cipher=shop_cipher,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: BatchShipPackagesRequest,
    shop_cipher: str | Unset = UNSET,
) -> BatchShipPackagesResponse:
    """Batch ship packages

     Ships several packages of one shop in one call; package IDs come from Get Order Detail. Works for
    both kinds of shipping:

    * TikTok shipping: give a handover method and, for PICKUP, the pickup time slot (start and end
      time) for the TikTok carrier.
    * Seller shipping: the seller ships on their own and gives `self_shipment` (tracking number and
      shipping provider ID from Get Shipping Providers).

    The body is JSON: the vendor doc requires the header `content-type: application/json`, which the
    request body's media type below expresses (OpenAPI does not allow a header parameter named
    content-type).

    Authentication: the common query parameters app_key, timestamp and sign and the header
    x-tts-access-token (see the security requirement and the root x-auth); shop_cipher selects the
    shop.

    Partial success: a response with `code` 0 can still list failed packages in `data.errors`, each
    with its own `code`, `message` and `detail.package_id`; packages that are not listed count as
    shipped. The codes in this operation's `x-error-codes` can appear either as the envelope `code`
    (the whole call failed) or as `data.errors[].code` (one package failed).

    Args:
        shop_cipher (str | Unset):
        body (BatchShipPackagesRequest): Body of Batch Ship Packages.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchShipPackagesResponse
    """

    return checks.success_of(
        "POST /fulfillment/202309/packages/ship",
        sync_detailed(
            client=client,
            body=body,
            shop_cipher=shop_cipher,
        ),
        BatchShipPackagesResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchShipPackagesRequest,
    shop_cipher: str | Unset = UNSET,
) -> Response[BatchShipPackagesResponse]:
    """Batch ship packages

     Ships several packages of one shop in one call; package IDs come from Get Order Detail. Works for
    both kinds of shipping:

    * TikTok shipping: give a handover method and, for PICKUP, the pickup time slot (start and end
      time) for the TikTok carrier.
    * Seller shipping: the seller ships on their own and gives `self_shipment` (tracking number and
      shipping provider ID from Get Shipping Providers).

    The body is JSON: the vendor doc requires the header `content-type: application/json`, which the
    request body's media type below expresses (OpenAPI does not allow a header parameter named
    content-type).

    Authentication: the common query parameters app_key, timestamp and sign and the header
    x-tts-access-token (see the security requirement and the root x-auth); shop_cipher selects the
    shop.

    Partial success: a response with `code` 0 can still list failed packages in `data.errors`, each
    with its own `code`, `message` and `detail.package_id`; packages that are not listed count as
    shipped. The codes in this operation's `x-error-codes` can appear either as the envelope `code`
    (the whole call failed) or as `data.errors[].code` (one package failed).

    Args:
        shop_cipher (str | Unset):
        body (BatchShipPackagesRequest): Body of Batch Ship Packages.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchShipPackagesResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
        shop_cipher=shop_cipher,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BatchShipPackagesRequest,
    shop_cipher: str | Unset = UNSET,
) -> BatchShipPackagesResponse:
    """Batch ship packages

     Ships several packages of one shop in one call; package IDs come from Get Order Detail. Works for
    both kinds of shipping:

    * TikTok shipping: give a handover method and, for PICKUP, the pickup time slot (start and end
      time) for the TikTok carrier.
    * Seller shipping: the seller ships on their own and gives `self_shipment` (tracking number and
      shipping provider ID from Get Shipping Providers).

    The body is JSON: the vendor doc requires the header `content-type: application/json`, which the
    request body's media type below expresses (OpenAPI does not allow a header parameter named
    content-type).

    Authentication: the common query parameters app_key, timestamp and sign and the header
    x-tts-access-token (see the security requirement and the root x-auth); shop_cipher selects the
    shop.

    Partial success: a response with `code` 0 can still list failed packages in `data.errors`, each
    with its own `code`, `message` and `detail.package_id`; packages that are not listed count as
    shipped. The codes in this operation's `x-error-codes` can appear either as the envelope `code`
    (the whole call failed) or as `data.errors[].code` (one package failed).

    Args:
        shop_cipher (str | Unset):
        body (BatchShipPackagesRequest): Body of Batch Ship Packages.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchShipPackagesResponse
    """

    return checks.success_of(
        "POST /fulfillment/202309/packages/ship",
        await asyncio_detailed(
            client=client,
            body=body,
            shop_cipher=shop_cipher,
        ),
        BatchShipPackagesResponse,
    )
