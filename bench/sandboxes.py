"""The carrier sandboxes in child processes (one per carrier), seeded and inspected over pipes.

Why child processes: a sandbox serves from threads of the process that starts it, so in-process servers
would share one interpreter lock with the client being measured, and four sandboxes in one process would
share one lock among themselves. Each in its own process, they run beside the client as real carrier APIs
run on their own machines, and the client's figures are its own.

``SandboxProcesses`` is a context manager: entering starts the sandboxes (faults off) and learns their
settings (``shipspec_sandbox.clients.sandbox_settings``: URLs, default credentials, a TikTok token from an
auth-code exchange); leaving stops them and the children, whatever happened. A child whose parent dies stops
by itself (its pipe closes).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

__all__ = ["SandboxProcesses"]

STOP = "stop"
START_TIMEOUT_SECONDS = 60.0
COMMAND_TIMEOUT_SECONDS = 300.0


def _add_packages(sandboxes: Any, ids: Sequence[str]) -> int:
    """Seed (or reset to AWAITING_SHIPMENT) TikTok packages of the default shop."""
    app = sandboxes.app("tiktok_shop")
    for package_id in ids:
        app.add_package(package_id)
    return len(ids)


def _add_orders(sandboxes: Any, orders: Sequence[tuple[int, Sequence[tuple[int, int, int]]]]) -> int:
    """Seed paid WeChat orders: ``(order_id, [(product_id, sku_id, count), …])``."""
    app = sandboxes.app("wechat_shop")
    for order_id, items in orders:
        app.add_order(order_id, items)
    return len(orders)


def _set_credit(sandboxes: Any, balance: float) -> float:
    """Give the DeftShip account enough balance for the labels a run buys."""
    app = sandboxes.app("deftship")
    app.set_credit(balance)
    return float(app.balance())


def _ledger_count(sandboxes: Any, carrier: str | None = None) -> int:
    """How many side effects the sandboxes recorded (optionally for one carrier)."""
    return len(sandboxes.ledger.entries(carrier=carrier))


COMMANDS: dict[str, Callable[..., Any]] = {
    "add_packages": _add_packages,
    "add_orders": _add_orders,
    "set_credit": _set_credit,
    "ledger_count": _ledger_count,
}


def _serve(connection: Connection, carriers: tuple[str, ...], validate: bool, latency: float) -> None:
    """The child: start the sandboxes, answer commands until told to stop or the parent goes away."""
    from shipspec_sandbox import start_sandboxes
    from shipspec_sandbox.clients import sandbox_settings

    with start_sandboxes(carriers, validate=validate, latency_seconds=latency) as sandboxes:
        connection.send(("ready", sandbox_settings(sandboxes)))
        while True:
            try:
                command, args = connection.recv()
            except (EOFError, OSError):
                return  # the parent is gone
            if command == STOP:
                connection.send(("stopped", None))
                return
            try:
                connection.send(("ok", COMMANDS[command](sandboxes, *args)))
            except Exception as exc:  # reported to the parent, which raises it there
                connection.send(("error", f"{command}: {type(exc).__name__}: {exc}"))


class _Child:
    """One carrier's sandbox in a child process."""

    def __init__(self, carrier: str, validate: bool, latency: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, self._child_end = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(self._child_end, (carrier,), validate, latency),
            name=f"bench-{carrier}",
            daemon=True,
        )

    def start(self) -> None:
        self._process.start()
        self._child_end.close()

    def settings(self) -> dict[str, dict[str, str]]:
        settings: dict[str, dict[str, str]] = self._receive("ready", START_TIMEOUT_SECONDS)
        return settings

    def call(self, command: str, *args: Any) -> Any:
        self._connection.send((command, args))
        return self._receive("ok", COMMAND_TIMEOUT_SECONDS)

    def _receive(self, expected: str, timeout: float) -> Any:
        if not self._connection.poll(timeout):
            raise RuntimeError(f"the sandbox process did not answer within {timeout:.0f}s")
        status, payload = self._connection.recv()
        if status != expected:
            raise RuntimeError(f"the sandbox process answered {status}: {payload}")
        return payload

    def stop(self) -> None:
        """Ask the child to stop its servers; make sure it is gone either way."""
        if self._process.pid is None:
            return  # never started
        if self._process.is_alive():
            try:
                self._connection.send((STOP, ()))
                self._receive("stopped", 15.0)
            except (OSError, EOFError, RuntimeError):
                pass
            self._process.join(timeout=15.0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()


class SandboxProcesses:
    """Sandboxes of ``carriers``, each in its own child process (faults off; ``validate`` as given; every
    carrier request answered ``latency_seconds`` late)."""

    def __init__(
        self, carriers: Sequence[str], *, validate: bool = True, latency_seconds: float = 0.0
    ) -> None:
        self.carriers = tuple(carriers)
        self.validate = validate
        self.settings: dict[str, dict[str, str]] = {}
        self._children = {carrier: _Child(carrier, validate, latency_seconds) for carrier in self.carriers}

    def __enter__(self) -> SandboxProcesses:
        try:
            for child in self._children.values():  # start all, then wait: they boot in parallel
                child.start()
            for child in self._children.values():
                self.settings.update(child.settings())
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop()

    def add_packages(self, ids: Sequence[str]) -> int:
        """Seed (or reset to AWAITING_SHIPMENT) TikTok packages."""
        return int(self._children["tiktok_shop"].call("add_packages", list(ids)))

    def add_orders(self, orders: Sequence[tuple[int, Sequence[tuple[int, int, int]]]]) -> int:
        """Seed paid WeChat orders."""
        return int(self._children["wechat_shop"].call("add_orders", list(orders)))

    def set_credit(self, balance: float) -> float:
        """Set the DeftShip account's balance."""
        return float(self._children["deftship"].call("set_credit", balance))

    def ledger_count(self) -> int:
        """Side effects recorded by all the sandboxes."""
        return sum(int(child.call("ledger_count")) for child in self._children.values())

    def _stop(self) -> None:
        for child in self._children.values():
            child.stop()
