"""Cutting one carrier's stream of shipments into batches, keeping together what travels best together.

A shipper that is a :class:`~shipspec.shipping.capabilities.Grouper` names, per shipment, the group that
should go in one ``ship_batch`` call (WeChat: the order, so a split order's packages go in one
``delivery/send`` instead of several calls that could race each other). Adjacent shipments of one group stay
in one batch even past ``batch_size``; a batch closes only between groups. A group split by other shipments
in the input still ships, in more than one call: the carrier accepts the packages of a split order over
several calls, so nothing is refused for it, and no memory is kept across batches.
"""

from __future__ import annotations

from collections.abc import Hashable

from shipspec_shipping_models import Shipment

from .capabilities import Grouper, Shipper

__all__ = ["Batcher"]


class Batcher:
    """One carrier's buffer: ``add`` returns the batches ready to send, ``flush`` the rest at the end."""

    def __init__(self, shipper: Shipper, size: int | None = None) -> None:
        """``size``: the batch size to cut at (default: the shipper's ``batch_size``)."""
        self._size = size or shipper.batch_size
        self._grouper = shipper if isinstance(shipper, Grouper) else None
        self._buffer: list[Shipment] = []
        self._last: Hashable | None = None  # the group of the buffer's last shipment

    def _group(self, shipment: Shipment) -> Hashable | None:
        return None if self._grouper is None else self._grouper.group_of(shipment)

    def add(self, shipment: Shipment) -> list[list[Shipment]]:
        """Buffer the shipment; the batches that are complete now."""
        group = self._group(shipment)
        ready = []
        if len(self._buffer) >= self._size and (group is None or group != self._last):
            ready.append(self._take())
        self._buffer.append(shipment)
        self._last = group
        if group is None and len(self._buffer) >= self._size:
            ready.append(self._take())  # nothing can join a shipment without a group: send it now
        return ready

    @property
    def pending(self) -> bool:
        """Whether shipments wait in the buffer (a partial batch)."""
        return bool(self._buffer)

    def flush(self) -> list[Shipment]:
        """What is left at the end of the input (maybe nothing)."""
        return self._take()

    def _take(self) -> list[Shipment]:
        batch, self._buffer = self._buffer, []
        return batch
