"""What a fleet is made of: the broker and the journal every process shares, and the timings that keep a
task that runs at least once from shipping anything twice.

- ``lease``: how long a worker's holds on journal entries last without renewal (``shipspec.journal.owner``).
  A worker that vanished on another machine holds its shipments that long; another worker then reconciles
  them.
- ``visibility_timeout``: how long Redis keeps a task a worker took before handing it to another worker when
  it was not acknowledged (the worker died). It must exceed the longest task (a DeftShip batch can take
  tens of minutes), or a task still running is delivered twice (harmless, the journal holds it, but
  wasteful); and it must exceed the lease, so the task redelivered after a crash finds the dead worker's
  holds lapsed and reconciles at once instead of waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ..config import CARRIERS
from ..errors import ConfigError
from ..journal import LEASE_SECONDS
from ..journal import POSTGRES_SCHEMES as JOURNAL_SCHEMES

__all__ = ["VISIBILITY_TIMEOUT_SECONDS", "FleetConfig", "fleet_settings"]

VISIBILITY_TIMEOUT_SECONDS: Final = 7200.0
"""Two hours: above DeftShip's three phases of up to ten minutes each, with room to spare."""
BROKER_SCHEMES: Final = ("redis://", "rediss://")
TOKEN_CARRIERS: Final = ("tiktok_shop", "wechat_shop")
"""Carriers whose access tokens are fetched at run time and so must be shared by every worker."""


@dataclass(frozen=True)
class FleetConfig:
    """The broker (a Redis URL), the journal (a PostgreSQL URL) and the fleet's timings, checked."""

    broker: str
    journal: str
    lease: float = LEASE_SECONDS
    visibility_timeout: float = VISIBILITY_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if not self.broker.startswith(BROKER_SCHEMES):
            raise ConfigError("broker: use a redis:// or rediss:// URL")
        if not self.journal.startswith(JOURNAL_SCHEMES):
            raise ConfigError(
                "journal: a fleet needs a postgresql:// URL (every worker, on every machine, shares it)"
            )
        if self.lease <= 0:
            raise ConfigError(f"lease: must be more than 0 seconds, not {self.lease}")
        if self.visibility_timeout <= self.lease:
            lease, timeout = self.lease, self.visibility_timeout
            raise ConfigError(f"visibility_timeout: must exceed the lease ({lease:g} s), not {timeout:g}")

    @property
    def busy_wait(self) -> float:
        """How long a task waits before looking again at shipments another live worker holds."""
        return max(1.0, self.lease / 3)


def fleet_settings(settings: Mapping[str, Mapping[str, str]], broker: str) -> dict[str, dict[str, str]]:
    """Carrier settings for a fleet worker: tokens and pacing in the broker's Redis unless set otherwise.

    Every worker must share one WeChat/TikTok token and one view of each carrier's limits and pauses, so
    ``token_store`` (unless ``token_dir`` or ``token_store`` is set) and ``rate_store`` default to the broker.
    """
    shared: dict[str, dict[str, str]] = {name: dict(values) for name, values in settings.items()}
    for carrier, values in shared.items():
        if carrier not in CARRIERS:
            continue
        values.setdefault("rate_store", broker)
        if carrier in TOKEN_CARRIERS and "token_dir" not in values:
            values.setdefault("token_store", broker)
    return shared
