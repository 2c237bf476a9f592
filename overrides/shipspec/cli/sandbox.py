"""``shipspec sandbox``: run the local carrier sandboxes, or read a sandbox ledger.

Every option is checked before a sandbox starts (exit 2 with the option named, never a traceback): a
fault plan or share that cannot mean anything, a port out of range or taken, a --db that exists but is
not a sandbox database (it is never turned into one), an output file whose folder does not exist.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import sqlite3
import threading
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from shipspec_sandbox.faults import FAULT_KINDS, FaultPlan, FaultPlanError
from shipspec_sandbox.ledger import Ledger
from shipspec_sandbox.state import SqliteStore

from ..config import CARRIERS, variable
from .catalog import short_help
from .common import ConfigProblem, out_console
from .sandbox_options import database, finite, given, new_file, parse_ports, remote_entries
from .seed import SeedError, apply_seed, load_seed

if TYPE_CHECKING:  # the servers and their request validator load only when a sandbox starts
    from shipspec_sandbox.runner import Sandboxes

console = Console(stderr=True)


def _fault_plan(
    ctx: click.Context, seed: int, share: float, kinds: str, faults_file: Path | None
) -> FaultPlan:
    if faults_file is not None:
        also = [f"--{name.replace('_', '-')}" for name in ("fault_share", "fault_kinds") if given(ctx, name)]
        if also:  # the plan file says everything: a share beside it would be silently ignored
            raise click.UsageError(f"give --faults or {' and '.join(also)}, not both")
        try:
            return FaultPlan.from_file(faults_file, seed=seed)
        except FaultPlanError as error:
            raise click.BadParameter(str(error), param_hint="'--faults'") from None
    chosen = [kind.strip() for kind in kinds.split(",") if kind.strip()]
    unknown = sorted(set(chosen) - set(FAULT_KINDS))
    if unknown:
        raise click.BadParameter(
            f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}", param_hint="'--fault-kinds'"
        )
    if share > 0 and not chosen:
        raise click.BadParameter(
            "names no fault kind to spread --fault-share over", param_hint="'--fault-kinds'"
        )
    return FaultPlan.uniform(seed, share, chosen) if share > 0 else FaultPlan(seed=seed)


def _write_private(path: Path, text: str) -> None:
    """Write atomically (a reader polling for the file never sees half of it), readable by the owner only."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def _env_lines(running: Sandboxes) -> str:
    """``export SHIPSPEC_<CARRIER>_<SETTING>='…'`` for every running sandbox (bash/dotenv-readable)."""
    from shipspec_sandbox.clients import sandbox_settings

    return "".join(
        f"export {variable(carrier, name)}={shlex.quote(value)}\n"
        for carrier, values in sandbox_settings(running).items()
        for name, value in sorted(values.items())
    )


def _start(
    carriers: tuple[str, ...],
    plan: FaultPlan,
    db: Path | None,
    validate: bool,
    ports: dict[str, int],
    latency_ms: float = 0.0,
) -> Sandboxes:
    """Start the sandboxes; a port that is taken (or a database that cannot be used) exits 2."""
    from shipspec_sandbox.runner import start_sandboxes

    try:
        return start_sandboxes(
            carriers, faults=plan, db=db, validate=validate, ports=ports, latency_seconds=latency_ms / 1000
        )
    except OSError as error:
        asked = " ".join(f"--port {carrier}={port}" for carrier, port in ports.items())
        raise ConfigProblem(
            f"cannot start the sandboxes on 127.0.0.1: {error.strerror or error}"
            + (f" (asked for {asked})" if asked else "")
        ) from None
    except sqlite3.Error as error:
        raise ConfigProblem(f"--db {db}: cannot use it: {error}") from None


def _write_outputs(running: Sandboxes, env_file: Path | None, ready_file: Path | None) -> None:
    """Write --env-file and --ready-file; a file that cannot be written exits 2 (the sandboxes stop)."""
    for option, target in (("--env-file", env_file), ("--ready-file", ready_file)):
        if target is None:
            continue
        if option == "--env-file":
            text = _env_lines(running)
        else:
            text = json.dumps({carrier: server.url for carrier, server in running.servers.items()})
        try:
            _write_private(target, text)
        except OSError as error:  # its folder was checked, but a full disk or a race can still refuse it
            raise ConfigProblem(f"{option} {target}: cannot write it: {error.strerror}") from None


@click.group(invoke_without_command=True, short_help=short_help("sandbox"))
@click.option("--carrier", "carriers", multiple=True, type=click.Choice(CARRIERS), help="Default: all four.")
@click.option("--seed", default=0, show_default=True, help="Seed of the fault plan (reproducible runs).")
@click.option(
    "--fault-share",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    callback=finite,
    help="Share of requests that get a fault, 0 to 1.",
)
@click.option(
    "--fault-kinds",
    default="error_5xx,reset,timeout_after_commit,rate_limit,malformed,html",
    show_default=True,
    help=f"Comma-separated kinds the share is spread over: {', '.join(FAULT_KINDS)}.",
)
@click.option(
    "--faults",
    "faults_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="YAML fault plan (instead of --fault-share and --fault-kinds).",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=database,
    help="Persist state and ledger in this SQLite file (a new file, or one an earlier sandbox wrote).",
)
@click.option("--port", "ports", multiple=True, help="CARRIER=PORT; default: free ports.")
@click.option("--no-validate", is_flag=True, help="Skip request validation against the specs (faster).")
@click.option(
    "--latency-ms",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0),
    callback=finite,
    help="Answer every carrier request this many milliseconds late (a real carrier's latency).",
)
@click.option(
    "--ready-file",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=new_file,
    help="Write {carrier: url} JSON here once up.",
)
@click.option(
    "--seed-data",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="YAML/JSON records to preload: tiktok_shop.packages, wechat_shop.orders (see examples/).",
)
@click.option(
    "--env-file",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=new_file,
    help="Write SHIPSPEC_<CARRIER>_<SETTING> exports for these sandboxes here (mode 0600).",
)
@click.option(
    "--for-seconds",
    type=click.FloatRange(0),
    callback=finite,
    help="Stop after this many seconds (default: until Ctrl-C).",
)
@click.pass_context
def sandbox(
    ctx: click.Context,
    carriers: tuple[str, ...],
    seed: int,
    fault_share: float,
    fault_kinds: str,
    faults_file: Path | None,
    db: Path | None,
    ports: tuple[str, ...],
    no_validate: bool,
    latency_ms: float,
    ready_file: Path | None,
    seed_data: Path | None,
    env_file: Path | None,
    for_seconds: float | None,
) -> None:
    """Run local, stateful sandboxes of the carrier APIs on 127.0.0.1.

    --env-file writes the settings the other shipspec commands need to use them (base URLs, the default
    sandbox credentials, tokens of a TikTok seller authorization made at start-up): source it.
    """
    if ctx.invoked_subcommand is not None:
        return
    plan = _fault_plan(ctx, seed, fault_share, fault_kinds, faults_file)
    started = carriers or CARRIERS
    chosen_ports = parse_ports(ports, started)
    try:
        records = load_seed(seed_data) if seed_data is not None else {}
    except SeedError as error:
        raise click.BadParameter(str(error), param_hint="'--seed-data'") from None
    running = _start(started, plan, db, not no_validate, chosen_ports, latency_ms)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        try:
            seeded = apply_seed(running, records)
        except SeedError as error:
            raise click.BadParameter(str(error), param_hint="'--seed-data'") from None
        table = Table(title="shipspec sandboxes")
        for column in ("carrier", "url", "credentials"):
            table.add_column(column)
        for carrier, server in running.servers.items():
            table.add_row(carrier, server.url, server.app.credentials_hint())
        console.print(table)
        if seeded:
            console.print(f"seeded {seeded} records from {seed_data}")
        _write_outputs(running, env_file, ready_file)
        stop.wait(for_seconds)
    except KeyboardInterrupt:
        pass
    finally:
        entries = running.ledger.entries()
        running.stop()
        console.print(f"stopped; the ledger holds {len(entries)} side effects")


@sandbox.command()
@click.option("--url", "urls", multiple=True, help="A running sandbox's base URL (repeatable).")
@click.option(
    "--db",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    callback=database,
    help="The --db file of a sandbox (nothing in it is changed).",
)
@click.option("--as-json", is_flag=True, help="Print JSON lines instead of a table.")
@click.option("--summary", is_flag=True, help="Count the side effects per carrier and action instead.")
def ledger(urls: tuple[str, ...], db: Path | None, as_json: bool, summary: bool) -> None:
    """Print what the sandboxes really created or shipped, and any duplicates."""
    if not urls and db is None:
        raise click.UsageError("give --url (repeatable) or --db")
    entries: list[dict[str, Any]] = []
    for url in urls:
        entries += remote_entries(url)
    if db is not None:
        store = SqliteStore(db)
        entries += [asdict(entry) for entry in Ledger(store).entries()]
        store.close()
    if as_json:
        for entry in entries:
            click.echo(json.dumps(entry, ensure_ascii=False))
        return
    table = Table(title="sandbox ledger")
    if summary:
        counts = Counter((entry["carrier"], entry["action"]) for entry in entries)
        for column in ("carrier", "action", "side effects"):
            table.add_column(column, justify="right" if column == "side effects" else "left")
        for (carrier, action), count in counts.items():
            table.add_row(carrier, action, str(count))
    else:
        for column in ("seq", "carrier", "action", "key", "result"):
            table.add_column(column)
        for entry in entries:
            table.add_row(
                str(entry["seq"]),
                entry["carrier"],
                entry["action"],
                entry["key"],
                json.dumps(entry["result"]),
            )
    out_console().print(table)
    seen: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        key = (entry["carrier"], entry["action"], entry["key"])
        seen[key] = seen.get(key, 0) + 1
    duplicates = {key: count for key, count in seen.items() if count > 1}
    click.echo(f"{len(entries)} side effects, {len(duplicates)} duplicated keys")
