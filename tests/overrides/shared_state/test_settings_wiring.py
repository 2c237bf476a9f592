"""The token_store, rate_limit and rate_store settings reach a real shipper (WeChat, against its sandbox)."""

from __future__ import annotations

import uuid
from typing import cast

import redis
from shipspec.carriers.wechat_shop.shipper import from_settings
from shipspec_sandbox.carriers.wechat_shop import WeChatSandbox
from shipspec_sandbox.runner import start_sandboxes

from tests.shipping.support_wechat_shop import shipment

from .arrivals import RecordingPlan

SEND = "sendDelivery"


def test_a_shipper_built_from_settings_shares_its_token_and_pace_in_redis(redis_url: str) -> None:
    """token_store keeps the token in Redis; rate_limit 4/s in rate_store spaces three sends 0.25 s apart."""
    plan = RecordingPlan()
    with start_sandboxes(("wechat_shop",), faults=plan) as sandboxes:
        app = cast(WeChatSandbox, sandboxes.app("wechat_shop"))
        # A database of its own: the token store's keys have a fixed prefix.
        database = f"{redis_url.rsplit('/', 1)[0]}/{1 + uuid.uuid4().int % 15}"
        redis.Redis.from_url(database).flushdb()
        settings = dict(app.credentials) | {
            "base_url": sandboxes.url("wechat_shop"),
            "token_store": database,
            "rate_limit": "4/s",
            "rate_store": database,
        }
        for order in (1001, 1002, 1003):
            app.add_order(order, [(11, 21, 1)])
        with from_settings(settings) as shipper:
            for order in (1001, 1002, 1003):
                [result] = shipper.ship_batch([shipment(f"R{order}", order, f"SF{order}")])
                assert result.status == "shipped"
            # At once: the schedule's key lives one interval plus a second after the last send.
            listed = redis.Redis.from_url(database).keys("*")
            keys = {key.decode() if isinstance(key, bytes) else key for key in listed}
    assert app.token_requests("getStableAccessToken") == 1
    assert any(key.startswith("shipspec:token:wechat_shop.") for key in keys)
    assert "shipspec:pace:wechat_shop:tat" in keys
    sends = plan.times(SEND)
    assert len(sends) == 3
    assert sends[-1] - sends[0] >= 0.4  # two intervals of 0.25 s; unpaced, milliseconds
