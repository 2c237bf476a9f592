"""The journal: every shipment's state, written before each side effect and right after each answer.

One ``Journal`` per run (it is one owner, see ``owner``); its methods are the state machine's transitions
(``states``), each one short transaction, safe to call from many threads. The runner calls ``claim`` before a
shipment joins a batch, ``sending`` before the batch goes out and ``settle`` with its results; a shipper calls
``learnt`` (through ``hooks``) as soon as the carrier names something it created. While a journal is open, a
background thread renews its leases. Every transaction locks the rows it changes in reference order, so runs
sharing a PostgreSQL journal never deadlock one another (a claim's new rows are ordered by the backend's
``key_lock``, taken in key order first, so that ``entries`` can keep the input's order).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType

from shipspec_shipping_models import Shipment, ShipmentResult

from ..errors import JournalError
from . import failpoints
from .backend import Backend, chunks
from .entries import COLUMNS, Claim, Entry, conflict, request_hash
from .owner import LEASE_SECONDS, Owner, this_run
from .schema import migrate
from .states import FINAL, STATES, State, decide

__all__ = ["Journal"]

logger = logging.getLogger("shipspec")
TABLE = "shipspec_journal"


class Journal:
    """A shipment journal on ``backend`` (see ``shipspec.journal.open_journal``)."""

    def __init__(
        self,
        backend: Backend,
        *,
        lease: float = LEASE_SECONDS,
        owner: Owner | None = None,
        renew: bool = True,
    ) -> None:
        """``renew=False``: no background renewal (the holds of such a journal lapse after ``lease``)."""
        self._backend = backend
        self._lease = lease
        self.owner = owner or this_run()
        migrate(backend)
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew_loop, name="journal-lease", daemon=True)
        if renew:
            self._renewer.start()

    @property
    def where(self) -> str:
        """Where the journal is (a path or a URL without its password)."""
        return self._backend.describe()

    def __repr__(self) -> str:
        return f"Journal({self._backend.name}: {self.where})"

    # ------------------------------------------------------------------ transitions

    def claim(self, shipments: Sequence[Shipment]) -> list[Claim]:
        """Record the intent of each shipment and decide what this run does with it (one transaction).

        New shipments and those an earlier run did not ship (``intent``, ``failed``) are held by this run
        with the request as given now; entries left uncertain are held for reconciling with the request as
        recorded; final ones are reported; those a live run holds are left to it.
        """
        now = time.time()
        rows = [
            (
                s.reference,
                s.carrier,
                "intent",
                request_hash(s),
                s.model_dump_json(exclude_none=True),
                now,
                now,
            )
            for s in shipments
        ]
        claims: list[Claim] = []
        with self._backend.transaction() as cursor:
            if self._backend.key_lock is not None:  # two runs inserting the same references wait in one order
                keys = sorted({_lock_key(s.reference) for s in shipments})
                cursor.executemany(self._sql(self._backend.key_lock), [(key,) for key in keys])
            cursor.executemany(  # in input order: ``entries`` keeps the order shipments were first recorded
                self._sql(
                    f"INSERT INTO {TABLE} (reference, carrier, state, request_hash, shipment, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reference) DO NOTHING"
                ),
                rows,
            )
            found = self._select(cursor, [s.reference for s in shipments], lock=True)
            fresh: list[tuple[object, ...]] = []
            held: list[tuple[object, ...]] = []
            for shipment, (hashed, text) in zip(shipments, ((r[3], r[4]) for r in rows), strict=True):
                entry = found[shipment.reference]
                new = entry.attempts == 0 and entry.state == "intent" and entry.owner is None
                problem = conflict(shipment, entry, mine=entry.owner == str(self.owner))
                if problem is not None:
                    claims.append(Claim(shipment, None, entry, problem))
                    continue
                claim = Claim(shipment, decide(entry.state, self._held_by_other(entry, now)), entry)
                if claim.action == "send":
                    fresh.append(
                        (
                            shipment.carrier,
                            hashed,
                            text,
                            str(self.owner),
                            now + self._lease,
                            now,
                            shipment.reference,
                        )
                    )
                elif claim.action == "reconcile":
                    held.append((str(self.owner), now + self._lease, now, shipment.reference))
                claims.append(Claim(shipment, claim.action, None if new else entry))
            cursor.executemany(
                self._sql(
                    f"UPDATE {TABLE} SET state = 'intent', carrier = ?, request_hash = ?, shipment = ?, "
                    "result = NULL, owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                    "WHERE reference = ?"
                ),
                sorted(fresh, key=_last),
            )
            cursor.executemany(
                self._sql(
                    f"UPDATE {TABLE} SET owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                    "WHERE reference = ?"
                ),
                sorted(held, key=_last),
            )
            if not held and self._backend.relaxed_commit is not None:
                # Nothing is sent on a claim alone: ``sending`` comes first, and its durable commit makes
                # this one durable too (commits are replayed in order). Only a claim that holds shipments
                # for reconciling (which may act at the carrier at once) waits for the disk itself.
                cursor.execute(self._backend.relaxed_commit)
        failpoints.reached("journal.claimed")
        return claims

    def sending(self, references: Sequence[str]) -> list[str]:
        """A side-effecting call for these shipments is about to go out (from now on they may exist).

        Returns the references this run still holds, now ``sending``: only those may be sent. One missing
        was taken over by another run meanwhile (this run's lease lapsed: it stalled, or could not renew),
        and that run is the one to send it.
        """
        failpoints.reached("journal.sending.before")
        now = time.time()
        owner = str(self.owner)
        wanted = sorted(set(references))
        held: list[str] = []
        with self._backend.transaction() as cursor:
            cursor.executemany(
                self._sql(
                    f"UPDATE {TABLE} SET state = 'sending', owner = ?, lease_until = ?, updated_at = ? "
                    "WHERE reference = ? AND state = 'intent' AND (owner IS NULL OR owner = ?)"
                ),
                [(owner, now + self._lease, now, reference, owner) for reference in wanted],
            )
            for part in chunks(wanted):
                marks = ", ".join("?" for _ in part)
                cursor.execute(
                    self._sql(
                        f"SELECT reference FROM {TABLE} WHERE reference IN ({marks}) "
                        "AND state = 'sending' AND owner = ?"
                    ),
                    [*part, owner],
                )
                held.extend(str(row[0]) for row in cursor.fetchall())
        failpoints.reached("journal.sending")
        return [reference for reference in references if reference in set(held)]

    def learnt(
        self,
        references: Sequence[str],
        *,
        batch_id: str | None = None,
        carrier_shipment_id: str | None = None,
    ) -> None:
        """The carrier named what it created for these shipments (a batch id, its own shipment id)."""
        failpoints.reached("journal.learnt.before")
        self._update(
            references,
            "state = 'created', batch_id = COALESCE(?, batch_id), "
            "carrier_shipment_id = COALESCE(?, carrier_shipment_id), updated_at = ?",
            (batch_id, carrier_shipment_id, time.time()),
            only_states=("intent", "sending", "created", "pending"),
        )
        failpoints.reached("journal.learnt")

    def settle(self, results: Iterable[ShipmentResult]) -> None:
        """Record outcomes (one transaction). A final outcome is never replaced by a non-final one, and a
        pending one keeps the batch id learnt earlier. A non-final outcome is not written over a shipment
        another run holds now (it took it over: its own outcome will tell); a final one always is (it is
        the carrier's word, and it ends that run's need to send)."""
        failpoints.reached("journal.settle.before")
        now = time.time()
        owner = str(self.owner)
        rows = [
            (
                r.status,
                r.batch_id,
                r.carrier_shipment_id,
                r.tracking_number,
                r.model_dump_json(exclude_none=True),
                now,
                r.reference,
                r.status,
                r.status,
                owner,
            )
            for r in sorted(results, key=lambda r: r.reference)
        ]
        if not rows:
            return
        final = ", ".join(f"'{state}'" for state in sorted(FINAL))
        with self._backend.transaction() as cursor:
            cursor.executemany(
                self._sql(
                    f"UPDATE {TABLE} SET state = ?, batch_id = COALESCE(?, batch_id), "
                    "carrier_shipment_id = COALESCE(?, carrier_shipment_id), tracking_number = ?, "
                    f"result = ?, owner = NULL, lease_until = NULL, updated_at = ? WHERE reference = ? "
                    f"AND NOT (state IN ({final}) AND ? NOT IN ({final})) "
                    f"AND (? IN ({final}) OR owner IS NULL OR owner = ?)"
                ),
                rows,
            )
        failpoints.reached("journal.settled")

    def release(self, references: Sequence[str]) -> None:
        """Give back shipments this run claimed but never sent (they stay ``intent``, free for any run)."""
        self._update(references, "owner = NULL, lease_until = NULL", (), only_states=("intent",))

    def hand_off(self, references: Sequence[str]) -> None:
        """Let go of this run's holds on these shipments whatever their state, for another run to claim
        them at once (a fleet's coordinator records the intents, then workers claim and ship them)."""
        self._update(
            references,
            "owner = NULL, lease_until = NULL",
            (),
            only_states=sorted(STATES - FINAL),
        )

    # ------------------------------------------------------------------ reading

    def get(self, reference: str) -> Entry | None:
        with self._backend.read() as cursor:
            return self._select(cursor, [reference], lock=False).get(reference)

    def find(self, references: Sequence[str]) -> dict[str, Entry]:
        """The entries of these references (those the journal has), by reference."""
        with self._backend.read() as cursor:
            return self._select(cursor, references, lock=False)

    def entries(self, states: Iterable[State] | None = None) -> Iterator[Entry]:
        """Every entry (or those in ``states``) in the order they were first recorded."""
        wanted = sorted(set(states) if states is not None else STATES)
        marks = ", ".join("?" for _ in wanted)
        with self._backend.read() as cursor:
            cursor.execute(
                self._sql(f"SELECT {COLUMNS} FROM {TABLE} WHERE state IN ({marks}) ORDER BY seq"), wanted
            )
            rows = cursor.fetchall()
        yield from (Entry.from_row(row) for row in rows)

    # ------------------------------------------------------------------ leases

    def renew(self) -> None:
        """Extend this run's holds (the background thread calls it every third of the lease)."""
        with self._backend.transaction() as cursor:
            cursor.execute(
                self._sql(f"UPDATE {TABLE} SET lease_until = ? WHERE reference IN ({self._owned_rows()})"),
                (time.time() + self._lease, str(self.owner)),
            )

    def _renew_loop(self) -> None:
        while not self._stop.wait(self._lease / 3):
            try:
                self.renew()
            except Exception as error:  # a journal that fails will fail the run's next write loudly
                logger.warning("journal %s: lease renewal failed: %s", self.where, type(error).__name__)

    def _held_by_other(self, entry: Entry, now: float) -> bool:
        if entry.owner is None or entry.owner == str(self.owner):
            return False
        owner = Owner.parse(entry.owner)
        if owner is not None and owner.gone():
            return False
        return entry.lease_until is not None and entry.lease_until > now

    # ------------------------------------------------------------------ closing

    def close(self) -> None:
        """Stop renewing, let go of this run's holds (its work is over: what it left uncertain is any later
        run's to reconcile) and close the database."""
        self._stop.set()
        if self._renewer.is_alive() and self._renewer is not threading.current_thread():
            self._renewer.join(timeout=5)
        try:
            with self._backend.transaction() as cursor:
                cursor.execute(
                    self._sql(
                        f"UPDATE {TABLE} SET owner = NULL, lease_until = NULL "
                        f"WHERE reference IN ({self._owned_rows()})"
                    ),
                    (str(self.owner),),
                )
        except JournalError as error:  # the holds then lapse with their lease
            logger.warning("%s; this run's holds lapse with their lease", error)
        finally:
            self._backend.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ SQL helpers

    def _sql(self, text: str) -> str:
        return self._backend.sql(text)

    def _owned_rows(self) -> str:
        """The references this run holds, locked in reference order like every other transaction."""
        return f"SELECT reference FROM {TABLE} WHERE owner = ? ORDER BY reference{self._backend.lock_rows}"

    def _select(self, cursor: object, references: Sequence[str], *, lock: bool) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        for part in chunks(sorted(set(references))):
            marks = ", ".join("?" for _ in part)
            suffix = self._backend.lock_rows if lock else ""
            query = self._sql(
                f"SELECT {COLUMNS} FROM {TABLE} WHERE reference IN ({marks}) ORDER BY reference{suffix}"
            )
            cursor.execute(query, list(part))  # type: ignore[attr-defined]
            for row in cursor.fetchall():  # type: ignore[attr-defined]
                entry = Entry.from_row(row)
                found[entry.reference] = entry
        return found

    def _update(
        self,
        references: Sequence[str],
        assignments: str,
        values: tuple[object, ...],
        *,
        only_states: Sequence[str],
    ) -> None:
        if not references:
            return
        allowed = ", ".join(f"'{state}'" for state in only_states)
        query = self._sql(
            f"UPDATE {TABLE} SET {assignments} WHERE reference = ? AND state IN ({allowed}) "
            "AND (owner IS NULL OR owner = ?)"
        )
        with self._backend.transaction() as cursor:
            cursor.executemany(query, [(*values, ref, str(self.owner)) for ref in sorted(set(references))])


def _lock_key(reference: str) -> int:
    """A reference's 64-bit lock key (the same on every machine)."""
    return int.from_bytes(hashlib.sha256(reference.encode()).digest()[:8], "big", signed=True)


def _last(row: Sequence[object]) -> str:
    return str(row[-1])
