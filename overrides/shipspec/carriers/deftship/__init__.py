"""DeftShip: bearer token; the base URL is required (no public sandbox host is known)."""

from .client import client

__all__ = ["client"]
