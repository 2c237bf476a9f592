"""TikTok Shop: request signing, the token lifecycle and per-package results of Batch Ship Packages."""

from .auth import TikTokAuth, operations_taking_shop_cipher
from .client import client
from .outcomes import PackageOutcome, PackageStatus, package_outcomes
from .signing import is_multipart, sign, string_to_sign
from .tokens import TikTokTokens

__all__ = [
    "PackageOutcome",
    "PackageStatus",
    "TikTokAuth",
    "TikTokTokens",
    "client",
    "is_multipart",
    "operations_taking_shop_cipher",
    "package_outcomes",
    "sign",
    "string_to_sign",
]
