"""TikTok Shop sandbox answers around the handlers: spec validation, injected faults, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from shipspec_sandbox import FaultPlan, FaultRule

from .tiktok_shop_helpers import documented, envelope, get_token, kind_of, sandbox_env, ship, signed_post


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b"{}", "packages"),
        (b'{"packages":[{"handover_method":"PICKUP"}]}', "id"),
        (b'{"packages":[{"id":"P1","handover_method":"BY_BIKE"}]}', "packages.0.handover_method"),
        (
            b'{"packages":[{"id":"P1","pickup_slot":{"start_time":"soon"}}]}',
            "packages.0.pickup_slot.start_time",
        ),
        (b'{"packages":[{"id":"P1","self_shipment":{"tracking_number":"T1"}}]}', "shipping_provider_id"),
    ],
    ids=["no-packages", "no-id", "bad-handover", "string-time", "half-self-shipment"],
)
def test_spec_violations_get_36009004_naming_the_problem(body: bytes, where: str) -> None:
    """A signed body breaking the spec gets 36009004 with the problem in the message; nothing ships."""
    with sandbox_env() as env:
        env.app.add_package("P1")
        response = signed_post(env, get_token(env), body)
        assert envelope(response)["code"] == 36009004
        assert where in envelope(response)["message"]
        assert kind_of(response) == "invalid_request"
        assert env.ledger.entries() == []


def test_rate_limit_fault_answers_429_with_36009002_and_retry_after() -> None:
    """The rate-limit fault is TikTok's documented answer: HTTP 429, code 36009002 and Retry-After."""
    plan = FaultPlan(
        rules=(FaultRule("rate_limit", 1.0, operation="batchShipPackages", retry_after_seconds=7),)
    )
    with sandbox_env(faults=plan) as env:
        env.app.add_package("P1")
        response = ship(env, get_token(env), [{"id": "P1"}])
        assert response.status_code == 429
        assert response.headers["retry-after"] == "7"
        assert (envelope(response)["code"], envelope(response)["message"]) == (36009002, documented(36009002))
        assert kind_of(response) == "quota"
        assert env.ledger.entries() == []


def test_token_expiry_fault_answers_105002() -> None:
    """The token-expiry fault answers 105002 (refresh, then resend) and ships nothing."""
    plan = FaultPlan(rules=(FaultRule("token_expiry", 1.0, operation="batchShipPackages"),))
    with sandbox_env(faults=plan) as env:
        env.app.add_package("P1")
        response = ship(env, get_token(env), [{"id": "P1"}])
        assert envelope(response)["code"] == 105002
        assert kind_of(response) == "refresh_token"
        assert (env.app.package("P1") or {})["state"] == "AWAITING_SHIPMENT"


def test_state_survives_a_restart_with_a_database(tmp_path: Path) -> None:
    """With db=, apps, tokens, packages, counters and the ledger are all there after a restart."""
    db = tmp_path / "s.db"
    with sandbox_env(db=db) as first:
        first.app.register_app("app-b", "secret-b", ["SHOP_B"])
        first.app.add_package("P1")
        first.app.add_package("P2")
        token = get_token(first)
        ship(first, token, [{"id": "P1"}])
        tracking = (first.app.package("P1") or {})["tracking_number"]
    with sandbox_env(db=db) as second:
        assert second.app.accounts.secret("app-b") == "secret-b"
        assert (second.app.package("P1") or {})["state"] == "SHIPPED"
        resent = envelope(ship(second, token, [{"id": "P1"}, {"id": "P2"}]))
        assert [error["code"] for error in resent["data"]["errors"]] == [21011040]
        assert (second.app.package("P2") or {})["tracking_number"] != tracking
        assert [entry.key for entry in second.ledger.entries()] == ["P1", "P2"]
