"""TikTok Shop sandbox, credentials side: apps and shops, auth codes, tokens, the server's signature check.

The signature check is written here from the vendor's description (vendor-facts §1.3, the spec's root
``x-auth``) and deliberately does NOT import ``shipspec.carriers.tiktok_shop.signing``: a client and a server
sharing one signer would agree on any bug in it. The two only meet on the wire.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shipspec_tiktok_shop.limits import ACCESS_TOKEN_LIFETIME, AUTH_CODE_LIFETIME

from ..state import Store

APPS = "tiktok_shop.apps"  # app_key -> {"app_secret", "shops": [shop_cipher, ...]}
AUTH_CODES = "tiktok_shop.auth_codes"  # code -> {"app_key", "shops", "expires_at", "used", ...}
ACCESS_TOKENS = "tiktok_shop.access_tokens"  # token -> {"app_key", "shops", "expires_at", "refresh_token"}
REFRESH_TOKENS = "tiktok_shop.refresh_tokens"  # token -> {"app_key", "shops", "expires_at", "seller"}
COUNTERS = "tiktok_shop.counters"

# The docs do not state a default authorization period (refresh_token_expire_in "equals the authorization
# the seller granted"); a year is what integrations commonly report, and tests can choose their own.
DEFAULT_AUTHORIZATION_SECONDS = 365 * 24 * 3600
SCOPES = ("seller.fulfillment.basic", "seller.fulfillment.package.write")
SIGN_EXCLUDED = frozenset({"sign", "access_token"})

__all__ = ["Accounts", "TokenGrant", "expected_sign"]


def expected_sign(
    path: str, query_items: Iterable[tuple[str, str]], content_type: str, body: bytes, app_secret: str
) -> str:
    """The ``sign`` a correct client sends: HMAC-SHA256 (key app_secret, lowercase hex) of
    ``app_secret + path + k1v1k2v2… (+ body unless multipart/form-data) + app_secret``."""
    first: dict[str, str] = {}
    for key, value in query_items:
        # Repeated keys are undefined in the docs; the official Go sample reads only the first value.
        if key not in SIGN_EXCLUDED:
            first.setdefault(key, value)
    message = bytearray(app_secret.encode() + path.encode())
    for key in sorted(first, key=str.encode):  # ascending byte order, case-sensitive
        message += key.encode() + first[key].encode()
    # The media type decides, not the whole header: multipart always carries "; boundary=…".
    if content_type.split(";", 1)[0].strip().lower() != "multipart/form-data":
        message += body
    message += app_secret.encode()
    return hmac.new(app_secret.encode(), bytes(message), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class TokenGrant:
    """What the token endpoints answer in ``data`` (a failure is the code to answer instead)."""

    data: dict[str, Any] | None = None
    failure: str | None = None  # "auth_code", "credentials" or "refresh_token"


class Accounts:
    """Apps, their shops, auth codes and tokens, kept in the shared store (thread-safe via its lock)."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock

    # --- apps and shops ---------------------------------------------------------------------------

    def register_app(self, app_key: str, app_secret: str, shop_ciphers: Sequence[str] = ()) -> None:
        """Add or update an app (its secret) and authorize the given shops for it."""
        with self.store.transaction():
            shops = list((self.store.get(APPS, app_key) or {}).get("shops", []))
            shops += [shop for shop in shop_ciphers if shop not in shops]
            self.store.put(APPS, app_key, {"app_secret": app_secret, "shops": shops})

    def register_shop(self, shop_cipher: str, app_key: str) -> None:
        """Authorize one more shop for an existing app."""
        with self.store.transaction():
            app = self.store.get(APPS, app_key)
            if app is None:
                raise ValueError(f"unknown app_key {app_key!r}: register_app first")
            if shop_cipher not in app["shops"]:
                app["shops"].append(shop_cipher)
                self.store.put(APPS, app_key, app)

    def secret(self, app_key: str) -> str | None:
        app = self.store.get(APPS, app_key)
        return None if app is None else str(app["app_secret"])

    def shops(self, app_key: str) -> list[str]:
        return list((self.store.get(APPS, app_key) or {}).get("shops", []))

    def known_shop(self, shop_cipher: str) -> bool:
        return any(shop_cipher in app["shops"] for _, app in self.store.items(APPS))

    # --- auth codes and tokens --------------------------------------------------------------------

    def mint_auth_code(
        self,
        app_key: str,
        shop_ciphers: Sequence[str] | None = None,
        *,
        authorization_seconds: int = DEFAULT_AUTHORIZATION_SECONDS,
    ) -> str:
        """What a seller's authorization redirect delivers: a one-time code, valid for 30 minutes."""
        with self.store.transaction():
            shops = self.shops(app_key) if shop_ciphers is None else list(shop_ciphers)
            if self.secret(app_key) is None:
                raise ValueError(f"unknown app_key {app_key!r}: register_app first")
            if not set(shops) <= set(self.shops(app_key)):
                raise ValueError(f"shops {sorted(set(shops) - set(self.shops(app_key)))} are not the app's")
            code = f"SBX_code_{self.next_number('auth_code'):08d}"
            self.store.put(
                AUTH_CODES,
                code,
                {
                    "app_key": app_key,
                    "shops": shops,
                    "expires_at": self.clock() + AUTH_CODE_LIFETIME,
                    "used": False,
                    "authorization_seconds": authorization_seconds,
                },
            )
        return code

    def exchange(self, app_key: str, app_secret: str, auth_code: str) -> TokenGrant:
        """getAccessToken: the code works once, for its own app, within 30 minutes."""
        with self.store.transaction():
            if not self._credentials_ok(app_key, app_secret):
                return TokenGrant(failure="credentials")
            code = self.store.get(AUTH_CODES, auth_code)
            now = self.clock()
            if code is None or code["used"] or code["app_key"] != app_key or now >= code["expires_at"]:
                return TokenGrant(failure="auth_code")
            code["used"] = True  # spent even if the answer is lost on the way back: the docs say "once"
            self.store.put(AUTH_CODES, auth_code, code)
            number = self.next_number("seller")
            refresh_token = f"SBX_rt_{self.next_number('refresh_token'):08d}"
            refresh = {
                "app_key": app_key,
                "shops": code["shops"],
                "expires_at": int(now) + int(code["authorization_seconds"]),
                "seller": {
                    "open_id": f"sbx_open_{number:06d}",
                    "seller_name": f"Sandbox Seller {number}",
                    "seller_base_region": "GB",
                },
            }
            self.store.put(REFRESH_TOKENS, refresh_token, refresh)
            return TokenGrant(data=self._issue(refresh_token, refresh, now))

    def refresh(self, app_key: str, app_secret: str, refresh_token: str) -> TokenGrant:
        """refreshAccessToken: a new access token for an unexpired refresh token of the same app."""
        with self.store.transaction():
            if not self._credentials_ok(app_key, app_secret):
                return TokenGrant(failure="credentials")
            refresh = self.store.get(REFRESH_TOKENS, refresh_token)
            now = self.clock()
            if refresh is None or refresh["app_key"] != app_key or now >= refresh["expires_at"]:
                return TokenGrant(failure="refresh_token")
            # Undocumented, chosen: the refresh token is not rotated (its expiry is the seller's
            # authorization period, which a refresh does not extend), and earlier access tokens stay valid
            # until their own absolute expiry (nothing says a refresh revokes them).
            return TokenGrant(data=self._issue(refresh_token, refresh, now))

    def access_token(self, token: str) -> dict[str, Any] | None:
        """The stored access token (app_key, shops, expires_at), or None when it was never issued."""
        found = self.store.get(ACCESS_TOKENS, token)
        return found if isinstance(found, dict) else None

    def next_number(self, counter: str) -> int:
        """The next value of a persisted counter: ids stay deterministic and survive a restart."""
        with self.store.transaction():
            number = int(self.store.get(COUNTERS, counter) or 0) + 1
            self.store.put(COUNTERS, counter, number)
        return number

    def _credentials_ok(self, app_key: str, app_secret: str) -> bool:
        secret = self.secret(app_key)
        return secret is not None and hmac.compare_digest(secret.encode(), app_secret.encode())

    def _issue(self, refresh_token: str, refresh: dict[str, Any], now: float) -> dict[str, Any]:
        access_token = f"SBX_at_{self.next_number('access_token'):08d}"
        expires_at = int(now) + ACCESS_TOKEN_LIFETIME  # absolute Unix seconds, as the real API answers
        self.store.put(
            ACCESS_TOKENS,
            access_token,
            {
                "app_key": refresh["app_key"],
                "shops": refresh["shops"],
                "expires_at": expires_at,
                "refresh_token": refresh_token,
            },
        )
        return {
            "access_token": access_token,
            "access_token_expire_in": expires_at,
            "refresh_token": refresh_token,
            "refresh_token_expire_in": refresh["expires_at"],
            **refresh["seller"],
            "user_type": 0,
            "granted_scopes": list(SCOPES),
        }
