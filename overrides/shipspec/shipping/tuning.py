"""The batching shape every shipper shares: batch size, concurrency, bounded resend rounds and a deadline."""

from __future__ import annotations

from ..settings import DEFAULT_DEADLINE_SECONDS

__all__ = ["BatchTuning"]


class BatchTuning:
    """Validates and exposes ``batch_size`` and ``concurrency`` (the Shipper protocol), ``max_rounds`` and
    ``deadline_seconds`` (what one shipment may take in all, see ``shipspec.deadline``)."""

    def __init__(
        self,
        *,
        batch_size: int,
        concurrency: int,
        max_rounds: int,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        if batch_size < 1 or concurrency < 1 or max_rounds < 1:
            raise ValueError("batch_size, concurrency and max_rounds must be at least 1")
        if deadline <= 0:
            raise ValueError("the deadline must be more than 0 seconds")
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._max_rounds = max_rounds
        self._deadline = deadline

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def concurrency(self) -> int:
        return self._concurrency

    @property
    def deadline_seconds(self) -> float:
        return self._deadline
