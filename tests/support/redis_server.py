"""A private redis-server for tests: a free loopback port, a temporary directory, no persistence.

``make test`` installs redis-server (the Debian package) when it is missing; run alone, a test that needs it
fails with a message saying so rather than being skipped.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from .servers import free_port, running

READY_TIMEOUT_SECONDS = 30.0


def redis_server_program() -> str:
    """The redis-server on PATH; RuntimeError saying how to get it otherwise."""
    program = shutil.which("redis-server")
    if program is None:
        raise RuntimeError(
            "redis-server is not installed: `make redis-server` (or `make test`) installs the Debian package"
        )
    return program


@contextlib.contextmanager
def private_redis(directory: Path) -> Iterator[str]:
    """Run redis-server on a free loopback port with its files in ``directory``; yield its redis:// URL."""
    port = free_port()
    argv = [
        redis_server_program(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(directory),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
    ]
    url = f"redis://127.0.0.1:{port}/0"
    with running(argv, port, directory / "redis.log"):
        wait_until_answering(url)
        yield url


def wait_until_answering(url: str) -> None:
    """Wait until PING answers (the port may open before Redis has loaded)."""
    client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    try:
        while True:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server for the test session (import this fixture into a conftest to use it)."""
    with private_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url
