"""A wrong credential costs one request per carrier: against each carrier's real sandbox, the first request
of a run is the circuit's probe, the batches beside it wait for its answer, and the auth answer stops the
carrier before any of them is sent. Right credentials, once proven, let the batches go at once.

Requests are counted by the sandbox (``CountingPlan``: every request it routed, token calls included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

import pytest
from shipspec.cli.common import close_quietly
from shipspec.shipping.capabilities import Shipper
from shipspec.shipping.runner import ship
from shipspec_shipping_models import Shipment, ShipmentResult

from . import support_baaship, support_deftship, support_tiktok_shop, support_wechat_shop
from .support_faults import CountingPlan


class _Env(Protocol):
    plan: CountingPlan

    def shipper(self, **overrides: str) -> Any: ...


SANDBOXES: dict[str, Callable[[], AbstractContextManager[Any]]] = {
    "baaship": support_baaship.sandbox,
    "tiktok_shop": support_tiktok_shop.sandbox,
    "wechat_shop": support_wechat_shop.sandbox,
    "deftship": support_deftship.sandbox,
}
WRONG: dict[str, dict[str, str]] = {
    "baaship": {"token": "wrong"},
    "tiktok_shop": {"app_secret": "wrong"},
    "wechat_shop": {"secret": "wrong"},
    "deftship": {"api_token": "wrong"},
}
# Several batches at once for every carrier, so that without the probe several requests would go out.
AT_ONCE: dict[str, dict[str, str]] = {
    "baaship": {"concurrency": "8"},
    "tiktok_shop": {"batch_size": "5"},
    "wechat_shop": {"concurrency": "8"},
    "deftship": {"batch_size": "1"},
}
ROWS = 40
SHIPMENTS: dict[str, Callable[[int], Shipment]] = {
    "baaship": lambda n: support_baaship.shipment(f"B-{n}"),
    "tiktok_shop": lambda n: support_tiktok_shop.shipment(f"T-{n}", f"PKG{n}"),
    "wechat_shop": lambda n: support_wechat_shop.shipment(f"W-{n}", 1000 + n, f"SF{n}"),
    "deftship": lambda n: support_deftship.shipment(f"D-{n}"),
}


@pytest.fixture(params=sorted(SANDBOXES))
def carrier_env(request: pytest.FixtureRequest) -> Iterator[tuple[str, _Env]]:
    carrier: str = request.param
    with SANDBOXES[carrier]() as env:
        yield carrier, env


def _run(carrier: str, shipper: Shipper) -> list[ShipmentResult]:
    try:
        return list(ship((SHIPMENTS[carrier](n) for n in range(ROWS)), shippers={carrier: shipper}))
    finally:
        close_quietly(shipper)


def test_a_wrong_credential_sends_one_request_per_carrier(carrier_env: tuple[str, _Env]) -> None:
    carrier, env = carrier_env
    results = _run(carrier, env.shipper(**WRONG[carrier], **AT_ONCE[carrier]))
    assert sum(env.plan.calls.values()) == 1, env.plan.calls
    assert len(results) == ROWS
    assert {(r.status, r.error.kind if r.error else None) for r in results} == {("failed", "auth")}
    not_sent = [r for r in results if r.error is not None and "not sent: " in r.error.message]
    assert len(not_sent) == ROWS - int(AT_ONCE[carrier].get("batch_size", "1"))


def test_right_credentials_are_proven_once_and_every_row_ships() -> None:
    """The healthy path through the probe: Baaship ships all 40 rows, each created once."""
    with support_baaship.sandbox() as env:
        results = _run("baaship", env.shipper(concurrency="8"))
        assert {r.status for r in results} == {"shipped"}
        assert sorted(env.created()) == sorted(f"B-{n}" for n in range(ROWS))
