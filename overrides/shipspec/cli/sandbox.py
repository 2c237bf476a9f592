"""``shipspec sandbox``: run the local carrier sandboxes, or read a sandbox ledger."""

from __future__ import annotations

import json
import os
import shlex
import signal
import threading
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import httpx
import yaml
from rich.console import Console
from rich.table import Table

from ..config import CARRIERS
from ..sandbox.faults import FAULT_KINDS, FaultPlan
from ..sandbox.ledger import Ledger
from ..sandbox.state import SqliteStore
from ..settings import DEFAULT_TIMEOUT
from .common import out_console
from .seed import SeedError, apply_seed, load_seed

if TYPE_CHECKING:  # the servers and their request validator load only when a sandbox starts
    from ..sandbox.runner import Sandboxes

console = Console(stderr=True)


def _fault_plan(seed: int, share: float, kinds: str, faults_file: Path | None) -> FaultPlan:
    if faults_file is not None:
        config: dict[str, Any] = yaml.safe_load(faults_file.read_text(encoding="utf-8")) or {}
        config.setdefault("seed", seed)
        return FaultPlan.from_config(config)
    chosen = [kind.strip() for kind in kinds.split(",") if kind.strip()]
    unknown = sorted(set(chosen) - set(FAULT_KINDS))
    if unknown:
        raise click.BadParameter(f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}")
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
    from ..sandbox.clients import sandbox_settings

    return "".join(
        f"export SHIPSPEC_{carrier.upper()}_{name.upper()}={shlex.quote(value)}\n"
        for carrier, values in sandbox_settings(running).items()
        for name, value in sorted(values.items())
    )


def _ports(values: tuple[str, ...]) -> dict[str, int]:
    ports = {}
    for value in values:
        carrier, _, port = value.partition("=")
        if carrier not in CARRIERS or not port.isdigit():
            raise click.BadParameter(f"--port takes CARRIER=PORT with a carrier of {', '.join(CARRIERS)}")
        ports[carrier] = int(port)
    return ports


@click.group(invoke_without_command=True)
@click.option("--carrier", "carriers", multiple=True, type=click.Choice(CARRIERS), help="Default: all four.")
@click.option("--seed", default=0, show_default=True, help="Seed of the fault plan (reproducible runs).")
@click.option("--fault-share", default=0.0, show_default=True, help="Share of requests that get a fault.")
@click.option(
    "--fault-kinds",
    default="error_5xx,reset,timeout_after_commit,rate_limit,malformed,html",
    show_default=True,
    help=f"Comma-separated kinds the share is spread over: {', '.join(FAULT_KINDS)}.",
)
@click.option(
    "--faults", "faults_file", type=click.Path(path_type=Path, exists=True), help="YAML fault plan."
)
@click.option("--db", type=click.Path(path_type=Path), help="Persist state and ledger in this SQLite file.")
@click.option("--port", "ports", multiple=True, help="CARRIER=PORT; default: free ports.")
@click.option("--no-validate", is_flag=True, help="Skip request validation against the specs (faster).")
@click.option("--ready-file", type=click.Path(path_type=Path), help="Write {carrier: url} JSON here once up.")
@click.option(
    "--seed-data",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="YAML/JSON records to preload: tiktok_shop.packages, wechat_shop.orders (see examples/).",
)
@click.option(
    "--env-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write SHIPSPEC_<CARRIER>_<SETTING> exports for these sandboxes here (mode 0600).",
)
@click.option("--for-seconds", type=float, help="Stop after this many seconds (default: until Ctrl-C).")
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
    plan = _fault_plan(seed, fault_share, fault_kinds, faults_file)
    try:
        records = load_seed(seed_data) if seed_data is not None else {}
    except SeedError as error:
        raise click.BadParameter(str(error), param_hint="--seed-data") from None
    from ..sandbox.runner import start_sandboxes

    running = start_sandboxes(
        carriers or CARRIERS, faults=plan, db=db, validate=not no_validate, ports=_ports(ports)
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        try:
            seeded = apply_seed(running, records)
        except SeedError as error:
            raise click.BadParameter(str(error), param_hint="--seed-data") from None
        table = Table(title="shipspec sandboxes")
        for column in ("carrier", "url", "credentials"):
            table.add_column(column)
        for carrier, server in running.servers.items():
            table.add_row(carrier, server.url, server.app.credentials_hint())
        console.print(table)
        if seeded:
            console.print(f"seeded {seeded} records from {seed_data}")
        if env_file is not None:
            _write_private(env_file, _env_lines(running))
        if ready_file is not None:
            urls = {carrier: server.url for carrier, server in running.servers.items()}
            _write_private(ready_file, json.dumps(urls))
        stop.wait(for_seconds)
    except KeyboardInterrupt:
        pass
    finally:
        entries = running.ledger.entries()
        running.stop()
        console.print(f"stopped; the ledger holds {len(entries)} side effects")


@sandbox.command()
@click.option("--url", "urls", multiple=True, help="A running sandbox's base URL (repeatable).")
@click.option("--db", type=click.Path(path_type=Path, exists=True), help="A sandbox SQLite file.")
@click.option("--as-json", is_flag=True, help="Print JSON lines instead of a table.")
@click.option("--summary", is_flag=True, help="Count the side effects per carrier and action instead.")
def ledger(urls: tuple[str, ...], db: Path | None, as_json: bool, summary: bool) -> None:
    """Print what the sandboxes really created or shipped, and any duplicates."""
    if not urls and db is None:
        raise click.UsageError("give --url (repeatable) or --db")
    entries: list[dict[str, Any]] = []
    for url in urls:
        answer = httpx.get(f"{url.rstrip('/')}/__sandbox/ledger", timeout=DEFAULT_TIMEOUT)
        answer.raise_for_status()
        entries += answer.json()["entries"]
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
