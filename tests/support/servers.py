"""Start and stop local servers for tests: free ports, bounded waits, nothing left running."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODE_BIN = REPO / "node_modules" / ".bin"
STARTUP_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now (chosen by the OS, never fixed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve an in-process HTTP server for the block; yield its base URL; always shut it down and join it."""
    # A short poll interval so shutdown() returns quickly at the end of each test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_TIMEOUT_SECONDS)


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until something listens on the port; fail early if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server and its children (it runs in its own process group)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


@contextlib.contextmanager
def running(argv: Sequence[str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server for the duration of the block, its output going to a log file."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            list(argv), stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO
        )
        try:
            wait_for_port(port, process, STARTUP_TIMEOUT_SECONDS)
            yield process
        finally:
            stop(process)


@contextlib.contextmanager
def prism_mock(spec: Path, log_dir: Path) -> Iterator[str]:
    """Run a Prism mock of a spec on a free port; yield its base URL."""
    port = free_port()
    argv = [str(NODE_BIN / "prism"), "mock", "--host", "127.0.0.1", "--port", str(port), str(spec)]
    with running(argv, port, log_dir / f"prism-{spec.stem}.log"):
        yield f"http://127.0.0.1:{port}"
