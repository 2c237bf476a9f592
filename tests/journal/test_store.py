"""The journal's transitions, on SQLite and on a real PostgreSQL server: what a run decides from an entry."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from shipspec.journal import Journal, open_journal, request_hash
from shipspec.journal.owner import Owner, this_run
from shipspec_shipping_models import Shipment, ShipmentResult


def shipment(reference: str, carrier: str = "baaship", **extra: object) -> Shipment:
    return Shipment.model_validate({"reference": reference, "carrier": carrier, **extra})


def result(reference: str, status: str, **extra: object) -> ShipmentResult:
    return ShipmentResult.model_validate(
        {"reference": reference, "carrier": "baaship", "status": status, **extra}
    )


def actions(journal: Journal, *shipments: Shipment) -> list[str | None]:
    return [claim.action for claim in journal.claim(list(shipments))]


def dead_owner() -> Owner:
    """An owner on this host whose process has ended (a run killed with kill -9)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    me = this_run()
    return Owner(me.host, int(done.stdout), "0", "dead")


def test_a_new_shipment_is_sent_and_its_outcome_is_final(journal: Journal) -> None:
    assert actions(journal, shipment("A")) == ["send"]
    assert journal.get("A").state == "intent"  # type: ignore[union-attr]
    journal.sending(["A"])
    assert journal.get("A").state == "sending"  # type: ignore[union-attr]
    journal.settle([result("A", "shipped", tracking_number="W1")])
    entry = journal.get("A")
    assert entry is not None
    assert (entry.state, entry.tracking_number, entry.owner) == ("shipped", "W1", None)
    [claim] = journal.claim([shipment("A")])
    assert claim.action == "done"
    assert claim.entry is not None
    assert claim.entry.result() == result("A", "shipped", tracking_number="W1")


def test_a_failed_shipment_is_sent_again_with_the_new_request(journal: Journal) -> None:
    journal.claim([shipment("A")])
    journal.sending(["A"])
    journal.settle(
        [result("A", "failed", error={"carrier": "baaship", "kind": "invalid_request", "message": "x"})]
    )
    fixed = shipment("A", remark="fixed")
    assert actions(journal, fixed) == ["send"]
    entry = journal.get("A")
    assert entry is not None
    assert (entry.state, entry.attempts, entry.shipment()) == ("intent", 2, fixed)


@pytest.mark.parametrize("state", ["sending", "created", "pending"])
def test_an_uncertain_shipment_is_reconciled_from_the_request_as_recorded(
    journal_url: str, state: str
) -> None:
    first = open_journal(journal_url)
    first.claim([shipment("A", remark="as sent")])
    first.sending(["A"])
    if state == "created":
        first.learnt(["A"], batch_id="B-9")
    if state == "pending":
        first.settle([result("A", "pending", batch_id="B-9")])
    first.close()
    with open_journal(journal_url) as second:
        [claim] = second.claim([shipment("A", remark="changed since")])
        assert claim.action == "reconcile"
        assert claim.entry is not None
        assert claim.entry.shipment().remark == "as sent"
        assert claim.entry.batch_id == ("B-9" if state != "sending" else None)


def test_a_live_run_holds_its_shipments(journal_url: str) -> None:
    with open_journal(journal_url) as first, open_journal(journal_url) as second:
        first.claim([shipment("A"), shipment("B")])
        first.sending(["A"])
        assert actions(second, shipment("A"), shipment("B"), shipment("C")) == ["busy", "busy", "send"]


def test_a_killed_runs_shipments_are_taken_over_at_once_on_this_host(journal_url: str) -> None:
    with open_journal(journal_url) as opened:
        killed = Journal(
            opened._backend, owner=dead_owner(), renew=False
        )  # same database, the dead run's identity
        killed.claim([shipment("A"), shipment("B")])
        killed.sending(["A"])
        assert actions(opened, shipment("A"), shipment("B")) == ["reconcile", "send"]


def test_a_lapsed_lease_of_another_machine_is_taken_over(journal_url: str) -> None:
    elsewhere = Owner("another-host", 1, "1", "x")
    with open_journal(journal_url) as opened:
        other = Journal(opened._backend, owner=elsewhere, lease=0.2, renew=False)
        other.claim([shipment("A")])
        other.sending(["A"])
        assert actions(opened, shipment("A")) == ["busy"]
        time.sleep(0.5)  # past the 0.2 s lease: that machine stopped renewing
        assert actions(opened, shipment("A")) == ["reconcile"]


def test_the_batch_id_survives_a_pending_outcome_that_does_not_name_it(journal: Journal) -> None:
    journal.claim([shipment("A")])
    journal.sending(["A"])
    journal.learnt(["A"], batch_id="B-1")
    journal.settle([result("A", "pending")])
    entry = journal.get("A")
    assert entry is not None
    assert (entry.state, entry.batch_id) == ("pending", "B-1")


def test_a_final_outcome_is_never_replaced_by_an_uncertain_one(journal: Journal) -> None:
    journal.claim([shipment("A")])
    journal.settle([result("A", "shipped", tracking_number="W1")])
    journal.settle([result("A", "pending")])
    journal.settle([result("A", "failed", error={"carrier": "baaship", "kind": "retry", "message": "late"})])
    assert journal.get("A").state == "shipped"  # type: ignore[union-attr]


def test_a_reference_another_carrier_shipped_is_a_conflict(journal: Journal) -> None:
    journal.claim([shipment("A")])
    journal.settle([result("A", "shipped")])
    [claim] = journal.claim([shipment("A", carrier="deftship")])
    assert claim.action is None
    assert claim.conflict is not None
    assert "went to baaship" in claim.conflict


def test_released_claims_are_free_for_any_run(journal_url: str) -> None:
    with open_journal(journal_url) as first, open_journal(journal_url) as second:
        first.claim([shipment("A")])
        first.release(["A"])
        assert actions(second, shipment("A")) == ["send"]


def test_closing_lets_go_of_the_runs_holds(journal_url: str) -> None:
    first = open_journal(journal_url)
    first.claim([shipment("A")])
    first.sending(["A"])
    first.close()
    with open_journal(journal_url) as second:
        assert actions(second, shipment("A")) == ["reconcile"]


def test_entries_come_in_the_order_first_recorded(journal: Journal) -> None:
    """Batch by batch; a batch's shipments in reference order (the order every run inserts them in)."""
    journal.claim([shipment("C"), shipment("A")])
    journal.start([shipment("D"), shipment("B")])
    journal.settle([result("A", "shipped")])
    assert [e.reference for e in journal.entries()] == ["A", "C", "B", "D"]
    assert [e.reference for e in journal.entries(["shipped"])] == ["A"]


def test_reopening_keeps_everything_and_migrates_once(journal_url: str) -> None:
    with open_journal(journal_url) as first:
        first.claim([shipment("A")])
    with open_journal(journal_url) as second:
        assert [e.reference for e in second.entries()] == ["A"]
        with second._backend.read() as cursor:
            cursor.execute("SELECT version FROM shipspec_journal_version")
            assert cursor.fetchall() == [(1,)]


def test_a_journal_written_by_a_newer_shipspec_is_refused(journal_url: str) -> None:
    with open_journal(journal_url) as opened, opened._backend.transaction() as cursor:
        cursor.execute("INSERT INTO shipspec_journal_version (version) VALUES (99)")
    with pytest.raises(Exception, match="schema version 99 was written by a newer shipspec"):
        open_journal(journal_url)


def test_a_reference_twice_in_one_run_is_refused_the_second_time(journal: Journal) -> None:
    journal.claim([shipment("A")])
    journal.sending(["A"])
    [claim] = journal.claim([shipment("A")])
    assert claim.action is None
    assert claim.conflict is not None
    assert "appears twice in this run" in claim.conflict


def test_handing_off_lets_another_live_run_claim_at_once(journal_url: str) -> None:
    """A fleet's coordinator records intents, hands them off, and a worker (another live run) claims them:
    new ones to send, uncertain ones to reconcile; without the hand-off they would be busy."""
    with open_journal(journal_url) as coordinator, open_journal(journal_url) as worker:
        coordinator.claim([shipment("A"), shipment("B")])
        coordinator.sending(["B"])
        assert actions(worker, shipment("A"), shipment("B")) == ["busy", "busy"]
        coordinator.hand_off(["A", "B"])
        assert actions(worker, shipment("A"), shipment("B")) == ["send", "reconcile"]
        found = worker.find(["A", "B", "C"])
        assert sorted(found) == ["A", "B"]
        assert {entry.owner for entry in found.values()} == {str(worker.owner)}


def test_hand_off_leaves_other_runs_holds_and_final_entries_alone(journal: Journal, journal_url: str) -> None:
    journal.claim([shipment("A"), shipment("B")])
    journal.sending(["B"])
    journal.settle([result("B", "shipped")])
    with open_journal(journal_url) as other:
        other.hand_off(["A", "B"])
    assert journal.get("A").owner == str(journal.owner)  # type: ignore[union-attr]
    assert journal.get("B").state == "shipped"  # type: ignore[union-attr]


def test_a_reference_twice_in_one_claim_is_refused_the_second_time(journal: Journal) -> None:
    assert actions(journal, shipment("A"), shipment("A", remark="again")) == ["send", None]


def test_starting_a_new_shipment_records_it_sending_at_once(journal: Journal) -> None:
    [claim] = journal.start([shipment("A", remark="as sent")])
    assert (claim.action, claim.entry) == ("send", None)
    entry = journal.get("A")
    assert entry is not None
    assert (entry.state, entry.owner, entry.attempts) == ("sending", str(journal.owner), 1)
    assert entry.shipment() == shipment("A", remark="as sent")
    assert entry.request_hash == request_hash(shipment("A", remark="as sent"))


def test_starting_decides_like_a_claim_for_what_the_journal_has(journal: Journal, journal_url: str) -> None:
    """Shipped: reported; failed: sent again, now ``sending``; uncertain: held for reconciling; held by
    another live run: left to it; twice in the batch, or held by this run already: refused."""
    journal.start([shipment("S"), shipment("F"), shipment("U")])
    journal.settle(
        [
            result("S", "shipped"),
            result("F", "failed", error={"carrier": "baaship", "kind": "retry", "message": "x"}),
        ]
    )
    journal.close()
    with open_journal(journal_url) as again, open_journal(journal_url) as other:
        other.start([shipment("H")])
        batch = [shipment(ref) for ref in ("S", "F", "U", "H", "N", "N")]
        assert [c.action for c in again.start(batch)] == ["done", "send", "reconcile", "busy", "send", None]
        assert [c.action for c in again.start([shipment("N")])] == [None]
        states = {ref: again.get(ref) for ref in ("F", "U", "N")}
        assert {ref: (e.state, e.owner) for ref, e in states.items() if e is not None} == {
            "F": ("sending", str(again.owner)),
            "U": ("sending", str(again.owner)),
            "N": ("sending", str(again.owner)),
        }
        assert states["F"] is not None
        assert states["F"].attempts == 2


def test_starting_tells_new_shipments_from_recorded_ones_in_one_batch(journal: Journal) -> None:
    """Only the shipments the batch's insert made new are sent as new, wherever they sort among the
    recorded ones (SQLite counts the rows its insert made instead of reading them back)."""
    journal.start([shipment("M")])
    journal.settle([result("M", "shipped")])
    claims = journal.start([shipment("A"), shipment("M"), shipment("Z")])
    assert [(claim.action, claim.entry is None) for claim in claims] == [
        ("send", True),
        ("done", False),
        ("send", True),
    ]
    assert {ref: journal.get(ref).state for ref in "AMZ"} == {  # type: ignore[union-attr]
        "A": "sending",
        "M": "shipped",
        "Z": "sending",
    }


def test_outcomes_settled_together_follow_the_same_rules_as_one_by_one(
    journal: Journal, journal_url: str
) -> None:
    """One settle of several outcomes (one statement): each row keeps the rules of ``settle``; a final
    outcome is never replaced, a pending one keeps its batch id, a non-final one leaves alone a shipment
    another run holds, a final one is written over it; a reference twice goes in order."""
    journal.start([shipment(ref) for ref in ("D", "K", "P", "T", "W")])
    journal.learnt(["P"], batch_id="B-7")
    journal.settle([result("D", "shipped", tracking_number="D1")])
    journal.close()
    elsewhere = Owner("another-host", 1, "1", "x")
    with open_journal(journal_url) as again:
        taken = Journal(again._backend, owner=elsewhere, renew=False)  # a run that took T and K over
        assert [c.action for c in taken.start([shipment("T"), shipment("K")])] == ["reconcile", "reconcile"]
        again.settle([result("W", "shipped", tracking_number="W1"), result("W", "pending")])
        again.settle(
            [
                result("T", "pending"),
                result("K", "shipped", tracking_number="K1"),
                result("P", "pending"),
                result("D", "failed", error={"carrier": "baaship", "kind": "retry", "message": "late"}),
            ]
        )
        found = again.find(["D", "K", "P", "T", "W"])
        assert {ref: (e.state, e.tracking_number, e.batch_id, e.owner) for ref, e in found.items()} == {
            "D": ("shipped", "D1", None, None),
            "K": ("shipped", "K1", None, None),
            "P": ("pending", None, "B-7", None),
            "T": ("sending", None, None, str(elsewhere)),
            "W": ("shipped", "W1", None, None),
        }


def test_a_batch_too_big_for_one_statement_is_recorded_whole(journal: Journal) -> None:
    """A DeftShip-sized batch (more rows than one statement takes): started, its batch id learnt and its
    outcomes settled, every row."""
    references = [f"D{number:04d}" for number in range(1_200)]
    journal.start([shipment(reference) for reference in references])
    assert journal.learnt(references, batch_id="B-1")
    journal.settle([result(reference, "pending") for reference in references])
    found = journal.find(references)
    assert len(found) == len(references)
    assert {(entry.state, entry.batch_id) for entry in found.values()} == {("pending", "B-1")}
