"""Starting queued batches ahead (``shipping.ahead``): one commit records ``sending`` for a carrier's next few
batches, a batch whose start another commit made is sent without one of its own, and what was started
ahead but never sent (the run stopped) goes back to ``intent``. On both backends."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from shipspec.errors import JournalError
from shipspec.journal import Claim, Journal, open_journal
from shipspec.shipping.ahead import Ahead, Starts
from shipspec.shipping.journaled import Work
from shipspec.shipping.runner import aship, ship
from shipspec_shipping_models import Shipment, ShipmentResult


def shipment(reference: str) -> Shipment:
    return Shipment.model_validate({"reference": reference, "carrier": "baaship"})


def queue(starts: Starts, *references: str) -> list[Ahead]:
    """One one-shipment batch per reference, queued in this order (as the runner hands them to workers)."""
    return [starts.queued(Work([shipment(reference)])) for reference in references]


def counting(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The references of each ``start`` commit the journal makes from now on (it still makes them)."""
    calls: list[list[str]] = []
    real = journal.start

    def start(shipments: Sequence[Shipment]) -> list[Claim]:
        calls.append([s.reference for s in shipments])
        return real(shipments)

    monkeypatch.setattr(journal, "start", start)
    return calls


def states(journal: Journal, *references: str) -> dict[str, str]:
    return {reference: entry.state for reference, entry in journal.find(list(references)).items()}


def test_a_batch_starts_the_batches_queued_behind_it_in_one_commit(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = Starts(journal, shipments=3)
    batches = queue(starts, "A-0", "A-1", "A-2", "A-3", "A-4")
    commits = counting(journal, monkeypatch)

    first = starts.claims(batches[0])

    assert commits == [["A-0", "A-1", "A-2"]]  # up to the limit, in queue order
    assert states(journal, "A-0", "A-1", "A-2", "A-3") == dict.fromkeys(["A-0", "A-1", "A-2"], "sending")
    assert [(c.shipment.reference, c.action) for c in first] == [("A-0", "send")]
    second = starts.claims(batches[1])  # made already: no commit of its own
    assert commits == [["A-0", "A-1", "A-2"]]
    assert [(c.shipment.reference, c.action) for c in second] == [("A-1", "send")]
    starts.claims(batches[3])  # not started yet: it starts itself and what is left behind it
    assert commits == [["A-0", "A-1", "A-2"], ["A-3", "A-4"]]
    assert [c.action for c in starts.claims(batches[2]) + starts.claims(batches[4])] == ["send", "send"]


def test_a_batch_larger_than_the_limit_starts_alone(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = Starts(journal, shipments=3)
    big = starts.queued(Work([shipment(f"B-{n}") for n in range(5)]))
    small = queue(starts, "S-0")
    commits = counting(journal, monkeypatch)

    assert [c.action for c in starts.claims(big)] == ["send"] * 5
    starts.claims(small[0])
    assert commits == [[f"B-{n}" for n in range(5)], ["S-0"]]


def test_a_worker_whose_batch_is_being_started_waits_for_that_commit(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = Starts(journal)
    batches = queue(starts, "W-0", "W-1")
    entered, release = threading.Event(), threading.Event()
    real = journal.start
    commits: list[int] = []

    def held_start(shipments: Sequence[Shipment]) -> list[Claim]:
        commits.append(len(shipments))
        entered.set()
        assert release.wait(10)
        return real(shipments)

    monkeypatch.setattr(journal, "start", held_start)
    lead = threading.Thread(target=starts.claims, args=(batches[0],))
    lead.start()
    assert entered.wait(10)
    got: list[list[Claim]] = []
    follower = threading.Thread(target=lambda: got.append(starts.claims(batches[1])))
    follower.start()
    follower.join(0.3)
    assert follower.is_alive()  # not before the commit that records it
    assert not got
    release.set()
    follower.join(10)
    lead.join(10)
    assert [c.action for c in got[0]] == ["send"]
    assert commits == [2]


def test_a_failed_start_fails_every_batch_of_its_group(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = Starts(journal)
    batches = queue(starts, "F-0", "F-1")

    def failing(shipments: Sequence[Shipment]) -> list[Claim]:
        raise JournalError("journal: disk full")

    monkeypatch.setattr(journal, "start", failing)
    with pytest.raises(JournalError) as lead:
        starts.claims(batches[0])
    with pytest.raises(JournalError) as follower:  # no commit of its own: it was in the failed one
        starts.claims(batches[1])
    assert follower.value is lead.value
    assert journal.find(["F-0", "F-1"]) == {}


def test_a_defect_in_a_start_fails_its_group_as_a_journal_error(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = Starts(journal)
    batches = queue(starts, "G-0", "G-1")
    monkeypatch.setattr(journal, "start", lambda shipments: [])  # a claim missing for each

    for batch in batches:
        with pytest.raises(JournalError, match="StopIteration"):
            starts.claims(batch)


def test_batches_started_ahead_and_never_taken_go_back_to_intent(journal: Journal) -> None:
    starts = Starts(journal)
    batches = queue(starts, "C-0", "C-1", "C-2", "C-3")
    starts.claims(batches[0])
    starts.claims(batches[1])  # a worker took C-1: it may be sent

    assert starts.give_back() == 2  # the run stopped before a worker took C-2 and C-3

    entries = journal.find(["C-0", "C-1", "C-2", "C-3"])
    assert {ref: entry.state for ref, entry in entries.items()} == {
        "C-0": "sending",
        "C-1": "sending",
        "C-2": "intent",
        "C-3": "intent",
    }
    for reference in ("C-2", "C-3"):  # as if never started: free for any run, no attempt counted
        assert (entries[reference].owner, entries[reference].lease_until) == (None, None)
        assert entries[reference].attempts == 0
    with pytest.raises(JournalError, match="run stopped"):  # a worker coming late sends nothing
        starts.claims(batches[2])
    again = journal.start([shipment("C-2")])
    assert [(c.action, c.entry) for c in again] == [("send", None)]


def test_a_reference_given_twice_is_refused_and_never_given_back(journal: Journal) -> None:
    starts = Starts(journal)
    batches = queue(starts, "D-0", "D-0")
    assert [c.action for c in starts.claims(batches[0])] == ["send"]

    assert starts.give_back() == 0  # the second one was refused: D-0 is the first one's, sending
    assert states(journal, "D-0") == {"D-0": "sending"}


class QuickShipper:
    """Baaship-like: one shipment per call, each call ``seconds`` long; records what it sent."""

    carrier = "baaship"
    batch_size = 1
    concurrency = 2

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def ship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        time.sleep(self.seconds)
        with self._lock:
            self.sent += [s.reference for s in shipments]
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]

    async def aship_batch(self, shipments: Sequence[Shipment]) -> list[ShipmentResult]:
        await asyncio.sleep(self.seconds)
        with self._lock:
            self.sent += [s.reference for s in shipments]
        return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in shipments]


def _first_then_stop(references: list[str], shipper: QuickShipper, journal: Journal, driver: str) -> str:
    """Start a run, read its first result, then leave: the run stops (queued batches are dropped)."""
    unclaimed: list[ShipmentResult] = []
    shipments = [shipment(r) for r in references]
    kwargs: dict[str, Any] = {
        "shippers": {"baaship": shipper},
        "journal": journal,
        "on_unclaimed": unclaimed.append,
    }
    if driver == "sync":
        run = ship(iter(shipments), **kwargs)
        first = next(run)
        run.close()
        return first.reference

    async def leave_early() -> str:
        arun = aship(iter(shipments), **kwargs)
        first = await arun.__anext__()
        await arun.aclose()
        return first.reference

    return asyncio.run(leave_early())


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_a_run_stopped_early_leaves_sending_only_what_it_sent(journal_url: str, driver: str) -> None:
    shipper = QuickShipper(seconds=0.05)
    references = [f"Q-{n}" for n in range(40)]
    with open_journal(journal_url) as journal:
        first = _first_then_stop(references, shipper, journal, driver)

        entries = journal.find(references)
        by_state = Counter(entry.state for entry in entries.values())
        shipped = {ref for ref, entry in entries.items() if entry.state == "shipped"}
        assert shipped == set(shipper.sent)
        assert first in shipped
        assert by_state["intent"] > 0  # some were started ahead, then given back
        assert set(by_state) == {"shipped", "intent"}  # nothing unsent is left sending
        for entry in entries.values():
            if entry.state == "intent":
                assert (entry.owner, entry.attempts) == (None, 0)

        again = list(ship((shipment(r) for r in references), shippers={"baaship": shipper}, journal=journal))

    assert Counter(shipper.sent) == Counter(references)  # the re-run sent the rest, each exactly once
    assert {r.status for r in again} == {"shipped"}
