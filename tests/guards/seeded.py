"""The one hypothesis profile of the property tests: 10,000 examples, derandomized, no example database.

Derandomized means seeded from the test itself: every run (and every clone) draws the same examples, so a
failure reproduces, and nothing is read from or written to ``.hypothesis/``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["EXAMPLES", "SEEDED"]

EXAMPLES = 10_000

SEEDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,  # a shared 2-core machine: timing is not what these properties are about
    suppress_health_check=list(HealthCheck),
)
