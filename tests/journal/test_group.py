"""Group commit: writes asked for while a transaction runs share the next one; each caller gets its own
result only once its write is committed, and a failed group fails each of its writes."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from shipspec.errors import JournalError
from shipspec.journal.group import GroupCommit

WRITERS = 6
BOUND = 30.0  # seconds any wait here may take on a busy machine


class Interrupted(BaseException):
    """Stands for Ctrl-C landing in the thread that runs a group (not an ``Exception``)."""


class Transactions:
    """A stand-in for the database: records each group it commits; the first one waits for ``release``;
    a group holding ``fail_with``'s item raises that error."""

    def __init__(self, fail_with: tuple[str, BaseException] | None = None) -> None:
        self.groups: list[list[str]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail_with = fail_with

    def commit(self, items: Sequence[str]) -> list[str]:
        if not self.groups:
            self.groups.append(list(items))
            self.first_started.set()
            assert self.release.wait(BOUND)
        else:
            self.groups.append(list(items))
        if self.fail_with is not None and self.fail_with[0] in items:
            raise self.fail_with[1]
        return [item.upper() for item in items]


class Writers:
    """Threads that each write one item and keep what came back (a result or the exception)."""

    def __init__(self, group: GroupCommit[str, str]) -> None:
        self.group = group
        self.outcomes: dict[str, str | BaseException] = {}
        self.threads: list[threading.Thread] = []

    def start(self, item: str) -> None:
        thread = threading.Thread(target=self._write, args=(item,))
        self.threads.append(thread)
        thread.start()

    def _write(self, item: str) -> None:
        try:
            self.outcomes[item] = self.group.write(item)
        except BaseException as error:  # the outcome under test
            self.outcomes[item] = error

    def join(self) -> None:
        for thread in self.threads:
            thread.join(BOUND)
        assert not any(thread.is_alive() for thread in self.threads), "a writer never returned"


def _queued_behind_a_running_commit(database: Transactions) -> Writers:
    """One write running (held in its commit) and ``WRITERS`` more queued behind it."""
    writers = Writers(GroupCommit(database.commit, "test"))
    writers.start("first")
    assert database.first_started.wait(BOUND)
    for number in range(WRITERS):
        writers.start(f"w{number}")
    deadline = time.monotonic() + BOUND
    while len(writers.group._queue) < WRITERS and time.monotonic() < deadline:
        time.sleep(0.01)
    return writers


def test_writes_asked_for_during_a_commit_share_the_next_one() -> None:
    database = Transactions()
    writers = _queued_behind_a_running_commit(database)
    database.release.set()
    writers.join()
    others = [f"w{number}" for number in range(WRITERS)]
    assert [sorted(group) for group in database.groups] == [["first"], others]
    assert writers.outcomes == {item: item.upper() for item in ["first", *others]}


def test_a_write_alone_commits_at_once() -> None:
    database = Transactions()
    database.release.set()
    group: GroupCommit[str, str] = GroupCommit(database.commit, "test")
    assert group.write("a") == "A"
    assert group.write("b") == "B"
    assert database.groups == [["a"], ["b"]]


def test_a_failed_group_fails_each_of_its_writes_and_the_next_write_runs() -> None:
    failure = JournalError("journal test: disk full")
    database = Transactions(fail_with=("w1", failure))
    writers = _queued_behind_a_running_commit(database)
    database.release.set()
    writers.join()
    assert writers.outcomes["first"] == "FIRST"
    assert all(writers.outcomes[f"w{number}"] is failure for number in range(WRITERS))
    assert writers.group.write("after") == "AFTER"


def test_an_interrupted_group_fails_the_others_with_a_journal_error() -> None:
    """The thread running the group gets the interrupt itself; the others, a JournalError saying their
    writes were not recorded; the next write runs."""
    database = Transactions(fail_with=("w0", Interrupted()))
    writers = _queued_behind_a_running_commit(database)
    database.release.set()
    writers.join()
    outcomes = [writers.outcomes[f"w{number}"] for number in range(WRITERS)]
    assert sum(isinstance(outcome, Interrupted) for outcome in outcomes) == 1
    errors = [outcome for outcome in outcomes if isinstance(outcome, JournalError)]
    assert len(errors) == WRITERS - 1
    assert all("interrupted (Interrupted); not recorded" in str(error) for error in errors)
    assert writers.group.write("after") == "AFTER"
