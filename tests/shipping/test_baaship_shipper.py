"""Baaship shipper against the sandbox over real HTTP: ship, return, cancel, track, labels, errors."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from shipspec.carriers.baaship import client
from shipspec.carriers.baaship.shipper import BaashipShipper, from_settings
from shipspec.errors import ConfigError, InputError, NotFoundError, ResponseDecodeError
from shipspec.settings import instant_backoff
from shipspec.shipping.capabilities import Canceller, Labeler, Returner, Shipper, Tracker
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN

from .support_baaship import Env, return_shipment, sandbox, shipment, unplaceable


@pytest.fixture(scope="module")
def env() -> Iterator[Env]:
    """One fault-free sandbox for the module; each test ships its own references."""
    with sandbox(strict_countries=True) as running:
        yield running


@pytest.fixture(scope="module")
def shipper(env: Env) -> Iterator[BaashipShipper]:
    built = env.shipper()
    yield built
    built.close()


def test_ship_then_track_label_and_cancel(env: Env, shipper: BaashipShipper) -> None:
    """A shipment ships once; its tracking, label (a real PDF) and cancel work by waybill and reference."""
    (result,) = shipper.ship_batch([shipment("REF-OK")])
    assert result.status == "shipped"
    waybill = str(result.tracking_number)
    assert result.carrier_shipment_id == waybill
    assert env.created().count("REF-OK") == 1
    (event,) = shipper.track(waybill)
    assert (event.tracking_number, event.city) == (waybill, "Guangzhou")
    assert shipper.label_url(reference="REF-OK") == result.label_url
    assert shipper.label_pdf(tracking_number=waybill).startswith(b"%PDF")
    assert shipper.cancel(waybill).status == "shipped"
    with instant_backoff():
        again = shipper.cancel(waybill)  # Baaship answers 1004 to a second cancel, as to an unknown waybill
    assert again.status == "failed"
    assert again.error is not None
    assert (again.error.code, again.error.kind) == ("1004", "unknown")
    assert f"waybill {waybill} most likely does not exist or is already cancelled" in again.error.message
    assert env.plan.calls["cancelShipment"] == 2  # the 1004 is taken at once, not retried


def test_a_resent_reference_is_already_shipped_and_created_once(env: Env, shipper: BaashipShipper) -> None:
    """Shipping a reference again answers 1005, looked up into already_shipped; one shipment exists."""
    first = shipper.ship_batch([shipment("REF-DUP")])[0]
    second = shipper.ship_batch([shipment("REF-DUP")])[0]
    assert (first.status, second.status) == ("shipped", "already_shipped")
    assert (second.tracking_number, second.label_url) == (first.tracking_number, first.label_url)
    assert env.created().count("REF-DUP") == 1


def test_async_forward_and_return(env: Env) -> None:
    """aship_batch sends forward shipments to createShipment and returns to reverseShipment."""
    shipper = env.shipper()

    async def run() -> list[Any]:
        try:
            return await shipper.aship_batch([shipment("A-1"), return_shipment("A-2")])
        finally:
            await shipper.aclose()

    results = asyncio.run(run())
    assert [r.status for r in results] == ["shipped", "shipped"]
    assert env.app.shipment(str(results[1].tracking_number))["shipmentType"] == "Reverse"  # type: ignore[index]


def test_ship_return_sends_a_reverse_shipment(env: Env, shipper: BaashipShipper) -> None:
    """ship_return uses reverseShipment even when the shipment's reverse flag is not set."""
    result = shipper.ship_return(shipment("RET-9", service="BNRTN", recipient=None))
    assert result.status == "shipped"
    assert env.app.shipment(str(result.tracking_number))["shipmentType"] == "Reverse"  # type: ignore[index]


@pytest.mark.parametrize(
    ("product", "fields", "code", "kind"),
    [
        (None, {}, "1001", "auth"),
        ({"code": "RTNX", "direction": "reverse"}, {"service": "RTNX"}, "1002", "invalid_request"),
        ({"code": "HEAVY", "max_weight_kg": Decimal(1)}, {"service": "HEAVY"}, "1006", "invalid_request"),
        ({"code": "PRICEY", "max_value_usd": Decimal(10)}, {"service": "PRICEY"}, "1007", "invalid_request"),
        (None, {"unplaceable": True}, "1008", "invalid_request"),
    ],
    ids=["token", "structure", "weight", "value", "address"],
)
def test_documented_errors_become_normalized_failures(
    env: Env,
    shipper: BaashipShipper,
    product: dict[str, Any] | None,
    fields: dict[str, Any],
    code: str,
    kind: str,
) -> None:
    """Each documented createShipment code the sandbox plays becomes a failed result with its kind."""
    if product is not None:  # products the spec does not list, with limits, so the sandbox refuses them
        rules = dict(product)
        env.app.add_product(rules.pop("code"), **rules)
    used = env.shipper(token="wrong-token") if code == "1001" else shipper
    reference = f"REF-E{code}"
    if fields.pop("unplaceable", False):
        sent = unplaceable(shipment(reference))
    else:
        sent = shipment(reference, **fields)
    (result,) = used.ship_batch([sent])
    assert result.status == "failed"
    assert result.error is not None
    assert (result.error.code, result.error.kind) == (code, kind)
    assert result.error.request_id
    assert reference not in env.created()


def test_bad_input_fails_before_any_request(env: Env, shipper: BaashipShipper) -> None:
    """A shipment missing Baaship's required fields fails with their paths and nothing reaches the sandbox."""
    before = dict(env.plan.calls)
    (result,) = shipper.ship_batch([shipment("REF-BAD", items=None, service=None)])
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.kind == "invalid_request"
    assert "items: required by baaship" in result.error.message
    assert "service: required by baaship (productCode)" in result.error.message
    assert env.plan.calls == before


def test_unknown_waybill_tracking_raises_not_found(shipper: BaashipShipper) -> None:
    """/tracking's 1004 is "does not exist": NotFoundError."""
    with pytest.raises(NotFoundError):
        shipper.track("T8NOPE")


@pytest.mark.parametrize("by", ["tracking_number", "reference"])
def test_an_unknown_label_is_not_found_at_once(env: Env, shipper: BaashipShipper, by: str) -> None:
    """getShipmentLabel answers 1004 for an unknown waybill or referenceNo: NotFoundError, asked once."""
    before = env.plan.calls.get("getShipmentLabel", 0)
    with pytest.raises(NotFoundError) as raised:
        shipper.label_url(**{by: "NOPE-404"})
    assert raised.value.code == 1004
    assert "no shipment with this" in raised.value.message
    assert env.plan.calls.get("getShipmentLabel", 0) == before + 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(200, text="<html>oops</html>"), ResponseDecodeError),
        (httpx.Response(404), NotFoundError),
    ],
    ids=["html", "missing"],
)
def test_label_pdf_that_is_not_a_pdf_raises_a_typed_error(
    env: Env, shipper: BaashipShipper, answer: httpx.Response, error: type[Exception]
) -> None:
    """A label download that is not a PDF (or not there) raises ResponseDecodeError or NotFoundError."""
    shipper.ship_batch([shipment("REF-LBL")])
    seen: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return answer

    mocked = BaashipShipper(
        client(token=DEFAULT_TOKEN, base_url=env.url), label_transport=httpx.MockTransport(serve)
    )
    with pytest.raises(error):
        mocked.label_pdf(reference="REF-LBL")
    assert seen == [mocked.label_url(reference="REF-LBL")]
    with pytest.raises(InputError):
        mocked.label_url()


def test_settings_build_a_shipper_with_every_capability() -> None:
    """from_settings reads token/environment/base_url/concurrency; the shipper has all five capabilities."""
    built = from_settings({"token": "t", "environment": "production", "concurrency": "3"})
    assert (built.carrier, built.batch_size, built.concurrency) == ("baaship", 1, 3)
    for capability in (Shipper, Canceller, Tracker, Labeler, Returner):
        assert isinstance(built, capability)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, "'token'"),
        ({"token": "s3cret", "environment": "staging"}, "'environment'"),
        ({"token": "s3cret", "concurrency": "0"}, "'concurrency'"),
        ({"token": "s3cret", "concurrency": "many"}, "'concurrency'"),
    ],
)
def test_bad_settings_name_the_setting_not_the_value(settings: dict[str, str], named: str) -> None:
    """A missing or bad setting raises ConfigError naming it, never echoing the token."""
    with pytest.raises(ConfigError) as caught:
        from_settings(settings)
    assert named in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_carrier_that_cannot_be_reached_fails_not_pending() -> None:
    """Connection refused on every attempt: nothing reached Baaship, nothing can exist: failed, kind retry."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nobody listens on (bound, never listening: refused)
    port = closed.getsockname()[1]
    try:
        with instant_backoff():
            unreachable = from_settings({"token": DEFAULT_TOKEN, "base_url": f"http://127.0.0.1:{port}"})
            (result,) = unreachable.ship_batch([shipment("UNREACHED-1")])
    finally:
        closed.close()
    assert result.status == "failed"
    assert result.error is not None
    assert (result.error.kind, result.error.code) == ("retry", None)
    assert "ConnectError" in result.error.message
    assert "state unknown" not in result.error.message
