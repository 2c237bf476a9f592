"""Start the four carrier sandboxes together, sharing one ledger, one store and one fault plan."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from .app import CarrierSandbox
from .faults import FaultPlan
from .ledger import Ledger
from .server import SandboxServer
from .state import MemoryStore, SqliteStore, Store

__all__ = ["Sandboxes", "start_sandboxes"]

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")


# carrier → (module under shipspec_sandbox.carriers, class); imported on demand so one carrier's sandbox
# never pays for another's.
APPS = {
    "tiktok_shop": ("tiktok_shop", "TikTokSandbox"),
    "wechat_shop": ("wechat_shop", "WeChatSandbox"),
    "baaship": ("baaship", "BaashipSandbox"),
    "deftship": ("deftship", "DeftShipSandbox"),
}


def make_app(carrier: str, store: Store) -> CarrierSandbox:
    """Build one carrier's sandbox application."""
    if carrier not in APPS:
        raise ValueError(f"unknown carrier {carrier!r}; known: {', '.join(CARRIERS)}")
    module_name, class_name = APPS[carrier]
    module = importlib.import_module(f"{__package__}.carriers.{module_name}")
    app_class: type[CarrierSandbox] = getattr(module, class_name)
    return app_class(store)


@dataclass
class Sandboxes:
    """Running sandboxes: their URLs, the shared ledger and fault plan; a context manager that stops them."""

    servers: dict[str, SandboxServer]
    ledger: Ledger
    store: Store
    faults: FaultPlan = field(default_factory=FaultPlan)

    def url(self, carrier: str) -> str:
        return self.servers[carrier].url

    def app(self, carrier: str) -> CarrierSandbox:
        return self.servers[carrier].app

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.store.close()

    def __enter__(self) -> Sandboxes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandboxes(
    carriers: tuple[str, ...] = CARRIERS,
    *,
    faults: FaultPlan | None = None,
    db: Path | None = None,
    validate: bool = True,
    ports: dict[str, int] | None = None,
    latency_seconds: float = 0.0,
) -> Sandboxes:
    """Start sandboxes on free ports of 127.0.0.1 (or the given ports); persist state in ``db`` if given.

    ``latency_seconds`` delays every carrier request's answer by that long (a real carrier's latency)."""
    store: Store = SqliteStore(db) if db is not None else MemoryStore()
    ledger = Ledger(store)
    plan = faults or FaultPlan()
    servers: dict[str, SandboxServer] = {}
    try:
        for carrier in carriers:
            server = SandboxServer(
                make_app(carrier, store),
                ledger=ledger,
                faults=plan,
                validate=validate,
                port=(ports or {}).get(carrier, 0),
                latency_seconds=latency_seconds,
            )
            servers[carrier] = server.start()
    except BaseException:
        for server in servers.values():
            server.stop()
        store.close()
        raise
    return Sandboxes(servers, ledger, store, plan)
