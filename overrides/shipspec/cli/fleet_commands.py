"""The fleet on the command line: ``shipspec worker`` and ``shipspec ship FILE --broker …``.

``ship_on_fleet`` is the fleet's ``ship FILE``: rows are checked as ``ship_file`` checks them (bad rows and
repeated references fail with their row numbers), the valid ones go to ``shipspec.fleet.ship``, progress
follows the workers' reports, and the results file is written from the journal (replacing ``out``
atomically). A re-run is safe: the journal reports what is settled and reconciles what was left uncertain.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from shipspec_shipping_models import Shipment

from ..errors import ConfigError
from ..journal import LEASE_SECONDS
from .catalog import short_help
from .common import ConfigProblem, Redactor, config_option, settings_from
from .output import Outcome, write_whole
from .report import Tally, outcome_line
from .results_file import check_results_file
from .rows import read_rows

__all__ = ["broker_options", "ship_on_fleet", "worker_command"]


def _fleet() -> Any:
    """``shipspec.fleet``, or a clear problem when the ``fleet`` extra is not installed."""
    try:
        from .. import fleet
    except ModuleNotFoundError as missing:
        raise ConfigProblem(
            f"--broker needs the fleet extra ({missing.name} is missing): "
            "pip install 'shipspec[fleet,postgres]'"
        ) from None
    return fleet


def broker_options(command: Any) -> Any:
    """The timing options the coordinator and the workers of one fleet must agree on."""
    command = click.option(
        "--lease",
        type=click.FloatRange(min=0, min_open=True),
        default=LEASE_SECONDS,
        show_default=True,
        help="Seconds a worker's holds on shipments last without renewal (a vanished worker's, that long).",
    )(command)
    return click.option(
        "--visibility-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        help="Seconds before Redis gives a task taken by a worker that died to another worker; must exceed "
        "the longest task and the lease (default: 7200).",
    )(command)


def _config(fleet: Any, broker: str, journal: str | None, lease: float, visibility: float | None) -> Any:
    if journal is None:
        raise click.BadParameter("a fleet needs --journal postgresql://…", param_hint="--journal")
    extra = {} if visibility is None else {"visibility_timeout": visibility}
    try:
        return fleet.FleetConfig(broker, journal, lease=lease, **extra)
    except ConfigError as error:
        raise ConfigProblem(str(error)) from None


def ship_on_fleet(
    path: Path,
    *,
    out: Path,
    broker: str,
    journal: str | None,
    carrier: str | None,
    settings: Mapping[str, Mapping[str, str]],
    console: Console,
    progress: bool,
    lease: float = LEASE_SECONDS,
    visibility_timeout: float | None = None,
) -> Tally:
    """Ship every row of ``path`` on the fleet; write the results file ``out`` from the journal."""
    fleet = _fleet()
    config = _config(fleet, broker, journal, lease, visibility_timeout)
    check_results_file(out)  # a foreign file is refused before anything is recorded
    redact = Redactor(settings)
    outcomes: list[Outcome] = []
    rows_of: dict[str, int] = {}
    valid: list[Shipment] = []
    for row in read_rows(path, default_carrier=carrier):
        problems = row.problems
        if row.shipment is not None and row.shipment.reference in rows_of:
            first = rows_of[row.shipment.reference]
            problems = {"reference": f"repeats row {first} (each shipment needs its own reference)"}
        elif row.shipment is not None and carrier is not None and row.shipment.carrier != carrier:
            problems = {"carrier": f"this run ships {carrier}; the row is for {row.shipment.carrier}"}
        if row.shipment is None or problems:
            outcomes.append(Outcome.invalid(row.number, row.reference, row.carrier, problems))
            continue
        rows_of[row.shipment.reference] = row.number
        valid.append(row.shipment)
    with Progress(
        TextColumn("shipping {task.description} on the fleet"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
    ) as bar:
        task = bar.add_task(path.name, total=len(valid))
        try:
            results = fleet.ship(
                valid,
                broker=config.broker,
                journal=config.journal,
                settings=settings,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
                lease=config.lease,
                visibility_timeout=config.visibility_timeout,
            )
        except ConfigError as error:
            raise ConfigProblem(redact(str(error))) from None
    outcomes += [Outcome.from_result(result, rows_of.get(result.reference)) for result in results]
    outcomes.sort(key=lambda outcome: outcome.row or 0)
    tally = Tally()
    for outcome in outcomes:
        tally.add(outcome)
        if not outcome.ok:
            console.print(redact(outcome_line(outcome)))
    write_whole(out, outcomes, redact)
    return tally


@click.command("worker", short_help=short_help("worker"))
@click.option("--broker", required=True, metavar="URL", help="The fleet's Redis broker (redis://…).")
@click.option("--journal", required=True, metavar="URL", help="The fleet's journal (postgresql://…).")
@config_option
@click.option(
    "--threads", type=click.IntRange(min=1), default=8, show_default=True, help="Parts shipped at once."
)
@click.option("--name", help="This worker's name in Celery (default: celery@HOST).")
@broker_options
def worker_command(
    broker: str,
    journal: str,
    config: Path | None,
    threads: int,
    name: str | None,
    lease: float,
    visibility_timeout: float | None,
) -> None:
    """Run a fleet worker: take parts of `shipspec ship --broker` runs from the broker and ship them.

    Carrier settings come from --config and the environment, as for `shipspec ship`; tokens and pacing are
    shared in the broker's Redis unless a carrier's token_store, token_dir or rate_store says otherwise.
    Stop it with SIGTERM or Ctrl-C (it finishes the parts it is shipping).
    """
    fleet = _fleet()
    settings = settings_from(config)
    fleet_config = _config(fleet, broker, journal, lease, visibility_timeout)
    try:
        fleet.run_worker(fleet_config, settings, threads=threads, name=name)
    except ConfigError as error:
        raise ConfigProblem(Redactor(settings)(str(error))) from None
