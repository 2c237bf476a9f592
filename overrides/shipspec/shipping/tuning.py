"""The batching shape every shipper shares: batch size, concurrency and bounded resend rounds."""

from __future__ import annotations

__all__ = ["BatchTuning"]


class BatchTuning:
    """Validates and exposes ``batch_size`` and ``concurrency`` (the Shipper protocol) and ``max_rounds``."""

    def __init__(self, *, batch_size: int, concurrency: int, max_rounds: int) -> None:
        if batch_size < 1 or concurrency < 1 or max_rounds < 1:
            raise ValueError("batch_size, concurrency and max_rounds must be at least 1")
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._max_rounds = max_rounds

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def concurrency(self) -> int:
        return self._concurrency
