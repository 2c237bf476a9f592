from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.access_token_response import AccessTokenResponse
from ...models.stable_token_request import StableTokenRequest
from ...types import Response


def _get_kwargs(
    *,
    body: StableTokenRequest,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/cgi-bin/stable_token",
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: StableTokenRequest,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /cgi-bin/stable_token",
        {},
        body,
    )
    return _get_kwargs(
        body=body,
        body_json=body_json,
    )


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccessTokenResponse | None:
    if response.status_code == 200:
        response_200 = AccessTokenResponse.from_dict(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AccessTokenResponse]:
    checks.check_answer("POST /cgi-bin/stable_token", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: StableTokenRequest,
) -> Response[AccessTokenResponse]:
    """Get a stable access_token (recommended)

     Issues an access_token whose lifecycle is separate from getAccessToken's. In normal mode
    (`force_refresh: false`) repeated calls return the same token until it is about to expire; the
    platform
    rotates it about 5 minutes early. `force_refresh: true` forces a new token (invalidating the current
    one) and is limited to 20 calls a day, at least 30 seconds apart. JSON POST only. Limits: 10,000
    calls
    a minute, 500,000 a day.

    Args:
        body (StableTokenRequest): Body of cgi-bin/stable_token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
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
    body: StableTokenRequest,
) -> AccessTokenResponse:
    """Get a stable access_token (recommended)

     Issues an access_token whose lifecycle is separate from getAccessToken's. In normal mode
    (`force_refresh: false`) repeated calls return the same token until it is about to expire; the
    platform
    rotates it about 5 minutes early. `force_refresh: true` forces a new token (invalidating the current
    one) and is limited to 20 calls a day, at least 30 seconds apart. JSON POST only. Limits: 10,000
    calls
    a minute, 500,000 a day.

    Args:
        body (StableTokenRequest): Body of cgi-bin/stable_token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "POST /cgi-bin/stable_token",
        sync_detailed(
            client=client,
            body=body,
        ),
        AccessTokenResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: StableTokenRequest,
) -> Response[AccessTokenResponse]:
    """Get a stable access_token (recommended)

     Issues an access_token whose lifecycle is separate from getAccessToken's. In normal mode
    (`force_refresh: false`) repeated calls return the same token until it is about to expire; the
    platform
    rotates it about 5 minutes early. `force_refresh: true` forces a new token (invalidating the current
    one) and is limited to 20 calls a day, at least 30 seconds apart. JSON POST only. Limits: 10,000
    calls
    a minute, 500,000 a day.

    Args:
        body (StableTokenRequest): Body of cgi-bin/stable_token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: StableTokenRequest,
) -> AccessTokenResponse:
    """Get a stable access_token (recommended)

     Issues an access_token whose lifecycle is separate from getAccessToken's. In normal mode
    (`force_refresh: false`) repeated calls return the same token until it is about to expire; the
    platform
    rotates it about 5 minutes early. `force_refresh: true` forces a new token (invalidating the current
    one) and is limited to 20 calls a day, at least 30 seconds apart. JSON POST only. Limits: 10,000
    calls
    a minute, 500,000 a day.

    Args:
        body (StableTokenRequest): Body of cgi-bin/stable_token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "POST /cgi-bin/stable_token",
        await asyncio_detailed(
            client=client,
            body=body,
        ),
        AccessTokenResponse,
    )
