"""Starting queued batches ahead: one journal commit records ``sending`` for a carrier's next few batches.

Why: a per-item carrier's batch (TikTok Shop, WeChat, Baaship) is one shipment, and each batch's
``Journal.start`` was a commit of its own in the worker, before its call: on a CPU-bound run the larger
part of what the journal costs (``python -m bench journal``). Now a worker about to start its batch also
starts the batches queued right behind it for the same carrier, up to ``START_AHEAD_SHIPMENTS`` shipments,
in that same commit. A worker that takes one of those later finds its start made (or waits for the commit
making it), and sends at once.

What it changes: such a shipment is ``sending`` in the journal a little before its call goes out (while
the batches before it are sent). The write-ahead rule still holds (recorded before the call), and a crash
leaves it ``sending``, which a later run reconciles with the carrier, as one killed between its commit and
its call. A batch started ahead that no worker took when the run stopped is given back: its shipments go
back to ``intent``, free for any run, as if never started (``give_back``); a worker that would take it
after that is refused (nothing of it is sent).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence

from ..errors import JournalError
from ..journal import Claim, Journal
from .journaled import Work

__all__ = ["START_AHEAD_SHIPMENTS", "Ahead", "Starts"]

START_AHEAD_SHIPMENTS = 16
"""The most shipments one start commit records ``sending`` for: the batch about to go plus those queued
behind it. Larger saves a little more; a crash leaves about this many more shipments per carrier to
reconcile (a lookup or an "already done" answer each) than one batch at a time would."""


class Ahead:
    """One queued batch, from the journal's side: whether its start is made (``started`` is set once its
    commit ended), and what it gave (``claims`` in the batch's order, or ``error``)."""

    __slots__ = ("claims", "error", "started", "work")

    def __init__(self, work: Work) -> None:
        self.work = work
        self.started: threading.Event | None = None  # set by the thread that starts it, under the lock
        self.claims: list[Claim] | None = None
        self.error: JournalError | None = None


class Starts:
    """A carrier's queued batches for one run, in the order its workers take them, started in groups."""

    def __init__(self, journal: Journal, shipments: int = START_AHEAD_SHIPMENTS) -> None:
        self._journal = journal
        self._shipments = shipments
        self._lock = threading.Lock()
        self._queued: deque[Ahead] = deque()  # submitted, not started yet
        self._ahead: set[Ahead] = set()  # started by another batch's commit, not taken by a worker yet
        self._closed = False  # given back: no worker takes a batch any more

    def queued(self, work: Work) -> Ahead:
        """A batch handed to the carrier's workers (in their order). A batch to reconcile is claimed
        already and is never started here."""
        ahead = Ahead(work)
        if not work.reconcile:
            with self._lock:
                self._queued.append(ahead)
        return ahead

    def claims(self, ahead: Ahead) -> list[Claim]:
        """The batch's claims, once its start is committed: made here, with the batches queued behind it,
        unless another worker's commit made it already (then this waits for that commit, bounded by the
        journal's own timeouts). Raises that commit's JournalError (then nothing of it may be sent), or one
        when the batch was given back already (the run stopped)."""
        with self._lock:
            if self._closed:
                raise JournalError(f"journal {self._journal.where}: the run stopped; batch not sent")
            self._ahead.discard(ahead)
            group = self._group(ahead) if ahead.started is None else None
        if group is not None:
            self._start(group)
        else:
            assert ahead.started is not None
            ahead.started.wait()
        if ahead.error is not None:
            raise ahead.error
        assert ahead.claims is not None
        return ahead.claims

    def _group(self, lead: Ahead) -> list[Ahead]:  # holding ``_lock``
        self._queued.remove(lead)
        group = [lead]
        count = len(lead.work.shipments)
        while self._queued and count + len(self._queued[0].work.shipments) <= self._shipments:
            follower = self._queued.popleft()
            count += len(follower.work.shipments)
            group.append(follower)
            self._ahead.add(follower)
        started = threading.Event()
        for member in group:
            member.started = started
        return group

    def _start(self, group: Sequence[Ahead]) -> None:
        """One commit for the group; each member gets its claims or the error."""
        try:
            claims = iter(self._journal.start([s for member in group for s in member.work.shipments]))
            for member in group:
                member.claims = [next(claims) for _ in member.work.shipments]
        except JournalError as error:
            for member in group:
                member.error = error
        except Exception as error:  # a defect: every batch of the group hears of it, none is sent
            failure = JournalError(f"journal {self._journal.where}: {type(error).__name__}: {error}")
            for member in group:
                member.error = failure
        except BaseException as error:  # the others' workers must not send: it may not be recorded
            interrupted = JournalError(f"journal {self._journal.where}: interrupted ({type(error).__name__})")
            for member in group:
                member.error = member.error or interrupted
            raise
        finally:
            assert group[0].started is not None
            group[0].started.set()

    def give_back(self) -> int:
        """When the run stopped: put the shipments of batches started ahead that no worker took back to
        ``intent`` (none of them was sent; no worker takes them from now on). Returns how many. A group
        whose commit has not ended yet is left as it will be, ``sending``: a later run reconciles it."""
        with self._lock:
            self._closed = True
            untaken = [ahead for ahead in self._ahead if ahead.claims is not None]
            self._ahead.clear()
        references = [
            claim.shipment.reference
            for ahead in untaken
            for claim in ahead.claims or ()
            if claim.action == "send"
        ]
        self._journal.unstart(references)
        return len(references)
