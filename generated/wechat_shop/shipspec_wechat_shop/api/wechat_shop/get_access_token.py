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
    grant_type: GetAccessTokenGrantType,
    appid: str,
    secret: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_grant_type = grant_type.value
    params["grant_type"] = json_grant_type

    params["appid"] = appid

    params["secret"] = secret

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/cgi-bin/token",
        "params": params,
    }

    return _kwargs


def _checked_kwargs(
    *,
    grant_type: GetAccessTokenGrantType,
    appid: str,
    secret: str,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    checks.check_request(
        "GET /cgi-bin/token",
        {
            "grant_type": grant_type,
            "appid": appid,
            "secret": secret,
        },
        None,
    )
    return _get_kwargs(
        grant_type=grant_type,
        appid=appid,
        secret=secret,
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
    checks.check_answer("GET /cgi-bin/token", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    grant_type: GetAccessTokenGrantType,
    appid: str,
    secret: str,
) -> Response[AccessTokenResponse]:
    """Get a classic access_token (invalidates the previous one)

     Issues an access_token for the app (`grant_type=client_credential`). Each call invalidates the
    previously issued classic token; the old and the new token both work for about 5 minutes. Prefer
    getStableAccessToken, whose tokens are separate and not rotated by other callers. The caller's IP
    must
    be on the app's allow-list (40164 otherwise). On failure the body carries errcode/errmsg instead.

    Args:
        grant_type (GetAccessTokenGrantType):
        appid (str):
        secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        grant_type=grant_type,
        appid=appid,
        secret=secret,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    grant_type: GetAccessTokenGrantType,
    appid: str,
    secret: str,
) -> AccessTokenResponse:
    """Get a classic access_token (invalidates the previous one)

     Issues an access_token for the app (`grant_type=client_credential`). Each call invalidates the
    previously issued classic token; the old and the new token both work for about 5 minutes. Prefer
    getStableAccessToken, whose tokens are separate and not rotated by other callers. The caller's IP
    must
    be on the app's allow-list (40164 otherwise). On failure the body carries errcode/errmsg instead.

    Args:
        grant_type (GetAccessTokenGrantType):
        appid (str):
        secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "GET /cgi-bin/token",
        sync_detailed(
            client=client,
            grant_type=grant_type,
            appid=appid,
            secret=secret,
        ),
        AccessTokenResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    grant_type: GetAccessTokenGrantType,
    appid: str,
    secret: str,
) -> Response[AccessTokenResponse]:
    """Get a classic access_token (invalidates the previous one)

     Issues an access_token for the app (`grant_type=client_credential`). Each call invalidates the
    previously issued classic token; the old and the new token both work for about 5 minutes. Prefer
    getStableAccessToken, whose tokens are separate and not rotated by other callers. The caller's IP
    must
    be on the app's allow-list (40164 otherwise). On failure the body carries errcode/errmsg instead.

    Args:
        grant_type (GetAccessTokenGrantType):
        appid (str):
        secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse]
    """

    kwargs = _checked_kwargs(
        grant_type=grant_type,
        appid=appid,
        secret=secret,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    grant_type: GetAccessTokenGrantType,
    appid: str,
    secret: str,
) -> AccessTokenResponse:
    """Get a classic access_token (invalidates the previous one)

     Issues an access_token for the app (`grant_type=client_credential`). Each call invalidates the
    previously issued classic token; the old and the new token both work for about 5 minutes. Prefer
    getStableAccessToken, whose tokens are separate and not rotated by other callers. The caller's IP
    must
    be on the app's allow-list (40164 otherwise). On failure the body carries errcode/errmsg instead.

    Args:
        grant_type (GetAccessTokenGrantType):
        appid (str):
        secret (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse
    """

    return checks.success_of(
        "GET /cgi-bin/token",
        await asyncio_detailed(
            client=client,
            grant_type=grant_type,
            appid=appid,
            secret=secret,
        ),
        AccessTokenResponse,
    )
