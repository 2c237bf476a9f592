"""The one exception publishing raises: a refusal whose message says what is wrong and what to do."""

from __future__ import annotations

__all__ = ["PublishError"]


class PublishError(Exception):
    """Publishing stopped before doing harm; the message names the cause and the fix."""
