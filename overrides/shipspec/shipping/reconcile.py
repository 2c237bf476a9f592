"""Reconciling by resending, for carriers whose ship call is idempotent (TikTok, WeChat).

The spec's ``x-idempotency`` says a resend of a ship call that already took effect answers "already done"
(TikTok 21011040, WeChat 109001). So a shipment an earlier run may have sent is simply sent again, as the
journal recorded it. When the carrier answers "already shipped", the journal's record is the evidence that
this very request was sent before, so the result keeps the tracking number that request carried (the
carrier's answer does not repeat it). When the resend is refused for a reason that says nothing about the
earlier request (a quota, an auth or token problem, a transient error), the shipment stays ``pending``: the
earlier request may have shipped it, so ``failed`` (which a later run would send again) would be a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from shipspec_shipping_models import Shipment, ShipmentResult

from .capabilities import Shipper
from .results import pending

__all__ = ["ResendToReconcile"]

SAYS_NOTHING_ABOUT_EARLIER = frozenset({"retry", "refresh_token", "auth", "quota", "unknown"})
"""Refusal kinds of a resend that leave open whether the earlier request shipped."""


def _ours(results: list[ShipmentResult], shipments: Sequence[Shipment]) -> list[ShipmentResult]:
    by_reference = {s.reference: s for s in shipments}
    mended = []
    for result in results:
        shipment = by_reference.get(result.reference)
        platform = shipment.platform if shipment is not None else None
        tracking = platform.tracking_number if platform is not None else None
        if result.status == "already_shipped" and result.tracking_number is None and tracking is not None:
            result = result.model_copy(update={"tracking_number": tracking})
        error = result.error
        if (
            shipment is not None
            and result.status == "failed"
            and error
            and error.kind in SAYS_NOTHING_ABOUT_EARLIER
        ):
            why = f"reconciling, the carrier answered {error.kind} ({error.message})"
            result = pending(
                shipment, f"{why}; an earlier request may have shipped it: reconcile again later"
            )
        mended.append(result)
    return mended


class ResendToReconcile:
    """``Reconciler`` for a ``Shipper`` whose resend answers "already done" (mix into the shipper)."""

    def reconcile_batch(
        self: Shipper, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]:
        """Send again as recorded; "already shipped" keeps the recorded request's tracking number."""
        return _ours(self.ship_batch(shipments), shipments)

    async def areconcile_batch(
        self: Shipper, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]:
        return _ours(await self.aship_batch(shipments), shipments)
