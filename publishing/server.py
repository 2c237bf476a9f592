"""The embedded index: pypiserver on 127.0.0.1, uploads behind a password, no fallback to PyPI.

``--disable-fallback`` matters: by default pypiserver redirects a name it does not hold to pypi.org, which
would quietly turn "install from our index only" back into "install from anywhere". Uploads go to the first
folder; the other folders (the dependency wheels) are served read-only. Without ``--overwrite`` pypiserver
answers 409 to a re-upload, so a released file can never be replaced.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from .credentials import Credentials, write_htpasswd
from .errors import PublishError

__all__ = ["EmbeddedIndex", "free_port"]

HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


def free_port() -> int:
    """Return a port on 127.0.0.1 that the OS says is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class EmbeddedIndex:
    """A pypiserver process serving ``packages`` (uploads) plus read-only ``extra`` folders."""

    def __init__(
        self, root: Path, credentials: Credentials, *, extra: tuple[Path, ...] = (), port: int = 0
    ) -> None:
        self.root = root
        self.packages = root / "packages"
        self.credentials = credentials
        self.extra = extra
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The upload URL (pypiserver takes uploads at its root)."""
        return f"http://{HOST}:{self.port}/"

    @property
    def simple_url(self) -> str:
        """The PEP 503 index URL that pip's ``--index-url`` takes."""
        return f"{self.url}simple/"

    def start(self) -> EmbeddedIndex:
        """Start the server and wait until it answers; raise PublishError with its log if it cannot."""
        htpasswd = self.root / "htpasswd"
        write_htpasswd(htpasswd, self.credentials)
        self.packages.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "pypiserver", "run", "-p", str(self.port), "-i", HOST]
        argv += ["-a", "update", "-P", str(htpasswd), "--disable-fallback"]
        argv += [str(self.packages), *map(str, self.extra)]
        log_path = self.root / "server.log"
        with log_path.open("wb") as log_file:
            # Its own session, so stop() can end the server together with anything it spawned.
            self._process = subprocess.Popen(
                argv, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_ready(log_path)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, log_path: Path) -> None:
        assert self._process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise PublishError(f"pypiserver exited with {self._process.returncode}:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}health", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.1)
        raise PublishError(f"pypiserver did not answer on {self.url} within {STARTUP_TIMEOUT_SECONDS}s")

    def stop(self) -> None:
        """Stop the server (terminate, then kill after a grace period); safe to call twice.

        The process is forgotten only once it is gone, so a stop cut short (a signal arriving mid-wait) is
        completed by the next call, e.g. the ``__exit__`` the unwinding reaches.
        """
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT_SECONDS)
        self._process = None

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs (its session's id too)."""
        return self._process.pid if self._process is not None else None

    def __enter__(self) -> EmbeddedIndex:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
