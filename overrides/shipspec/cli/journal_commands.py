"""``shipspec recover`` and ``shipspec results``: the journal's commands.

- ``recover`` reconciles every shipment a journal left uncertain (``sending``, ``created``, ``pending``)
  with its carrier, from the requests the journal recorded: no input file is needed, and nothing is sent
  before the carrier's own evidence says it was not shipped.
- ``results`` writes a results file from the journal alone: one line per shipment it holds (rows the input
  no longer has, and rows whose line a killed run never wrote, included). A shipment still in flight is
  written ``pending``, with the carrier batch it is in when one is known (or "not sent" when it never left).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click

from ..errors import ConfigError, JournalError
from ..journal import RECONCILE, Journal, open_journal
from ..shipping.results import recorded
from ..shipping.runner import ship
from .catalog import short_help
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    ConfigProblem,
    JournalProblem,
    Redactor,
    close_quietly,
    config_option,
    err_console,
    out_console,
    settings_from,
)
from .output import RESULT_SUFFIXES, Outcome, write_whole
from .report import Tally, outcome_line
from .results_file import check_results_file
from .ship import shippers_for, unrecorded

__all__ = ["recover_command", "results_command"]

journal_option = click.option(
    "--journal",
    "journal",
    required=True,
    metavar="PATH|URL",
    help="The journal: a SQLite file or a postgresql:// URL.",
)


def _opened(journal: str) -> Journal:
    if "://" not in journal and not Path(journal).is_file():
        raise ConfigProblem(f"journal {journal}: no such file")
    try:
        return open_journal(journal)
    except (ConfigError, JournalError) as error:
        raise ConfigProblem(str(error)) from None


@click.command("recover", short_help=short_help("recover"))
@journal_option
@config_option
@click.pass_context
def recover_command(ctx: click.Context, journal: str, config: Path | None) -> None:
    """Reconcile every shipment the journal left uncertain with its carrier (nothing is sent twice).

    Exit code: 0 when every one is settled as shipped, 1 when any failed or is still pending, 2 on a usage
    or configuration problem.
    """
    settings = settings_from(config)
    redact = Redactor(settings)
    tally = Tally()
    with _opened(journal) as opened:
        try:
            reconciled = _reconcile(opened, settings, tally)
            missing = unrecorded(opened, reconciled)
        except ConfigError as error:
            raise ConfigProblem(redact(str(error))) from None
        except JournalError as error:  # the journal failed mid-way: say so, no traceback
            raise JournalProblem(redact(str(error)), JournalProblem.AFTER_RECOVER) from None
    out_console().print(tally.table())
    click.echo(f"reconciled: {tally.total} from {opened.where}")
    if missing:  # settled with the carrier but the journal did not take the outcome (logged above)
        click.echo(
            f"{missing} outcomes are not recorded in the journal (still uncertain there); "
            "run `shipspec recover` again",
            err=True,
        )
    ctx.exit(EXIT_OK if tally.ok and not missing else EXIT_FAILED)


def _reconcile(opened: Journal, settings: Mapping[str, Mapping[str, str]], tally: Tally) -> set[str]:
    """Reconcile every uncertain entry of ``opened``, adding each outcome to ``tally`` (failures shown);
    returns the references reconciled."""
    redact = Redactor(settings)
    console = err_console()
    uncertain = list(opened.entries(RECONCILE))
    reconciled: set[str] = set()
    ready = shippers_for(frozenset(e.carrier for e in uncertain), settings, {})
    try:
        for result in ship((e.shipment() for e in uncertain), shippers=ready, journal=opened):
            outcome = Outcome.from_result(result, None)
            tally.add(outcome)
            reconciled.add(result.reference)
            if not outcome.ok:
                console.print(redact(outcome_line(outcome)))
    finally:
        for shipper in ready.values():
            close_quietly(shipper)
    return reconciled


@click.command("results", short_help=short_help("results"))
@journal_option
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results file, .csv or .jsonl.",
)
def results_command(journal: str, out: Path) -> None:
    """Write the results file of every shipment in the journal (replaces OUT atomically)."""
    if out.suffix.lower() not in RESULT_SUFFIXES:
        raise click.BadParameter(f"use a {' or '.join(RESULT_SUFFIXES)} file", param_hint="--out")
    if not out.parent.is_dir():
        raise click.BadParameter(f"folder {out.parent} does not exist", param_hint="--out")
    try:
        check_results_file(out)
    except ValueError as problem:
        raise click.BadParameter(f"{problem}; choose another --out", param_hint="--out") from None
    with _opened(journal) as opened:
        count = write_whole(out, (Outcome.from_result(recorded(e), None) for e in opened.entries()))
    click.echo(f"results: {out} ({count} shipments from {opened.where})")
