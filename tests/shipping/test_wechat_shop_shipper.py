"""WeChatShipper against the WeChat sandbox over real HTTP: one delivery/send per order, each answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from shipspec.carriers.wechat_shop.shipper import from_settings
from shipspec.errors import ConfigError
from shipspec.settings import instant_backoff
from shipspec.shipping.capabilities import Canceller, Labeler, Returner, Shipper, Tracker
from shipspec.shipping.runner import ship

from .support_wechat_shop import Env, FirstSendLost, item, sandbox, shipment


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox() as running, instant_backoff():
        yield running


def _brief(result: object) -> tuple[str, str | None, str | None]:
    status = getattr(result, "status", "")
    error = getattr(result, "error", None)
    return status, getattr(error, "code", None), getattr(error, "kind", None)


def test_the_shipper_is_a_shipper_and_nothing_more(env: Env) -> None:
    """Shipper only: WeChat has no tracking, label, cancel or return call in our spec."""
    shipper = env.shipper()
    assert isinstance(shipper, Shipper)
    assert not isinstance(shipper, Tracker | Labeler | Canceller | Returner)
    assert (shipper.carrier, shipper.batch_size, shipper.concurrency) == ("wechat_shop", 1, 8)
    assert env.shipper(concurrency="3").concurrency == 3


def test_a_whole_order_ships_and_returns_its_waybill(env: Env) -> None:
    """errcode 0 → shipped with the waybill as tracking number; the ledger has that one package."""
    env.app.add_order(1001, [(11, 21, 1), (12, 22, 2)])
    with env.shipper() as shipper:
        [result] = shipper.ship_batch([shipment("R1", 1001, "SF1001")])
    assert (result.status, result.tracking_number) == ("shipped", "SF1001")
    assert env.sent_keys() == ["1001/SF1001"]
    order = env.app.order(1001)
    assert order is not None
    assert order["state"] == "SHIPPED"


def test_shipments_of_one_order_in_a_batch_go_in_one_call(env: Env) -> None:
    """Two split shipments of one order: one request, two packages, both shipped."""
    env.app.add_order(1002, [(11, 21, 1), (12, 22, 2)])
    shipper = env.batched(2)
    results = shipper.ship_batch(
        [shipment("A", 1002, "W-A", item(11, 21)), shipment("B", 1002, "W-B", item(12, 22, 2))]
    )
    assert [r.status for r in results] == ["shipped", "shipped"]
    assert env.send_calls() == 1
    assert env.sent_keys() == ["1002/W-A", "1002/W-B"]


@pytest.mark.parametrize(
    ("state", "items", "expected"),
    [
        ("SHIPPED", [], ("already_shipped", None, None)),
        ("AFTER_SALE", [], ("failed", "108009", "not_allowed")),
        ("CANCELLED", [], ("failed", "101100", "not_allowed")),
        ("ONLINE", [], ("failed", "109205", "not_allowed")),
        ("PAID", [item(11, 21, 1)], ("failed", "800001", "invalid_request")),  # 1 of the 3 ordered
        ("PAID", [item(99, 99)], ("failed", "109000", "invalid_request")),  # not in the order
    ],
)
def test_documented_answers_map_to_status_and_kind(
    env: Env, state: str, items: list[dict[str, object]], expected: tuple[str, str | None, str | None]
) -> None:
    """Each documented refusal of delivery/send becomes its status, code and kind; nothing ships."""
    seed_state = "PAID" if state == "ONLINE" else state
    env.app.add_order(2001, [(11, 21, 3), (12, 22, 1)], seed_state, online_logistics=state == "ONLINE")
    [result] = env.shipper().ship_batch([shipment("R1", 2001, "W1", *items)])
    assert _brief(result) == expected
    if result.error is not None:
        assert result.error.request_id  # from errmsg's " rid: …"
    assert env.sent_keys() == []
    assert env.send_calls() == 1


def test_an_unknown_order_is_not_found(env: Env) -> None:
    """100002 → failed, kind not_found."""
    [result] = env.shipper().ship_batch([shipment("R1", 9999, "W1")])
    assert _brief(result) == ("failed", "100002", "not_found")


def test_an_app_without_the_shop_permission_fails_with_auth(env: Env) -> None:
    """48001 (API not enabled) → failed, kind auth."""
    env.app.register_app("wxnoshop", "nosecret", shop_api=False)
    env.app.add_order(1003, [(11, 21, 1)])
    [result] = env.shipper(appid="wxnoshop", secret="nosecret").ship_batch([shipment("R1", 1003, "W1")])
    assert _brief(result) == ("failed", "48001", "auth")


def test_transient_refusals_are_resent_until_the_order_ships(env: Env) -> None:
    """-1 and 100003 (nothing shipped) are sent again, and the order then ships once."""
    env.app.add_order(1004, [(11, 21, 1)])
    env.app.fail_next_send(1004, -1, times=3)
    env.app.fail_next_send(1004, 100003, times=3)
    [result] = env.shipper().ship_batch([shipment("R1", 1004, "W1")])
    assert result.status == "shipped"
    assert env.sent_keys() == ["1004/W1"]


def test_bad_input_and_conflicting_shipments_are_never_sent(env: Env) -> None:
    """Field problems and a SKU split over two shipments fail before any call."""
    shipper = env.batched(3)
    results = shipper.ship_batch(
        [
            shipment("bad", None, "W0"),
            shipment("A", 1005, "W1", item(11, 21)),
            shipment("B", 1005, "W2", item(11, 21)),
        ]
    )
    assert [r.status for r in results] == ["failed", "failed", "failed"]
    assert results[0].error is not None
    assert "platform.order_id: required by wechat_shop (order_id)" in results[0].error.message
    assert results[1].error == results[2].error
    assert env.send_calls() == 0


def test_a_lost_answer_for_a_whole_order_is_already_shipped() -> None:
    """The lost call shipped the order; the resend answers 109001 → already_shipped, one ledger entry."""
    with sandbox(FirstSendLost()) as env, instant_backoff():
        env.app.add_order(1006, [(11, 21, 1)])
        [result] = env.shipper().ship_batch([shipment("R1", 1006, "W1")])
        assert result.status == "already_shipped"
        assert env.send_calls() == 2
        assert env.sent_keys() == ["1006/W1"]


def test_a_lost_answer_for_a_split_shipment_is_pending() -> None:
    """Split and the order not complete: the resend answers 109000, which cannot tell → pending."""
    with sandbox(FirstSendLost()) as env, instant_backoff():
        env.app.add_order(1007, [(11, 21, 1), (12, 22, 1)])
        [result] = env.shipper().ship_batch([shipment("R1", 1007, "W1", item(11, 21))])
        assert result.status == "pending"
        assert result.error is not None
        assert result.error.code is None  # 109000 is not this shipment's answer: no code is claimed
        assert "could not be learnt" in result.error.message
        assert env.sent_keys() == ["1007/W1"]


def test_the_async_path_ships_through_the_generated_asyncio_calls(env: Env) -> None:
    """aship_batch: shipped, then already_shipped for the same order."""
    env.app.add_order(1008, [(11, 21, 1)])

    async def run() -> list[str]:
        shipper = env.shipper()
        try:
            first = await shipper.aship_batch([shipment("R1", 1008, "W1")])
            again = await shipper.aship_batch([shipment("R2", 1008, "W1")])
        finally:
            await shipper.aclose()
        return [r.status for r in first + again]

    assert asyncio.run(run()) == ["shipped", "already_shipped"]
    assert env.sent_keys() == ["1008/W1"]


@pytest.mark.parametrize("missing", ["appid", "secret"])
def test_a_missing_setting_is_named_and_no_value_is_shown(missing: str) -> None:
    """ConfigError names the setting and never echoes the secret."""
    settings = {
        name: value for name, value in {"appid": "wx1", "secret": "s3cret-x"}.items() if name != missing
    }
    with pytest.raises(ConfigError, match=missing) as caught:
        from_settings(settings)
    assert "s3cret-x" not in str(caught.value)


def test_switches_are_parsed_strictly(env: Env, tmp_path: Path) -> None:
    """use_classic_token must be a boolean word; concurrency a positive integer; token_dir is used."""
    with pytest.raises(ConfigError, match="use_classic_token"):
        from_settings(env.settings | {"use_classic_token": "maybe"})
    with pytest.raises(ConfigError, match="concurrency"):
        from_settings(env.settings | {"concurrency": "-2"})
    env.app.add_order(1009, [(11, 21, 1)])
    classic = env.shipper(use_classic_token="true", token_dir=str(tmp_path))
    assert [r.status for r in classic.ship_batch([shipment("R1", 1009, "W1")])] == ["shipped"]
    assert list(tmp_path.glob("*classic*"))  # the classic token is kept in the shared store


def test_the_runner_keeps_an_orders_shipments_in_one_call(env: Env) -> None:
    """Through shipspec.ship at the default batch size 1: an order's two packages still go in one request."""
    env.app.add_order(1003, [(11, 21, 1), (12, 22, 2)])
    env.app.add_order(1004, [(11, 21, 1)])
    rows = [
        shipment("A", 1003, "W-A", item(11, 21)),
        shipment("B", 1003, "W-B", item(12, 22, 2)),
        shipment("C", 1004, "W-C"),
    ]
    with env.shipper() as shipper:
        results = {r.reference: r.status for r in ship(rows, shippers={"wechat_shop": shipper})}
    assert results == {"A": "shipped", "B": "shipped", "C": "shipped"}
    assert env.send_calls() == 2
    assert sorted(env.sent_keys()) == ["1003/W-A", "1003/W-B", "1004/W-C"]
