"""The journal: every shipment's state, written before each side effect and right after each answer.

One ``Journal`` per run (it is one owner, see ``owner``); its methods are the state machine's transitions
(``states``), each one short transaction, safe to call from many threads. The runner calls ``claim`` before a
shipment joins a batch, ``sending`` before the batch goes out and ``settle`` with its results; a shipper calls
``learnt`` (through ``hooks``) as soon as the carrier names something it created. While a journal is open, a
background thread renews its leases.
"""

from __future__ import annotations

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
            cursor.executemany(
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
                fresh,
            )
            cursor.executemany(
                self._sql(
                    f"UPDATE {TABLE} SET owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                    "WHERE reference = ?"
                ),
                held,
            )
        failpoints.reached("journal.claimed")
        return claims

    def sending(self, references: Sequence[str]) -> None:
        """A side-effecting call for these shipments is about to go out (from now on they may exist)."""
        failpoints.reached("journal.sending.before")
        self._update(references, "state = 'sending', updated_at = ?", (time.time(),), only_states=("intent",))
        failpoints.reached("journal.sending")

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
        pending one keeps the batch id learnt earlier."""
        failpoints.reached("journal.settle.before")
        now = time.time()
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
            )
            for r in results
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
                    f"AND NOT (state IN ({final}) AND ? NOT IN ({final}))"
                ),
                rows,
            )
        failpoints.reached("journal.settled")

    def release(self, references: Sequence[str]) -> None:
        """Give back shipments this run claimed but never sent (they stay ``intent``, free for any run)."""
        self._update(references, "owner = NULL, lease_until = NULL", (), only_states=("intent",))

    # ------------------------------------------------------------------ reading

    def get(self, reference: str) -> Entry | None:
        with self._backend.read() as cursor:
            return self._select(cursor, [reference], lock=False).get(reference)

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
                self._sql(f"UPDATE {TABLE} SET lease_until = ? WHERE owner = ?"),
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
                    self._sql(f"UPDATE {TABLE} SET owner = NULL, lease_until = NULL WHERE owner = ?"),
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

    def _select(self, cursor: object, references: Sequence[str], *, lock: bool) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        for part in chunks(list(dict.fromkeys(references))):
            marks = ", ".join("?" for _ in part)
            suffix = self._backend.lock_rows if lock else ""
            query = self._sql(f"SELECT {COLUMNS} FROM {TABLE} WHERE reference IN ({marks}){suffix}")
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
            cursor.executemany(query, [(*values, ref, str(self.owner)) for ref in references])
