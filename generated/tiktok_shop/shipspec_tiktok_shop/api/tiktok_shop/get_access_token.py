from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.access_token_response import AccessTokenResponse
from ...models.get_access_token_grant_type import GetAccessTokenGrantType
from ...types import UNSET, Response


def _get_kwargs(
    *,
    app_key: str,
    app_secret: str,
    auth_code: str,
    grant_type: GetAccessTokenGrantType,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_key"] = app_key

    params["app_secret"] = app_secret

    params["auth_code"] = auth_code

    json_grant_type = grant_type.value
    params["grant_type"] = json_grant_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/token/get",
        "params": params,
    }

    return _kwargs


def _checked_kwargs(
    *,
    app_key: str,
    app_secret: str,
    auth_code: str,
    grant_type: GetAccessTokenGrantType,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "GET /api/v2/token/get",
        {
            "app_key": app_key,
            "app_secret": app_secret,
            "auth_code": auth_code,
            "grant_type": grant_type,
        },
        None,
    )
    return _get_kwargs(
        app_key=app_key,
        app_secret=app_secret,
        auth_code=auth_code,
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
    checks.check_answer("GET /api/v2/token/get", response)
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
    auth_code: str,
    grant_type: GetAccessTokenGrantType,
) -> Response[AccessTokenResponse]:
    """Exchange an auth_code for an access token

     Exchanges the auth_code that the seller authorization redirect delivers for an access token and a
    refresh token. Runs on the authorization host and is not signed (no app_key/timestamp/sign scheme,
    no x-tts-access-token); the app credentials travel as plain query parameters.

    The auth_code is valid for 30 minutes and works once.

    Args:
        app_key (str):
        app_secret (str):
        auth_code (str):
        grant_type (GetAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        app_key=app_key,
        app_secret=app_secret,
        auth_code=auth_code,
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
    auth_code: str,
    grant_type: GetAccessTokenGrantType,
) -> AccessTokenResponse:
    """Exchange an auth_code for an access token

     Exchanges the auth_code that the seller authorization redirect delivers for an access token and a
    refresh token. Runs on the authorization host and is not signed (no app_key/timestamp/sign scheme,
    no x-tts-access-token); the app credentials travel as plain query parameters.

    The auth_code is valid for 30 minutes and works once.

    Args:
        app_key (str):
        app_secret (str):
        auth_code (str):
        grant_type (GetAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "GET /api/v2/token/get",
        sync_detailed(
            client=client,
            app_key=app_key,
            app_secret=app_secret,
            auth_code=auth_code,
            grant_type=grant_type,
        ),
        AccessTokenResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    app_key: str,
    app_secret: str,
    auth_code: str,
    grant_type: GetAccessTokenGrantType,
) -> Response[AccessTokenResponse]:
    """Exchange an auth_code for an access token

     Exchanges the auth_code that the seller authorization redirect delivers for an access token and a
    refresh token. Runs on the authorization host and is not signed (no app_key/timestamp/sign scheme,
    no x-tts-access-token); the app credentials travel as plain query parameters.

    The auth_code is valid for 30 minutes and works once.

    Args:
        app_key (str):
        app_secret (str):
        auth_code (str):
        grant_type (GetAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        app_key=app_key,
        app_secret=app_secret,
        auth_code=auth_code,
        grant_type=grant_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    app_key: str,
    app_secret: str,
    auth_code: str,
    grant_type: GetAccessTokenGrantType,
) -> AccessTokenResponse:
    """Exchange an auth_code for an access token

     Exchanges the auth_code that the seller authorization redirect delivers for an access token and a
    refresh token. Runs on the authorization host and is not signed (no app_key/timestamp/sign scheme,
    no x-tts-access-token); the app credentials travel as plain query parameters.

    The auth_code is valid for 30 minutes and works once.

    Args:
        app_key (str):
        app_secret (str):
        auth_code (str):
        grant_type (GetAccessTokenGrantType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "GET /api/v2/token/get",
        await asyncio_detailed(
            client=client,
            app_key=app_key,
            app_secret=app_secret,
            auth_code=auth_code,
            grant_type=grant_type,
        ),
        AccessTokenResponse,
    )
