"""WeChat mini-program shop: access tokens (``tokens``) and the httpx auth that attaches them (``auth``)."""

from .auth import WeChatAuth
from .client import client
from .tokens import WeChatTokenManager

__all__ = ["WeChatAuth", "WeChatTokenManager", "client"]
