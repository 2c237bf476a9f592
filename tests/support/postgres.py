"""A private PostgreSQL server for tests: a fresh cluster in a temporary folder on a free loopback port.

``initdb`` and ``postgres`` refuse to run as root, so as root (CI) they run as the ``postgres`` system user
(created by Debian's postgresql package, which the Makefile bootstrap installs when it is missing). The
server listens on 127.0.0.1 only, trusts local connections (it holds nothing but test data), and is always
stopped (``pg_ctl stop -m immediate``, then SIGKILL) with its folder removed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .servers import free_port

START_TIMEOUT_SECONDS = 60
USER = "shipspec"


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (pg_ctl not found); run `make venv` to install it")
    return Path(versions[-1]).parent


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def _owned_by_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass(frozen=True)
class PostgresServer:
    """A running test server: its URL, and ``stop``/``start`` to take it away and bring it back (same port,
    same data) while clients hold connections."""

    url: str
    pg_ctl: list[str]
    options: str
    log: Path

    def stop(self) -> None:
        """Stop the server the way an administrator would (``-m fast``: clients are disconnected)."""
        subprocess.run(
            _as_server_user([*self.pg_ctl, "-m", "fast", "-w", "-t", "30", "stop"]),
            check=True,
            capture_output=True,
            timeout=40,
        )

    def postmaster_pid(self) -> int:
        """The server's main process (it accepts connections and starts one process for each)."""
        return int((Path(self.pg_ctl[-1]) / "postmaster.pid").read_text().splitlines()[0])

    def start(self) -> None:
        subprocess.run(
            _as_server_user(
                [*self.pg_ctl, "-o", self.options, "-l", str(self.log), "-w", "-t", "60", "start"]
            ),
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT_SECONDS + 10,
        )


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Run a PostgreSQL server for the block; yields its URL (``postgresql://shipspec@127.0.0.1:PORT/postgres``)."""
    with running_postgres() as server:
        yield server.url


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Run a PostgreSQL server for the block; yields it (its URL, and ``stop``/``start``)."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="shipspec-pg-"))
    os.chmod(root, 0o755)  # noqa: S103 - the server user must reach its folders inside
    data, sockets = root / "data", root / "sockets"
    for folder in (data, sockets):
        folder.mkdir()
        _owned_by_server_user(folder)
    port = free_port()
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8"]
        subprocess.run(
            _as_server_user([*initdb, "--no-sync"]),
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT_SECONDS,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=on -c max_connections=100"
        server = PostgresServer(
            f"postgresql://{USER}@127.0.0.1:{port}/postgres", pg_ctl, options, sockets / "log"
        )
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            subprocess.run(
                _as_server_user([*pg_ctl, "-m", "immediate", "-w", "-t", "20", "stop"]),
                capture_output=True,
                timeout=30,
            )
        pid_file = data / "postmaster.pid"
        with contextlib.suppress(Exception):
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, 9)
            time.sleep(0.2)
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """Create database ``name`` on the server at ``url`` (dropping an earlier one); its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"
