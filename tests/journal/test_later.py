"""Writes nobody waits for (``journal.later``): queued without blocking, committed together by one thread,
each caller told only after its write's commit (or its failure); ``close`` commits what is queued. Then the
journal's ``settle_soon`` on both backends: recorded by the time its caller is told, by ``close`` at the
latest, and a failed commit tells the caller its error."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest
from shipspec.errors import JournalError
from shipspec.journal import Journal, open_journal
from shipspec.journal.later import Later, Then
from shipspec_shipping_models import Shipment, ShipmentResult

BOUND = 30.0  # seconds any wait here may take on a busy machine
LINGER = 0.01


class Database:
    """Stands in for a backend: records each group it commits; while ``hold`` is clear, a commit waits."""

    def __init__(self) -> None:
        self.groups: list[list[str]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.committing = threading.Event()

    def commit(self, items: Sequence[str]) -> None:
        self.committing.set()
        assert self.hold.wait(BOUND)
        if "bad" in items:
            raise JournalError("journal test: refused")
        self.groups.append(list(items))


class Told:
    """Collects what each caller is told, in the thread that tells it."""

    def __init__(self) -> None:
        self.fates: dict[str, JournalError | None] = {}
        self.recorded_then: dict[str, bool] = {}
        self.all_told = threading.Event()
        self.expected = 0

    def then(self, item: str, database: Database) -> Then:
        def told(error: JournalError | None) -> None:
            self.fates[item] = error
            self.recorded_then[item] = any(item in group for group in database.groups)
            if len(self.fates) == self.expected:
                self.all_told.set()

        return told


def test_queued_writes_share_a_commit_and_each_caller_is_told_after_it() -> None:
    database, told = Database(), Told()
    later: Later[str] = Later(database.commit, "test", LINGER)
    database.hold.clear()
    later.submit("first", told.then("first", database))
    assert database.committing.wait(BOUND)  # the thread is committing "first"; nobody waits for it
    items = [f"item-{n}" for n in range(20)]
    told.expected = 1 + len(items)
    for item in items:  # queued while "first" commits: all go in the next group
        later.submit(item, told.then(item, database))
    assert not told.fates  # submitting returned without any commit having finished
    database.hold.set()
    assert told.all_told.wait(BOUND)
    assert database.groups == [["first"], items]
    assert all(error is None for error in told.fates.values())
    assert all(told.recorded_then.values())  # told only once its write was committed
    later.close()


def test_a_failed_commit_tells_every_caller_of_its_group_and_the_thread_goes_on() -> None:
    database, told = Database(), Told()
    later: Later[str] = Later(database.commit, "test", LINGER)
    database.hold.clear()
    later.submit("first", told.then("first", database))
    assert database.committing.wait(BOUND)
    told.expected = 3
    later.submit("bad", told.then("bad", database))
    later.submit("good", told.then("good", database))
    database.hold.set()
    assert told.all_told.wait(BOUND)
    assert told.fates["first"] is None
    assert isinstance(told.fates["bad"], JournalError)
    assert told.fates["good"] is told.fates["bad"]  # one transaction: rolled back for both
    after = Told()
    after.expected = 1
    later.submit("next", after.then("next", database))
    assert after.all_told.wait(BOUND)
    assert after.fates["next"] is None
    assert database.groups[-1] == ["next"]
    later.close()


def test_close_commits_what_is_queued_and_refuses_later_writes() -> None:
    database, told = Database(), Told()
    later: Later[str] = Later(database.commit, "test", linger=BOUND)  # would wait long: close must not
    told.expected = 2
    later.submit("a", told.then("a", database))
    later.submit("b", told.then("b", database))
    closer = threading.Thread(target=later.close)
    closer.start()
    closer.join(BOUND / 2)
    assert not closer.is_alive()
    assert sorted(item for group in database.groups for item in group) == ["a", "b"]
    assert told.fates == {"a": None, "b": None}
    refused = Told()
    refused.expected = 1
    later.submit("c", refused.then("c", database))
    assert isinstance(refused.fates["c"], JournalError)
    assert "closed" in str(refused.fates["c"])
    assert all("c" not in group for group in database.groups)


class Interrupted(BaseException):
    """Stands for an interruption inside a commit (not an ``Exception``): it ends the writer thread."""


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # it ends the thread
def test_an_interrupted_commit_tells_its_callers_and_the_next_write_gets_a_new_thread() -> None:
    commits: list[list[str]] = []

    def commit(items: Sequence[str]) -> None:
        if "interrupt" in items:
            raise Interrupted
        commits.append(list(items))

    later: Later[str] = Later(commit, "test", LINGER)
    fates: dict[str, JournalError | None] = {}
    told = threading.Event()

    def then_for(item: str) -> Then:
        def then(error: JournalError | None) -> None:
            fates[item] = error
            told.set()

        return then

    later.submit("interrupt", then_for("interrupt"))
    assert told.wait(BOUND)
    assert isinstance(fates["interrupt"], JournalError)
    assert "interrupted" in str(fates["interrupt"])
    told.clear()
    later.submit("after", then_for("after"))  # the thread that was interrupted is gone: a new one runs it
    assert told.wait(BOUND)
    assert fates["after"] is None
    assert commits == [["after"]]
    later.close()


def shipment(reference: str) -> Shipment:
    return Shipment.model_validate({"reference": reference, "carrier": "baaship"})


def _shipped(item: Shipment) -> ShipmentResult:
    return ShipmentResult(
        reference=item.reference,
        carrier=item.carrier,
        status="shipped",
        tracking_number=f"T-{item.reference}",
    )


def test_settle_soon_is_recorded_when_its_caller_is_told(journal: Journal) -> None:
    items = [shipment(f"S{n}") for n in range(12)]
    for item in items:
        journal.start([item])
    states: dict[str, str | None] = {}
    told = threading.Event()

    def then_for(reference: str) -> Then:
        def then(error: JournalError | None) -> None:
            assert error is None
            entry = journal.get(reference)  # read in the journal's thread, right when told
            states[reference] = None if entry is None else entry.state
            if len(states) == len(items):
                told.set()

        return then

    for item in items:
        journal.settle_soon([_shipped(item)], then_for(item.reference))
    assert told.wait(BOUND)
    assert states == {item.reference: "shipped" for item in items}


def test_close_records_outcomes_still_queued(journal_url: str) -> None:
    opened = open_journal(journal_url)
    items = [shipment(f"Q{n}") for n in range(5)]
    opened.start(items)
    opened.settle_soon([_shipped(item) for item in items], lambda error: None)
    opened.close()  # before the linger is over: the queued outcomes are committed first
    with open_journal(journal_url) as again:
        found = again.find([item.reference for item in items])
    assert {ref: entry.state for ref, entry in found.items()} == {item.reference: "shipped" for item in items}
    assert all(entry.owner is None for entry in found.values())


def test_settle_soon_after_close_tells_the_caller_nothing_was_recorded(journal_url: str) -> None:
    opened = open_journal(journal_url)
    item = shipment("Z1")
    opened.start([item])
    opened.close()
    fates: list[JournalError | None] = []
    opened.settle_soon([_shipped(item)], fates.append)
    assert len(fates) == 1
    assert isinstance(fates[0], JournalError)
    with open_journal(journal_url) as again:
        entry = again.get("Z1")
    assert entry is not None
    assert entry.state == "sending"


@pytest.mark.parametrize("count", [1, 600])  # one row; more than one statement's rows (INSERT_ROWS)
def test_outcomes_queued_together_follow_settles_rules(journal: Journal, count: int) -> None:
    items = [shipment(f"R{n:04d}") for n in range(count)]
    journal.start(items)
    done = threading.Event()
    fates: list[JournalError | None] = []

    def then(error: JournalError | None) -> None:
        fates.append(error)
        if len(fates) == count:
            done.set()

    for item in items:
        journal.settle_soon([_shipped(item)], then)
    assert done.wait(BOUND)
    assert fates == [None] * count
    found = journal.find([item.reference for item in items])
    assert all(found[item.reference].tracking_number == f"T-{item.reference}" for item in items)
