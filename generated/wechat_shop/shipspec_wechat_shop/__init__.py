"""A client library for accessing WeChat mini-program shop - delivery"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
