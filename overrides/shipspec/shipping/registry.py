"""What each carrier's shipper can do, read from the shipper classes themselves.

A capability is a ``typing.Protocol`` of ``shipspec.shipping.capabilities``; a carrier has it when the
class that its ``from_settings`` returns has every member of the protocol. Nothing here is a hand-kept
list, so a new method on a shipper shows up at once. The batch size and concurrency shown are the
defaults: what ``from_settings`` gives when those settings are not set (it is called with placeholder
credentials and never sends anything).
"""

from __future__ import annotations

import importlib
import typing
from dataclasses import dataclass, field
from typing import Any

from ..config import CARRIERS, SETTINGS
from .capabilities import Canceller, Labeler, Returner, Shipper, Tracker

__all__ = [
    "CAPABILITIES",
    "CarrierInfo",
    "carrier_info",
    "carriers_capabilities",
    "has_capability",
    "shipper_class",
]

CAPABILITIES: dict[str, type] = {
    "Shipper": Shipper,
    "Canceller": Canceller,
    "Tracker": Tracker,
    "Labeler": Labeler,
    "Returner": Returner,
}
# Settings left unset when building a shipper for its defaults: the tunables and optional switches.
TUNABLES = frozenset(
    {
        "batch_size",
        "concurrency",
        "poll_seconds",
        "use_classic_token",
        "token_dir",
        "token_store",
        "environment",
        "rate_limit",
        "rate_store",
        "deadline_seconds",
    }
)


@dataclass(frozen=True)
class CarrierInfo:
    """One carrier's shipper: which capabilities it has and its batching defaults (None when unknown)."""

    carrier: str
    shipper: str | None
    capabilities: dict[str, bool] = field(default_factory=dict)
    batch_size: int | None = None
    concurrency: int | None = None


def shipper_class(carrier: str) -> type | None:
    """The class ``shipspec.carriers.<carrier>.shipper.from_settings`` returns, or None when absent."""
    try:
        module = importlib.import_module(f"shipspec.carriers.{carrier}.shipper")
    except ModuleNotFoundError:
        return None
    factory = getattr(module, "from_settings", None)
    if factory is None:
        return None
    try:
        returned = typing.get_type_hints(factory).get("return")
    except (NameError, TypeError):
        returned = None
    if isinstance(returned, type):
        return returned
    # Unannotated: the module's own class that ships.
    own = [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__]
    return next((cls for cls in own if callable(getattr(cls, "ship_batch", None))), None)


def _members(protocol: type) -> dict[str, bool]:
    """A protocol's public members → True for methods, False for data (properties, attributes)."""
    members: dict[str, bool] = {}
    for name, value in vars(protocol).items():
        if not name.startswith("_"):
            members[name] = callable(value) and not isinstance(value, property)
    for name in getattr(protocol, "__annotations__", {}):
        if not name.startswith("_"):
            members.setdefault(name, False)
    return members


def _declares(cls: type, name: str) -> bool:
    """A data member may be a class attribute, a property, or only an annotation (dataclass, attrs)."""
    return hasattr(cls, name) or any(name in getattr(k, "__annotations__", {}) for k in cls.__mro__)


def has_capability(cls: type, protocol: type) -> bool:
    """Whether instances of ``cls`` satisfy ``protocol`` (every method callable, every data member there)."""
    return all(
        callable(getattr(cls, name, None)) if is_method else _declares(cls, name)
        for name, is_method in _members(protocol).items()
    )


def _placeholder(name: str) -> str:
    if name.endswith("base_url"):
        return "http://127.0.0.1:9"
    return "1" if name.endswith("_id") else "placeholder"


def _defaults(carrier: str) -> tuple[int | None, int | None]:
    module: Any = importlib.import_module(f"shipspec.carriers.{carrier}.shipper")
    settings = {name: _placeholder(name) for name in SETTINGS[carrier] if name not in TUNABLES}
    try:
        shipper = module.from_settings(settings)
        return int(shipper.batch_size), int(shipper.concurrency)
    except Exception:  # a shipper that needs more than placeholders: the defaults stay unknown
        return None, None


def carrier_info(carrier: str) -> CarrierInfo:
    """Capabilities and batching defaults of one carrier's shipper."""
    cls = shipper_class(carrier)
    if cls is None:
        return CarrierInfo(carrier, None, dict.fromkeys(CAPABILITIES, False))
    capabilities = {name: has_capability(cls, protocol) for name, protocol in CAPABILITIES.items()}
    batch_size, concurrency = _defaults(carrier)
    return CarrierInfo(carrier, cls.__name__, capabilities, batch_size, concurrency)


def carriers_capabilities() -> dict[str, CarrierInfo]:
    """Every carrier's capabilities and batching defaults, by carrier id."""
    return {carrier: carrier_info(carrier) for carrier in CARRIERS}
