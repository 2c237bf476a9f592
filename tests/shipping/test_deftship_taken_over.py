"""A DeftShip run whose hold lapsed while its createBatch was in flight: another run took the shipments
over (and will make its own batch for them), so the batch this run created is never shipped."""

from __future__ import annotations

import time
from pathlib import Path

from shipspec.journal import Journal, open_journal, recording
from shipspec.journal.sqlite import SqliteBackend

from .support_deftship import sandbox, shipment

LEASE = 0.2


def test_a_batch_created_after_another_run_took_its_shipments_over_is_not_shipped(tmp_path: Path) -> None:
    """Run A claims and marks three shipments sending, then stalls past its lease; run B claims them to
    reconcile. A's create answers: the journal refuses its batch id, A ships nothing and reports pending;
    B ships them in its own batch, each once."""
    where = tmp_path / "journal.db"
    shipments = [shipment(f"TO-{n}") for n in range(3)]
    references = [s.reference for s in shipments]
    with sandbox() as env:
        shipper = env.shipper()
        stalled = Journal(SqliteBackend(where), lease=LEASE, renew=False)  # a run that stopped renewing
        try:
            assert [claim.action for claim in stalled.claim(shipments)] == ["send"] * 3
            assert stalled.sending(references) == references
            time.sleep(LEASE * 2)
            with open_journal(where) as other:
                assert [claim.action for claim in other.claim(shipments)] == ["reconcile"] * 3

                with recording(stalled):
                    late = shipper.ship_batch(shipments)
                assert [r.status for r in late] == ["pending"] * 3
                assert "took these shipments over" in str(late[0].error)
                assert env.batches_shipped() == []
                assert {e.batch_id for e in other.find(references).values()} == {None}

                with recording(other):
                    taken = shipper.reconcile_batch(shipments, None)
        finally:
            stalled.close()
            shipper.close()
        assert [r.status for r in taken] == ["shipped"] * 3
        assert sorted(env.shipped()) == references
        assert len(env.batches_shipped()) == 1
