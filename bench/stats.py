"""Timing arithmetic: medians, quartile spread and ratios of side-by-side samples."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Sample", "interleaved", "per_round_ratios", "ratio"]


@dataclass(frozen=True)
class Sample:
    """Measurements of one thing (seconds, bytes, anything), in the order they were taken."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def quartiles(self) -> tuple[float, float]:
        """The 25th and 75th percentiles (the values themselves when there are fewer than four)."""
        if len(self.values) < 4:
            return min(self.values), max(self.values)
        low, _, high = statistics.quantiles(self.values, n=4, method="inclusive")
        return low, high

    def spread(self, scale: float = 1.0, digits: int = 2) -> str:
        """``p25-p75`` (or ``min-max`` for fewer than four values), scaled, for a report."""
        low, high = self.quartiles
        return f"{low * scale:.{digits}f}-{high * scale:.{digits}f}"

    def describe(self, scale: float = 1.0, unit: str = "", digits: int = 2) -> str:
        """``median (p25-p75, n=N)`` for a report."""
        kind = "p25-p75" if len(self.values) >= 4 else "min-max"
        middle = f"{self.median * scale:.{digits}f}{unit}"
        return f"{middle} ({kind} {self.spread(scale, digits)}, n={len(self.values)})"


def ratio(numerator: Sample, denominator: Sample) -> float:
    """The ratio of the medians."""
    return numerator.median / denominator.median


def per_round_ratios(numerator: Sample, denominator: Sample) -> Sample:
    """Round-by-round ratios of two interleaved samples (their spread shows how steady the ratio is)."""
    pairs = zip(numerator.values, denominator.values, strict=True)
    return Sample(tuple(a / b for a, b in pairs))


def interleaved(
    sides: Mapping[str, Callable[[], float]],
    rounds: int,
    warmup: int = 0,
    between: Callable[[], object] | None = None,
) -> dict[str, Sample]:
    """Run every side once per round, rotating their order each round; return each side's sample.

    Each side returns its own measurement (so setup it needs stays outside the timed part); ``between``
    runs untimed after every measurement. Rotating the order spreads any drift of a shared, noisy machine
    (and any first-or-last position effect) evenly over the sides.
    """
    names: Sequence[str] = list(sides)
    found: dict[str, list[float]] = {name: [] for name in names}
    for number in range(warmup + rounds):
        shift = number % len(names)
        for name in [*names[shift:], *names[:shift]]:
            value = sides[name]()
            if number >= warmup:
                found[name].append(value)
            if between is not None:
                between()
    return {name: Sample(tuple(values)) for name, values in found.items()}
