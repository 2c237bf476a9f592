"""Baaship: the ``token`` header, test or production server."""

from .client import ENVIRONMENTS, client

__all__ = ["ENVIRONMENTS", "client"]
