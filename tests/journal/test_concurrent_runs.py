"""Runs sharing one journal at once: no deadlock between their transactions, and a run whose hold lapsed
never sends a shipment another run took over."""

from __future__ import annotations

import random
import threading
import time

import pytest
from shipspec.journal import Journal, open_journal
from shipspec.journal.owner import Owner
from shipspec.shipping import journaled
from shipspec.shipping.journaled import Work
from shipspec_shipping_models import Shipment, ShipmentResult

from scripts.exactly_once import shipments
from tests.cli.support import FakeShipper

RUNS = 3
SHIPMENTS = 1600
BATCH = 20


def _shipped(batch: list[Shipment]) -> list[ShipmentResult]:
    return [ShipmentResult(reference=s.reference, carrier=s.carrier, status="shipped") for s in batch]


@pytest.mark.parametrize("steps", ["claim, sending", "start"])
def test_runs_claiming_and_settling_in_different_orders_never_deadlock(journal_url: str, steps: str) -> None:
    """Three runs go through the same shipments at once, batch by batch, each batch in its own shuffled
    order, claiming and recording ``sending`` (in two steps, or in one as a run's workers do) and settling:
    no transaction fails (PostgreSQL aborts one with "deadlock detected" when two lock the same rows in
    crossed orders), and every shipment ends shipped."""
    pool = [s for s in shipments(SHIPMENTS * 4) if s.carrier == "baaship"]
    errors: list[BaseException] = []

    def sent(journal: Journal, batch: list[Shipment]) -> list[Shipment]:
        if steps == "start":
            return [c.shipment for c in journal.start(batch) if c.action == "send"]
        mine = [c.shipment for c in journal.claim(batch) if c.action == "send"]
        held = set(journal.sending([s.reference for s in mine]))
        return [s for s in mine if s.reference in held]

    def run(seed: int) -> None:
        rnd = random.Random(seed)  # noqa: S311 - shuffles test data
        try:  # opening too: a run that cannot open the journal is a failure here, not a thread's warning
            with open_journal(journal_url) as journal:
                for start in range(0, len(pool), BATCH):
                    batch = pool[start : start + BATCH]
                    rnd.shuffle(batch)
                    done = _shipped(sent(journal, batch))
                    rnd.shuffle(done)
                    journal.settle(done)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    with open_journal(journal_url) as journal:
        left = [e.reference for e in journal.entries() if e.state not in ("shipped", "intent")]
    assert left == []


def test_a_run_whose_hold_lapsed_does_not_send_what_another_run_took_over(journal_url: str) -> None:
    """A stalled run (its lease lapsed) gets to ``sending`` after another run took its shipment over: the
    journal refuses it the shipment; its worker, trying the batch anew, finds it held, reports it pending,
    does not send it and leaves the new holder's state alone."""
    shipment = next(s for s in shipments(4) if s.carrier == "baaship")
    elsewhere = Owner("another-host", 1, "1", "stalled")
    with open_journal(journal_url) as taker:
        stalled = Journal(taker._backend, owner=elsewhere, lease=0.2, renew=False)
        assert [c.action for c in stalled.claim([shipment])] == ["send"]
        time.sleep(0.5)  # past the stalled run's lease
        assert [c.action for c in taker.claim([shipment])] == ["send"]

        assert stalled.sending([shipment.reference]) == []  # the journal gives the stalled run nothing

        carrier = FakeShipper("baaship")  # nor does the stalled run's worker get it, trying it anew
        done = journaled.run(carrier, Work([shipment]), stalled)
        assert carrier.shipped == []
        assert done.results == []
        assert [result.status for result in done.earlier] == ["pending"]
        entry = taker.get(shipment.reference)
        assert entry is not None
        assert (entry.state, entry.owner) == ("intent", str(taker.owner))

        assert taker.sending([shipment.reference]) == [shipment.reference]
        taker.settle(_shipped([shipment]))
        entry = taker.get(shipment.reference)
        assert entry is not None
        assert entry.state == "shipped"
