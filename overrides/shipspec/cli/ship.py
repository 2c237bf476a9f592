"""``shipspec ship FILE``: ship every row of a CSV or JSONL file, streamed, with a results file and a summary.

:func:`ship_file` is the whole job as a Python function (tests and other programs call it with their own
shippers); the command adds option parsing, the progress bar's TTY check, the summary table and exit codes.
Before anything ships, a first pass counts the rows and builds the shipper of every carrier they name, so
a missing or wrong setting stops the run (exit 2) instead of failing rows one by one.

Re-running a file resumes it: when the results file already exists, rows whose reference it records as
shipped or already_shipped are carried over and not sent again. That matters most for DeftShip, which has no
natural key to recognise a resend across runs. A row left ``pending`` with a batch id (DeftShip) is never
sent again, because that could ship it twice: the re-run follows its batch instead (``resume_batch``: ship
it if it is ready, wait for it to finish) once the other rows are done, and records what it learns.

Beneath the results file lies the journal (``shipspec.journal``; by default a SQLite file next to the results
file, or ``--journal PATH|postgresql://…``): every row's state is recorded before each send and after each
answer, so a run killed at any moment (``kill -9``, Ctrl-C, a crash) and run again never ships a row twice:
rows the journal records as shipped are reported from it, rows it left uncertain are reconciled with their
carrier before anything is sent again, and ``shipspec results`` rebuilds the results file from it.

Stopping: the first Ctrl-C (or SIGTERM) says at once how many batches are still being sent and waits for
them, at most their deadline; their results are written as they come. A second one leaves at once: every
row of a batch still being sent is written ``pending`` (a later run resolves it), never left out.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from shipspec_shipping_models import Shipment, ShipmentResult

from ..config import CARRIERS, build_shipper, load_settings, with_environment
from ..errors import ConfigError, JournalError
from ..journal import Journal, failpoints, open_journal
from ..journal.states import RECONCILE
from ..settings import MAX_DEADLINE_SECONDS
from ..shipping.capabilities import Shipper
from ..shipping.runner import CarrierEnd, ship
from .catalog import short_help
from .common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STOPPED,
    ConfigProblem,
    JournalProblem,
    Redactor,
    close_quietly,
    config_option,
    err_console,
    out_console,
    settings_from,
)
from .fleet_commands import broker_options, ship_on_fleet
from .follow_ups import FollowUps
from .output import RESULT_SUFFIXES, NotAResultsFile, Outcome, ResultsNotWritable
from .report import Tally, outcome_line
from .results_file import ResultsFile, check_results_file, check_writable_folder
from .rows import FileProblem, Row, read_rows, scan_file
from .stops import CarrierStops

__all__ = ["default_journal_path", "default_results_path", "ship_command", "ship_file", "shippers_for"]


def default_results_path(path: Path) -> Path:
    """``orders.csv`` → ``orders.results.csv`` next to it."""
    return path.with_name(f"{path.stem}.results.csv")


def default_journal_path(results: Path) -> Path:
    """``orders.results.csv`` → ``orders.results.journal.sqlite`` next to it."""
    return results.with_name(f"{results.stem}.journal.sqlite")


def shippers_for(
    carriers: frozenset[str],
    settings: Mapping[str, Mapping[str, str]],
    given: Mapping[str, Shipper],
) -> dict[str, Shipper]:
    shippers = dict(given)
    for carrier in sorted(carriers & set(CARRIERS) - set(shippers)):
        try:
            shippers[carrier] = build_shipper(carrier, settings.get(carrier, {}))
        except (ModuleNotFoundError, ConfigError) as error:
            for name, built in shippers.items():
                if name not in given:
                    close_quietly(built)
            if isinstance(error, ModuleNotFoundError):
                raise ConfigError(f"{carrier}: this shipspec has no shipper for it yet") from None
            text = str(error)
            raise ConfigError(text if carrier in text else f"{carrier}: {text}") from None
    return shippers


def ship_file(
    path: Path,
    *,
    out: Path,
    carrier: str | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    shippers: Mapping[str, Shipper] | None = None,
    console: Console | None = None,
    progress: bool = False,
    resume: bool = True,
    journal: Journal | str | Path | None = None,
    stops: CarrierStops | None = None,
) -> Tally:
    """Ship every row of ``path``, write one result line per row to ``out`` and return the counts.

    ``journal``: a ``Journal``, a SQLite path or a ``postgresql://`` URL; default: a SQLite file next to
    ``out`` (``default_journal_path``). ``resume=False`` starts a fresh results file; the journal still
    keeps every row it records as shipped from shipping again.

    Raises :class:`~shipspec.cli.rows.FileProblem` for a file that cannot be read as shipments and
    :class:`~shipspec.errors.ConfigError` for a carrier that cannot be set up; a bad row or a failed
    shipment is never raised: it is a ``failed`` line in ``out`` and a message on ``console`` (one message
    for all the rows of a carrier that stopped, see ``stops``; pass ``stops`` to read them afterwards).
    """
    console = console or err_console()
    stops = CarrierStops() if stops is None else stops
    check_results_file(out)  # a foreign --out file is refused before anything else happens
    check_writable_folder(out)  # so is a folder where neither it nor the journal beside it can be written
    settings = load_settings() if settings is None else with_environment(settings)
    scan = scan_file(path, default_carrier=carrier)
    where = journal if journal is not None else default_journal_path(out)
    opened = where if isinstance(where, Journal) else open_journal(where)
    try:
        ready = shippers_for(frozenset({carrier}) if carrier else scan.carriers, settings, shippers or {})
    except BaseException:
        if opened is not where:
            opened.close()
        raise
    redact = Redactor(settings)
    tally = Tally()
    rows_of: dict[str, int] = {}  # reference → row: results come in completion order, and repeats fail
    follow_ups = FollowUps()
    settled: set[str] = set()  # references whose earlier pending line a follow-up replaced
    final_here: set[str] = set()  # references this run settled with a carrier: the journal should agree

    try:
        with (
            ResultsFile(out, redact, resume=resume) as results,
            Progress(
                TextColumn("shipping {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                disable=not progress,
            ) as bar,
        ):
            task = bar.add_task(path.name, total=scan.rows)

            def count(outcome: Outcome, *, earlier: bool = False) -> None:
                tally.add(outcome, earlier=earlier)
                bar.advance(task)
                notice, quiet = stops.notice(outcome)
                if notice is not None:
                    console.print(redact(notice))
                if not outcome.ok and not quiet:
                    console.print(redact(outcome_line(outcome)))

            def record(outcome: Outcome, *, earlier: bool = False) -> None:
                results.write(outcome)
                failpoints.reached("results.line")
                count(outcome, earlier=earlier)

            rows_left = dict(scan.per_carrier)  # the first pass's count: a carrier's last row ends it

            def shipments() -> Iterator[Shipment | CarrierEnd]:
                for row in read_rows(path, default_carrier=carrier):
                    if (shipment := row_shipment(row)) is not None:
                        yield shipment
                    name = row.carrier or carrier
                    if name in rows_left:
                        rows_left[name] -= 1
                        if not rows_left[name]:  # its partial batch need not wait for other carriers' rows
                            yield CarrierEnd(name)

            def row_shipment(row: Row) -> Shipment | None:
                """The row's shipment to send, or None when it is recorded or followed instead."""
                problems = row.problems
                if row.shipment is not None and row.shipment.reference in rows_of:
                    first = rows_of[row.shipment.reference]
                    problems = {"reference": f"repeats row {first} (each shipment needs its own reference)"}
                if row.shipment is None or problems:
                    record(Outcome.invalid(row.number, row.reference, row.carrier, problems))
                    return None
                reference = row.shipment.reference
                before = results.earlier.get(reference)
                if before is not None and before.carrier != row.shipment.carrier:
                    record(Outcome.invalid(row.number, reference, row.carrier, _moved(before, out)))
                    return None
                rows_of[reference] = row.number
                if before is not None and before.ok:
                    count(replace(before, row=row.number), earlier=True)  # done before: never again
                    return None
                if before is not None:
                    follow_ups.add(before, row.shipment)  # in a carrier batch: follow it, never resend
                    return None
                return row.shipment

            def settled_here(result: ShipmentResult) -> None:
                if result.status != "pending":
                    final_here.add(result.reference)
                record(Outcome.from_result(result, rows_of.get(result.reference)))

            def unclaimed(result: ShipmentResult) -> None:  # a batch that finished after a stop (Ctrl-C)
                settled_here(result)

            def earlier(result: ShipmentResult) -> None:  # the journal's final outcome of an earlier run
                record(Outcome.from_result(result, rows_of.get(result.reference)), earlier=True)

            def stopping(batches: int, bound: float | None) -> None:
                limit = "" if bound is None else f" (at most {bound:g} s)"
                console.print(
                    f"stopping: waiting for {batches} batches in flight{limit}; "
                    "Ctrl-C again to leave them to the next run"
                )

            run = ship(
                shipments(),
                carrier=carrier,
                shippers=ready,
                settings=settings,
                on_unclaimed=unclaimed,
                on_earlier=earlier,
                journal=opened,
                on_stopping=stopping,
            )
            try:
                for result in run:
                    settled_here(result)
            finally:
                run.close()  # while the results file is open: late results are written, not lost
            for outcome, learnt in follow_ups.run(ready, rows_of):
                if learnt:
                    record(outcome)
                    settled.add(outcome.reference)
                else:
                    count(replace(outcome, row=rows_of.get(outcome.reference, outcome.row)))
            results.finish(rows_of, settled)
        tally.unrecorded = unrecorded(opened, final_here)
    finally:
        for name, shipper in ready.items():
            if name not in (shippers or {}):
                close_quietly(shipper)
        if opened is not where:
            opened.close()
    return tally


def unrecorded(journal: Journal, final: set[str]) -> int:
    """How many of the outcomes in ``final`` (references a run settled with a carrier) the journal still
    holds as uncertain: it failed as they were settled (logged then). Nothing is lost (the next run or
    ``shipspec recover`` asks the carrier), but the run must not look clean. Raises JournalError when the
    journal is still down."""
    if not final:
        return 0
    return sum(1 for entry in journal.entries(RECONCILE) if entry.reference in final)


def _moved(before: Outcome, out: Path) -> dict[str, str]:
    """The problem of a row whose reference an earlier run sent through another carrier."""
    return {
        "carrier": (
            f"reference {before.reference} went to {before.carrier} in an earlier run ({before.status}, "
            f"{out.name}); give this row a new reference, or run with --no-resume"
        )
    }


@click.command("ship", short_help=short_help("ship"))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--carrier",
    type=click.Choice(CARRIERS),
    help="Ship this carrier's rows only (rows of other carriers fail); an empty carrier cell means this one.",
)
@config_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results file, .csv or .jsonl (default: FILE's stem + .results.csv, next to FILE).",
)
@click.option("--no-progress", is_flag=True, help="No progress bar (it is off anyway when stderr is no TTY).")
@click.option(
    "--no-resume",
    is_flag=True,
    help="Start a fresh results file (rows the journal records as shipped are still never sent again).",
)
@click.option(
    "--journal",
    "journal",
    metavar="PATH|URL",
    help="Shipment journal: a SQLite file or a postgresql:// URL (default: OUT's stem + .journal.sqlite).",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True, max=MAX_DEADLINE_SECONDS),
    metavar="SECONDS",
    help="Most seconds one shipment (or carrier batch) may take, every carrier; past it the row is pending. "
    "Default: each carrier's deadline_seconds setting, else 120.",
)
@click.option(
    "--broker",
    metavar="URL",
    help="Ship on a fleet of `shipspec worker`s listening on this Redis broker (needs --journal postgresql://).",
)
@broker_options
@click.pass_context
def ship_command(
    ctx: click.Context,
    file: Path,
    carrier: str | None,
    config: Path | None,
    out: Path | None,
    no_progress: bool,
    no_resume: bool,
    journal: str | None,
    deadline: float | None,
    broker: str | None,
    lease: float,
    visibility_timeout: float | None,
) -> None:
    """Ship every row of FILE (.csv with dotted field-path columns, or .jsonl with one Shipment a line).

    Bad rows are reported with their row number and field paths and written to the results as failed;
    the other rows still ship. Exit code: 0 when every row shipped or was already shipped, 1 when any
    failed or is pending, 2 on a usage or configuration problem, 3 when a carrier refused the credentials
    (its rows were not sent), 130 when stopped by Ctrl-C or SIGTERM.
    """
    results = out or default_results_path(file)
    if results.suffix.lower() not in RESULT_SUFFIXES:
        raise click.BadParameter(f"use a {' or '.join(RESULT_SUFFIXES)} file", param_hint="--out")
    if results.resolve() == file.resolve():
        raise click.BadParameter("the results file would overwrite FILE", param_hint="--out")
    if not results.parent.is_dir():
        raise click.BadParameter(f"folder {results.parent} does not exist", param_hint="--out")
    settings = settings_from(config)
    if deadline is not None:
        for name in CARRIERS:
            settings.setdefault(name, {})["deadline_seconds"] = repr(deadline)
    console = err_console()
    stops = CarrierStops()
    try:
        with _sigterm_as_interrupt():
            if broker is not None:
                tally = ship_on_fleet(
                    file,
                    out=results,
                    broker=broker,
                    journal=journal,
                    carrier=carrier,
                    settings=settings,
                    console=console,
                    progress=not no_progress and console.is_terminal,
                    lease=lease,
                    visibility_timeout=visibility_timeout,
                )
            else:
                tally = ship_file(
                    file,
                    out=results,
                    carrier=carrier,
                    settings=settings,
                    console=console,
                    progress=not no_progress and console.is_terminal,
                    resume=not no_resume,
                    journal=journal,
                    stops=stops,
                )
    except KeyboardInterrupt:
        _leave_interrupted(console, results)
    except FileProblem as problem:
        raise click.BadParameter(str(problem), param_hint="FILE") from None
    except ResultsNotWritable as problem:
        raise click.BadParameter(str(problem), param_hint="--out") from None
    except NotAResultsFile as problem:
        raise click.BadParameter(
            f"{problem}; choose another --out, or move that file away", param_hint="--out"
        ) from None
    except ConfigError as error:
        raise ConfigProblem(Redactor(settings)(str(error))) from None
    except JournalError as error:
        raise JournalProblem(error) from None
    if tally.total == 0:  # not an error (an empty daily export is normal), but never silent
        what = "only a header" if file.suffix.lower() == ".csv" else "no line with a shipment"
        click.echo(f"{file.name}: no rows to ship ({what}); nothing was sent", err=True)
    out_console().print(tally.table())
    for line in stops.summary():
        console.print(line)
    click.echo(f"results: {results}")
    if tally.unrecorded:
        click.echo(
            f"{tally.unrecorded} outcomes are in the results file but not recorded in the journal (it failed "
            "as they were settled; still uncertain there): run `shipspec recover` once the journal is back",
            err=True,
        )
    clean = tally.ok and not tally.unrecorded
    ctx.exit(EXIT_STOPPED if stops.refused else EXIT_OK if clean else EXIT_FAILED)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (what a container stop sends) stops the run the way Ctrl-C does (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _leave_interrupted(console: Console, results: Path) -> None:
    """After Ctrl-C: say where the results are and exit 130, at once even if batches were left sending."""
    console.print(
        f"interrupted: every row sent so far is in {results} (pending where the outcome is not known yet); "
        "run the same command again to finish"
    )
    left_running = any(
        thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    )
    if left_running:  # batches left to the next run: their threads must not hold the process
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    raise SystemExit(EXIT_INTERRUPTED)
