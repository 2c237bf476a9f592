"""Carrier settings from the environment or a TOML file; credentials are never echoed.

Environment variables are ``SHIPSPEC_<CARRIER>_<SETTING>`` (e.g. ``SHIPSPEC_BAASHIP_TOKEN``,
``SHIPSPEC_TIKTOK_SHOP_APP_SECRET``); a TOML file has one table per carrier (``[baaship]\\ntoken = "…"``).
The environment wins over the file. Which settings a carrier takes is listed in ``SETTINGS``.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from .shipping.capabilities import Shipper

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")
# Setting names per carrier; those in SECRET_SETTINGS are credentials (never printed).
SETTINGS: Mapping[str, tuple[str, ...]] = {
    "tiktok_shop": (
        "app_key",
        "app_secret",
        "access_token",
        "refresh_token",
        "shop_cipher",
        "base_url",
        "auth_base_url",
        "token_dir",
        "batch_size",
    ),
    "wechat_shop": ("appid", "secret", "base_url", "token_dir", "use_classic_token", "concurrency"),
    "baaship": ("token", "environment", "base_url", "concurrency"),
    "deftship": ("api_token", "base_url", "shipper_id", "service", "batch_size", "poll_seconds"),
}
SECRET_SETTINGS = frozenset({"app_secret", "access_token", "refresh_token", "secret", "token", "api_token"})

__all__ = [
    "CARRIERS",
    "SECRET_SETTINGS",
    "SETTINGS",
    "ConfigError",
    "build_shipper",
    "load_settings",
    "shown",
]


def load_settings(
    path: Path | None = None, env: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Return settings per carrier from the TOML file (if given) overlaid with the environment."""
    environment = os.environ if env is None else env
    found: dict[str, dict[str, str]] = {carrier: {} for carrier in CARRIERS}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {type(exc).__name__}") from None
        for carrier, table in data.items():
            if carrier not in SETTINGS:
                raise ConfigError(f"{path}: unknown carrier table [{carrier}]; known: {', '.join(CARRIERS)}")
            for name, value in table.items():
                if name not in SETTINGS[carrier]:
                    raise ConfigError(f"{path}: [{carrier}] has no setting {name!r}")
                found[carrier][name] = str(value)
    for carrier, names in SETTINGS.items():
        for name in names:
            value = environment.get(f"SHIPSPEC_{carrier.upper()}_{name.upper()}")
            if value:
                found[carrier][name] = value
    return found


def shown(settings: Mapping[str, str]) -> dict[str, str]:
    """Settings fit for printing: credentials masked."""
    return {name: ("***" if name in SECRET_SETTINGS else value) for name, value in settings.items()}


def build_shipper(carrier: str, settings: Mapping[str, str]) -> Shipper:
    """Build the carrier's shipper (``shipspec.carriers.<carrier>.shipper.from_settings``)."""
    if carrier not in SETTINGS:
        raise ConfigError(f"unknown carrier {carrier!r}; known: {', '.join(CARRIERS)}")
    module = importlib.import_module(f"shipspec.carriers.{carrier}.shipper")
    shipper: Shipper = module.from_settings(settings)
    return shipper
