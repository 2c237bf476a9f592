"""DeftShip's polling budget is the batch's deadline (from create to completion), not a count of reads.

The plan is driven by a fake carrier on a fake clock (each call costs what the test says, retries
included), so the tests count reads and resends against a known timeline without waiting; the sandbox tests
then show the same over real HTTP, with getBatch slow or failing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from shipspec.carriers.deftship.shipper import (
    Answer,
    BatchView,
    Step,
    _batch_plan,
    _poll,
    _Read,
    _Remove,
    _Ship,
    _Sleep,
    _Tuning,
)
from shipspec.errors import AmbiguousTimeoutError, RetryableError, TransportError
from shipspec.retry import RetryPolicy
from shipspec.settings import MAX_ATTEMPTS, instant_backoff
from shipspec_deftship.models import BatchEnvelope, BatchItem
from shipspec_sandbox import FaultRule
from shipspec_shipping_models import ShipmentResult

from .support_deftship import STEP_SECONDS, sandbox, shipment
from .support_faults import CountingPlan

BATCH = "B1"
UNREADABLE = TransportError(
    "HTTP 503 (after the transport's retries)", carrier="deftship", operation="getBatch"
)


def _item(status: str, reference: str, number: int = 20) -> BatchItem:
    order = {"id": "3", "main_tracking_number": f"9400{number}", "reference_1": reference}
    return BatchItem.from_dict({"id": str(number), "status": status, "shipment_order": order})


def _view(status: str, *items: BatchItem) -> BatchView:
    return BatchView(id=BATCH, status=status, items=items, labels=())


@dataclass
class FakeDeftShip:
    """Answers the plan's steps on a fake clock; each kind of call takes the seconds the test sets."""

    read: Callable[[float], Answer]  # getBatch's answer at a given time
    ship: Answer = field(default_factory=lambda: BatchEnvelope.from_dict(_shipped_body()))
    remove: Answer = None
    seconds: dict[str, float] = field(default_factory=dict)  # per call kind: "read", "ship", "remove"
    now: float = 0.0
    calls: list[tuple[str, float]] = field(default_factory=list)  # (kind, when it started)
    wholes: list[bool] = field(default_factory=list)  # per read: whether every item page was asked for

    def clock(self) -> float:
        return self.now

    def started(self, kind: str) -> list[float]:
        return [when for name, when in self.calls if name == kind]

    def answer(self, step: Step) -> Answer:
        if isinstance(step, _Sleep):
            self.now += step.seconds
            return None
        kind = {_Read: "read", _Ship: "ship", _Remove: "remove"}[type(step)]
        self.calls.append((kind, self.now))
        self.now += self.seconds.get(kind, 0.0)
        if isinstance(step, _Read):
            self.wholes.append(step.whole)
            return self.read(self.now)
        return self.ship if isinstance(step, _Ship) else self.remove

    def follow(
        self,
        references: list[str],
        poll_seconds: float,
        deadline: float,
        poll_first: float | None = None,
    ) -> list[ShipmentResult]:
        """Run the plan that follows batch B1 (as resume_batch does) to its results.

        The pauses between reads are ``poll_seconds`` each unless ``poll_first`` starts them lower."""
        tuning = _Tuning(
            rounds=5,
            poll_seconds=poll_seconds,
            deadline=deadline,
            policy=RetryPolicy(jitter=0.0),
            clock=self.clock,
            poll_first=poll_seconds if poll_first is None else poll_first,
        )
        plan = _batch_plan([shipment(r) for r in references], None, BATCH, tuning, tuning.start())
        try:
            step = next(plan)
            while True:
                step = plan.send(self.answer(step))
        except StopIteration as done:
            results: list[ShipmentResult] = done.value
            return results


def _shipped_body() -> dict[str, object]:
    return {"success": True, "data": {"id": BATCH, "status": "processing"}}


def test_a_failing_get_batch_ends_pending_at_the_deadline_however_long_each_read_takes() -> None:
    """Reads of 7 s each (the transport's retries of a 503): a 20 s budget allows 3 reads, not 40."""
    fake = FakeDeftShip(read=lambda _: UNREADABLE, seconds={"read": 7.0})
    (result,) = fake.follow(["DL-1"], poll_seconds=0.5, deadline=20.0)
    assert (result.status, result.batch_id) == ("pending", BATCH)
    assert result.error is not None
    assert "could not be read" in result.error.message
    assert "20 s deadline" in result.error.message
    assert fake.started("read") == [0.0, 7.5, 15.0]  # none starts past 20 s; only one runs over it
    assert fake.started("ship") == []


def test_the_last_pause_is_cut_so_the_last_read_starts_at_the_deadline() -> None:
    """Polling every 5 s under a 12 s budget reads at 0, 5, 10 and 12, then gives up."""
    fake = FakeDeftShip(read=lambda _: _view("validating"))
    (result,) = fake.follow(["DL-1"], poll_seconds=5.0, deadline=12.0)
    assert result.status == "pending"
    assert result.error is not None
    assert "still validating" in result.error.message
    assert fake.started("read") == [0.0, 5.0, 10.0, 12.0]


def test_polling_starts_fast_and_doubles_up_to_poll_seconds() -> None:
    """Pauses of 0.05, 0.1, 0.2, 0.4, 0.8, then 1 s (the cap) until the 5 s deadline."""
    fake = FakeDeftShip(read=lambda _: _view("validating"))
    (result,) = fake.follow(["DL-1"], poll_seconds=1.0, deadline=5.0, poll_first=0.05)
    assert result.status == "pending"
    starts = [round(when, 2) for when in fake.started("read")]
    assert starts == [0.0, 0.05, 0.15, 0.35, 0.75, 1.55, 2.55, 3.55, 4.55, 5.0]


def test_polling_starts_fast_again_after_the_ship() -> None:
    """After the ship, the pauses between reads start at 50 ms again, however long validation polled."""

    def state(now: float) -> BatchView:
        if now < 30:
            return _view("validating")
        if not fake.started("ship"):
            return _view("ready", _item("valid", "DL-1"))
        return _view(
            "completed" if now > fake.started("ship")[0] + 0.1 else "processing", _item("completed", "DL-1")
        )

    fake = FakeDeftShip(read=state)
    (result,) = fake.follow(["DL-1"], poll_seconds=2.0, deadline=600.0, poll_first=0.05)
    assert result.status == "shipped"
    (shipped_at,) = fake.started("ship")
    after = [round(when - shipped_at, 2) for when in fake.started("read") if when > shipped_at]
    assert after == [0.05, 0.15]


def test_one_deadline_covers_validation_and_shipping() -> None:
    """Validation takes 590 s and shipping 300 s more: a 600 s deadline ends pending after the one ship,
    a 900 s one sees the batch completed."""

    def state(now: float) -> BatchView:
        if now < 590:
            return _view("validating")
        if now < 890:
            return _view("ready" if not fake.started("ship") else "processing", _item("valid", "DL-1"))
        return _view("completed", _item("completed", "DL-1"))

    fake = FakeDeftShip(read=state, seconds={"read": 1.0})
    (late,) = fake.follow(["DL-1"], poll_seconds=10.0, deadline=600.0)
    assert (late.status, late.batch_id) == ("pending", BATCH)
    assert late.error is not None
    assert "still processing" in late.error.message
    assert len(fake.started("ship")) == 1
    assert max(fake.started("read")) <= 600.0  # no read started past the deadline

    fake = FakeDeftShip(read=state, seconds={"read": 1.0})
    (result,) = fake.follow(["DL-1"], poll_seconds=10.0, deadline=900.0)
    assert (result.status, result.tracking_number) == ("shipped", "940020")
    assert len(fake.started("ship")) == 1


def test_an_uncertain_ship_is_not_resent_once_the_deadline_has_passed() -> None:
    """A ship answered "retry", and the read of its outcome showed ready only past the deadline: no resend."""
    unsure = RetryableError(carrier="deftship", operation="shipBatch", code=None, message="try again")

    def state(now: float) -> BatchView:
        if fake.started("ship"):
            fake.now += 16.0  # this read ends at 21 s, past the deadline at 20 s
        return _view("ready", _item("valid", "DL-1"))

    fake = FakeDeftShip(read=state, ship=unsure, seconds={"ship": 5.0})
    (result,) = fake.follow(["DL-1"], poll_seconds=0.5, deadline=20.0)
    assert (result.status, result.batch_id) == ("pending", BATCH)
    assert fake.started("ship") == [0.0]
    assert fake.started("read") == [0.0, 5.0]  # validation's read, then the one read of the ship's outcome


def test_a_resend_waits_out_retry_after_or_is_dropped_at_the_deadline() -> None:
    """Retry-After 30 s with 19 s left: the wait is cut at the deadline and the ship is not resent early."""
    busy = RetryableError(
        carrier="deftship", operation="shipBatch", code=None, message="busy", retry_after=30.0
    )
    fake = FakeDeftShip(
        read=lambda _: _view("ready", _item("valid", "DL-1")), ship=busy, seconds={"ship": 1.0}
    )
    (result,) = fake.follow(["DL-1"], poll_seconds=0.5, deadline=20.0)
    assert result.status == "pending"
    assert fake.started("ship") == [0.0]
    assert fake.now == 20.0  # waited up to the deadline, never past it, and sent nothing after


def test_removing_invalid_items_stops_at_the_deadline() -> None:
    """Removal counts against the batch's deadline: 3 s removes answered "unknown" stop at it."""
    lost = AmbiguousTimeoutError("no answer", carrier="deftship", operation="removeBatchItems")

    def state(now: float) -> BatchView:
        return _view("invalid", _item("valid", "DL-1", 20), _item("invalid", "DL-2", 21))

    fake = FakeDeftShip(read=state, remove=lost, seconds={"remove": 3.0})
    results = fake.follow(["DL-1", "DL-2"], poll_seconds=0.5, deadline=5.0)
    assert [r.status for r in results] == ["pending", "failed"]
    # removes at 0 s and (after 3 s and a 0.5 s backoff) 3.5 s; the second ends past 5 s: nothing more
    assert fake.started("remove") == [0.0, 3.5]
    assert fake.started("ship") == []


# ---------------------------------------------------------------------------------------- over real HTTP

HOLD_SECONDS = 1.0  # each getBatch attempt is held this long, then its connection dropped
DEADLINE_SECONDS = 2.0  # two held attempts at most: the transport starts none past the deadline


def test_a_get_batch_that_fails_slowly_ends_pending_within_the_deadline() -> None:
    """Every getBatch attempt hangs, then drops: the read's own retries stop at the batch's deadline."""
    hang = FaultRule("timeout_after_commit", 1.0, operation="getBatch", hold_seconds=HOLD_SECONDS)
    with sandbox(CountingPlan(1, (hang,))) as env, instant_backoff():
        shipper = env.direct(poll_seconds=0.25, deadline=DEADLINE_SECONDS)
        try:
            (result,) = shipper.ship_batch([shipment("DL-1")])
        finally:
            shipper.close()
        assert (result.status, result.batch_id is not None) == ("pending", True)
        assert 1 <= env.plan.calls["getBatch"] <= 2 < MAX_ATTEMPTS  # cut at the deadline, no second read
        assert "shipBatch" not in env.plan.calls
        assert env.shipped() == []


def test_the_async_driver_keeps_the_deadline_too() -> None:
    """aship_batch: the same slow, failing getBatch ends pending within the deadline."""
    hang = FaultRule("timeout_after_commit", 1.0, operation="getBatch", hold_seconds=HOLD_SECONDS)
    with sandbox(CountingPlan(1, (hang,))) as env, instant_backoff():
        shipper = env.direct(poll_seconds=0.25, deadline=DEADLINE_SECONDS)

        async def run() -> list[ShipmentResult]:
            try:
                return await shipper.aship_batch([shipment("DL-2")])
            finally:
                await shipper.aclose()

        (result,) = asyncio.run(run())
        assert (result.status, result.batch_id is not None) == ("pending", True)
        assert 1 <= env.plan.calls["getBatch"] <= 2 < MAX_ATTEMPTS


def test_a_batch_still_shipping_at_the_deadline_is_pending_and_resume_finishes_it() -> None:
    """Shipping outlasts a 2 s deadline: pending with batch_id, shipped once, then resumed to completion."""
    with sandbox(CountingPlan(1)) as env:
        env.app.processing_delay = 600.0  # shipping outlasts the deadline however slow the machine
        (waiting,) = env.direct(deadline=DEADLINE_SECONDS).ship_batch([shipment("DL-3")])
        assert (waiting.status, waiting.batch_id is not None) == ("pending", True)
        assert waiting.error is not None
        assert "still processing" in waiting.error.message
        assert env.batches_shipped() == [waiting.batch_id]
        env.app.processing_delay = STEP_SECONDS
        assert waiting.batch_id is not None
        (done,) = env.direct().resume_batch(waiting.batch_id, [shipment("DL-3")])
        assert (done.status, done.batch_id) == ("shipped", waiting.batch_id)
        assert env.plan.calls["shipBatch"] == 1
        assert env.shipped() == ["DL-3"]


def test_polls_read_the_first_page_until_the_batch_is_in_the_wanted_state() -> None:
    """Waiting reads only the first item page; every page is read once, when the batch is ready."""
    first_page = BatchView(id=BATCH, status="validating", items=(), labels=(), complete=False)
    ready_page = BatchView(id=BATCH, status="ready", items=(), labels=(), complete=False)
    whole = _view("ready", _item("valid", "DL-1"))
    answers = iter([first_page, ready_page, whole])
    tuning = _Tuning(rounds=5, poll_seconds=0.1, deadline=60.0, policy=RetryPolicy(jitter=0.0))
    plan = _poll(BATCH, frozenset({"ready"}), tuning, deadline=tuning.start())
    asked: list[bool] = []
    found: object = None
    try:
        step = next(plan)
        while True:
            if isinstance(step, _Read):
                asked.append(step.whole)
            step = plan.send(next(answers) if isinstance(step, _Read) else None)
    except StopIteration as done:
        found = done.value
    assert found is whole
    assert asked == [False, False, True]


def test_a_ready_batch_is_read_through_every_page_only_once_completed() -> None:
    """Validation's ready answer and the waits need the first page only; the completed batch is read whole."""

    def state(now: float) -> BatchView:
        whole = fake.wholes[-1]
        if not fake.started("ship"):
            return BatchView(BATCH, "ready", (_item("valid", "DL-1"),), (), complete=whole)
        if len(fake.wholes) < 4:
            return BatchView(BATCH, "processing", (_item("valid", "DL-1"),), (), complete=whole)
        return BatchView(BATCH, "completed", (_item("completed", "DL-1"),), (), complete=whole)

    fake = FakeDeftShip(read=state)
    (result,) = fake.follow(["DL-1"], poll_seconds=0.5, deadline=60.0)
    assert result.status == "shipped"
    assert fake.wholes == [False, False, False, False, True]
