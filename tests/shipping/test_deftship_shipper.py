"""DeftShip shipper against the sandbox over real HTTP: batches, validation, shipping, failures, settings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from shipspec.carriers.deftship.shipper import DeftShipShipper, from_settings
from shipspec.errors import ConfigError, ResponseDecodeError
from shipspec.shipping.capabilities import Shipper

from .support_deftship import STEP_SECONDS, Env, invalid_later, sandbox, shipment


@pytest.fixture(scope="module")
def env() -> Iterator[Env]:
    """One fault-free sandbox for the module; each test ships its own references."""
    with sandbox() as running:
        yield running


@pytest.fixture(scope="module")
def shipper(env: Env) -> Iterator[DeftShipShipper]:
    built = env.shipper()
    yield built
    built.close()


def test_one_batch_ships_every_shipment_once(env: Env, shipper: DeftShipShipper) -> None:
    """Three shipments go in one batch: each shipped with its own tracking number, the batch shipped once."""
    results = shipper.ship_batch([shipment("OK-1"), shipment("OK-2"), shipment("OK-3")])
    assert [r.status for r in results] == ["shipped"] * 3
    assert len({r.tracking_number for r in results}) == 3
    (batch_id,) = {r.batch_id for r in results}
    assert env.batches_shipped().count(str(batch_id)) == 1
    assert all(env.shipped().count(f"OK-{n}") == 1 for n in (1, 2, 3))
    assert all(r.label_url and r.label_url.endswith(".pdf") for r in results)


def test_batches_split_by_size_and_service(env: Env) -> None:
    """batch_size 2 and two services make three batches; results keep input order."""
    mixed = [shipment("SZ-1"), shipment("SZ-2", service="USPS-9"), shipment("SZ-3"), shipment("SZ-4")]
    results = env.shipper(batch_size="2").ship_batch(mixed)
    assert [r.reference for r in results] == ["SZ-1", "SZ-2", "SZ-3", "SZ-4"]
    assert [r.status for r in results] == ["shipped"] * 4
    assert len({r.batch_id for r in results}) == 3


def test_items_are_read_through_every_page(env: Env, shipper: DeftShipShipper) -> None:
    """With two items per page, every item of a five-item batch is still found."""
    env.app.per_page = 2
    try:
        results = shipper.ship_batch([shipment(f"PG-{n}") for n in range(5)])
    finally:
        env.app.per_page = 100
    assert [r.status for r in results] == ["shipped"] * 5


def test_invalid_items_fail_and_are_removed_before_shipping(env: Env, shipper: DeftShipShipper) -> None:
    """An item DeftShip finds invalid fails with its field errors; the rest of the batch ships."""
    good, bad = shipper.ship_batch([shipment("IV-OK"), invalid_later("IV-BAD")])
    assert good.status == "shipped"
    assert bad.status == "failed"
    assert bad.error is not None
    assert bad.error.kind == "invalid_request"
    assert "package_list.0.items" in bad.error.message
    assert bad.batch_id == good.batch_id
    assert "IV-BAD" not in env.shipped()


def test_an_item_the_carrier_rejects_while_shipping_fails(env: Env, shipper: DeftShipShipper) -> None:
    """An item that fails during shipping is failed (kind unknown) while the others ship."""
    env.app.reject_on_ship("RJ-BAD")
    good, bad = shipper.ship_batch([shipment("RJ-OK"), shipment("RJ-BAD")])
    assert (good.status, bad.status) == ("shipped", "failed")
    assert bad.error is not None
    assert (bad.error.kind, bad.error.message) == ("unknown", "shipment: The carrier rejected the shipment.")
    assert "RJ-BAD" not in env.shipped()


def test_a_refused_create_fails_every_shipment(env: Env) -> None:
    """A shipper that is not eligible: createBatch's documented failure, invalid_request for all, no batch."""
    results = env.shipper(shipper_id="999").ship_batch([shipment("CR-1"), shipment("CR-2")])
    for result in results:
        assert result.status == "failed"
        assert result.error is not None
        assert result.error.kind == "invalid_request"
        assert result.error.message.startswith("Shipper not found")
        assert result.batch_id is None


def test_no_credit_fails_with_the_batch_kept_and_resume_ships_it(env: Env, shipper: DeftShipShipper) -> None:
    """Without credit the ship is refused (not_allowed, batch_id kept); resume_batch later ships it."""
    balance = env.app.balance()
    env.app.set_credit(0)
    try:
        (refused,) = shipper.ship_batch([shipment("NC-1")])
    finally:
        env.app.set_credit(balance)
    assert refused.status == "failed"
    assert refused.error is not None
    assert refused.error.kind == "not_allowed"
    assert refused.batch_id is not None
    (resumed,) = shipper.resume_batch(refused.batch_id, [shipment("NC-1")])
    assert (resumed.status, resumed.batch_id) == ("shipped", refused.batch_id)
    assert env.shipped().count("NC-1") == 1


def test_a_batch_not_settled_in_time_is_pending_then_resumed(env: Env) -> None:
    """When validation outlasts the deadline the result is pending with batch_id; resuming finishes it."""
    env.app.validation_delay = 600.0  # outlasts the deadline however slow the machine
    try:
        (waiting,) = env.direct(deadline=2.0).ship_batch([shipment("PD-1")])
    finally:
        env.app.validation_delay = STEP_SECONDS
    assert (waiting.status, waiting.error is not None) == ("pending", True)
    assert waiting.batch_id is not None
    assert "PD-1" not in env.shipped()
    (done,) = env.direct().resume_batch(waiting.batch_id, [shipment("PD-1")])
    assert done.status == "shipped"


def test_async_batches(env: Env) -> None:
    """aship_batch runs the same steps over the generated asyncio calls."""
    shipper = env.shipper()

    async def run() -> list[Any]:
        try:
            return await shipper.aship_batch([shipment("AS-1"), invalid_later("AS-2")])
        finally:
            await shipper.aclose()

    assert [r.status for r in asyncio.run(run())] == ["shipped", "failed"]


def test_bad_input_and_bad_token_fail_without_shipping(env: Env, shipper: DeftShipShipper) -> None:
    """Bad input fails before any request; a wrong token fails as auth; a reference twice fails the second."""
    before = dict(env.plan.calls)
    first, twice, bad = shipper.ship_batch(
        [shipment("BI-1", service="X"), shipment("BI-1"), shipment("BI-2", parcels=None)]
    )
    assert (twice.status, bad.status) == ("failed", "failed")
    assert bad.error is not None
    assert "parcels: required by deftship" in bad.error.message
    assert first.status == "shipped"
    assert env.plan.calls["createBatch"] == before.get("createBatch", 0) + 1
    (denied,) = env.shipper(api_token="wrong").ship_batch([shipment("BI-3")])
    assert denied.error is not None
    assert (denied.status, denied.error.kind) == ("failed", "auth")


def test_a_next_page_on_another_host_is_refused(env: Env, shipper: DeftShipShipper) -> None:
    """Pages are followed on the configured host only: the bearer token must not travel elsewhere."""
    with pytest.raises(ResponseDecodeError):
        shipper._next_url("https://elsewhere.example/batches/1?page=2", 1)
    assert shipper._next_url(f"{env.url}/batches/1?page=2", 1) is not None


def test_settings() -> None:
    """from_settings reads the DeftShip settings; the shipper is a Shipper of 2 concurrent batches."""
    built = from_settings(
        {
            "api_token": "t",
            "base_url": "http://127.0.0.1:9",
            "shipper_id": "7",
            "batch_size": "10",
            "service": "USPS-3",
        }
    )
    assert isinstance(built, Shipper)
    assert (built.carrier, built.batch_size, built.concurrency) == ("deftship", 10, 2)
    assert from_settings({"api_token": "t", "base_url": "http://h", "shipper_id": "7"}).batch_size == 1000


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"base_url": "http://h", "shipper_id": "1"}, "'api_token'"),
        ({"api_token": "s3cret", "shipper_id": "1"}, "'base_url'"),
        ({"api_token": "s3cret", "base_url": "ftp://h", "shipper_id": "1"}, "'base_url'"),
        ({"api_token": "s3cret", "base_url": "http://h"}, "'shipper_id'"),
        ({"api_token": "s3cret", "base_url": "http://h", "shipper_id": "x"}, "'shipper_id'"),
        (
            {"api_token": "s3cret", "base_url": "http://h", "shipper_id": "1", "batch_size": "1001"},
            "'batch_size'",
        ),
        (
            {"api_token": "s3cret", "base_url": "http://h", "shipper_id": "1", "poll_seconds": "0"},
            "'poll_seconds'",
        ),
    ],
)
def test_bad_settings_name_the_setting_not_the_value(settings: dict[str, str], named: str) -> None:
    """A missing or bad setting raises ConfigError naming it, never echoing the token."""
    with pytest.raises(ConfigError) as caught:
        from_settings(settings)
    assert named in str(caught.value)
    assert "s3cret" not in str(caught.value)
