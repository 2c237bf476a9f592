"""Runs given the same ``circuits`` count as one run for those carriers (``ship``/``aship``'s ``circuits``):
credentials refused in one are not probed again in the next, which sends nothing."""

from __future__ import annotations

import asyncio

from shipspec.carriers.baaship.shipper import BaashipShipper
from shipspec.circuit import Circuit
from shipspec.cli.common import close_quietly
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult

from . import support_baaship

ROWS = 4


def _shipments(prefix: str) -> list[Shipment]:
    return [support_baaship.shipment(f"{prefix}-{n}") for n in range(ROWS)]


def _not_sent_auth(results: list[ShipmentResult]) -> bool:
    return len(results) == ROWS and all(
        r.error is not None and r.error.kind == "auth" and "not sent" in r.error.message for r in results
    )


def test_a_second_run_sharing_the_circuit_sends_nothing_after_the_refusal() -> None:
    with support_baaship.sandbox() as env:
        shipper = env.shipper(token="wrong", concurrency="2")
        circuits = {"baaship": Circuit("baaship")}
        try:
            list(ship(_shipments("A"), shippers={"baaship": shipper}, circuits=circuits))
            assert sum(env.plan.calls.values()) == 1
            second = list(ship(_shipments("B"), shippers={"baaship": shipper}, circuits=circuits))
        finally:
            close_quietly(shipper)
        assert sum(env.plan.calls.values()) == 1, env.plan.calls
        assert _not_sent_auth(second)


async def _aship(prefix: str, shipper: BaashipShipper, circuits: dict[str, Circuit]) -> list[ShipmentResult]:
    return [r async for r in aship(_shipments(prefix), shippers={"baaship": shipper}, circuits=circuits)]


def test_the_async_runner_shares_the_circuit_too() -> None:
    with support_baaship.sandbox() as env:
        shipper = env.shipper(token="wrong", concurrency="2")
        circuits = {"baaship": Circuit("baaship")}
        try:
            asyncio.run(_aship("A", shipper, circuits))
            second = asyncio.run(_aship("B", shipper, circuits))
        finally:
            close_quietly(shipper)
        assert sum(env.plan.calls.values()) == 1, env.plan.calls
        assert _not_sent_auth(second)
