"""TikTokShipper against the TikTok sandbox over real HTTP: one call per batch, per-package results."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from shipspec.carriers.tiktok_shop.shipper import TikTokShipper, from_settings
from shipspec.errors import ConfigError
from shipspec.shipping.capabilities import Canceller, Labeler, Shipper, Tracker
from shipspec.tokens import FileTokenStore, TokenRecord

from .support_tiktok_shop import Env, sandbox, seller_shipped, shipment

PICKUP = {
    "method": "pickup",
    "window_start": "2026-11-21T09:00:00+08:00",
    "window_end": "2026-11-21T12:00:00+08:00",
}


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox() as running:
        yield running


def test_the_shipper_is_a_shipper_and_nothing_more(env: Env) -> None:
    """Shipper only: TikTok tracking, labels and cancel are not in our spec."""
    shipper = env.shipper()
    assert isinstance(shipper, Shipper)
    assert not isinstance(shipper, Tracker | Labeler | Canceller)
    assert (shipper.carrier, shipper.batch_size, shipper.concurrency) == ("tiktok_shop", 50, 2)


def test_a_batch_ships_in_one_call_with_handover_and_self_shipment(env: Env) -> None:
    """Three packages, one request: all shipped, seller tracking echoed, pickup slot stored by TikTok."""
    env.app.add_package("P1")
    env.app.add_package("P2")
    env.app.add_package("P3", shipping_type="SELLER")
    batch = [
        shipment("R1", "P1", handover=PICKUP),
        shipment("R2", "P2", handover={"method": "drop_off"}),
        seller_shipped("R3", "P3", "JX777"),
    ]
    with env.shipper() as shipper:
        results = shipper.ship_batch(batch)
    assert [(r.reference, r.status, r.tracking_number, r.carrier_shipment_id) for r in results] == [
        ("R1", "shipped", None, "P1"),
        ("R2", "shipped", None, "P2"),
        ("R3", "shipped", "JX777", "P3"),
    ]
    assert env.ship_calls() == 1
    assert env.shipped_keys() == ["P1", "P2", "P3"]
    stored = env.app.package("P1")
    assert stored is not None
    assert stored["pickup_slot"] == {"start_time": 1795222800, "end_time": 1795233600}
    assert stored["handover_method"] == "PICKUP"


def test_each_documented_package_answer_maps_to_its_status_and_kind(env: Env) -> None:
    """Per-package codes from one call: already_done → already_shipped, the rest failed with their kind."""
    env.app.register_shop("OTHER_SHOP")
    env.app.add_package("SHIPPED", state="SHIPPED")
    env.app.add_package("DELIVERED", state="DELIVERED")
    env.app.add_package("CANCELLED", state="CANCELLED")
    env.app.add_package("AFTER_SALE", state="AFTER_SALE")
    env.app.add_package("ELSEWHERE", shop_cipher="OTHER_SHOP")
    env.app.add_package("SELLER", shipping_type="SELLER")
    env.app.add_package("TAKEN", shipping_type="SELLER")
    env.app.add_package("FINE", shipping_type="SELLER")
    batch = [
        shipment("a", "SHIPPED"),
        shipment("b", "DELIVERED"),
        shipment("c", "CANCELLED"),
        shipment("d", "AFTER_SALE"),
        shipment("e", "ELSEWHERE"),
        shipment("f", "MISSING"),
        shipment("g", "SELLER"),
        seller_shipped("h", "FINE", "DUP-1"),
        seller_shipped("i", "TAKEN", "DUP-1"),
    ]
    results = env.shipper().ship_batch(batch)
    seen = [(r.status, r.error.code if r.error else None, r.error.kind if r.error else None) for r in results]
    assert seen == [
        ("already_shipped", None, None),
        ("already_shipped", None, None),
        ("failed", "21011041", "not_allowed"),
        ("failed", "21011007", "not_allowed"),
        ("failed", "21011028", "not_found"),
        ("failed", "21011001", "not_found"),
        ("failed", "21011022", "invalid_request"),
        ("shipped", None, None),
        ("failed", "21011025", "invalid_request"),
    ]
    assert all(r.error.request_id for r in results if r.error)  # the envelope's request_id, for support
    assert env.ship_calls() == 1
    assert env.shipped_keys() == ["FINE"]


def test_bad_input_is_never_sent_and_the_rest_still_ships(env: Env) -> None:
    """An invalid shipment fails with its path, the valid one ships; only bad ones: nothing is sent."""
    env.app.add_package("P1")
    results = env.shipper().ship_batch([shipment("bad", None), shipment("good", "P1")])
    assert results[0].error is not None
    assert "platform.package_id: required by tiktok_shop" in results[0].error.message
    assert results[1].status == "shipped"
    assert env.ship_calls() == 1
    only_bad = env.shipper().ship_batch([shipment("x", "P9", reverse=True), shipment("y", None)])
    assert [r.status for r in only_bad] == ["failed", "failed"]
    assert env.ship_calls() == 1
    assert env.shipper().ship_batch([]) == []


def test_a_refused_call_fails_every_package_with_the_envelope_error(env: Env) -> None:
    """A wrong app_secret (106001, HTTP 401) fails the whole batch with kind auth; nothing ships."""
    env.app.add_package("P1")
    env.app.add_package("P2")
    results = env.shipper(app_secret="wrong").ship_batch([shipment("R1", "P1"), shipment("R2", "P2")])
    assert [(r.status, r.error.code, r.error.kind) for r in results if r.error] == [
        ("failed", "106001", "auth"),
        ("failed", "106001", "auth"),
    ]
    assert env.shipped_keys() == []


def test_more_than_batch_size_goes_in_consecutive_calls(env: Env) -> None:
    """batch_size 2 and five shipments: three calls, results in input order."""
    for number in range(5):
        env.app.add_package(f"P{number}")
    batch = [shipment(f"R{n}", f"P{n}") for n in range(5)]
    results = env.shipper(batch_size="2").ship_batch(batch)
    assert [r.reference for r in results] == ["R0", "R1", "R2", "R3", "R4"]
    assert {r.status for r in results} == {"shipped"}
    assert env.ship_calls() == 3


def test_the_async_path_ships_through_the_generated_asyncio_calls(env: Env) -> None:
    """aship_batch gives the same per-package results as ship_batch."""
    env.app.add_package("P1")
    env.app.add_package("P2", state="SHIPPED")

    async def run() -> list[str]:
        shipper = env.shipper()
        try:
            results = await shipper.aship_batch([shipment("R1", "P1"), shipment("R2", "P2")])
        finally:
            await shipper.aclose()
        return [r.status for r in results]

    assert asyncio.run(run()) == ["shipped", "already_shipped"]
    assert env.shipped_keys() == ["P1"]


@pytest.mark.parametrize("missing", ["app_key", "app_secret", "shop_cipher", "access_token"])
def test_a_missing_setting_is_named_and_no_value_is_shown(env: Env, missing: str) -> None:
    """ConfigError names the setting and never echoes a credential."""
    settings = {name: value for name, value in env.settings.items() if name != missing}
    with pytest.raises(ConfigError, match=missing) as caught:
        from_settings(settings)
    assert env.settings["app_secret"] not in str(caught.value)
    assert env.settings["access_token"] not in str(caught.value)


def test_a_bad_batch_size_is_refused() -> None:
    """batch_size must be a positive integer."""
    base = {"app_key": "k", "app_secret": "s", "shop_cipher": "c", "access_token": "t"}
    with pytest.raises(ConfigError, match="batch_size"):
        from_settings(base | {"batch_size": "0"})
    assert from_settings(base | {"batch_size": "7"}).batch_size == 7


def test_tokens_stored_in_token_dir_win_over_stale_configured_ones(env: Env, tmp_path: Path) -> None:
    """A token_dir record (refreshed since) is used even when the configured access_token is stale."""
    record = TokenRecord(env.settings["access_token"], 4_000_000_000.0, env.settings["refresh_token"])
    FileTokenStore(tmp_path).save("tiktok_shop.sandbox-app", record)
    env.app.add_package("P1")
    shipper = env.shipper(token_dir=str(tmp_path), access_token="stale")
    assert isinstance(shipper, TikTokShipper)
    assert [r.status for r in shipper.ship_batch([shipment("R1", "P1")])] == ["shipped"]
