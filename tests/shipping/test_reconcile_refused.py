"""Reconciling by resending (WeChat): a resend refused for a reason that says nothing about the earlier
request (the daily quota) leaves the shipment pending, never failed (which a later run would send again)."""

from __future__ import annotations

from typing import Any

from shipspec.settings import instant_backoff
from shipspec_sandbox import FaultRule

from .support_faults import CountingPlan
from .support_wechat_shop import SEND, sandbox, shipment


class QuotaOnSecondSend(CountingPlan):
    """The first delivery/send ships; every later one is refused with WeChat's quota code (45009)."""

    def decide(self, carrier: str, operation: str, identity: bytes) -> Any:
        super().decide(carrier, operation, identity)
        later = operation == SEND and self.calls[operation] > 1
        return FaultRule("rate_limit", 1.0) if later else None


def test_a_quota_refusal_while_reconciling_leaves_the_shipment_pending() -> None:
    with sandbox(QuotaOnSecondSend()) as env, instant_backoff():
        env.app.add_order(900_001, [(11, 21, 1)])
        sent = shipment("REF-Q", 900_001, "WB-Q")
        shipper = env.shipper()
        assert [r.status for r in shipper.ship_batch([sent])] == ["shipped"]

        [result] = shipper.reconcile_batch([sent], None)  # as after a crash before the answer was recorded

        assert env.send_calls() >= 2  # the resend went out and was refused
        assert result.status == "pending", result
        assert result.error is not None
        assert "quota" in result.error.message
        assert env.sent_keys() == ["900001/WB-Q"]
