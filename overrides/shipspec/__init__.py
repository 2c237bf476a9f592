"""shipspec: ship orders through TikTok Shop, WeChat mini-shops, Baaship and DeftShip from one typed SDK.

``ship``/``aship`` run any iterable of ``Shipment``s through their carriers (streamed, batched, exactly-once);
``shipspec.carriers.<carrier>.client(...)`` gives each carrier's generated client wired for production use.
The generated clients live in their own packages (``shipspec_tiktok_shop``, ``shipspec_wechat_shop``,
``shipspec_baaship``, ``shipspec_deftship``) and the carrier-neutral models in ``shipspec_shipping_models``.
Names are loaded on first use, so ``import shipspec`` stays cheap; it does install the redaction of every log
record (``shipspec.secrets``), so no credential reaches a log line, whatever logger writes it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import secrets as _secrets  # noqa: F401  (imported for its effect: every log record is redacted)

if TYPE_CHECKING:
    from shipspec_shipping_models import Shipment, ShipmentResult, TrackingEvent

    from .errors import ShipspecError
    from .shipping.registry import carriers_capabilities
    from .shipping.runner import aship, ship

_EXPORTS = {
    "Shipment": "shipspec_shipping_models",
    "ShipmentResult": "shipspec_shipping_models",
    "ShipspecError": "shipspec.errors",
    "TrackingEvent": "shipspec_shipping_models",
    "aship": "shipspec.shipping.runner",
    "carriers_capabilities": "shipspec.shipping.registry",
    "ship": "shipspec.shipping.runner",
}

__all__ = [
    "Shipment",
    "ShipmentResult",
    "ShipspecError",
    "TrackingEvent",
    "aship",
    "carriers_capabilities",
    "ship",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'shipspec' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
