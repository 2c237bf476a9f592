"""x-idempotency at run time: each operation's strategy, and which ones may be resent blindly."""

from __future__ import annotations

import pytest
from shipspec.policy import idempotency, is_safe_to_resend
from shipspec.spec_tables import tables_for

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")


@pytest.mark.parametrize(
    ("carrier", "operation", "strategy"),
    [
        ("tiktok_shop", "batchShipPackages", "already_done_code"),
        ("wechat_shop", "sendDelivery", "already_done_code"),
        ("baaship", "createShipment", "natural_key"),
        ("baaship", "getTracking", "safe"),
        ("deftship", "createBatch", "unsafe"),
        ("deftship", "shipBatch", "state_check"),
    ],
)
def test_strategy_of_ship_and_read_operations(carrier: str, operation: str, strategy: str) -> None:
    """The generated entry is returned as the spec states it."""
    assert idempotency(carrier, operation).strategy == strategy


def test_entries_carry_what_the_runner_needs() -> None:
    """natural_key names its key and look-up; already_done_code lists its codes; state_check its read."""
    created = idempotency("baaship", "createShipment")
    assert (created.key, created.via) == ("referenceNo", "getShipmentLabel")
    assert 21011040 in idempotency("tiktok_shop", "batchShipPackages").codes
    assert idempotency("wechat_shop", "sendDelivery").codes == (109001,)
    assert idempotency("deftship", "shipBatch").via == "getBatch"


@pytest.mark.parametrize("carrier", CARRIERS)
def test_only_safe_operations_are_safe_to_resend(carrier: str) -> None:
    """is_safe_to_resend is true exactly for strategy 'safe', and never for a POST that ships or creates."""
    for operation_id, operation in tables_for(carrier).operations.items():
        assert is_safe_to_resend(carrier, operation_id) is (operation.idempotency.strategy == "safe")
    for ship in ("batchShipPackages", "sendDelivery", "createShipment", "createBatch", "shipBatch"):
        if ship in tables_for(carrier).operations:
            assert not is_safe_to_resend(carrier, ship)


def test_unknown_operation_names_the_known_ones() -> None:
    """A typo is a KeyError that lists the carrier's operations."""
    with pytest.raises(KeyError, match="getTracking"):
        idempotency("baaship", "getTrackin")
