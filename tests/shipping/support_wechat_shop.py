"""Shared pieces of the WeChat shipper tests: a running sandbox, a request-counting fault plan, builders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from shipspec.carriers import wechat_shop
from shipspec.carriers.wechat_shop.shipper import WeChatShipper, from_settings
from shipspec_sandbox import FaultPlan, FaultRule, Ledger, Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.wechat_shop import WeChatSandbox
from shipspec_shipping_models import Shipment

from .support_faults import CountingPlan

CARRIER = "wechat_shop"
SEND = "sendDelivery"

__all__ = ["CARRIER", "CountingPlan", "Env", "FirstSendLost", "item", "sandbox", "shipment"]


class FirstSendLost(CountingPlan):
    """The first delivery/send commits and then loses its answer; nothing else fails."""

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        super().decide(carrier, operation, identity)
        first = operation == SEND and self.calls[operation] == 1
        return FaultRule("timeout_after_commit", 1.0, hold_seconds=0.1) if first else None


@dataclass
class Env:
    """A running WeChat sandbox with the default app's settings."""

    sandboxes: Sandboxes
    app: WeChatSandbox
    plan: CountingPlan
    settings: dict[str, str]

    @property
    def ledger(self) -> Ledger:
        return self.sandboxes.ledger

    def shipper(self, **overrides: str) -> WeChatShipper:
        return from_settings(self.settings | overrides)

    def batched(self, batch_size: int) -> WeChatShipper:
        """A shipper over the public entry point's client that takes ``batch_size`` shipments per call."""
        wired = wechat_shop.client(
            appid=self.settings["appid"], secret=self.settings["secret"], base_url=self.settings["base_url"]
        )
        return WeChatShipper(wired, batch_size=batch_size)

    def send_calls(self) -> int:
        return self.plan.calls.get(SEND, 0)

    def sent_keys(self) -> list[str]:
        """Ledger keys ``<order_id>/<waybill_id>`` of the packages that really shipped."""
        return [entry.key for entry in self.ledger.entries(CARRIER, "delivery_sent")]


@contextmanager
def sandbox(plan: FaultPlan | None = None) -> Iterator[Env]:
    """Start the WeChat sandbox (default app ``wxsandbox``); stopped on exit."""
    counting = plan if isinstance(plan, CountingPlan) else CountingPlan()
    with start_sandboxes((CARRIER,), faults=counting) as sandboxes:
        app = cast(WeChatSandbox, sandboxes.app(CARRIER))
        settings = dict(app.credentials) | {"base_url": sandboxes.url(CARRIER)}
        yield Env(sandboxes, app, counting, settings)


def item(product_id: int, sku_id: int, quantity: int = 1) -> dict[str, Any]:
    """One neutral item line of a platform order."""
    return {
        "name": f"product {product_id}",
        "quantity": quantity,
        "product_id": str(product_id),
        "sku_id": str(sku_id),
    }


def shipment(
    reference: str,
    order_id: int | str | None,
    waybill: str | None = None,
    *items: dict[str, Any],
    courier: str = "SF",
    **fields: Any,
) -> Shipment:
    """A WeChat Shipment of an order: by courier (waybill + courier code) unless ``waybill`` is None."""
    platform: dict[str, Any] = {}
    if order_id is not None:
        platform["order_id"] = str(order_id)
    if waybill is not None:
        platform |= {"tracking_number": waybill, "shipping_provider_id": courier}
    document = {"reference": reference, "carrier": CARRIER, "platform": platform or None, **fields}
    if items:
        document["items"] = list(items)
    return Shipment.model_validate(document)
