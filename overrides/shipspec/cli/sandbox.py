"""``shipspec sandbox``: run the local carrier sandboxes, or read a sandbox ledger."""

from __future__ import annotations

import json
import signal
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
import httpx
import yaml
from rich.console import Console
from rich.table import Table

from ..sandbox.faults import FAULT_KINDS, FaultPlan
from ..sandbox.ledger import Ledger
from ..sandbox.runner import CARRIERS, start_sandboxes
from ..sandbox.state import SqliteStore
from ..settings import DEFAULT_TIMEOUT

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
    for_seconds: float | None,
) -> None:
    """Run local, stateful sandboxes of the carrier APIs on 127.0.0.1."""
    if ctx.invoked_subcommand is not None:
        return
    plan = _fault_plan(seed, fault_share, fault_kinds, faults_file)
    running = start_sandboxes(
        carriers or CARRIERS, faults=plan, db=db, validate=not no_validate, ports=_ports(ports)
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        table = Table(title="shipspec sandboxes")
        for column in ("carrier", "url", "credentials"):
            table.add_column(column)
        for carrier, server in running.servers.items():
            table.add_row(carrier, server.url, server.app.credentials_hint())
        console.print(table)
        if ready_file is not None:
            urls = {carrier: server.url for carrier, server in running.servers.items()}
            ready_file.write_text(json.dumps(urls), encoding="utf-8")
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
def ledger(urls: tuple[str, ...], db: Path | None, as_json: bool) -> None:
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
    for column in ("seq", "carrier", "action", "key", "result"):
        table.add_column(column)
    for entry in entries:
        table.add_row(
            str(entry["seq"]), entry["carrier"], entry["action"], entry["key"], json.dumps(entry["result"])
        )
    Console().print(table)
    seen: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        key = (entry["carrier"], entry["action"], entry["key"])
        seen[key] = seen.get(key, 0) + 1
    duplicates = {key: count for key, count in seen.items() if count > 1}
    click.echo(f"{len(entries)} side effects, {len(duplicates)} duplicated keys")
