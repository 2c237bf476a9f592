"""Carrier settings from the environment or a TOML file; credentials are never echoed.

Environment variables are ``SHIPSPEC_<CARRIER>_<SETTING>`` (e.g. ``SHIPSPEC_BAASHIP_TOKEN``,
``SHIPSPEC_TIKTOK_SHOP_APP_SECRET``); a TOML file has one table per carrier (``[baaship]\\ntoken = "…"``).
The environment wins over the file. Settings given in code (``ship(..., settings=...)``) are merged with the
environment the same way, key by key, and win over it (``with_environment``). Which settings a carrier takes
is listed in ``SETTINGS``.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .settings import DEFAULT_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS

if TYPE_CHECKING:
    from .shipping.capabilities import Shipper

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")
# Every carrier's pacing (shipspec.pacing): its rate limit, and the Redis that shares it between processes.
PACING_SETTINGS = ("rate_limit", "rate_store")
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
        "token_store",
        "batch_size",
        *PACING_SETTINGS,
        "deadline_seconds",
    ),
    "wechat_shop": (
        "appid",
        "secret",
        "base_url",
        "token_dir",
        "token_store",
        "use_classic_token",
        "concurrency",
        *PACING_SETTINGS,
        "deadline_seconds",
    ),
    "baaship": ("token", "environment", "base_url", "concurrency", *PACING_SETTINGS, "deadline_seconds"),
    "deftship": (
        "api_token",
        "base_url",
        "shipper_id",
        "service",
        "batch_size",
        "poll_seconds",
        *PACING_SETTINGS,
        "deadline_seconds",
    ),
}
SECRET_SETTINGS = frozenset({"app_secret", "access_token", "refresh_token", "secret", "token", "api_token"})
# What a carrier's refusal of our credentials (kind ``auth``) asks the user to check: its credentials and
# the identifiers they belong to.
CREDENTIAL_SETTINGS: Mapping[str, tuple[str, ...]] = {
    "tiktok_shop": ("app_key", "app_secret", "access_token", "refresh_token", "shop_cipher"),
    "wechat_shop": ("appid", "secret"),
    "baaship": ("token", "environment"),
    "deftship": ("api_token",),
}

__all__ = [
    "CARRIERS",
    "CREDENTIAL_SETTINGS",
    "SECRET_SETTINGS",
    "SETTINGS",
    "CarrierSettings",
    "ConfigError",
    "as_environment",
    "build_shipper",
    "credential_hint",
    "load_settings",
    "shown",
    "variable",
    "with_environment",
]


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class CarrierSettings:
    """Typed reads of one carrier's settings; a bad one raises ConfigError("<carrier>: setting '<name>' …").

    Messages name the carrier and the setting, never the value. An empty value counts as absent. The two
    conventions the carriers have always had are kept: with ``trim`` (tiktok_shop, wechat_shop) surrounding
    white space is dropped, a number must be plain digits ("must be a positive integer") and a missing
    setting "is required"; without it (baaship, deftship) a value is taken as given, numbers are read by
    ``int``/``float`` and a missing setting names its variable ("is missing (SHIPSPEC_BAASHIP_TOKEN)").
    """

    def __init__(self, carrier: str, settings: Mapping[str, str], *, trim: bool = False) -> None:
        self.carrier = carrier
        self._settings = settings
        self._trim = trim

    def error(self, name: str, problem: str) -> ConfigError:
        """The error for setting ``name``: "<carrier>: setting '<name>' <problem>" (put no value in it)."""
        return ConfigError(f"{self.carrier}: setting {name!r} {problem}")

    def optional(self, name: str) -> str | None:
        """The value, or None when it is absent or empty."""
        raw = self._settings.get(name)
        if self._trim:
            raw = (raw or "").strip()
        return raw or None

    def required(self, name: str) -> str:
        """The value; ConfigError when it is absent or empty."""
        value = self.optional(name)
        if value is None:
            raise self._missing(name)
        return value

    def positive_int(self, name: str, default: int | None = None, *, high: int | None = None) -> int:
        """A whole number from 1 (to ``high``); ``default`` when absent, required when ``default`` is None."""
        raw = self.optional(name)
        if raw is None:
            if default is None:
                raise self._missing(name)
            return default
        if self._trim:
            if not raw.isdigit() or int(raw) < 1:
                raise self.error(name, "must be a positive integer")
            value = int(raw)
        else:
            try:
                value = int(raw)
            except ValueError:
                raise self.error(name, "must be a whole number") from None
        if value < 1 or (high is not None and value > high):
            raise self.error(name, f"must be 1 to {high}" if high is not None else "must be at least 1")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A switch: 1/true/yes/on or 0/false/no/off (any case); ``default`` when absent."""
        raw = self.optional(name)
        if raw is None:
            return default
        word = raw.lower()
        if word not in _TRUE | _FALSE:
            raise self.error(name, "must be true or false")
        return word in _TRUE

    def seconds(self, name: str, default: float, *, high: float = 60.0) -> float:
        """A wait of more than 0 and at most ``high`` seconds; ``default`` when absent."""
        raw = self.optional(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise self.error(name, "must be a number of seconds") from None
        if not 0 < value <= high:
            raise self.error(name, f"must be more than 0 and at most {high:g} seconds")
        return value

    def deadline(self) -> float:
        """The ``deadline_seconds`` setting: the seconds one shipment may take (``shipspec.deadline``)."""
        return self.seconds("deadline_seconds", DEFAULT_DEADLINE_SECONDS, high=MAX_DEADLINE_SECONDS)

    def _missing(self, name: str) -> ConfigError:
        if self._trim:
            return self.error(name, "is required")
        return self.error(name, f"is missing ({variable(self.carrier, name)})")


def variable(carrier: str, name: str) -> str:
    """The environment variable of a carrier's setting: ``SHIPSPEC_<CARRIER>_<SETTING>``."""
    return f"SHIPSPEC_{carrier.upper()}_{name.upper()}"


def as_environment(settings: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Settings per carrier as the environment variables ``load_settings`` reads (for a child process)."""
    return {
        variable(carrier, name): value
        for carrier, values in settings.items()
        for name, value in values.items()
    }


def credential_hint(carrier: str) -> str:
    """Which settings to check when ``carrier`` refuses our credentials (names only, never values)."""
    names = CREDENTIAL_SETTINGS.get(carrier, ())
    variables = ", ".join(variable(carrier, name) for name in names)
    return f"check {variables} (or those settings in the [{carrier}] table of the --config file)"


def load_settings(
    path: Path | None = None, env: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Return settings per carrier from the TOML file (if given) overlaid with the environment.

    A file that cannot be used raises ConfigError naming the file and the key path, never a value.
    """
    environment = os.environ if env is None else env
    found: dict[str, dict[str, str]] = {carrier: {} for carrier in CARRIERS}
    if path is not None:
        for carrier, values in _read_config(path).items():
            found[carrier].update(values)
    for carrier, names in SETTINGS.items():
        for name in names:
            value = environment.get(variable(carrier, name))
            if value:
                found[carrier][name] = value
    return found


def with_environment(
    given: Mapping[str, Mapping[str, str]], env: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Settings given in code, added key by key to those of the environment; a given value wins.

    The same per-key merge as a ``--config`` file with the environment, so ``settings={"baaship": {"token":
    …}}`` keeps ``SHIPSPEC_BAASHIP_BASE_URL``. An empty given value counts as absent, as in the environment.
    """
    merged = load_settings(env=env)
    for carrier, values in given.items():
        table = merged.setdefault(carrier, {})
        table.update({name: value for name, value in values.items() if value})
    return merged


def _read_config(path: Path) -> dict[str, dict[str, str]]:
    """The settings in a TOML file: one table per carrier, each setting text, a number or true/false."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or type(exc).__name__}") from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}: not UTF-8 text (line {line})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {_toml_problem(exc)}") from None
    found: dict[str, dict[str, str]] = {}
    for carrier, table in data.items():
        if carrier not in SETTINGS and not isinstance(table, dict):
            raise ConfigError(f"{path}: {carrier!r} is outside any carrier table ([{'], ['.join(CARRIERS)}])")
        if carrier not in SETTINGS:
            raise ConfigError(f"{path}: unknown carrier table [{carrier}]; known: {', '.join(CARRIERS)}")
        if not isinstance(table, dict):
            # `baaship = "…"` instead of `[baaship]` + `token = "…"`: the value is likely a credential.
            raise ConfigError(f"{path}: {carrier} must be a table ([{carrier}]), not {_kind(table)}")
        found[carrier] = {}
        for name, value in table.items():
            if name not in SETTINGS[carrier]:
                raise ConfigError(f"{path}: [{carrier}] has no setting {name!r}")
            found[carrier][name] = _setting_text(path, f"{carrier}.{name}", value)
    return found


def _setting_text(path: Path, key: str, value: object) -> str:
    """A setting as the text an environment variable would hold: numbers and booleans as TOML writes them."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int, and str(True) is "True"
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise ConfigError(f"{path}: {key} must be text, a number or true/false, not {_kind(value)}")


def _kind(value: object) -> str:
    """What a TOML value is, in words (never the value: it may be a credential)."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a date or time"


# tomllib quotes the offending character in two of its messages; it may belong to a credential.
_QUOTED_CHARACTER = re.compile(r"^(Found invalid character|Illegal character) .*?(?= \(at )")


def _toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's message (what is wrong, at which line and column) without any character of the file."""
    return _QUOTED_CHARACTER.sub(r"\1", str(error))


def shown(settings: Mapping[str, str]) -> dict[str, str]:
    """Settings fit for printing: credentials masked."""
    return {name: ("***" if name in SECRET_SETTINGS else value) for name, value in settings.items()}


def build_shipper(carrier: str, settings: Mapping[str, str]) -> Shipper:
    """Build the carrier's shipper (``shipspec.carriers.<carrier>.shipper.from_settings``).

    ``settings`` are added to the carrier's environment variables key by key and win over them
    (``with_environment``): every way in (``ship``/``aship``, the CLI, a program) merges the same way.
    """
    if carrier not in SETTINGS:
        raise ConfigError(f"unknown carrier {carrier!r}; known: {', '.join(CARRIERS)}")
    module = importlib.import_module(f"shipspec.carriers.{carrier}.shipper")
    shipper: Shipper = module.from_settings(with_environment({carrier: settings})[carrier])
    return shipper
