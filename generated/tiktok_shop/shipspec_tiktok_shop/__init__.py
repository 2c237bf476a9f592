"""A client library for accessing TikTok Shop Partner API (fulfillment ship + token)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
