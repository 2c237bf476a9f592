"""WeChat access tokens for the sandbox: issue, rotate, check and expire them (vendor-facts §2.1).

Two separate families per app, as on the live platform:

- ``classic`` (``GET /cgi-bin/token``): every call issues a new token; the previous one keeps working for
  ``PREVIOUS_TOKEN_OVERLAP`` seconds (about 5 minutes) and then answers 40001 ("not the latest").
- ``stable`` (``POST /cgi-bin/stable_token``): normal mode returns the current token until it has less than
  ``PREVIOUS_TOKEN_OVERLAP`` seconds left, then issues a new one (the old one lives out its own lifetime);
  ``force_refresh`` issues a new one and invalidates the current one at once (the official page: "causes the
  last access_token to be invalidated"), at most 20 a day and 30 s apart.

Everything lives in the shared store so a restarted sandbox (SQLite) still knows its tokens. Callers hold
``store.transaction()`` around each method; times are passed in (``now``) so tests can drive a fake clock.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shipspec_wechat_shop.limits import (
    ACCESS_TOKEN_LIFETIME,
    PREVIOUS_TOKEN_OVERLAP,
    STABLE_TOKEN_FORCE_REFRESH_MIN_INTERVAL,
    STABLE_TOKEN_FORCE_REFRESH_PER_DAY,
)

from ..state import Store

NS_COUNTERS = "wechat_shop.counters"
NS_TOKENS = "wechat_shop.tokens"  # token → {appid, family, issued_at, expires_at, valid_until}
NS_CURRENT = "wechat_shop.current_tokens"  # "<family>:<appid>" → the latest token of that family
NS_FORCE = "wechat_shop.force_refreshes"  # appid → {day, count, last}
NS_REQUESTS = "wechat_shop.token_requests"  # "<operationId>:<appid>" → number of calls
CLASSIC, STABLE = "classic", "stable"
# WeChat's "per day" is a China-time day (UTC+8); the docs do not say, this is the plausible reading.
DAY_OFFSET_SECONDS = 8 * 3600

__all__ = ["CLASSIC", "STABLE", "Issued", "TokenBook", "TokenStatus", "next_number"]


def next_number(store: Store, name: str) -> int:
    """The next value of a persisted counter (1, 2, …): deterministic ids that survive a restart."""
    with store.transaction():
        value = int(store.get(NS_COUNTERS, name) or 0) + 1
        store.put(NS_COUNTERS, name, value)
    return value


class TokenStatus(StrEnum):
    """What a presented access_token is right now."""

    VALID = "valid"
    UNKNOWN = "unknown"  # never issued here
    EXPIRED = "expired"  # past expires_at
    SUPERSEDED = "superseded"  # replaced (classic overlap over, or stable force_refresh)


@dataclass(frozen=True)
class Issued:
    """A token answer: the token and its remaining lifetime in whole seconds."""

    token: str
    expires_in: int


class TokenBook:
    """Every token the sandbox issued, per app and family, kept in the shared store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def issue_classic(self, appid: str, now: float) -> Issued:
        """A new classic token; the previous one keeps working for the overlap only."""
        with self.store.transaction():
            self._retire(CLASSIC, appid, now + PREVIOUS_TOKEN_OVERLAP)
            return Issued(self._new(CLASSIC, appid, now), ACCESS_TOKEN_LIFETIME)

    def stable(self, appid: str, now: float, *, force_refresh: bool) -> Issued:
        """The app's stable token: the current one in normal mode unless it nears expiry, else a new one."""
        with self.store.transaction():
            if force_refresh:
                self._retire(STABLE, appid, now)
                self._note_force_refresh(appid, now)
                return Issued(self._new(STABLE, appid, now), ACCESS_TOKEN_LIFETIME)
            token = self.store.get(NS_CURRENT, f"{STABLE}:{appid}")
            record = self.store.get(NS_TOKENS, token) if token else None
            if record is not None and self._status(record, now) is TokenStatus.VALID:
                left = record["expires_at"] - now
                if left > PREVIOUS_TOKEN_OVERLAP:  # the platform rotates about 5 minutes early
                    return Issued(str(token), math.floor(left))
            # Normal rotation: the old token is not revoked, it simply runs out.
            return Issued(self._new(STABLE, appid, now), ACCESS_TOKEN_LIFETIME)

    def force_refresh_refusal(self, appid: str, now: float) -> str | None:
        """Why a force_refresh would break the documented limits now, or None when it is allowed."""
        seen = self.store.get(NS_FORCE, appid)
        if seen is None or seen["day"] != _day(now):
            return None
        if seen["count"] >= STABLE_TOKEN_FORCE_REFRESH_PER_DAY:
            return (
                f"force_refresh used {seen['count']} times today (limit {STABLE_TOKEN_FORCE_REFRESH_PER_DAY})"
            )
        since = now - seen["last"]
        if since < STABLE_TOKEN_FORCE_REFRESH_MIN_INTERVAL:
            return (
                f"force_refresh {since:.0f} s after the previous one "
                f"(at least {STABLE_TOKEN_FORCE_REFRESH_MIN_INTERVAL} s apart)"
            )
        return None

    def check(self, token: str, now: float) -> tuple[TokenStatus, str | None]:
        """The token's status and the appid it belongs to (None when unknown)."""
        record = self.store.get(NS_TOKENS, token)
        if record is None:
            return TokenStatus.UNKNOWN, None
        return self._status(record, now), str(record["appid"])

    def expire(self, token: str, now: float) -> bool:
        """Make a token expired as of ``now`` (42001 from then on); False when it was never issued."""
        with self.store.transaction():
            record = self.store.get(NS_TOKENS, token)
            if record is None:
                return False
            record["expires_at"] = min(record["expires_at"], now)
            self.store.put(NS_TOKENS, token, record)
        return True

    def count_request(self, operation_id: str, appid: str) -> None:
        """Count one call of a token endpoint, answered or refused."""
        with self.store.transaction():
            key = f"{operation_id}:{appid}"
            self.store.put(NS_REQUESTS, key, int(self.store.get(NS_REQUESTS, key) or 0) + 1)

    def requests(self, operation_id: str | None = None, appid: str | None = None) -> int:
        """How many token calls were made, optionally for one endpoint and/or app."""
        total = 0
        for key, count in self.store.items(NS_REQUESTS):
            operation, _, app = key.partition(":")
            if operation_id in (None, operation) and appid in (None, app):
                total += int(count)
        return total

    # --- internals ---------------------------------------------------------------------------------

    def _new(self, family: str, appid: str, now: float) -> str:
        number = next_number(self.store, "token")
        # Deterministic, opaque and well under the 512 characters WeChat tells callers to reserve.
        digest = hashlib.sha256(f"wechat_shop:{family}:{appid}:{number}".encode()).hexdigest()
        token = f"{number}_{digest}"
        record: dict[str, Any] = {
            "appid": appid,
            "family": family,
            "issued_at": now,
            "expires_at": now + ACCESS_TOKEN_LIFETIME,
            "valid_until": None,
        }
        self.store.put(NS_TOKENS, token, record)
        self.store.put(NS_CURRENT, f"{family}:{appid}", token)
        return token

    def _retire(self, family: str, appid: str, until: float) -> None:
        """Limit the current token of a family to ``until`` (it is being replaced)."""
        token = self.store.get(NS_CURRENT, f"{family}:{appid}")
        record = self.store.get(NS_TOKENS, token) if token else None
        if token is None or record is None:
            return
        previous = record["valid_until"]
        record["valid_until"] = until if previous is None else min(previous, until)
        self.store.put(NS_TOKENS, token, record)

    def _note_force_refresh(self, appid: str, now: float) -> None:
        seen = self.store.get(NS_FORCE, appid)
        count = seen["count"] + 1 if seen is not None and seen["day"] == _day(now) else 1
        self.store.put(NS_FORCE, appid, {"day": _day(now), "count": count, "last": now})

    @staticmethod
    def _status(record: dict[str, Any], now: float) -> TokenStatus:
        if now >= record["expires_at"]:
            return TokenStatus.EXPIRED
        if record["valid_until"] is not None and now >= record["valid_until"]:
            return TokenStatus.SUPERSEDED
        return TokenStatus.VALID


def _day(now: float) -> int:
    return int((now + DAY_OFFSET_SECONDS) // 86400)
