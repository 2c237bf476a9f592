"""DeftShip through the carrier-neutral API: shipments go in batches (create, validate, ship, complete).

One batch per (shipper, service), at most ``batch_size`` (≤ 1,000) shipments. The steps of a batch, with the
exactly-once rules of each (specs/deftship.yaml ``x-idempotency``):

- createBatch is unsafe (no caller key, no list endpoint). After an uncertain create, a new batch is created:
  a batch costs nothing until shipped, and a batch whose id we never learnt is never shipped, so the orphan
  stays an unshipped draft on the account (visible in DeftShip's dashboard; harmless).
- getBatch (safe) is polled until validation settles (ready/invalid) and again until shipping completes:
  the first pauses are short (``POLL_FIRST_SECONDS``, 50 ms) and each is twice the one before, up to
  ``poll_seconds`` (default 2 s): 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2, 2 … s, starting over at each phase. A
  batch that settles in a fraction of a second (a small one) is seen soon after, and a long one (minutes
  for 1,000 labels) costs one read every 2 s. While waiting only the first item page is read (the status is
  on it); once the batch is in the wanted state every page is read (``next_page_url``, same host only: the
  bearer token goes with it; a page that comes back broken is asked for again alone, ``PAGE_ATTEMPTS``).
  Invalid items fail with their field errors and are removed before shipping.
- shipBatch is accepted only for a ``ready`` batch. After any failed or uncertain ship the batch is read: a
  ``processing``/``completed`` batch was shipped (never ship again), a ``ready`` one was not (ship again,
  boundedly); any other state ends it. A ship is never resent without such a read in between.
- The whole batch, from its create to its completion (validation, removal of invalid items, ship, polls),
  has one deadline: the deadline of its shipments (``deadline_seconds``, see ``shipspec.deadline``), on a
  monotonic clock, checked before every create, poll and resend; it counts the time spent in reads and
  their transport retries, so a slow or failing getBatch cannot stretch it, and the call in flight is cut
  at it by the transport. Past it nothing more is sent and the batch's shipments come back ``pending``
  with its ``batch_id`` (``failed`` when no batch was created: nothing can have shipped).
- The new batch's id is recorded in the journal before anything else (``journal.hooks.learnt``). When the
  journal refuses it because another run took the shipments over meanwhile (this run's hold lapsed while the
  create was in flight), that run will create its own batch for them, so this one is never shipped and its
  shipments come back ``pending`` here (the other run's outcome is in the journal).
- Items are matched back to shipments by ``package_list[0].reference_1`` = the shipment's reference.

A result is ``pending`` (with ``batch_id``) only when the batch's state could not be learnt in time;
``resume_batch`` follows such a batch later without creating a new one. The steps are written once, as a
generator that yields what to call; a sync and an async driver run it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import anyio
import httpx
from shipspec_deftship import AuthenticatedClient
from shipspec_deftship.api.deftship import create_batch, get_batch, remove_batch_items, ship_batch
from shipspec_deftship.limits import MAX_ITEMS_PER_BATCH
from shipspec_deftship.models import (
    BatchEnvelope,
    BatchItem,
    BatchShipment,
    CreateBatchRequest,
    RemoveBatchItemsRequest,
)
from shipspec_deftship.types import Response, Unset
from shipspec_shipping_models import Shipment, ShipmentResult

from ...config import CarrierSettings
from ...deadline import Deadline, bounded_by
from ...errors import InputError, ResponseDecodeError, ShipspecError
from ...journal import hooks as journal
from ...pacing import pacer_from_settings
from ...retry import RetryPolicy
from ...secrets import redact
from ...settings import DEFAULT_DEADLINE_SECONDS
from ...shipping.inflight import note_batch_id
from ...shipping.resend import decode_problem, inconclusive, wait_before
from ...shipping.results import failed, pending
from ...transport import apause, pause
from . import mapping
from .client import client

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_POLL_SECONDS",
    "POLL_FIRST_SECONDS",
    "BatchView",
    "DeftShipShipper",
    "from_settings",
]

CARRIER: Final = "deftship"
DEFAULT_BATCH_SIZE: Final = MAX_ITEMS_PER_BATCH
"""The documented cap (1,000 per batch): fewer, larger batches mean fewer polls and merged label files."""
DEFAULT_CONCURRENCY: Final = 2
"""Batches at a time. Each batch is a long poll loop against an API with no published rate limit; two keep
a large run moving without multiplying the polling load."""
POLL_FIRST_SECONDS: Final = 0.05
"""The first pause between getBatch reads of a phase; each later pause doubles, up to ``poll_seconds``."""
DEFAULT_POLL_SECONDS: Final = 2.0
"""The longest pause between getBatch reads. Validation and shipping are asynchronous and take from a
fraction of a second to minutes: the pauses start at ``POLL_FIRST_SECONDS`` so that a quick phase is seen
within tens of milliseconds of settling, and grow to this so that a long one costs at most one read every
two seconds per batch."""
ROUNDS: Final = 5
"""Attempts at create, ship and remove-items after transient failures (each already carries the
transport's retries); ship and remove-items also stop at their phase's deadline."""
MAX_PAGES: Final = 1000
"""Pages followed per getBatch read: 1,000 items at even one item per page."""
PAGE_ATTEMPTS: Final = 3
"""Times one following item page is asked for before the whole read fails. A page is a safe GET: one that
came back broken (a body that is not the documented JSON, or the transport's own retries spent) is asked for
again on its own, so a 1,000-item batch (10 pages of 100) is not read again from its first page for every
bad page: with a 10 % share of broken answers, nine whole reads in ten would fail somewhere."""

SETTLED = frozenset({"ready", "invalid"})
SHIPPED = frozenset({"processing", "completed"})
ANY_STATUS = SETTLED | SHIPPED | {"validating"}


@dataclass(frozen=True)
class BatchView:
    """A batch as read through all its item pages (``complete``), or its first page only."""

    id: str
    status: str
    items: tuple[BatchItem, ...]
    labels: tuple[str, ...]
    complete: bool = True


@dataclass(frozen=True)
class _Create:
    request: CreateBatchRequest
    references: tuple[str, ...]  # recorded with the new batch's id the moment it is known


@dataclass(frozen=True)
class _Read:
    batch_id: str
    whole: bool = True  # every item page; else the first only (enough for the batch's status)


@dataclass(frozen=True)
class _Ship:
    batch_id: str


@dataclass(frozen=True)
class _TakenOver:
    """The answer to a create whose shipments another run took over while it was in flight (the journal
    refused the new id): that run reconciles them without knowing this batch, so it is never shipped."""

    batch_id: str


@dataclass(frozen=True)
class _Remove:
    batch_id: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Sleep:
    seconds: float
    backoff: bool  # a retry backoff (skipped by the test switch); a poll pause always waits for the carrier


@dataclass(frozen=True)
class _Tuning:
    rounds: int
    poll_seconds: float  # the longest pause between reads
    deadline: float  # seconds for a whole batch
    policy: RetryPolicy
    poll_first: float = POLL_FIRST_SECONDS  # the first pause; each next one doubles, up to poll_seconds
    # The deadline's clock, read by the plan itself (not the drivers) so that it counts time spent inside
    # reads and their retries; monotonic so that a wall-clock jump neither ends nor stretches it. Tests pass
    # a fake one.
    clock: Callable[[], float] = time.monotonic

    def start(self) -> Deadline:
        """The deadline of a batch starting now."""
        return Deadline(self.deadline, clock=self.clock)


T = TypeVar("T")
Step = _Create | _Read | _Ship | _Remove | _Sleep
Answer = BatchEnvelope | BatchView | ShipspecError | _TakenOver | None
Gen = Generator[Step, Answer, T]


def _error(answer: Answer) -> ShipspecError:
    if isinstance(answer, ShipspecError):
        return answer
    raise RuntimeError(f"deftship: unexpected answer {answer!r}")  # the drivers never do this


def _late(why: str, deadline: Deadline) -> str:
    return f"{why}; gave up when {deadline.why()}"


def _poll(
    batch_id: str,
    wanted: frozenset[str],
    tuning: _Tuning,
    deadline: Deadline,
    items_when: frozenset[str] | None = None,
) -> Gen[BatchView | ShipspecError | str]:
    """Read until the batch is in ``wanted``: the view, a definitive error, or a text saying why not.

    No read starts once ``deadline`` has passed; the last pause is cut short so that the last read starts
    at the deadline at the latest. The pauses grow from ``poll_first`` to ``poll_seconds`` (doubling).
    The view returned has every item page when its status is in ``items_when`` (default: ``wanted``);
    otherwise only the first page (the caller needs no more: e.g. a ``ready`` batch has no invalid item).
    """
    items_when = wanted if items_when is None else items_when
    seen = ""  # the state the last good read found (a read cut at the deadline must not hide it)
    problem = ""
    pause = 0.0  # none before the first read
    while (left := deadline.left()) > 0:
        if pause:
            yield _Sleep(min(pause, left), backoff=False)
        pause = min(pause * 2 or tuning.poll_first, tuning.poll_seconds)
        # While waiting, only the status matters: the first page is enough, and parsing up to 1,000 items on
        # every poll cost the client more than the rest of a batch's protocol.
        view = yield _Read(batch_id, whole=False)
        if isinstance(view, BatchView) and view.status in wanted & items_when and not view.complete:
            view = yield _Read(batch_id)
        if isinstance(view, BatchView):
            if view.status in wanted:
                return view
            seen, problem = f"batch {batch_id} is still {view.status}", ""
            continue
        error = _error(view)
        if not inconclusive(error):
            return error
        problem = f"batch {batch_id} could not be read: {error}"
    return _late(
        "; then ".join(part for part in (seen, problem) if part) or f"batch {batch_id} was not read", deadline
    )


def _time_to_resend(error: ShipspecError, attempt: int, tuning: _Tuning, deadline: Deadline) -> Gen[bool]:
    """Back off before a resend; False when the deadline passes first (then nothing is resent).

    The wait is cut at the deadline rather than skipped, so a resend never comes before the carrier's
    Retry-After: a cut wait ends past the deadline and the resend is dropped.
    """
    left = deadline.left()
    if left > 0:
        yield _Sleep(min(wait_before(error, attempt, tuning.policy), left), backoff=True)
    return not deadline.passed()


def _create(
    request: CreateBatchRequest, references: tuple[str, ...], tuning: _Tuning, deadline: Deadline
) -> Gen[str | ShipspecError | _TakenOver]:
    """The new batch's id, or what ends it (nothing is ever shipped from a failed or taken-over create)."""
    for attempt in range(1, tuning.rounds + 1):
        answer = yield _Create(request, references)
        if isinstance(answer, BatchEnvelope):
            return answer.data.id
        if isinstance(answer, _TakenOver):
            return answer
        error = _error(answer)
        if not inconclusive(error) or attempt == tuning.rounds:
            return error
        # Uncertain: a batch may exist. Its id is unknown, so it is never shipped; a new one is created.
        if not (yield from _time_to_resend(error, attempt, tuning, deadline)):
            return error
    raise ValueError("rounds must be at least 1")


def _ship(batch_id: str, tuning: _Tuning, deadline: Deadline) -> Gen[ShipspecError | str | None]:
    """None once the batch is shipped; the error when it definitively was not; a text when unknown."""
    last: ShipspecError | None = None
    for attempt in range(1, tuning.rounds + 1):
        if last is not None and not (yield from _time_to_resend(last, attempt - 1, tuning, deadline)):
            return _late(f"batch {batch_id} still ready after ship answered {last}", deadline)
        answer = yield _Ship(batch_id)
        if isinstance(answer, BatchEnvelope):
            return None
        last = _error(answer)
        # Whatever the answer said, the batch's state says what happened.
        view = yield from _poll(batch_id, ANY_STATUS, tuning, deadline, items_when=frozenset())
        if not isinstance(view, BatchView):
            return f"ship answered {last}; then the state could not be learnt: {view}"
        if view.status in SHIPPED:
            return None  # an earlier attempt (or this one) shipped it: never ship again
        if view.status != "ready" or not inconclusive(last):
            return last
    return f"batch {batch_id} still ready after {tuning.rounds} ship attempts: {last}"


def _remove(
    batch_id: str, item_ids: tuple[str, ...], tuning: _Tuning, deadline: Deadline
) -> Gen[BatchView | ShipspecError | str]:
    """Remove invalid items; the settled view without them, or why not (an error or a text)."""
    last: ShipspecError | str = "not tried"
    for attempt in range(1, tuning.rounds + 1):
        if deadline.passed():
            return _late(f"invalid items still in batch {batch_id}: {last}", deadline)
        answer = yield _Remove(batch_id, item_ids)
        view = yield from _poll(batch_id, SETTLED, tuning, deadline)
        if not isinstance(view, BatchView):
            return view
        left = tuple(item.id for item in view.items if item.id in item_ids)
        if not left:
            return view
        if isinstance(answer, ShipspecError):
            if not inconclusive(answer):
                return answer
            last = answer
            if not (yield from _time_to_resend(answer, attempt, tuning, deadline)):
                return _late(f"invalid items still in batch {batch_id}: {last}", deadline)
        item_ids = left
    return f"invalid items still in batch {batch_id} after {tuning.rounds} attempts: {last}"


def _batch_plan(
    shipments: Sequence[Shipment],
    request: CreateBatchRequest | None,
    batch_id: str | None,
    tuning: _Tuning,
    deadline: Deadline,
) -> Gen[list[ShipmentResult]]:
    """One batch from creation (or from ``batch_id``) to completion: one result per shipment, in order."""
    if batch_id is None:
        if request is None:
            raise ValueError("a new batch needs its createBatch request")
        created = yield from _create(request, tuple(s.reference for s in shipments), tuning, deadline)
        if isinstance(created, _TakenOver):
            why = (
                f"another run took these shipments over while batch {created.batch_id} was created for them "
                "(this run's hold lapsed); that run ships them, and this batch is left unshipped"
            )
            return [pending(s, why) for s in shipments]
        if not isinstance(created, str):
            return [failed(s, created) for s in shipments]
        batch_id = created
    references = [s.reference for s in shipments]
    results: dict[str, ShipmentResult] = {}
    known: dict[str, str] = {}

    def rest(make: Callable[[Shipment], ShipmentResult]) -> list[ShipmentResult]:
        return [results.get(s.reference) or make(s) for s in shipments]

    def unknown(why: object) -> list[ShipmentResult]:
        return rest(lambda s: pending(s, str(why)).model_copy(update={"batch_id": batch_id}))

    # Validation: settling, then removing invalid items. Only an invalid batch needs its items read now (to
    # remove the invalid ones): a ready one has none.
    view = yield from _poll(batch_id, SETTLED | SHIPPED, tuning, deadline, items_when=frozenset({"invalid"}))
    if not isinstance(view, BatchView):
        return unknown(view)
    if view.status in SETTLED:
        matched = mapping.match_items(references, view.items, known)
        for shipment in shipments:
            item = matched.get(shipment.reference)
            if item is not None and mapping.item_status(item) == "invalid":
                results[shipment.reference] = mapping.item_result(shipment, item, batch_id, ())
        invalid = tuple(item.id for item in view.items if mapping.item_status(item) == "invalid")
        if not any(mapping.item_status(item) == "valid" for item in view.items):
            return unknown(f"no valid item in batch {batch_id}")
        if invalid:
            view = yield from _remove(batch_id, invalid, tuning, deadline)
            if not isinstance(view, BatchView) or view.status != "ready":
                return unknown(view if not isinstance(view, BatchView) else f"batch is {view.status}")
    # Shipping, from the first ship (or from finding the batch already shipped) to completion.
    if view.status in SETTLED:
        outcome = yield from _ship(batch_id, tuning, deadline)
        if isinstance(outcome, ShipspecError):
            return rest(lambda s: failed(s, outcome).model_copy(update={"batch_id": batch_id}))
        if outcome is not None:
            return unknown(outcome)
    view = yield from _poll(batch_id, frozenset({"completed"}), tuning, deadline)
    if not isinstance(view, BatchView):
        return unknown(view)
    matched = mapping.match_items(references, view.items, known)
    for shipment in shipments:
        item = matched.get(shipment.reference)
        if item is not None and shipment.reference not in results:
            results[shipment.reference] = mapping.item_result(shipment, item, batch_id, view.labels)
    return unknown(f"no item of batch {batch_id} carries this reference")


def _operation(step: Step) -> str:
    """The DeftShip operation a step calls (for errors)."""
    names = {_Create: "createBatch", _Read: "getBatch", _Ship: "shipBatch", _Remove: "removeBatchItems"}
    return names.get(type(step), "sleep")


def _learnt(step: _Create, envelope: BatchEnvelope) -> BatchEnvelope | _TakenOver:
    """Record the new batch's id in the journal (if the run has one) and for the runner (``inflight``: a
    run left while the batch is sent hands it over with its id) before anything else happens; a journal
    that refuses it (another run holds the shipments now) makes the batch one never to ship."""
    return _held(envelope, journal.learnt(step.references, batch_id=envelope.data.id))


async def _alearnt(step: _Create, envelope: BatchEnvelope) -> BatchEnvelope | _TakenOver:
    """The async twin of ``_learnt`` (a remote journal records off the event loop)."""
    return _held(envelope, await journal.alearnt(step.references, batch_id=envelope.data.id))


def _held(envelope: BatchEnvelope, recorded: bool) -> BatchEnvelope | _TakenOver:
    if not recorded:
        return _TakenOver(envelope.data.id)
    note_batch_id(envelope.data.id)
    return envelope


def _parsed(response: Response[Any], expected: type[T], operation: str) -> T:
    if isinstance(response.parsed, expected):
        return response.parsed
    raise _decode_error(operation, int(response.status_code), response.content)


def _decode_error(operation: str, status: int, content: bytes) -> ResponseDecodeError:
    return ResponseDecodeError(
        "answer does not have the documented success shape",
        carrier=CARRIER,
        operation=operation,
        http_status=status,
        body_excerpt=redact(content[:200].decode("utf-8", "replace")),
    )


def _page_envelope(response: httpx.Response) -> BatchEnvelope:
    try:
        return BatchEnvelope.from_dict(response.json())
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _decode_error("getBatch", response.status_code, response.content) from None


def _page_items(envelope: BatchEnvelope) -> tuple[list[BatchItem], str | None]:
    page = envelope.data.items
    if isinstance(page, Unset):
        return [], None
    items = [] if isinstance(page.data, Unset) else list(page.data)
    following = None if isinstance(page.next_page_url, Unset) else page.next_page_url
    return items, following


class DeftShipShipper:
    """Shipper for DeftShip batch shipments (USPS, own account)."""

    def __init__(
        self,
        api: AuthenticatedClient,
        *,
        base_url: str,
        shipper_id: int,
        service: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
        rounds: int = ROUNDS,
        policy: RetryPolicy | None = None,
    ) -> None:
        if not 1 <= batch_size <= MAX_ITEMS_PER_BATCH:
            raise ValueError(f"batch_size must be 1 to {MAX_ITEMS_PER_BATCH}")
        if poll_seconds <= 0 or deadline <= 0 or rounds < 1:
            raise ValueError("poll_seconds and deadline must be positive, rounds at least 1")
        self._api = api
        self._origin = httpx.URL(base_url)
        self._shipper_id = shipper_id
        self._service = service
        self._batch_size = batch_size
        self._tuning = _Tuning(
            rounds=rounds,
            poll_seconds=poll_seconds,
            deadline=deadline,
            policy=policy or RetryPolicy(),
        )

    @property
    def carrier(self) -> str:
        return CARRIER

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def concurrency(self) -> int:
        return DEFAULT_CONCURRENCY

    @property
    def deadline_seconds(self) -> float:
        """Seconds one batch may take in all, from its create (or resumption) to its completion."""
        return self._tuning.deadline

    # ------------------------------------------------------------------ shipping

    def _plans(
        self, shipments: Sequence[Shipment]
    ) -> tuple[list[ShipmentResult | None], list[tuple[list[int], list[Shipment], CreateBatchRequest]]]:
        """Input checks, then one plan per (service, chunk); returns early results and (indexes, plan)."""
        results: list[ShipmentResult | None] = [None] * len(shipments)
        groups: dict[str, list[tuple[int, Shipment, BatchShipment]]] = {}
        seen: set[str] = set()
        for index, shipment in enumerate(shipments):
            try:
                if shipment.reference in seen:
                    raise InputError({"reference": "appears twice in this batch (it is the item's key)"})
                seen.add(shipment.reference)
                entry = mapping.to_batch_shipment(shipment, self._service)
                service = mapping.service_of(shipment, self._service)
            except InputError as problem:
                results[index] = failed(shipment, problem)
                continue
            groups.setdefault(service, []).append((index, shipment, entry))
        plans = []
        for service, entries in groups.items():
            for start in range(0, len(entries), self._batch_size):
                chunk = entries[start : start + self._batch_size]
                request = mapping.create_request(self._shipper_id, service, [e for _, _, e in chunk])
                plans.append(([i for i, _, _ in chunk], [s for _, s, _ in chunk], request))
        return results, plans

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """One result per shipment, in order; the shipments are grouped by service into batches."""
        results, plans = self._plans(shipments)
        for indexes, chunk, request in plans:
            for index, result in zip(indexes, self._run(chunk, request, None), strict=True):
                results[index] = result
        return _complete(results)

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        results, plans = self._plans(shipments)
        for indexes, chunk, request in plans:
            for index, result in zip(indexes, await self._arun(chunk, request, None), strict=True):
                results[index] = result
        return _complete(results)

    def resume_batch(self, batch_id: str, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        """Follow a batch that came back ``pending`` (ship it if ready, wait for it); never creates one."""
        return list(self._run(shipments, None, batch_id))

    async def aresume_batch(self, batch_id: str, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        return list(await self._arun(shipments, None, batch_id))

    def reconcile_batch(self, shipments: Sequence[Shipment], batch_id: str | None) -> list[ShipmentResult]:
        """Shipments an earlier run may have sent: the batch the journal recorded is followed, never
        recreated; with no batch id recorded, the earlier createBatch's batch (if any) was never shipped
        (shipBatch needs the id), so the shipments go in a new batch."""
        if batch_id is None:
            return self.ship_batch(shipments)
        return self.resume_batch(batch_id, shipments)

    async def areconcile_batch(
        self, shipments: Sequence[Shipment], batch_id: str | None
    ) -> list[ShipmentResult]:
        if batch_id is None:
            return await self.aship_batch(shipments)
        return await self.aresume_batch(batch_id, shipments)

    def _run(
        self, shipments: Sequence[Shipment], request: CreateBatchRequest | None, batch_id: str | None
    ) -> list[ShipmentResult]:
        deadline = self._tuning.start()
        plan = _batch_plan(shipments, request, batch_id, self._tuning, deadline)
        try:
            with bounded_by(deadline):
                step = next(plan)
                while True:
                    step = plan.send(self._call(step))
        except StopIteration as done:
            results: list[ShipmentResult] = done.value
            return results

    async def _arun(
        self, shipments: Sequence[Shipment], request: CreateBatchRequest | None, batch_id: str | None
    ) -> list[ShipmentResult]:
        deadline = self._tuning.start()
        plan = _batch_plan(shipments, request, batch_id, self._tuning, deadline)
        try:
            with bounded_by(deadline):
                step = next(plan)
                while True:
                    step = plan.send(await self._acall(step))
        except StopIteration as done:
            results: list[ShipmentResult] = done.value
            return results

    def _call(self, step: Step) -> Answer:
        try:
            if isinstance(step, _Sleep):
                if step.backoff:
                    pause(step.seconds)  # a retry backoff: instant under the test switch
                else:
                    time.sleep(step.seconds)  # a poll: the carrier needs the time
                return None
            if isinstance(step, _Read):
                return self._read(step.batch_id, step.whole)
            if isinstance(step, _Create):
                made = create_batch.sync_detailed(client=self._api, body=step.request)
                return _learnt(step, _parsed(made, BatchEnvelope, "createBatch"))
            if isinstance(step, _Ship):
                return _parsed(
                    ship_batch.sync_detailed(step.batch_id, client=self._api), BatchEnvelope, "shipBatch"
                )
            body = RemoveBatchItemsRequest(batch_shipment_ids=list(step.item_ids))
            removed = remove_batch_items.sync_detailed(step.batch_id, client=self._api, body=body)
            return _parsed(removed, BatchEnvelope, "removeBatchItems")
        except ShipspecError as error:
            return error
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # a 200 body of the wrong shape
            return decode_problem(exc, CARRIER, _operation(step))

    async def _acall(self, step: Step) -> Answer:
        try:
            if isinstance(step, _Sleep):
                if step.backoff:
                    await apause(step.seconds)
                else:
                    await anyio.sleep(step.seconds)
                return None
            if isinstance(step, _Read):
                return await self._aread(step.batch_id, step.whole)
            if isinstance(step, _Create):
                made = await create_batch.asyncio_detailed(client=self._api, body=step.request)
                return await _alearnt(step, _parsed(made, BatchEnvelope, "createBatch"))
            if isinstance(step, _Ship):
                shipped = await ship_batch.asyncio_detailed(step.batch_id, client=self._api)
                return _parsed(shipped, BatchEnvelope, "shipBatch")
            body = RemoveBatchItemsRequest(batch_shipment_ids=list(step.item_ids))
            removed = await remove_batch_items.asyncio_detailed(step.batch_id, client=self._api, body=body)
            return _parsed(removed, BatchEnvelope, "removeBatchItems")
        except ShipspecError as error:
            return error
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return decode_problem(exc, CARRIER, _operation(step))

    # ------------------------------------------------------------------ reading a batch through its pages

    def _next_url(self, url: str | None, pages: int) -> str | None:
        """The next page to read, or None; a page on another host is refused (the token would go there)."""
        if not url or pages >= MAX_PAGES:
            return None
        target = httpx.URL(url)
        if (target.scheme, target.host, target.port) != (
            self._origin.scheme,
            self._origin.host,
            self._origin.port,
        ):
            raise ResponseDecodeError(
                "next_page_url points to another host; not followed",
                carrier=CARRIER,
                operation="getBatch",
                http_status=200,
                body_excerpt=redact(url[:200]),
            )
        return url

    def _read(self, batch_id: str, whole: bool = True) -> BatchView:
        envelope = _parsed(get_batch.sync_detailed(batch_id, client=self._api), BatchEnvelope, "getBatch")
        items, following = _page_items(envelope)
        if not whole:
            return _view(envelope, items, complete=following is None)
        pages = 1
        while (url := self._next_url(following, pages)) is not None:
            more, following = self._page(url)
            items += more
            pages += 1
        return _view(envelope, items)

    def _page(self, url: str) -> tuple[list[BatchItem], str | None]:
        """One following page's items and the next page's URL, asked for up to ``PAGE_ATTEMPTS`` times."""
        for attempt in range(1, PAGE_ATTEMPTS + 1):
            try:
                return _page_items(_page_envelope(self._api.get_httpx_client().get(url)))
            except ShipspecError as error:
                if attempt == PAGE_ATTEMPTS or not inconclusive(error):
                    raise
        raise AssertionError("unreachable")  # the last attempt returns or raises

    async def _apage(self, url: str) -> tuple[list[BatchItem], str | None]:
        """Async ``_page``."""
        for attempt in range(1, PAGE_ATTEMPTS + 1):
            try:
                page = await self._api.get_async_httpx_client().get(url)
                return _page_items(_page_envelope(page))
            except ShipspecError as error:
                if attempt == PAGE_ATTEMPTS or not inconclusive(error):
                    raise
        raise AssertionError("unreachable")

    async def _aread(self, batch_id: str, whole: bool = True) -> BatchView:
        first = await get_batch.asyncio_detailed(batch_id, client=self._api)
        envelope = _parsed(first, BatchEnvelope, "getBatch")
        items, following = _page_items(envelope)
        if not whole:
            return _view(envelope, items, complete=following is None)
        pages = 1
        while (url := self._next_url(following, pages)) is not None:
            more, following = await self._apage(url)
            items += more
            pages += 1
        return _view(envelope, items)

    def close(self) -> None:
        """Close the sync HTTP connections."""
        self._api.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the async HTTP connections."""
        await self._api.get_async_httpx_client().aclose()


def _view(envelope: BatchEnvelope, items: list[BatchItem], complete: bool = True) -> BatchView:
    batch = envelope.data
    labels = () if isinstance(batch.labels, Unset) else tuple(batch.labels)
    return BatchView(
        id=batch.id, status=batch.status.value, items=tuple(items), labels=labels, complete=complete
    )


def _complete(results: list[ShipmentResult | None]) -> list[ShipmentResult]:
    done = [result for result in results if result is not None]
    if len(done) != len(results):
        raise RuntimeError("deftship: a shipment got no result")  # every path above sets one
    return done


def from_settings(settings: Mapping[str, str]) -> DeftShipShipper:
    """Build the shipper from ``config.SETTINGS["deftship"]``.

    Required: ``api_token``, ``base_url`` (no host is assumed), ``shipper_id`` (integer). Optional:
    ``service`` (the default for shipments that name none; there is no built-in default because the service
    decides what is bought, and USPS-3, the only code in the docs, is not described there), ``batch_size``
    (1 to 1,000, default 1,000), ``poll_seconds`` (the longest pause between reads of a batch's state;
    default 2; the pauses start at 0.05 s and double up to it), ``deadline_seconds`` (what a whole batch
    may take, default ``DEFAULT_DEADLINE_SECONDS``; past it its shipments are ``pending`` with ``batch_id``).
    """
    read = CarrierSettings(CARRIER, settings)
    token = read.required("api_token")
    base_url = read.required("base_url")
    shipper_id = read.positive_int("shipper_id")
    batch_size = read.positive_int("batch_size", DEFAULT_BATCH_SIZE, high=MAX_ITEMS_PER_BATCH)
    poll_seconds = read.seconds("poll_seconds", DEFAULT_POLL_SECONDS)
    deadline = read.deadline()
    try:
        api = client(
            api_token=token,
            base_url=base_url,
            pacer=pacer_from_settings(read),
            concurrency=DEFAULT_CONCURRENCY,
        )
    except ValueError as exc:
        raise read.error("base_url", str(exc)) from None
    return DeftShipShipper(
        api,
        base_url=base_url,
        shipper_id=shipper_id,
        service=read.optional("service"),
        batch_size=batch_size,
        poll_seconds=poll_seconds,
        deadline=deadline,
    )
