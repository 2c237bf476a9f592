"""Runs that end, against real servers on 127.0.0.1 that misbehave the way carriers do.

- A carrier that accepts the connection and never answers: each shipment ends at its deadline, ``pending``
  when something may have been sent (never resent blindly), ``failed`` when nothing can have shipped.
- A carrier that answers every request with its auth error: one request (the circuit's probe: nothing
  else goes before the credentials are proven), then every other shipment fails with kind ``auth`` and
  "not sent"; the other carriers keep shipping.
- A closed port: after a short probe the rest fail "not sent" at once, so 300 shipments end in seconds.

Time bounds here are generous on purpose (a shared, busy machine); the deadlines under test are short.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from shipspec.cli.common import close_quietly
from shipspec.config import build_shipper
from shipspec.shipping.runner import ship
from shipspec_shipping_models import Shipment, ShipmentResult

from ..support.http_server import Reply, ScriptedServer
from ..support.silent_server import SilentServer, closed_port
from . import support_baaship, support_deftship, support_tiktok_shop, support_wechat_shop

DEADLINE = 2.0
GENEROUS = 60.0  # seconds: a bound no healthy run comes near, whatever the load


def _settings(carrier: str, url: str, **extra: str) -> dict[str, str]:
    base = {
        "baaship": {"token": "t0k3n"},
        "tiktok_shop": {
            "app_key": "app",
            "app_secret": "s3cret",
            "access_token": "acc3ss",
            "refresh_token": "r3fresh",
            "shop_cipher": "ROW_1",
            "auth_base_url": url,
        },
        "wechat_shop": {"appid": "wx0001", "secret": "s3cret"},
        "deftship": {"api_token": "t0k3n", "shipper_id": "1"},
    }[carrier]
    return base | {"base_url": url} | extra


SHIPMENTS: dict[str, Callable[[int], Shipment]] = {
    "baaship": lambda n: support_baaship.shipment(f"B-{n}"),
    "tiktok_shop": lambda n: support_tiktok_shop.shipment(f"T-{n}", f"PKG{n}"),
    "wechat_shop": lambda n: support_wechat_shop.shipment(f"W-{n}", 1000 + n, f"SF{n}"),
    "deftship": lambda n: support_deftship.shipment(f"D-{n}"),
}
# What each carrier's shipper sends first for a shipment, and where that request goes.
SEND_PATHS = {
    "baaship": "/createShipment",
    "tiktok_shop": "/fulfillment/202309/packages/ship",
    "wechat_shop": "/cgi-bin/stable_token",  # the token comes first
    "deftship": "/batches",
}


def _run(carrier: str, settings: dict[str, str], count: int) -> tuple[list[ShipmentResult], float]:
    shipper = build_shipper(carrier, settings)
    started = time.monotonic()
    try:
        results = list(ship((SHIPMENTS[carrier](n) for n in range(count)), shippers={carrier: shipper}))
    finally:
        close_quietly(shipper)
    return results, time.monotonic() - started


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    with SilentServer() as server:
        yield server


# ------------------------------------------------------------------------------ a carrier that never answers

# After the deadline: pending when the ship request may have gone through; failed when nothing can have
# shipped (WeChat never got a token, so never sent delivery/send; DeftShip never learnt a batch id, and a
# batch whose id is unknown is never shipped).
NEVER_ANSWERED = {
    "baaship": "pending",
    "tiktok_shop": "pending",
    "wechat_shop": "failed",
    "deftship": "failed",
}


@pytest.mark.parametrize("carrier", sorted(NEVER_ANSWERED))
def test_a_carrier_that_never_answers_ends_each_shipment_at_its_deadline(
    carrier: str, silent: SilentServer
) -> None:
    settings = _settings(carrier, silent.url, deadline_seconds=str(DEADLINE))
    (result,), elapsed = _run(carrier, settings, 1)
    assert elapsed < DEADLINE + GENEROUS
    assert result.status == NEVER_ANSWERED[carrier], result
    assert result.error is not None
    sends = [r for r in silent.requests if r.path.split("?")[0] == SEND_PATHS[carrier]]
    assert sends, [r.path for r in silent.requests]
    if carrier == "baaship":  # createShipment is never resent before a lookup answered
        assert len(sends) == 1
        assert "deadline of this shipment passed" in result.error.message
    if carrier == "wechat_shop":
        assert not [r for r in silent.requests if "delivery/send" in r.path]


def test_the_deadline_holds_for_many_shipments_at_once(silent: SilentServer) -> None:
    """20 Baaship shipments, 8 at a time, held by a silent carrier: 3 waves of one deadline each. The
    credentials are never proven, so each wave sends its probe only: that shipment is pending, the ones
    that waited for the probe's answer end unsent (failed, for a later run), none is sent twice."""
    settings = _settings("baaship", silent.url, deadline_seconds=str(DEADLINE))
    results, elapsed = _run("baaship", settings, 20)
    assert elapsed < 3 * DEADLINE + GENEROUS
    assert sorted(r.reference for r in results) == sorted(f"B-{n}" for n in range(20))
    creates = [r for r in silent.requests if r.path == "/createShipment"]
    sent = sorted(json.loads(r.body)["referenceNo"] for r in creates)
    assert 1 <= len(sent) == len(set(sent)) < 20
    assert sorted(r.reference for r in results if r.status == "pending") == sent
    unsent = [r for r in results if r.status != "pending"]
    assert {r.status for r in unsent} == {"failed"}
    assert all(r.error is not None and "not sent" in r.error.message for r in unsent)


# ------------------------------------------------------------------------------ credentials refused

AUTH_ERRORS: dict[str, Reply] = {
    "baaship": Reply(body={"code": 1001, "message": "Token validation error, please check the Token."}),
    "tiktok_shop": Reply(status=401, body={"code": 106001, "message": "Invalid sign.", "request_id": "R1"}),
    "wechat_shop": Reply(body={"errcode": 40125, "errmsg": "invalid appsecret"}),
    "deftship": Reply(status=401, body={"success": False, "message": "Unauthenticated."}),
}
# Rows and the settings that make each carrier run several batches at once.
AUTH_RUNS: dict[str, tuple[int, dict[str, str]]] = {
    "baaship": (40, {}),
    "tiktok_shop": (150, {"batch_size": "10"}),
    "wechat_shop": (40, {}),
    "deftship": (40, {"batch_size": "1"}),
}
CONCURRENCY = {"baaship": 8, "tiktok_shop": 2, "wechat_shop": 8, "deftship": 2}


@pytest.mark.parametrize("carrier", sorted(AUTH_ERRORS))
def test_an_auth_answer_stops_the_carrier_after_a_handful_of_requests(carrier: str) -> None:
    count, extra = AUTH_RUNS[carrier]
    with ScriptedServer() as server:
        server.always(AUTH_ERRORS[carrier])
        results, elapsed = _run(carrier, _settings(carrier, server.url, **extra), count)
    assert elapsed < GENEROUS
    assert len(server.requests) == 1  # the probe; the batches beside it waited for its answer
    assert len(results) == count
    assert {(r.status, r.error.kind if r.error else None) for r in results} == {("failed", "auth")}
    not_sent = [r for r in results if r.error and r.error.message.startswith("not sent: ")]
    assert len(not_sent) == count - int(extra.get("batch_size", "1"))
    assert all("refused the credentials earlier in this run" in r.error.message for r in not_sent if r.error)
    variable = f"SHIPSPEC_{carrier.upper()}_"
    assert all(variable in r.error.message for r in not_sent if r.error)


def test_the_other_carriers_keep_shipping() -> None:
    """DeftShip refuses our token; Baaship, in the same run, ships every one of its rows."""
    with ScriptedServer() as refusing, support_baaship.sandbox() as baaship:
        refusing.always(AUTH_ERRORS["deftship"])
        shippers: dict[str, Any] = {
            "deftship": build_shipper("deftship", _settings("deftship", refusing.url, batch_size="1")),
            "baaship": baaship.shipper(),
        }
        mixed = [support_deftship.shipment(f"D-{n}") for n in range(20)]
        mixed += [support_baaship.shipment(f"B-{n}") for n in range(20)]
        try:
            results = list(ship(mixed, shippers=shippers))
        finally:
            for shipper in shippers.values():
                close_quietly(shipper)
        by_carrier = {(r.carrier, r.status) for r in results}
        assert by_carrier == {("deftship", "failed"), ("baaship", "shipped")}
        assert sorted(baaship.created()) == sorted(f"B-{n}" for n in range(20))
        assert len(refusing.requests) == 1


# ------------------------------------------------------------------------------ a carrier that is down


def test_300_shipments_against_a_closed_port_end_in_seconds_not_hours() -> None:
    """Refused connections open the circuit after its 10 s probe; the rest fail "not sent" at once."""
    settings = _settings("baaship", f"http://127.0.0.1:{closed_port()}")
    results, elapsed = _run("baaship", settings, 300)
    assert elapsed < 2 * GENEROUS
    assert len(results) == 300
    assert {r.status for r in results} == {"failed"}  # nothing was sent, so nothing is pending
    refused = [r for r in results if r.error and "is unreachable" in r.error.message]
    assert len(refused) >= 300 - 2 * CONCURRENCY["baaship"]
    assert all(r.error is not None and r.error.kind == "retry" for r in results)
