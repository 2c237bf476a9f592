"""Shared pieces of the TikTok shipper tests: a running sandbox with a seller's tokens, builders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from shipspec.carriers.tiktok_shop.shipper import TikTokShipper, from_settings
from shipspec_sandbox import Ledger, Sandboxes, start_sandboxes
from shipspec_sandbox.carriers.tiktok_shop import TikTokSandbox
from shipspec_shipping_models import Shipment

from .support_faults import CountingPlan

CARRIER = "tiktok_shop"


@dataclass
class Env:
    """A running TikTok sandbox and the settings of a seller who authorized the default app."""

    sandboxes: Sandboxes
    app: TikTokSandbox
    plan: CountingPlan
    settings: dict[str, str]

    @property
    def ledger(self) -> Ledger:
        return self.sandboxes.ledger

    def shipper(self, **overrides: str) -> TikTokShipper:
        return from_settings(self.settings | overrides)

    def ship_calls(self) -> int:
        return self.plan.calls.get("batchShipPackages", 0)

    def shipped_keys(self) -> list[str]:
        return [entry.key for entry in self.ledger.entries(CARRIER, "package_shipped")]


@contextmanager
def sandbox(plan: CountingPlan | None = None) -> Iterator[Env]:
    """Start the TikTok sandbox; the seller's tokens come from an auth code exchanged in-process.

    The exchange skips HTTP on purpose: under a fault plan a lost getAccessToken answer would spend the
    one-time code before the test begins (the exchange itself is covered by tests/overrides).
    """
    plan = plan or CountingPlan()
    with start_sandboxes((CARRIER,), faults=plan) as sandboxes:
        app = cast(TikTokSandbox, sandboxes.app(CARRIER))
        credentials = dict(app.credentials)
        grant = app.accounts.exchange(
            credentials["app_key"], credentials["app_secret"], app.mint_auth_code(credentials["app_key"])
        )
        assert grant.data is not None
        url = sandboxes.url(CARRIER)
        settings = credentials | {
            "base_url": url,
            "auth_base_url": url,
            "access_token": grant.data["access_token"],
            "refresh_token": grant.data["refresh_token"],
        }
        yield Env(sandboxes, app, plan, settings)


def shipment(reference: str, package_id: str | None = None, **fields: Any) -> Shipment:
    """A TikTok Shipment for a package (``platform`` extras such as tracking_number go in ``platform``)."""
    platform = dict(fields.pop("platform", {}))
    if package_id is not None:
        platform["package_id"] = package_id
    return Shipment.model_validate(
        {"reference": reference, "carrier": CARRIER, "platform": platform or None, **fields}
    )


def seller_shipped(
    reference: str, package_id: str, tracking: str, provider: str = "6617675021119438849"
) -> Shipment:
    """A seller-shipped package: the seller's courier tracking number and TikTok's provider id."""
    platform = {"tracking_number": tracking, "shipping_provider_id": provider}
    return shipment(reference, package_id, platform=platform)
