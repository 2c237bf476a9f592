"""The journal: every shipment's state, written before each side effect and right after each answer.

One ``Journal`` per run (it is one owner, see ``owner``); its methods are the state machine's transitions
(``states``), each one short transaction, safe to call from many threads. The runner's worker calls ``start``
right before it sends a batch (claim and ``sending`` in one durable commit: a new shipment goes from nothing
to ``sending`` in one statement) and ``settle`` with its results; a shipper calls ``learnt`` (through
``hooks``) as soon as the carrier names something it created. ``claim`` and ``sending`` are the two halves
of ``start`` (a fleet's coordinator records intents with ``claim``). While a journal is open, a background
thread renews its leases. Every transaction inserts and locks the rows it changes in reference order, so runs
sharing a PostgreSQL journal never deadlock one another (``entries`` therefore lists a batch's shipments in
reference order).

Cost: a shipment the journal has never seen costs two commits, ``start`` and ``settle``, each one statement
when the batch holds one shipment (the per-item carriers), done in the worker threads so the runner's
reading thread never waits for the journal; a run's workers record outcomes with ``settle_soon``, which
one background thread commits many at a time (``later``). ``python -m bench journal`` measures it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Final, NamedTuple

from shipspec_shipping_models import Shipment, ShipmentResult

from ..errors import JournalError
from . import failpoints
from .backend import Backend, Cursor, chunks
from .entries import COLUMNS, Claim, Entry, conflict, text_hash
from .group import GroupCommit
from .later import Later, Then
from .owner import LEASE_SECONDS, Owner, this_run
from .schema import migrate
from .states import FINAL, STATES, State, decide

__all__ = ["Journal"]

logger = logging.getLogger("shipspec")
TABLE = "shipspec_journal"
INSERT_ROWS: Final = 500
"""Rows per multi-row INSERT or UPDATE (8 parameters each at most: well within SQLite's 32,766 and
PostgreSQL's 65,535)."""
SETTLE_LINGER_SECONDS: Final = 0.004
"""How long outcomes queued with ``settle_soon`` gather before one commit records them all: a few
milliseconds on the caller's results; on SQLite it cuts the per-item carriers' settle commits several-fold."""
_FINAL: Final = ", ".join(f"'{state}'" for state in sorted(FINAL))
_SETTLE_ROW: Final = (
    f"UPDATE {TABLE} SET state = ?, batch_id = COALESCE(?, batch_id), "
    "carrier_shipment_id = COALESCE(?, carrier_shipment_id), tracking_number = ?, "
    "result = ?, owner = NULL, lease_until = NULL, updated_at = ? WHERE reference = ? "
    f"AND NOT (state IN ({_FINAL}) AND ? NOT IN ({_FINAL})) "
    f"AND (? IN ({_FINAL}) OR owner IS NULL OR owner = ?)"
)
"""One reference's outcome (see ``settle``): its row's values, its status twice more, then this run."""


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
        self._owner = str(self.owner)  # as stored in the journal's ``owner`` column
        self._inserts = GroupCommit(self._insert_sending, backend.describe())
        self._settles = GroupCommit(self._write_settles, backend.describe())
        self._later: Later[Sequence[_Row]] = Later(
            self._write_settles, backend.describe(), SETTLE_LINGER_SECONDS
        )
        migrate(backend)
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew_loop, name="journal-lease", daemon=True)
        if renew:
            self._renewer.start()

    @property
    def remote(self) -> bool:
        """Whether its commits wait for a server (PostgreSQL): async code runs them off its event loop."""
        return self._backend.remote

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
        recorded; final ones are reported; those a live run holds are left to it. (A run's workers call
        ``start`` instead, which also records ``sending``; a fleet's coordinator records intents here.)
        """
        now = time.time()
        requests = _requests(shipments)
        rows = sorted(  # in reference order, like ``start``
            (r.reference, r.carrier, r.hashed, r.text, now, now) for r in _first_each(requests)
        )
        with self._backend.transaction() as cursor:
            cursor.executemany(
                self._sql(
                    f"INSERT INTO {TABLE} (reference, carrier, state, request_hash, shipment, created_at, "
                    "updated_at) VALUES (?, ?, 'intent', ?, ?, ?, ?) ON CONFLICT (reference) DO NOTHING"
                ),
                rows,
            )
            claims = self._decide(cursor, requests, now, state="intent")
        failpoints.reached("journal.claimed")
        return claims

    def start(self, shipments: Sequence[Shipment]) -> list[Claim]:
        """Claim these shipments and record ``sending`` for those this run may send, in one durable commit:
        what a run's worker does right before it sends a batch (``claim`` then ``sending`` in one step).

        A new shipment goes straight to ``sending``, held by this run (one statement when all are new: the
        usual case). For the others the decision is ``claim``'s: one an earlier run did not ship is sent
        with the request as given now, one left uncertain is held for reconciling, a final one is
        reported, one a live run holds is left to it, and a reference this run holds already (twice in the
        input) is refused. Only the claims whose action is ``send`` may be sent, and only after this returns.
        """
        failpoints.reached("journal.sending.before")
        now = time.time()
        requests = _requests(shipments)
        lease = now + self._lease
        fresh = [
            (r.reference, r.carrier, r.hashed, r.text, self._owner, lease, now, now)
            for r in _first_each(requests)
        ]
        inserted = self._inserts.write(fresh)
        claims: list[Claim | None] = []
        rest: list[_Request] = []
        for request in requests:
            if request.reference in inserted:
                inserted.discard(request.reference)  # a second one of a reference is decided below
                claims.append(Claim(request.shipment, "send", None))
            else:
                claims.append(None)
                rest.append(request)
        if rest:
            with self._backend.transaction() as cursor:
                decided = iter(self._decide(cursor, rest, now, state="sending", durable=True))
            claims = [claim or next(decided) for claim in claims]
        failpoints.reached("journal.sending")
        return [claim for claim in claims if claim is not None]

    def _insert_sending(self, groups: Sequence[Sequence[_Row]]) -> list[set[str]]:
        """Insert new entries already ``sending`` (held by this run), for several callers at once (see
        ``group``); for each caller, the references its rows made new. A reference two callers bring at
        once goes to the first (the other finds it taken: it comes twice in this run)."""
        chosen: dict[str, int] = {}
        rows: list[_Row] = []
        for caller, group in enumerate(groups):
            for row in group:
                if str(row[0]) not in chosen:
                    chosen[str(row[0])] = caller
                    rows.append(row)
        rows.sort(key=_first)  # in reference order: runs inserting the same new references never deadlock
        inserted: set[str] = set()
        parts = [rows[at : at + INSERT_ROWS] for at in range(0, len(rows), INSERT_ROWS)]
        for part in parts:
            values = ", ".join("(?, ?, 'sending', ?, ?, ?, ?, 1, ?, ?)" for _ in part)
            query = self._sql(
                f"INSERT INTO {TABLE} (reference, carrier, state, request_hash, shipment, owner, "
                f"lease_until, attempts, created_at, updated_at) VALUES {values} "
                "ON CONFLICT (reference) DO NOTHING"
            )
            params = [value for row in part for value in row]
            if self._backend.returning_rows:
                with self._backend.statement() as cursor:  # one statement, committed on its own
                    cursor.execute(f"{query} RETURNING reference", params)
                    inserted.update(str(row[0]) for row in cursor.fetchall())
                continue
            with self._backend.statement() as cursor:
                cursor.execute(query, params)
                made = cursor.rowcount
            references = [str(row[0]) for row in part]
            inserted.update(references if made == len(part) else self._newest(references, made))
        return [{ref for ref in inserted if chosen[ref] == caller} for caller in range(len(groups))]

    def _newest(self, references: Sequence[str], count: int) -> list[str]:
        """The ``count`` of ``references`` recorded last: after an insert that made ``count`` of them new,
        those it made (the others were recorded before it, and nobody can record them after it)."""
        if count <= 0:
            return []
        marks = ", ".join("?" for _ in references)
        with self._backend.read() as cursor:
            cursor.execute(
                self._sql(
                    f"SELECT reference FROM {TABLE} WHERE reference IN ({marks}) ORDER BY seq DESC LIMIT ?"
                ),
                [*references, count],
            )
            return [str(row[0]) for row in cursor.fetchall()]

    def _decide(
        self,
        cursor: Cursor,
        requests: Sequence[_Request],
        now: float,
        *,
        state: State,
        durable: bool = False,
    ) -> list[Claim]:
        """Decide, from the entries as they are (locked), what this run does with each shipment, and hold
        the ones it sends (moved to ``state`` with the request as given now) or reconciles. A reference this
        run holds already, or that comes twice here, is refused the second time."""
        found = self._select(cursor, [request.reference for request in requests], lock=True)
        claims: list[Claim] = []
        sends: list[tuple[object, ...]] = []
        held: list[tuple[object, ...]] = []
        taken: set[str] = set()
        for reference, carrier, hashed, text, shipment in requests:
            entry = found[reference]
            new = entry.attempts == 0 and entry.state == "intent" and entry.owner is None
            mine = reference in taken or entry.owner == self._owner
            problem = conflict(shipment, entry, mine=mine)
            if problem is not None:
                claims.append(Claim(shipment, None, entry, problem))
                continue
            action = decide(entry.state, self.held_by_other(entry, now))
            if action == "send":
                sends.append((carrier, hashed, text, self._owner, now + self._lease, now, reference))
            elif action == "reconcile":
                held.append((self._owner, now + self._lease, now, reference))
            if action in ("send", "reconcile"):
                taken.add(reference)
            claims.append(Claim(shipment, action, None if new else entry))
        cursor.executemany(
            self._sql(
                f"UPDATE {TABLE} SET state = '{state}', carrier = ?, request_hash = ?, shipment = ?, "
                "result = NULL, owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE reference = ?"
            ),
            sorted(sends, key=_last),
        )
        cursor.executemany(
            self._sql(
                f"UPDATE {TABLE} SET owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE reference = ?"
            ),
            sorted(held, key=_last),
        )
        if not durable and not held and self._backend.relaxed_commit is not None:
            # Nothing is sent on a claim alone: ``sending`` comes first, and its durable commit makes
            # this one durable too (commits are replayed in order). Only a claim that holds shipments
            # for reconciling (which may act at the carrier at once) waits for the disk itself.
            cursor.execute(self._backend.relaxed_commit)
        return claims

    def sending(self, references: Sequence[str]) -> list[str]:
        """A side-effecting call for these shipments is about to go out (from now on they may exist).

        Returns the references this run still holds, now ``sending``: only those may be sent. One missing
        was taken over by another run meanwhile (this run's lease lapsed: it stalled, or could not renew),
        and that run is the one to send it.
        """
        failpoints.reached("journal.sending.before")
        now = time.time()
        owner = self._owner
        wanted = sorted(set(references))
        with self._backend.transaction() as cursor:
            cursor.executemany(
                self._sql(
                    f"UPDATE {TABLE} SET state = 'sending', owner = ?, lease_until = ?, updated_at = ? "
                    "WHERE reference = ? AND state = 'intent' AND (owner IS NULL OR owner = ?)"
                ),
                [(owner, now + self._lease, now, reference, owner) for reference in wanted],
            )
            held = self._held(cursor, wanted, state="sending")
        failpoints.reached("journal.sending")
        return [reference for reference in references if reference in held]

    def learnt(
        self,
        references: Sequence[str],
        *,
        batch_id: str | None = None,
        carrier_shipment_id: str | None = None,
    ) -> bool:
        """The carrier named what it created for these shipments (a batch id, its own shipment id).

        Recorded only when this run still holds every one of them (one transaction); False, with nothing
        recorded, when another run took one over meanwhile (this run's lease lapsed while it waited for the
        answer). That run reconciles them from what the journal had and knows nothing of what this answer
        named, so this run must not act on it (e.g. ship the DeftShip batch it just created)."""
        failpoints.reached("journal.learnt.before")
        wanted = sorted(set(references))
        with self._backend.transaction() as cursor:
            if len(self._held(cursor, wanted, lock=True)) < len(wanted):
                return False
            now = time.time()
            for part in chunks(wanted):  # the same values for all: one statement per part (rows locked above)
                marks = ", ".join("?" for _ in part)
                cursor.execute(
                    self._sql(
                        f"UPDATE {TABLE} SET state = 'created', batch_id = COALESCE(?, batch_id), "
                        "carrier_shipment_id = COALESCE(?, carrier_shipment_id), updated_at = ? "
                        f"WHERE reference IN ({marks}) "
                        "AND state IN ('intent', 'sending', 'created', 'pending')"
                    ),
                    [batch_id, carrier_shipment_id, now, *part],
                )
        failpoints.reached("journal.learnt")
        return True

    def settle(self, results: Iterable[ShipmentResult]) -> None:
        """Record outcomes (one transaction). A final outcome is never replaced by a non-final one, and a
        pending one keeps the batch id learnt earlier. A non-final outcome is not written over a shipment
        another run holds now (it took it over: its own outcome will tell); a final one always is (it is
        the carrier's word, and it ends that run's need to send). Settles that threads ask for at once share
        one commit (``group``)."""
        failpoints.reached("journal.settle.before")
        rows = _outcome_rows(results)
        if not rows:
            return
        self._settles.write(rows)
        failpoints.reached("journal.settled")

    def settle_soon(self, results: Iterable[ShipmentResult], then: Then) -> None:
        """Record outcomes as ``settle`` does, without waiting: they are committed with the others queued
        within ``SETTLE_LINGER_SECONDS``, by a background thread, which then calls ``then(None)`` (or
        ``then(error)`` when the commit failed: nothing of it is recorded). A run's workers use it, and
        hand the results to the caller from ``then`` (see ``later``). ``close`` commits what is queued."""
        failpoints.reached("journal.settle.before")
        rows = _outcome_rows(results)
        if not rows:
            then(None)
            return

        def committed(error: JournalError | None) -> None:
            if error is None:
                failpoints.reached("journal.settled")
            then(error)

        self._later.submit(rows, committed)

    def _write_settles(self, groups: Sequence[Sequence[_Row]]) -> list[None]:
        """Several callers' outcomes in one commit, every row in reference order (see ``settle``). On SQLite
        one statement writes up to ``INSERT_ROWS`` of them, on its own (one call into SQLite) when it is the
        only one. Where rows must be locked in reference order (PostgreSQL: a statement joining several
        outcomes locks them in no set order) or a reference comes twice, they go row by row in one
        transaction (pipelined on PostgreSQL); one outcome alone is one statement."""
        rows = sorted((row for group in groups for row in group), key=_last)
        parts = [rows[at : at + INSERT_ROWS] for at in range(0, len(rows), INSERT_ROWS)]
        if len(rows) == 1:
            with self._backend.statement() as cursor:
                cursor.execute(self._sql(_SETTLE_ROW), (*rows[0], rows[0][0], rows[0][0], self._owner))
        elif not self._backend.lock_rows and len({row[-1] for row in rows}) == len(rows):
            with self._backend.statement() if len(parts) == 1 else self._backend.transaction() as cursor:
                for part in parts:
                    cursor.execute(*self._settle_rows(part))
        else:
            with self._backend.transaction() as cursor:
                cursor.executemany(
                    self._sql(_SETTLE_ROW), [(*row, row[0], row[0], self._owner) for row in rows]
                )
        return [None] * len(groups)

    def _settle_rows(self, rows: Sequence[_Row]) -> tuple[str, list[object]]:
        """One UPDATE writing several references' outcomes (see ``settle``), and its parameters."""
        values = ", ".join("(?, ?, ?, ?, ?, ?, ?)" for _ in rows)
        query = self._sql(
            f"WITH outcome (new_state, new_batch_id, new_carrier_shipment_id, new_tracking_number, "
            f"new_result, new_updated_at, ref) AS (VALUES {values}) "
            f"UPDATE {TABLE} SET state = new_state, batch_id = COALESCE(new_batch_id, batch_id), "
            "carrier_shipment_id = COALESCE(new_carrier_shipment_id, carrier_shipment_id), "
            "tracking_number = new_tracking_number, result = new_result, owner = NULL, lease_until = NULL, "
            f"updated_at = new_updated_at FROM outcome WHERE {TABLE}.reference = outcome.ref "
            f"AND NOT ({TABLE}.state IN ({_FINAL}) AND new_state NOT IN ({_FINAL})) "
            f"AND (new_state IN ({_FINAL}) OR {TABLE}.owner IS NULL OR {TABLE}.owner = ?)"
        )
        return query, [*(value for row in rows for value in row), self._owner]

    def release(self, references: Sequence[str]) -> None:
        """Give back shipments this run claimed but never sent (they stay ``intent``, free for any run)."""
        self._update(references, "owner = NULL, lease_until = NULL", (), only_states=("intent",))

    def unstart(self, references: Sequence[str]) -> None:
        """Undo ``start`` for shipments this run recorded ``sending`` and then never sent (a batch started
        ahead of its turn, cancelled when the run stopped: see ``shipping.ahead``): back to ``intent``,
        free for any run, its attempt not counted. Only for shipments known not to be sent: one that may
        have been must stay ``sending``, for reconciling."""
        self._update(
            references,
            "state = 'intent', owner = NULL, lease_until = NULL, attempts = attempts - 1",
            (),
            only_states=("sending",),
            mine_only=True,
        )

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
                (time.time() + self._lease, self._owner),
            )

    def _renew_loop(self) -> None:
        while not self._stop.wait(self._lease / 3):
            try:
                self.renew()
            except Exception as error:  # a journal that fails will fail the run's next write loudly
                logger.warning("journal %s: lease renewal failed: %s", self.where, type(error).__name__)

    def held_by_other(self, entry: Entry, now: float | None = None) -> bool:
        """Whether another live run holds ``entry`` now: its owner's lease has not lapsed and the owner is
        not known dead (a process of this host that is gone)."""
        now = time.time() if now is None else now
        if entry.owner is None or entry.owner == self._owner:
            return False
        owner = Owner.parse(entry.owner)
        if owner is not None and owner.gone():
            return False
        return entry.lease_until is not None and entry.lease_until > now

    # ------------------------------------------------------------------ closing

    def close(self) -> None:
        """Stop renewing, let go of this run's holds (its work is over: what it left uncertain is any later
        run's to reconcile) and close the database."""
        self._later.close()  # outcomes queued but not committed yet are recorded first
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
                    (self._owner,),
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

    def _held(
        self, cursor: object, wanted: Sequence[str], *, state: State | None = None, lock: bool = False
    ) -> set[str]:
        """Of ``wanted`` (sorted), the references this run holds (in ``state``, when given)."""
        held: set[str] = set()
        suffix = self._backend.lock_rows if lock else ""
        in_state = "" if state is None else f"AND state = '{state}' "
        for part in chunks(wanted):
            marks = ", ".join("?" for _ in part)
            query = self._sql(
                f"SELECT reference FROM {TABLE} WHERE reference IN ({marks}) {in_state}AND owner = ? "
                f"ORDER BY reference{suffix}"
            )
            cursor.execute(query, [*part, str(self.owner)])  # type: ignore[attr-defined]
            held.update(str(row[0]) for row in cursor.fetchall())  # type: ignore[attr-defined]
        return held

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
        mine_only: bool = False,
    ) -> None:
        """Set ``assignments`` on these references' rows in ``only_states`` that this run holds (or, unless
        ``mine_only``, that nobody holds), in one transaction."""
        if not references:
            return
        allowed = ", ".join(f"'{state}'" for state in only_states)
        holder = "owner = ?" if mine_only else "(owner IS NULL OR owner = ?)"
        query = self._sql(
            f"UPDATE {TABLE} SET {assignments} WHERE reference = ? AND state IN ({allowed}) AND {holder}"
        )
        with self._backend.transaction() as cursor:
            cursor.executemany(query, [(*values, ref, self._owner) for ref in sorted(set(references))])


class _Request(NamedTuple):
    """A shipment as the journal records it (its canonical JSON computed once)."""

    reference: str
    carrier: str
    hashed: str
    text: str
    shipment: Shipment


def _requests(shipments: Sequence[Shipment]) -> list[_Request]:
    requests = []
    for shipment in shipments:
        text = shipment.model_dump_json(exclude_none=True)
        requests.append(_Request(shipment.reference, shipment.carrier, text_hash(text), text, shipment))
    return requests


_Row = tuple[object, ...]


def _first(row: _Row) -> str:
    return str(row[0])


def _outcome_rows(results: Iterable[ShipmentResult]) -> list[_Row]:
    """``settle``'s rows: each result's columns, then its reference (the rows' sort key)."""
    now = time.time()
    return [
        (
            r.status,
            r.batch_id,
            r.carrier_shipment_id,
            r.tracking_number,
            r.model_dump_json(exclude_none=True),
            now,
            r.reference,
        )
        for r in results
    ]


def _first_each(requests: Sequence[_Request]) -> list[_Request]:
    """The first request of each reference (the journal has one row per reference)."""
    firsts: dict[str, _Request] = {}
    for request in requests:
        firsts.setdefault(request.reference, request)
    return list(firsts.values())


def _last(row: Sequence[object]) -> str:
    return str(row[-1])
