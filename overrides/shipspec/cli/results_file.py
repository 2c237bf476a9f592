"""The results file across runs of ``shipspec ship``: nothing an earlier run recorded is ever lost.

A run may stop at any point (Ctrl-C, a crash); the file must still say everything known.

1. An existing file must be a shipspec results file (:class:`~shipspec.cli.output.NotAResultsFile`
   otherwise, and the file is left alone): ``--out`` never destroys an unrelated file.
2. Resuming, the earlier outcomes that must not be sent again are read (the latest per reference that
   shipped, or is pending in a carrier batch) and the file is rewritten with just those, atomically (a
   temporary file renamed over it). Without resuming it starts empty.
3. The run appends one flushed line per row as results arrive, so a run stopped at any point leaves a
   file that holds everything known: the earlier outcomes, then this run's.
4. A run that completes compacts the file, atomically again: carried-over lines get this input's row
   numbers, and earlier pending lines that a follow-up settled are dropped. Earlier outcomes of rows no
   longer in the input are kept: they record real shipments.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from .output import NotAResultsFile, Outcome, ResultsNotWritable, ResultsWriter, read_outcomes

__all__ = ["ResultsFile", "check_results_file", "check_writable_folder", "must_not_resend"]


def check_results_file(path: Path) -> None:
    """Raise :class:`NotAResultsFile` unless ``path`` is absent or a results file (changes nothing)."""
    if path.exists() and not path.is_file():
        raise NotAResultsFile(f"{path}: not a shipspec results file (not a file)")
    if path.exists():
        for _ in read_outcomes(path):
            pass


def check_writable_folder(path: Path) -> None:
    """Raise :class:`ResultsNotWritable` when ``path``'s folder cannot take new files (changes nothing)."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ResultsNotWritable(
            f"{path}: cannot write the results file there (folder {path.parent} is not writable)"
        )


def must_not_resend(outcome: Outcome) -> bool:
    """Shipped, already shipped, or pending inside a carrier batch (a resend could ship it twice)."""
    return outcome.ok or (outcome.status == "pending" and outcome.batch_id is not None)


class ResultsFile:
    """One run's results file: ``earlier`` outcomes by reference, ``write`` as results come, ``finish``."""

    def __init__(self, path: Path, redact: Callable[[str], str], *, resume: bool) -> None:
        self.path = path
        self._redact = redact
        self.earlier: dict[str, Outcome] = {}
        if path.exists() and not path.is_file():
            raise NotAResultsFile(f"{path}: not a shipspec results file (not a file)")
        if path.exists():
            for outcome in read_outcomes(path):  # the whole file is read (and checked) before any change
                if resume and must_not_resend(outcome):
                    self.earlier[outcome.reference] = outcome
        try:
            self._replace_with(self.earlier.values())
            self._start = path.stat().st_size  # where this run's lines begin
            self._writer = ResultsWriter(path, redact, append=True)
        except (
            OSError
        ) as error:  # before anything ships: a run that cannot record what it ships must not start
            raise ResultsNotWritable(
                f"{path}: cannot write the results file there ({error.strerror or type(error).__name__})"
            ) from None

    def write(self, outcome: Outcome) -> None:
        self._writer.write(outcome)

    def finish(self, rows: Mapping[str, int], settled: Collection[str]) -> None:
        """Compact after a complete run: ``rows`` maps references to this input's rows; ``settled``
        are the references whose earlier pending line a follow-up replaced."""
        self._writer.close()
        kept = (
            replace(outcome, row=rows.get(reference, outcome.row))
            for reference, outcome in self.earlier.items()
            if reference not in settled
        )
        self._replace_with(kept, tail_from=self._start)

    def close(self) -> None:
        self._writer.close()

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _replace_with(self, outcomes: Iterable[Outcome], tail_from: int | None = None) -> None:
        """Write ``outcomes`` (then this file's bytes from ``tail_from``) to a new file renamed over it."""
        temporary = self.path.with_name(f".{self.path.stem}.partial{self.path.suffix}")
        try:
            with ResultsWriter(temporary, self._redact) as writer:
                for outcome in outcomes:
                    writer.write(outcome)
            if tail_from is not None:
                with self.path.open("rb") as source, temporary.open("ab") as target:
                    source.seek(tail_from)
                    shutil.copyfileobj(source, target)
            with temporary.open("rb+") as written:
                os.fsync(written.fileno())
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)
