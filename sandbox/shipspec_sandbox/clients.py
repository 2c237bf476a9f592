"""Settings and clients pointed at running sandboxes, with each sandbox's default credentials.

``sandbox_settings`` returns what ``shipspec.config.load_settings`` would (so ``shipspec.ship(...,
settings=...)`` and ``shipspec ship --config`` use the sandboxes); TikTok's tokens come from a real auth-code
exchange against the TikTok sandbox, as a seller authorization would give them.
"""

from __future__ import annotations

from typing import Any

from shipspec.carriers import baaship, deftship, tiktok_shop, wechat_shop
from shipspec.carriers.tiktok_shop.tokens import TikTokTokens

from .runner import Sandboxes

__all__ = ["sandbox_client", "sandbox_settings"]


def _tiktok(sandboxes: Sandboxes) -> dict[str, str]:
    url = sandboxes.url("tiktok_shop")
    app: Any = sandboxes.app("tiktok_shop")
    settings = dict(app.credentials) | {"base_url": url, "auth_base_url": url}
    tokens = TikTokTokens(app_key=settings["app_key"], app_secret=settings["app_secret"], auth_base_url=url)
    record = tokens.exchange_auth_code(app.mint_auth_code(settings["app_key"]))
    settings["access_token"] = record.access_token
    if record.refresh_token:
        settings["refresh_token"] = record.refresh_token
    return settings


def sandbox_settings(sandboxes: Sandboxes) -> dict[str, dict[str, str]]:
    """Per-carrier settings for every running sandbox (default credentials, sandbox URLs)."""
    settings: dict[str, dict[str, str]] = {}
    for carrier in sandboxes.servers:
        if carrier == "tiktok_shop":
            settings[carrier] = _tiktok(sandboxes)
        else:
            settings[carrier] = dict(sandboxes.app(carrier).credentials) | {
                "base_url": sandboxes.url(carrier)
            }
    return settings


def sandbox_client(sandboxes: Sandboxes, carrier: str) -> Any:
    """The carrier's wired client (``shipspec.carriers.<carrier>.client``) pointed at its sandbox."""
    values = sandbox_settings(sandboxes)[carrier] if carrier == "tiktok_shop" else None
    url = sandboxes.url(carrier)
    credentials = sandboxes.app(carrier).credentials
    if carrier == "baaship":
        return baaship.client(token=credentials["token"], base_url=url)
    if carrier == "deftship":
        return deftship.client(api_token=credentials["api_token"], base_url=url)
    if carrier == "wechat_shop":
        return wechat_shop.client(appid=credentials["appid"], secret=credentials["secret"], base_url=url)
    if carrier == "tiktok_shop" and values is not None:
        return tiktok_shop.client(
            app_key=values["app_key"],
            app_secret=values["app_secret"],
            access_token=values["access_token"],
            refresh_token=values.get("refresh_token"),
            shop_cipher=values["shop_cipher"],
            base_url=url,
            auth_base_url=url,
        )
    raise ValueError(f"no sandbox client for {carrier!r}")
