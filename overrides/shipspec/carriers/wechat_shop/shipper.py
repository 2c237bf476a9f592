"""``WeChatShipper``: ships WeChat mini-shop orders through ``product/delivery/send``, exactly once.

Capabilities: ``Shipper`` only. WeChat has no tracking, label, cancel or return operation in our spec (the
platform shows the buyer the courier's tracking itself; there is no label API and no way to undo a
delivery/send), so the shipper does not claim ``Tracker``, ``Labeler``, ``Canceller`` or ``Returner``.

Per ``ship_batch`` call (``batch_size`` defaults to 1):

1. Each Shipment is checked and mapped first (``mapping.to_delivery``); a bad one fails with the neutral
   field path and is never sent. Shipments of one ``platform.order_id`` go in ONE request (an order ships
   once); if they cannot travel together (a SKU in two of them, or a whole-order one among others), all of
   them are rejected.
2. Round: send the order's request. ``errcode`` 0 → ``shipped``; 109001 → ``already_shipped``.
3. No usable answer (timeout, reset, bare 5xx, HTML or broken JSON), or a transient refusal (-1, 100003, a
   connection that never reached the server): send again, at most ``max_rounds`` times and within the
   order's deadline (``deadline_seconds``, see ``shipspec.deadline``: no send or pause starts past it).
   That is safe by the spec's ``x-idempotency`` (``already_done_code``): an order shipped by a lost
   attempt answers 109001.
4. Any other answer ends it: ``failed``, except after a lost answer, where the refusal may be about our own
   earlier success: a SPLIT shipment whose items shipped answers 109000 (not 109001) while the order has
   other unshipped items. Then the result is ``pending`` (the state could not be learnt; WeChat offers no
   lookup in our spec). ``not_found`` (100002) stays ``failed``: no such order can have shipped.

The Shipments of one order are best sent in one ``ship_batch`` call: one request instead of several, and
no two requests for one order at once (WeChat refuses concurrent ones with 100003, which costs a resend
round). The shipper is therefore a ``Grouper`` (group: ``platform.order_id``): ``shipspec.ship`` keeps an
order's adjacent Shipments in one batch. Packages of a split order that arrive apart still ship, one call
each: WeChat accepts a split order's packages over several calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Final, Literal

from shipspec_shipping_models import Shipment, ShipmentResult
from shipspec_wechat_shop import Client
from shipspec_wechat_shop.api.wechat_shop import send_delivery
from shipspec_wechat_shop.models import SendDeliveryRequest
from shipspec_wechat_shop.operations import SERVERS

from ...config import CarrierSettings
from ...deadline import Deadline, bounded_by
from ...errors import AlreadyDoneError, CarrierError, ConnectError, InputError, ShipspecError
from ...pacing import pacer_from_settings
from ...retry import RetryPolicy
from ...secrets import Secret
from ...settings import DEFAULT_DEADLINE_SECONDS
from ...shipping.reconcile import ResendToReconcile
from ...shipping.resend import decode_problem, judge
from ...shipping.tuning import BatchTuning
from ...tokens import store_from_settings
from ...transport import apause, pause
from . import mapping
from .client import client as wechat_client

DEFAULT_BATCH_SIZE: Final = 1
"""Shipments per ship_batch: delivery/send ships one order per call."""
DEFAULT_CONCURRENCY: Final = 8
"""Calls at once: each call is one order; WeChat's limit is a daily quota (45009), not a rate."""
MAX_ROUNDS: Final = 5
"""Requests per order at most (each already retried by the transport)."""

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_CONCURRENCY", "MAX_ROUNDS", "WeChatShipper", "from_settings"]


@dataclass
class _Order:
    """The Shipments of one order in one batch and what the rounds learnt about them."""

    body: SendDeliveryRequest
    members: list[tuple[int, Shipment]]
    uncertain: bool = False
    last_error: ShipspecError | None = None

    def shipped(self) -> list[tuple[int, ShipmentResult]]:
        return [(index, mapping.shipped_result(shipment)) for index, shipment in self.members]

    def failed(self, error: ShipspecError, deadline: Deadline) -> list[tuple[int, ShipmentResult]] | None:
        """The final results this error means, or None to send again."""
        if mapping.lenient_success(error):
            return self.shipped()
        if isinstance(error, AlreadyDoneError):
            return [(index, mapping.already_shipped_result(shipment)) for index, shipment in self.members]
        resend, maybe_shipped = judge(error, mapping.OPERATION)
        self.uncertain = self.uncertain or maybe_shipped
        self.last_error = error
        return None if resend and not deadline.passed() else self.finish(deadline)

    def finish(self, deadline: Deadline) -> list[tuple[int, ShipmentResult]]:
        """Results when no round settled it: pending after a lost answer, else failed."""
        error = self.last_error or ConnectError(  # no round was sent: the deadline passed first
            f"not sent: {deadline.why()}", carrier=mapping.CARRIER, operation=mapping.OPERATION
        )
        if self.uncertain and not (isinstance(error, CarrierError) and error.kind == "not_found"):
            why = "an earlier attempt got no usable answer and the outcome could not be learnt"
            return [(i, mapping.pending_result(shipment, why, error)) for i, shipment in self.members]
        return [(index, mapping.failed_result(shipment, error)) for index, shipment in self.members]


def _plan(shipments: Sequence[Shipment]) -> tuple[list[tuple[int, ShipmentResult]], list[_Order]]:
    """Results of Shipments rejected before sending, and one request per order for the rest."""
    settled: list[tuple[int, ShipmentResult]] = []
    groups: dict[int, list[tuple[int, Shipment]]] = {}
    for index, shipment in enumerate(shipments):
        found = mapping.problems(shipment)
        if found:
            settled.append((index, mapping.failed_result(shipment, InputError(found))))
        else:
            groups.setdefault(mapping.order_id_of(shipment), []).append((index, shipment))
    orders = []
    for order_id, members in groups.items():
        rejected = mapping.group_problems([shipment for _, shipment in members])
        if rejected is not None:
            settled += [(index, mapping.failed_result(shipment, rejected)) for index, shipment in members]
            continue
        deliveries = [mapping.to_delivery(shipment) for _, shipment in members]
        orders.append(_Order(mapping.to_request(order_id, deliveries), members))
    return settled, orders


def _in_order(count: int, results: list[tuple[int, ShipmentResult]]) -> list[ShipmentResult]:
    ordered = [result for _, result in sorted(results, key=lambda pair: pair[0])]
    assert len(ordered) == count  # one result per input
    return ordered


class WeChatShipper(ResendToReconcile, BatchTuning):
    """Ships WeChat mini-shop orders (see the module docstring for grouping and exactly-once rounds).

    ``client`` is a wired client from ``shipspec.carriers.wechat_shop.client``.
    """

    def __init__(
        self,
        client: Client,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_rounds: int = MAX_ROUNDS,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        super().__init__(
            batch_size=batch_size, concurrency=concurrency, max_rounds=max_rounds, deadline=deadline
        )
        self._client = client

    def __repr__(self) -> str:
        return f"WeChatShipper(batch_size={self._batch_size}, concurrency={self._concurrency})"

    @property
    def carrier(self) -> Literal["wechat_shop"]:
        return mapping.CARRIER

    def group_of(self, shipment: Shipment) -> str | None:
        """The order: delivery/send ships an order once, so its Shipments travel together."""
        return mapping.group_of(shipment)

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """Ship the Shipments, one request per order; one result per input, in order."""
        settled, orders = _plan(shipments)
        for order in orders:
            settled += self._ship_order(order)
        return _in_order(len(shipments), settled)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """Async ``ship_batch`` over the generated client's asyncio calls (orders one after another)."""
        settled, orders = _plan(shipments)
        for order in orders:
            settled += await self._aship_order(order)
        return _in_order(len(shipments), settled)

    def _ship_order(self, order: _Order) -> list[tuple[int, ShipmentResult]]:
        deadline = Deadline(self._deadline)
        with bounded_by(deadline):
            for attempt in range(1, self._max_rounds + 1):
                if attempt > 1:
                    pause(deadline.cut(RetryPolicy().backoff(attempt - 1)))
                    if deadline.passed():
                        break
                try:
                    send_delivery.sync_detailed(client=self._client, body=order.body)
                except ShipspecError as exc:
                    final = order.failed(exc, deadline)
                except (ValueError, KeyError, TypeError) as exc:
                    final = order.failed(decode_problem(exc, mapping.CARRIER, mapping.OPERATION), deadline)
                else:
                    return order.shipped()  # the hook raised for every errcode but 0
                if final is not None:
                    return final
        return order.finish(deadline)

    async def _aship_order(self, order: _Order) -> list[tuple[int, ShipmentResult]]:
        deadline = Deadline(self._deadline)
        with bounded_by(deadline):
            for attempt in range(1, self._max_rounds + 1):
                if attempt > 1:
                    await apause(deadline.cut(RetryPolicy().backoff(attempt - 1)))
                    if deadline.passed():
                        break
                try:
                    await send_delivery.asyncio_detailed(client=self._client, body=order.body)
                except ShipspecError as exc:
                    final = order.failed(exc, deadline)
                except (ValueError, KeyError, TypeError) as exc:
                    final = order.failed(decode_problem(exc, mapping.CARRIER, mapping.OPERATION), deadline)
                else:
                    return order.shipped()
                if final is not None:
                    return final
        return order.finish(deadline)

    def close(self) -> None:
        """Close the sync HTTP connections."""
        self._client.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async HTTP connections."""
        await self._client.get_async_httpx_client().aclose()

    def __enter__(self) -> WeChatShipper:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def from_settings(settings: Mapping[str, str]) -> WeChatShipper:
    """Build the shipper from ``config.SETTINGS["wechat_shop"]`` names (errors name settings, never values).

    Required: ``appid``, ``secret``. ``token_store`` (a Redis URL: processes on several machines) or
    ``token_dir`` (a ``FileTokenStore``: processes of one host) shares the token (needed with
    ``use_classic_token``, whose every fetch invalidates the token other processes hold).
    """
    read = CarrierSettings(mapping.CARRIER, settings, trim=True)
    concurrency = read.positive_int("concurrency", DEFAULT_CONCURRENCY)
    wired = wechat_client(
        appid=read.required("appid"),
        secret=Secret(read.required("secret")),
        store=store_from_settings(read),
        use_classic_token=read.flag("use_classic_token"),
        base_url=read.optional("base_url") or SERVERS[0],
        pacer=pacer_from_settings(read),
        concurrency=concurrency,
    )
    return WeChatShipper(wired, concurrency=concurrency, deadline=read.deadline())
