"""The release gate: what must hold before anything is built for an index.

- The version gate (``generator/versions.py``): a carrier spec changed since its last release carries at least
  the semver bump its breaking-change report asks for. Package versions are the specs' ``info.version``.
- The generated packages are what the specs produce now (their lock files say so); otherwise the version
  we would publish describes a spec the code does not match.
"""

from __future__ import annotations

from generator.build import packages
from generator.lock import is_current
from generator.versions import version_problems

from .errors import PublishError
from .paths import GENERATED

__all__ = ["gate_problems", "require_gate"]


def gate_problems() -> list[str]:
    """Return one line per reason not to publish; empty when the gate passes."""
    problems = version_problems()
    for name, spec in packages().items():
        if not is_current(GENERATED / name, spec):
            problems.append(
                f"generated/{name} is not what specs/{spec.name} and the pinned generator produce: "
                "run `make generate` (then `make test`)"
            )
    return problems


def require_gate() -> None:
    """Raise PublishError listing every gate problem."""
    problems = gate_problems()
    if problems:
        lines = "\n".join(f"  {line}" for line in problems)
        raise PublishError(f"refusing to publish: the version gate failed\n{lines}")
