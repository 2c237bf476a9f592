"""TikTok Shop sandbox Batch Ship Packages: partial success, per-package codes, the ledger, pickup slots."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from shipspec.carriers.tiktok_shop import package_outcomes

from .tiktok_shop_helpers import T0, Env, documented, envelope, get_token, sandbox_env, ship

SELF = {"tracking_number": "JX12345", "shipping_provider_id": "6617675021119438849"}
SELLER = {"shipping_type": "SELLER"}


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox_env() as running:
        yield running


@pytest.fixture
def token(env: Env) -> str:
    return get_token(env)


def _errors(env: Env, token: str, packages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    body = envelope(ship(env, token, packages))
    assert body["code"] == 0, body
    errors = body["data"]["errors"]
    assert isinstance(errors, list)
    return errors


def test_tiktok_package_ships_with_a_tracking_number_and_one_ledger_entry(env: Env, token: str) -> None:
    """A TikTok-shipping package becomes SHIPPED with an assigned tracking number, recorded once."""
    env.app.add_package("P1")
    assert _errors(env, token, [{"id": "P1", "handover_method": "DROP_OFF"}]) == []
    package = env.app.package("P1") or {}
    assert package["state"] == "SHIPPED"
    [entry] = env.ledger.entries()
    assert (entry.carrier, entry.action, entry.key) == ("tiktok_shop", "package_shipped", "P1")
    assert entry.result["tracking_number"] == package["tracking_number"]


def test_seller_package_ships_with_its_own_tracking_number(env: Env, token: str) -> None:
    """A seller-shipping package with self_shipment ships under the seller's tracking number and provider."""
    env.app.add_package("S1", **SELLER)
    assert _errors(env, token, [{"id": "S1", "self_shipment": SELF}]) == []
    assert (env.app.package("S1") or {})["tracking_number"] == "JX12345"
    assert env.ledger.entries()[0].result["shipping_provider_id"] == SELF["shipping_provider_id"]


CASES: list[tuple[str, dict[str, str] | None, dict[str, Any], int, str, str]] = [
    ("not-found", None, {}, 21011001, "failed", "not_found"),
    ("shipped", {"state": "SHIPPED"}, {}, 21011040, "already_shipped", "already_done"),
    ("delivered", {"state": "DELIVERED"}, {}, 21011027, "already_shipped", "already_done"),
    ("cancelled", {"state": "CANCELLED"}, {}, 21011041, "failed", "not_allowed"),
    ("after-sale", {"state": "AFTER_SALE"}, {}, 21011007, "failed", "not_allowed"),
    ("other-shop", {"shop_cipher": "SHOP_B"}, {}, 21011028, "failed", "not_found"),
    ("seller-no-self-shipment", SELLER, {}, 21011022, "failed", "invalid_request"),
    (
        "seller-blank-tracking",
        SELLER,
        {"self_shipment": {**SELF, "tracking_number": " "}},
        21011022,
        "failed",
        "invalid_request",
    ),
    ("duplicate-tracking", SELLER, {"self_shipment": SELF}, 21011025, "failed", "invalid_request"),
]


@pytest.mark.parametrize(
    ("seed", "extra", "code", "status", "kind"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_documented_package_failure_is_listed_with_its_code(
    env: Env,
    token: str,
    seed: dict[str, str] | None,
    extra: dict[str, Any],
    code: int,
    status: str,
    kind: str,
) -> None:
    """A package that cannot ship is listed with its documented code and text; the other one ships."""
    env.app.register_shop("SHOP_B")
    if seed is not None:
        env.app.add_package("X", **seed)
    env.app.add_package("TAKEN", **SELLER)
    env.app.add_package("OK")
    assert _errors(env, token, [{"id": "TAKEN", "self_shipment": SELF}]) == []  # JX12345 is now in use
    response = ship(env, token, [{"id": "X", **extra}, {"id": "OK"}])
    errors = envelope(response)["data"]["errors"]
    assert errors == [{"code": code, "message": documented(code), "detail": {"package_id": "X"}}]
    outcomes = package_outcomes(["X", "OK"], response.content)
    assert [(outcome.status, outcome.kind) for outcome in outcomes] == [(status, kind), ("shipped", None)]
    assert [entry.key for entry in env.ledger.entries()] == ["TAKEN", "OK"]


def test_every_package_failing_is_still_code_0_with_all_listed(env: Env, token: str) -> None:
    """Partial success holds when nothing ships: code 0 and every package in data.errors, in order."""
    env.app.add_package("C", state="CANCELLED")
    errors = _errors(env, token, [{"id": "MISSING"}, {"id": "C"}])
    assert [(error["detail"]["package_id"], error["code"]) for error in errors] == [
        ("MISSING", 21011001),
        ("C", 21011041),
    ]
    assert env.ledger.entries() == []


def test_resend_answers_21011040_without_a_second_ledger_entry(env: Env, token: str) -> None:
    """Shipping the same package again reports 'already shipped' and records nothing new."""
    env.app.add_package("P1")
    assert _errors(env, token, [{"id": "P1"}]) == []
    again = _errors(env, token, [{"id": "P1"}])
    assert [error["code"] for error in again] == [21011040]
    assert len(env.ledger.entries()) == 1
    assert env.ledger.duplicates() == {}


def test_a_package_delivered_since_answers_21011027(env: Env, token: str) -> None:
    """A resend after the parcel arrived reports 'delivered' (set_package_state moves it on)."""
    env.app.add_package("P1")
    _errors(env, token, [{"id": "P1"}])
    env.app.set_package_state("P1", "DELIVERED")
    assert [error["code"] for error in _errors(env, token, [{"id": "P1"}])] == [21011027]


def test_a_tracking_number_twice_in_one_request_ships_the_first_only(env: Env, token: str) -> None:
    """Two seller packages with one tracking number: the first ships, the second gets 21011025."""
    env.app.add_package("A", **SELLER)
    env.app.add_package("B", **SELLER)
    errors = _errors(env, token, [{"id": "A", "self_shipment": SELF}, {"id": "B", "self_shipment": SELF}])
    assert [(error["detail"]["package_id"], error["code"]) for error in errors] == [("B", 21011025)]
    assert [entry.key for entry in env.ledger.entries()] == ["A"]


def test_the_same_package_twice_in_one_request_ships_once(env: Env, token: str) -> None:
    """A package listed twice ships on its first mention and is 'already shipped' on the second."""
    env.app.add_package("P1")
    assert [error["code"] for error in _errors(env, token, [{"id": "P1"}, {"id": "P1"}])] == [21011040]
    assert len(env.ledger.entries()) == 1


@pytest.mark.parametrize("end", [T0 + 3600, T0 + 3599], ids=["end-equals-start", "end-before-start"])
def test_no_made_up_pickup_slot_rule(env: Env, token: str, end: int) -> None:
    """A PICKUP slot is taken as sent: the doc's own example has end = start, and no refusal is documented."""
    env.app.add_package("P1")
    slot = {"start_time": T0 + 3600, "end_time": end}
    assert _errors(env, token, [{"id": "P1", "handover_method": "PICKUP", "pickup_slot": slot}]) == []
    assert (env.app.package("P1") or {})["state"] == "SHIPPED"


def test_a_valid_pickup_slot_is_kept_with_the_package(env: Env, token: str) -> None:
    """A PICKUP package with a proper slot ships and keeps its handover method and slot."""
    env.app.add_package("P1")
    slot = {"start_time": T0 + 3600, "end_time": T0 + 7200}
    assert _errors(env, token, [{"id": "P1", "handover_method": "PICKUP", "pickup_slot": slot}]) == []
    package = env.app.package("P1") or {}
    assert (package["handover_method"], package["pickup_slot"]) == ("PICKUP", slot)


def test_concurrent_resends_ship_a_package_exactly_once(env: Env, token: str) -> None:
    """Eight simultaneous calls for one package: one ships it, seven answer 21011040, one ledger entry."""
    env.app.add_package("P1")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: _errors(env, token, [{"id": "P1"}]), range(8)))
    assert sorted(len(errors) for errors in answers) == [0] + [1] * 7
    assert len(env.ledger.entries()) == 1


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"state": "LOST"}, "state"),
        ({"shipping_type": "DRONE"}, "shipping_type"),
        ({"shop_cipher": "NO_SUCH_SHOP"}, "shop_cipher"),
    ],
)
def test_add_package_rejects_what_the_sandbox_does_not_know(
    env: Env, kwargs: dict[str, str], problem: str
) -> None:
    """Seeding with an unknown state, shipping type or shop fails loudly instead of creating a bad package."""
    with pytest.raises(ValueError, match=problem):
        env.app.add_package("P1", **kwargs)
