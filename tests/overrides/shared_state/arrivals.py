"""Count requests where they arrive: a sandbox fault plan that notes each request's time and operation."""

from __future__ import annotations

import bisect
import threading
import time
from dataclasses import dataclass, field

from shipspec_sandbox.faults import FaultPlan, FaultRule

TRACKING, LABEL = "getTracking", "getShipmentLabel"  # Baaship operations the pacing tests send
LABEL_RETRY_AFTER = 3  # seconds the sandbox's 429 on getShipmentLabel asks for (conftest.py)


@dataclass
class RecordingPlan(FaultPlan):
    """The sandbox asks its plan about every routed request before anything else: note when it came."""

    arrivals: list[tuple[float, str]] = field(default_factory=list)
    _arrivals_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def decide(self, carrier: str, operation: str, identity: bytes) -> FaultRule | None:
        with self._arrivals_lock:
            self.arrivals.append((time.time(), operation))
        return super().decide(carrier, operation, identity)

    def times(self, operation: str) -> list[float]:
        """Arrival times (wall clock) of one operation, in order."""
        with self._arrivals_lock:
            return sorted(at for at, name in self.arrivals if name == operation)


def most_in_any_window(times: list[float], window: float) -> int:
    """The largest number of arrivals inside any half-open interval [t, t + window) starting at an arrival."""
    return max(
        (bisect.bisect_left(times, start + window) - index for index, start in enumerate(times)), default=0
    )
