from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.get_delivery_company_list_request import GetDeliveryCompanyListRequest
from ...models.get_delivery_company_list_response import GetDeliveryCompanyListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: GetDeliveryCompanyListRequest | Unset = UNSET,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/product/delivery/get_company_list",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: GetDeliveryCompanyListRequest | Unset = UNSET,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /product/delivery/get_company_list",
        {},
        body,
    )
    return _get_kwargs(
        body=body,
        body_json=body_json,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetDeliveryCompanyListResponse | None:
    if response.status_code == 200:
        response_200 = GetDeliveryCompanyListResponse.from_dict(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GetDeliveryCompanyListResponse]:
    checks.check_answer("POST /product/delivery/get_company_list", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetDeliveryCompanyListRequest | Unset = UNSET,
) -> Response[GetDeliveryCompanyListResponse]:
    """List the express companies available for shipping

     Returns the express companies (`delivery_id`, `delivery_name`) whose `delivery_id` goes into
    `delivery_list[].delivery_id` of sendDelivery. The body is empty or `{}`.

    The list's location in the answer is documented two ways: at the top level (`company_list`) and
    under
    `data.company_list`. Both are accepted; read the top level first.

    Args:
        body (GetDeliveryCompanyListRequest | Unset): Empty body (`{}`); the endpoint takes no
            parameters besides access_token. Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetDeliveryCompanyListResponse]
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
    client: AuthenticatedClient | Client,
    body: GetDeliveryCompanyListRequest | Unset = UNSET,
) -> GetDeliveryCompanyListResponse:
    """List the express companies available for shipping

     Returns the express companies (`delivery_id`, `delivery_name`) whose `delivery_id` goes into
    `delivery_list[].delivery_id` of sendDelivery. The body is empty or `{}`.

    The list's location in the answer is documented two ways: at the top level (`company_list`) and
    under
    `data.company_list`. Both are accepted; read the top level first.

    Args:
        body (GetDeliveryCompanyListRequest | Unset): Empty body (`{}`); the endpoint takes no
            parameters besides access_token. Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetDeliveryCompanyListResponse
    """

    return checks.success_of(
        "POST /product/delivery/get_company_list",
        sync_detailed(
            client=client,
            body=body,
        ),
        GetDeliveryCompanyListResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetDeliveryCompanyListRequest | Unset = UNSET,
) -> Response[GetDeliveryCompanyListResponse]:
    """List the express companies available for shipping

     Returns the express companies (`delivery_id`, `delivery_name`) whose `delivery_id` goes into
    `delivery_list[].delivery_id` of sendDelivery. The body is empty or `{}`.

    The list's location in the answer is documented two ways: at the top level (`company_list`) and
    under
    `data.company_list`. Both are accepted; read the top level first.

    Args:
        body (GetDeliveryCompanyListRequest | Unset): Empty body (`{}`); the endpoint takes no
            parameters besides access_token. Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetDeliveryCompanyListResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GetDeliveryCompanyListRequest | Unset = UNSET,
) -> GetDeliveryCompanyListResponse:
    """List the express companies available for shipping

     Returns the express companies (`delivery_id`, `delivery_name`) whose `delivery_id` goes into
    `delivery_list[].delivery_id` of sendDelivery. The body is empty or `{}`.

    The list's location in the answer is documented two ways: at the top level (`company_list`) and
    under
    `data.company_list`. Both are accepted; read the top level first.

    Args:
        body (GetDeliveryCompanyListRequest | Unset): Empty body (`{}`); the endpoint takes no
            parameters besides access_token. Example: {}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetDeliveryCompanyListResponse
    """

    return checks.success_of(
        "POST /product/delivery/get_company_list",
        await asyncio_detailed(
            client=client,
            body=body,
        ),
        GetDeliveryCompanyListResponse,
    )
