"""``shipspec.carriers.wechat_shop.client(appid=…, secret=…)``: the generated WeChat client, wired."""

from __future__ import annotations

import warnings

import httpx
from shipspec_wechat_shop import Client
from shipspec_wechat_shop.operations import SERVERS

from ...pacing import Pacer
from ...secrets import Secret
from ...settings import DEFAULT_TIMEOUT
from ...tokens import TokenStore
from ...wiring import wire
from .auth import WeChatAuth
from .tokens import WeChatTokenManager

__all__ = ["client"]


def client(
    *,
    appid: str,
    secret: str | Secret,
    store: TokenStore | None = None,
    use_classic_token: bool = False,
    base_url: str = SERVERS[0],
    timeout: httpx.Timeout | None = None,
    pacer: Pacer | None = None,
    use_stable_token: bool | None = None,
    concurrency: int | None = None,
) -> Client:
    """Return a WeChat mini-shop client that fetches, caches and renews its access_token by itself.

    ``stable_token`` is used by default (it does not invalidate tokens other processes hold);
    ``use_classic_token=True`` (the setting of the same name) uses the classic ``cgi-bin/token``, which does.
    ``store`` shares the token across threads (memory, the default), processes (``FileTokenStore``) or
    machines (``RedisTokenStore``). ``pacer`` (``shipspec.pacing``) paces its requests with other clients
    and processes. ``use_stable_token`` is the old, deprecated name of the opposite switch: it still works,
    with a ``DeprecationWarning``.
    """
    if use_stable_token is not None:
        warnings.warn(
            "wechat_shop.client(use_stable_token=...) is deprecated: use use_classic_token=",
            DeprecationWarning,
            stacklevel=2,
        )
        use_classic_token = not use_stable_token
    tokens = WeChatTokenManager(
        appid, secret, store, use_stable_token=not use_classic_token, base_url=base_url, timeout=timeout
    )
    # WeChat's access_token is a query parameter the auth adds, so the plain generated Client is the type.
    generated = Client(base_url=base_url, timeout=timeout or DEFAULT_TIMEOUT)
    auth = WeChatAuth(tokens)
    return wire(
        generated,
        carrier="wechat_shop",
        base_url=base_url,
        auth=auth,
        timeout=timeout,
        pacer=pacer,
        concurrency=concurrency,
    )
