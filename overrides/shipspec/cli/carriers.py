"""``shipspec carriers``: the capability table of ``shipspec.shipping.registry``."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from rich.table import Table

from ..shipping.registry import CAPABILITIES, carriers_capabilities
from .catalog import short_help
from .common import out_console

__all__ = ["carriers_command"]


@click.command("carriers", short_help=short_help("carriers"))
@click.option("--as-json", is_flag=True, help="One JSON object per carrier instead of the table.")
def carriers_command(as_json: bool) -> None:
    """List the carriers, what each can do (ship, cancel, track, label, return) and their batch defaults."""
    infos = list(carriers_capabilities().values())
    if as_json:
        for info in infos:
            click.echo(json.dumps(asdict(info)))
        return
    table = Table(
        title="shipspec carriers", caption="batch size and concurrency: defaults (settings change them)"
    )
    table.add_column("carrier")
    for name in CAPABILITIES:
        table.add_column(name, justify="center")
    table.add_column("batch size", justify="right")
    table.add_column("concurrency", justify="right")
    for info in infos:
        marks = ["yes" if info.capabilities.get(name) else "-" for name in CAPABILITIES]
        numbers = [str(n) if n is not None else "?" for n in (info.batch_size, info.concurrency)]
        label = info.carrier if info.shipper else f"{info.carrier} (no shipper yet)"
        table.add_row(label, *marks, *numbers)
    out_console().print(table)
