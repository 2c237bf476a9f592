"""The checks of ``shipspec sandbox`` options: each bad value is a usage error naming the option (exit 2).

They run before any sandbox starts, so a mistake costs nothing and nothing is left half-written; a --db
is only ever read here (an unrelated file given by mistake is refused, never turned into a database).
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
from pathlib import Path
from typing import Any

import click
import httpx

from ..config import CARRIERS
from ..settings import DEFAULT_TIMEOUT

__all__ = ["database", "finite", "given", "new_file", "parse_ports", "remote_entries"]


def given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """click's FloatRange lets nan and inf through; neither is a share or a duration."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter("must be a finite number", ctx=ctx, param=param)
    return value


def new_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A file to write: its folder must exist (found out now, not after the sandboxes started)."""
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(f"the folder {value.parent} does not exist", ctx=ctx, param=param)
    return value


_SQLITE_HEADER = b"SQLite format 3\x00"


def sandbox_database(path: Path) -> str | None:
    """Why ``path`` is not a sandbox database (None when it is), found by reading only."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if (
        header != _SQLITE_HEADER
    ):  # looked at before SQLite opens it: SQLite takes an empty file for a database
        return "is not an SQLite database"
    try:
        # A plain connection, not mode=ro: a read-only one leaves the -wal and -shm files of a sandbox
        # database behind, while this one removes them on close. Nothing is written.
        with contextlib.closing(sqlite3.connect(path)) as db:
            columns = [row[1] for row in db.execute("PRAGMA table_info(docs)")]
    except sqlite3.Error as error:
        return f"cannot be read as an SQLite database ({error})"
    if columns != ["namespace", "key", "value"]:
        return "is an SQLite database, but not a sandbox's (no docs table)"
    return None


def database(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """--db: a sandbox database, or (for the sandbox itself) a new file; never an unrelated file made one."""
    if value is None:
        return None
    if not value.exists():
        new_file(ctx, param, value)
        return value
    problem = sandbox_database(value)
    if problem is not None:
        hint = " (give a new file name to start a new one)" if ctx.command.name == "sandbox" else ""
        raise click.BadParameter(f"{value} {problem}{hint}", ctx=ctx, param=param)
    return value


def parse_ports(values: tuple[str, ...], carriers: tuple[str, ...]) -> dict[str, int]:
    """--port CARRIER=PORT values, each for a carrier that starts, 1 to 65535, no port twice."""
    ports: dict[str, int] = {}
    for value in values:
        carrier, _, port = value.partition("=")
        if carrier not in CARRIERS or not port.isascii() or not port.isdigit():
            raise click.BadParameter(
                f"{value!r}: give CARRIER=PORT with a carrier of {', '.join(CARRIERS)}", param_hint="'--port'"
            )
        if not 1 <= int(port) <= 65535:
            raise click.BadParameter(f"{value!r}: a port is 1 to 65535", param_hint="'--port'")
        if carrier in ports:
            raise click.BadParameter(f"{value!r}: {carrier} has a port already", param_hint="'--port'")
        if int(port) in ports.values():
            raise click.BadParameter(f"{value!r}: two sandboxes cannot share a port", param_hint="'--port'")
        if carrier not in carriers:
            raise click.BadParameter(
                f"{value!r}: the {carrier} sandbox is not started", param_hint="'--port'"
            )
        ports[carrier] = int(port)
    return ports


def remote_entries(url: str) -> list[dict[str, Any]]:
    """The ledger of the sandbox at ``url``; a URL where no sandbox answers is a bad --url (exit 2)."""
    where = f"{url.rstrip('/')}/__sandbox/ledger"
    try:
        answer = httpx.get(where, timeout=DEFAULT_TIMEOUT)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise click.BadParameter(f"{url!r} is not an http:// URL", param_hint="'--url'") from None
    except httpx.HTTPError as error:
        raise click.BadParameter(f"no sandbox answers at {url} ({error})", param_hint="'--url'") from None
    try:
        answer.raise_for_status()
        entries = answer.json()["entries"]
        if not isinstance(entries, list):
            raise TypeError(entries)
    except (httpx.HTTPStatusError, ValueError, KeyError, TypeError):
        raise click.BadParameter(
            f"{url} is not a shipspec sandbox (GET {where} answered HTTP {answer.status_code})",
            param_hint="'--url'",
        ) from None
    return entries
