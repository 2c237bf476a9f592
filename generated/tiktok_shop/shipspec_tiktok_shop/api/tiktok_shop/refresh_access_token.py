from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.access_token_response import AccessTokenResponse
from ...models.refresh_access_token_grant_type import RefreshAccessTokenGrantType
from ...types import UNSET, Response


def _get_kwargs(
    *,
    app_key: str,
    app_secret: str,
    refresh_token: str,
    grant_type: RefreshAccessTokenGrantType,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_key"] = app_key

    params["app_secret"] = app_secret

    params["refresh_token"] = refresh_token

    json_grant_type = grant_type.value
    params["grant_type"] = json_grant_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/token/refresh",
        "params": params,
    }

    return _kwargs


def _checked_kwargs(
    *,
    app_key: str,
    app_secret: str,
    refresh_token: str,
    grant_type: RefreshAccessTokenGrantType,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "GET /api/v2/token/refresh",
        {
            "app_key": app_key,
            "app_secret": app_secret,
            "refresh_token": refresh_token,
            "grant_type": grant_type,
        },
        None,
    )
    return _get_kwargs(
        app_key=app_key,
        app_secret=app_secret,
        refresh_token=refresh_token,
        grant_type=grant_type,
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
    checks.check_answer("GET /api/v2/token/refresh", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    app_key: str,
    app_secret: str,
    refresh_token: str,
    grant_type: RefreshAccessTokenGrantType,
) -> Response[AccessTokenResponse]:
    """Refresh an access token

     Gets a new access token with the refresh token. Runs on the authorization host and is not signed.
    The access token must be refreshed within its 7-day lifetime; the refresh token lives as long as
    the authorization the seller granted (refresh_token_expire_in).

    The public docs list no error codes specific to this call; the root codes apply.

    Args:
        app_key (str):
        app_secret (str):
        refresh_token (str):
        grant_type (RefreshAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        app_key=app_key,
        app_secret=app_secret,
        refresh_token=refresh_token,
        grant_type=grant_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    app_key: str,
    app_secret: str,
    refresh_token: str,
    grant_type: RefreshAccessTokenGrantType,
) -> AccessTokenResponse:
    """Refresh an access token

     Gets a new access token with the refresh token. Runs on the authorization host and is not signed.
    The access token must be refreshed within its 7-day lifetime; the refresh token lives as long as
    the authorization the seller granted (refresh_token_expire_in).

    The public docs list no error codes specific to this call; the root codes apply.

    Args:
        app_key (str):
        app_secret (str):
        refresh_token (str):
        grant_type (RefreshAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "GET /api/v2/token/refresh",
        sync_detailed(
            client=client,
            app_key=app_key,
            app_secret=app_secret,
            refresh_token=refresh_token,
            grant_type=grant_type,
        ),
        AccessTokenResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    app_key: str,
    app_secret: str,
    refresh_token: str,
    grant_type: RefreshAccessTokenGrantType,
) -> Response[AccessTokenResponse]:
    """Refresh an access token

     Gets a new access token with the refresh token. Runs on the authorization host and is not signed.
    The access token must be refreshed within its 7-day lifetime; the refresh token lives as long as
    the authorization the seller granted (refresh_token_expire_in).

    The public docs list no error codes specific to this call; the root codes apply.

    Args:
        app_key (str):
        app_secret (str):
        refresh_token (str):
        grant_type (RefreshAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        app_key=app_key,
        app_secret=app_secret,
        refresh_token=refresh_token,
        grant_type=grant_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    app_key: str,
    app_secret: str,
    refresh_token: str,
    grant_type: RefreshAccessTokenGrantType,
) -> AccessTokenResponse:
    """Refresh an access token

     Gets a new access token with the refresh token. Runs on the authorization host and is not signed.
    The access token must be refreshed within its 7-day lifetime; the refresh token lives as long as
    the authorization the seller granted (refresh_token_expire_in).

    The public docs list no error codes specific to this call; the root codes apply.

    Args:
        app_key (str):
        app_secret (str):
        refresh_token (str):
        grant_type (RefreshAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "GET /api/v2/token/refresh",
        await asyncio_detailed(
            client=client,
            app_key=app_key,
            app_secret=app_secret,
            refresh_token=refresh_token,
            grant_type=grant_type,
        ),
        AccessTokenResponse,
    )
