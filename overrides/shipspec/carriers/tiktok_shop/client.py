"""``shipspec.carriers.tiktok_shop.client(app_key=…, app_secret=…, access_token=…)``: the wired client."""

from __future__ import annotations

import time

import httpx
from shipspec_tiktok_shop import AuthenticatedClient
from shipspec_tiktok_shop.limits import ACCESS_TOKEN_LIFETIME
from shipspec_tiktok_shop.operations import SERVERS

from ...pacing import Pacer
from ...secrets import Secret
from ...settings import DEFAULT_TIMEOUT
from ...tokens import TokenStore
from ...wiring import CREDENTIAL_HELD_BY_AUTH, wire
from .auth import TikTokAuth
from .tokens import AUTH_BASE_URL, TikTokTokens

__all__ = ["client"]


def client(
    *,
    app_key: str,
    app_secret: str | Secret,
    access_token: str | Secret | None = None,
    access_token_expires_at: float | None = None,
    refresh_token: str | Secret | None = None,
    refresh_token_expires_at: float | None = None,
    shop_cipher: str | None = None,
    store: TokenStore | None = None,
    key: str | None = None,
    base_url: str = SERVERS[0],
    auth_base_url: str = AUTH_BASE_URL,
    timeout: httpx.Timeout | None = None,
    pacer: Pacer | None = None,
    concurrency: int | None = None,
) -> AuthenticatedClient:
    """Return a TikTok Shop client that signs every request and keeps its token fresh.

    Tokens live in ``store`` (memory by default; a ``FileTokenStore`` shares them across processes). Pass the
    tokens you hold (expiry times are absolute Unix seconds, as TikTok returns them; an access token given
    without one is assumed fresh for the documented 7-day lifetime, and a 105002 answer refreshes it anyway),
    or none when ``store`` already holds them (e.g. after ``TikTokTokens(...).exchange_auth_code(code)`` with
    the same store and key). Tokens you pass never overwrite a stored record refreshed from them (the
    rule is in ``tokens.py``'s docstring): only those of a new authorization replace it.
    ``shop_cipher`` is added to the operations that take one (Batch Ship Packages). ``pacer``
    (``shipspec.pacing``) paces its requests with other clients and processes.
    """
    tokens = TikTokTokens(
        app_key=app_key,
        app_secret=app_secret,
        store=store,
        key=key,
        auth_base_url=auth_base_url,
        timeout=timeout,
    )
    if access_token is not None:
        reveal = access_token.reveal() if isinstance(access_token, Secret) else access_token
        refresh = refresh_token.reveal() if isinstance(refresh_token, Secret) else refresh_token
        expires_at = access_token_expires_at or time.time() + ACCESS_TOKEN_LIFETIME
        tokens.seed(reveal, expires_at, refresh, refresh_token_expires_at)
    generated = AuthenticatedClient(
        base_url=base_url, token=CREDENTIAL_HELD_BY_AUTH, timeout=timeout or DEFAULT_TIMEOUT
    )
    auth = TikTokAuth(tokens, shop_cipher=shop_cipher)
    return wire(
        generated,
        carrier="tiktok_shop",
        base_url=base_url,
        auth=auth,
        timeout=timeout,
        pacer=pacer,
        concurrency=concurrency,
    )
