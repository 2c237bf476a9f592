"""The batch runner: ship any iterable of shipments through their carriers, streamed, one result each.

Shipments are read lazily and grouped per carrier into batches of the shipper's ``batch_size`` (adjacent
shipments a shipper groups, e.g. one WeChat order, stay in one batch: see ``batching``); each carrier
runs at most ``concurrency`` batches at once, and at most ``IN_FLIGHT_BATCHES_PER_SLOT`` batches per
concurrency slot are held in memory, so 100,000 rows cost what 10,000 do. Results are yielded as batches
finish (not in input order: each carries its shipment's ``reference``). A failed item, or even a shipper
that raises, never aborts the run: every input gets exactly one result.

When the caller stops reading early (``close()``, leaving the loop, an exception such as Ctrl-C), batches
not yet sent are dropped (their shipments were never sent), and batches already sending are waited for:
their shipments may really have shipped, so their results go to ``on_unclaimed`` (default: a WARNING line
per result on the ``shipspec`` logger) instead of vanishing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from shipspec_shipping_models import Shipment, ShipmentResult

from ..config import build_shipper, load_settings
from ..errors import InputError, ShipspecError, UnknownCarrierError
from .batching import Batcher
from .capabilities import Shipper
from .intake import ShipmentLike, accepted
from .results import failed

# Batches submitted but not finished, per concurrency slot: enough to keep every slot busy while results
# drain, small enough that memory does not grow with the input.
IN_FLIGHT_BATCHES_PER_SLOT = 2

__all__ = ["ShipperSource", "Unclaimed", "aship", "ship"]

Unclaimed = Callable[[ShipmentResult], object]
"""Receives each result of a batch that finished after the caller stopped reading."""

logger = logging.getLogger("shipspec")


def _log_unclaimed(result: ShipmentResult) -> None:
    logger.warning(
        "result not read by the caller (it stopped early): %s %s %s %s",
        result.carrier,
        result.reference,
        result.status,
        result.tracking_number or result.batch_id or "",
    )


def _hand_over(batches: Iterable[list[ShipmentResult]], on_unclaimed: Unclaimed | None) -> None:
    for results in batches:
        for result in results:
            (on_unclaimed or _log_unclaimed)(result)


@dataclass
class ShipperSource:
    """Where the runner gets each carrier's shipper: given ones first, else built from settings once."""

    shippers: dict[str, Shipper] = field(default_factory=dict)
    settings: Mapping[str, Mapping[str, str]] | None = None

    def get(self, carrier: str) -> Shipper:
        if carrier not in self.shippers:
            settings = self.settings if self.settings is not None else load_settings()
            self.shippers[carrier] = build_shipper(carrier, settings.get(carrier, {}))
        return self.shippers[carrier]


def _checked(
    shipper: Shipper, batch: Sequence[Shipment], results: list[ShipmentResult]
) -> list[ShipmentResult]:
    """Hold a shipper to its contract: one result per input, matched by reference."""
    if len(results) == len(batch) and all(
        r.reference == s.reference for r, s in zip(results, batch, strict=True)
    ):
        return results
    by_reference = {result.reference: result for result in results}
    problem = UnknownCarrierError(
        carrier=shipper.carrier,
        operation="ship_batch",
        code=None,
        message="the shipper returned no result for this shipment",
    )
    return [by_reference.get(s.reference) or failed(s, problem) for s in batch]


def _crashed(shipper_carrier: str, batch: Sequence[Shipment], exc: BaseException) -> list[ShipmentResult]:
    """Results for a batch whose shipper raised: a typed error keeps its kind, anything else is unknown."""
    error = (
        exc
        if isinstance(exc, ShipspecError)
        else UnknownCarrierError(
            carrier=shipper_carrier, operation="ship_batch", code=None, message=f"{type(exc).__name__}: {exc}"
        )
    )
    return [failed(shipment, error) for shipment in batch]


def _run_batch(shipper: Shipper, batch: list[Shipment]) -> list[ShipmentResult]:
    try:
        return _checked(shipper, batch, shipper.ship_batch(batch))
    except Exception as exc:
        return _crashed(shipper.carrier, batch, exc)


def _wrong_carrier(shipment: Shipment, carrier: str) -> ShipmentResult:
    problem = f"this run ships {carrier}; the shipment is for {shipment.carrier}"
    return failed(shipment, InputError({"carrier": problem}))


def ship(
    shipments: Iterable[ShipmentLike],
    *,
    carrier: str | None = None,
    shippers: Mapping[str, Shipper] | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    on_unclaimed: Unclaimed | None = None,
) -> Generator[ShipmentResult, None, None]:
    """Ship every shipment through its carrier and yield one result per shipment as batches finish.

    Items are ``Shipment``s or mappings validated into one (an invalid mapping is a ``failed`` result naming
    the field paths; one that names no reference and known carrier raises ``InputError``, see ``intake``).
    ``carrier`` restricts the run to one carrier (other shipments fail with ``invalid_request``);
    ``shippers`` supplies ready shippers by carrier; otherwise they are built from ``settings``
    (default: ``shipspec.config.load_settings()``, i.e. ``SHIPSPEC_<CARRIER>_…`` environment variables).
    Stopping early (``close()``, leaving a ``for`` loop, an exception) waits for the batches already
    sending and passes their results to ``on_unclaimed`` (see the module docstring).
    """
    source = ShipperSource(dict(shippers or {}), settings)
    pools: dict[str, ThreadPoolExecutor] = {}
    batchers: dict[str, Batcher] = {}
    in_flight: set[Future[list[ShipmentResult]]] = set()
    limit = 0

    def submit(name: str, batch: list[Shipment]) -> None:
        in_flight.add(pools[name].submit(_run_batch, source.get(name), batch))

    def drain(block: bool) -> Iterator[ShipmentResult]:
        done, _ = wait(in_flight, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            in_flight.discard(future)
            yield from future.result()

    try:
        for position, item in enumerate(shipments):
            shipment = accepted(item, position)
            if isinstance(shipment, ShipmentResult):  # a mapping that is no valid Shipment
                yield shipment
                continue
            if carrier is not None and shipment.carrier != carrier:
                yield _wrong_carrier(shipment, carrier)
                continue
            name: str = shipment.carrier
            if name not in pools:
                try:
                    shipper = source.get(name)
                except ShipspecError as exc:  # e.g. missing settings: every shipment of it fails clearly
                    yield failed(shipment, exc)
                    continue
                pools[name] = ThreadPoolExecutor(shipper.concurrency, thread_name_prefix=f"ship-{name}")
                batchers[name] = Batcher(shipper)
                limit += shipper.concurrency * IN_FLIGHT_BATCHES_PER_SLOT
            for batch in batchers[name].add(shipment):
                submit(name, batch)
            while len(in_flight) >= limit:
                yield from drain(block=True)
            if in_flight:
                yield from drain(block=False)
        for name, batcher in batchers.items():
            if rest := batcher.flush():
                submit(name, rest)
        while in_flight:
            yield from drain(block=True)
    finally:
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)  # a batch not started was never sent: drop it
        _hand_over((f.result() for f in in_flight if not f.cancelled()), on_unclaimed)


async def _arun_batch(
    shipper: Shipper, batch: list[Shipment], slots: asyncio.Semaphore, sending: set[asyncio.Task[object]]
) -> list[ShipmentResult]:
    async with slots:
        task = asyncio.current_task()
        if task is not None:
            sending.add(task)
        try:
            return _checked(shipper, batch, await shipper.aship_batch(batch))
        except Exception as exc:
            return _crashed(shipper.carrier, batch, exc)


async def _aiterate(
    shipments: Iterable[ShipmentLike] | AsyncIterable[ShipmentLike],
) -> AsyncIterator[ShipmentLike]:
    if isinstance(shipments, AsyncIterable):
        async for shipment in shipments:
            yield shipment
    else:
        for shipment in shipments:
            yield shipment


async def aship(
    shipments: Iterable[ShipmentLike] | AsyncIterable[ShipmentLike],
    *,
    carrier: str | None = None,
    shippers: Mapping[str, Shipper] | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    on_unclaimed: Unclaimed | None = None,
) -> AsyncGenerator[ShipmentResult, None]:
    """The async twin of :func:`ship`: same batching, per-carrier concurrency and one result per shipment.

    Stopping early cancels the batches still waiting for a slot and waits for those already sending.
    """
    source = ShipperSource(dict(shippers or {}), settings)
    slots: dict[str, asyncio.Semaphore] = {}
    batchers: dict[str, Batcher] = {}
    in_flight: set[asyncio.Task[list[ShipmentResult]]] = set()
    sending: set[asyncio.Task[object]] = set()
    limit = 0

    def submit(name: str, batch: list[Shipment]) -> None:
        in_flight.add(asyncio.ensure_future(_arun_batch(source.get(name), batch, slots[name], sending)))

    async def drain(block: bool) -> list[ShipmentResult]:
        done, _ = await asyncio.wait(
            in_flight, timeout=None if block else 0, return_when=asyncio.FIRST_COMPLETED
        )
        finished: list[ShipmentResult] = []
        for task in done:
            in_flight.discard(task)
            finished += task.result()
        return finished

    try:
        position = 0
        async for item in _aiterate(shipments):
            shipment = accepted(item, position)
            position += 1
            if isinstance(shipment, ShipmentResult):
                yield shipment
                continue
            if carrier is not None and shipment.carrier != carrier:
                yield _wrong_carrier(shipment, carrier)
                continue
            name: str = shipment.carrier
            if name not in slots:
                try:
                    shipper = source.get(name)
                except ShipspecError as exc:
                    yield failed(shipment, exc)
                    continue
                slots[name] = asyncio.Semaphore(shipper.concurrency)
                batchers[name] = Batcher(shipper)
                limit += shipper.concurrency * IN_FLIGHT_BATCHES_PER_SLOT
            for batch in batchers[name].add(shipment):
                submit(name, batch)
            while len(in_flight) >= limit:
                for result in await drain(block=True):
                    yield result
            if in_flight:
                for result in await drain(block=False):
                    yield result
        for name, batcher in batchers.items():
            if rest := batcher.flush():
                submit(name, rest)
        while in_flight:
            for result in await drain(block=True):
                yield result
    finally:
        for task in in_flight:
            if task not in sending:
                task.cancel()  # still waiting for a slot: nothing was sent
        if in_flight:
            await asyncio.wait(in_flight)
        _hand_over((t.result() for t in in_flight if not t.cancelled()), on_unclaimed)
