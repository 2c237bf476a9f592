"""TikTok Shop sandbox: signed shop API calls, the token endpoints, Batch Ship Packages with partial success.

Every answer is the documented envelope ``{code, message, request_id, data}`` with the message text of
the generated error tables; a request for no operation answers the gateway codes 36009009/36009010/36009014.
HTTP status: 401 for a bad signature (106001, vendor-facts §1.5), 429 for rate limiting (36009002);
everything else, business errors included, is HTTP 200 as the envelope design implies (the spec documents
no other status for these operations).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, ClassVar

from shipspec_tiktok_shop.operations import OPERATIONS

from ..app import CarrierSandbox, Problem, SandboxRequest, SandboxResponse
from ..ledger import Ledger
from ..state import Store
from ..validation import load_packaged_spec
from .tiktok_shop_auth import DEFAULT_AUTHORIZATION_SECONDS, Accounts, TokenGrant, expected_sign

DEFAULT_APP_KEY = "sandbox-app"
DEFAULT_APP_SECRET = "sandbox-secret"  # noqa: S105 - a sandbox-only value, shown in the start-up table
DEFAULT_SHOP_CIPHER = "SANDBOX_SHOP"
PACKAGES = "tiktok_shop.packages"  # package_id -> {"shop_cipher", "state", "shipping_type", ...}
TRACKING_NUMBERS = "tiktok_shop.tracking_numbers"  # tracking number -> package_id
STATES = ("AWAITING_SHIPMENT", "SHIPPED", "DELIVERED", "CANCELLED", "AFTER_SALE")
SHIPPING_TYPES = ("TIKTOK", "SELLER")
SHIP = "batchShipPackages"
# Why a package in this state cannot ship (checked in this order after "not found" and "wrong shop").
STATE_CODES = {"SHIPPED": 21011040, "DELIVERED": 21011027, "CANCELLED": 21011041, "AFTER_SALE": 21011007}
TIKTOK_PROVIDER_ID = "7000000000000000001"  # the sandbox's stand-in for TikTok's own carrier

INVALID_PARAMETER = 36009004
INVALID_PATH = 36009009
INVALID_HTTP_METHOD = 36009010
INVALID_API_VERSION = 36009014
INVALID_SIGN = 106001
SHOP_CIPHER_REQUIRED = 106013
TOKEN_EXPIRED = 105002
TOKEN_NOT_FOR_SHOP = 101000
TOO_MANY_REQUESTS = 36009002
UNSUPPORTED_CONTENT_TYPE = 36009022
INVALID_AUTH_CODE = 36004004

__all__ = ["TikTokSandbox"]


@cache
def _spec_facts() -> tuple[frozenset[str], frozenset[str], int, int]:
    """From the packaged spec: signed operations, operations taking shop_cipher, the timestamp window."""
    spec = load_packaged_spec("tiktok_shop")
    signed = frozenset(op for op, entry in OPERATIONS.items() if any("Sign" in r for r in entry.security))
    with_cipher = frozenset(
        operation["operationId"]
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        and any(p.get("name") == "shop_cipher" for p in operation.get("parameters", []))
    )
    skew = spec["x-auth"]["signing"]["timestamp"]["clock_skew"]
    return signed, with_cipher, int(skew["before"]), int(skew["after"])


class TikTokSandbox(CarrierSandbox):
    """The TikTok Shop Partner API (202309) as far as shipspec uses it.

    Quick start: a fresh sandbox knows the app ``app_key="sandbox-app"`` / ``app_secret="sandbox-secret"``
    with one shop ``shop_cipher="SANDBOX_SHOP"``. Get a token with ``code = sandbox.mint_auth_code()`` and
    ``GET /api/v2/token/get`` (or ``TikTokTokens.exchange_auth_code(code)``), seed packages with
    ``add_package(...)``, then sign and send ``POST /fulfillment/202309/packages/ship``. ``register_app`` /
    ``register_shop`` add more apps and shops. ``clock`` (Unix seconds) drives the timestamp window and
    every expiry; tests replace it.
    """

    carrier = "tiktok_shop"
    credentials: ClassVar[dict[str, str]] = {
        "app_key": DEFAULT_APP_KEY,
        "app_secret": DEFAULT_APP_SECRET,
        "shop_cipher": DEFAULT_SHOP_CIPHER,
    }
    # Changed by every resend of the same call, so fault decisions ignore them.
    volatile_query = frozenset({"app_key", "timestamp", "sign"})

    def __init__(self, store: Store, clock: Callable[[], float] | None = None) -> None:
        super().__init__(store)
        self.clock: Callable[[], float] = clock or time.time
        self.accounts = Accounts(store, lambda: self.clock())
        self._signed, self._takes_cipher, self._before, self._after = _spec_facts()
        if self.accounts.secret(DEFAULT_APP_KEY) is None:  # a persisted sandbox keeps what it had
            self.accounts.register_app(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, (DEFAULT_SHOP_CIPHER,))
        self.handlers["batchShipPackages"] = self._ship
        self.handlers["getAccessToken"] = self._get_token
        self.handlers["refreshAccessToken"] = self._refresh_token

    # --- seeding and inspection (public) ----------------------------------------------------------

    def register_app(self, app_key: str, app_secret: str, shop_ciphers: Sequence[str] = ()) -> None:
        """Add or update an app and authorize the given shops for it."""
        self.accounts.register_app(app_key, app_secret, shop_ciphers)

    def register_shop(self, shop_cipher: str, app_key: str = DEFAULT_APP_KEY) -> None:
        """Authorize one more shop for an app."""
        self.accounts.register_shop(shop_cipher, app_key)

    def mint_auth_code(
        self,
        app_key: str = DEFAULT_APP_KEY,
        shop_ciphers: Sequence[str] | None = None,
        *,
        authorization_seconds: int = DEFAULT_AUTHORIZATION_SECONDS,
    ) -> str:
        """A one-time auth_code (30 minutes) for the app's shops (all of them unless given)."""
        seconds = authorization_seconds
        return self.accounts.mint_auth_code(app_key, shop_ciphers, authorization_seconds=seconds)

    def add_package(
        self,
        package_id: str,
        shop_cipher: str = DEFAULT_SHOP_CIPHER,
        state: str = "AWAITING_SHIPMENT",
        shipping_type: str = "TIKTOK",
    ) -> None:
        """Seed (or overwrite) a package that Batch Ship Packages can be called for."""
        if state not in STATES:
            raise ValueError(f"state {state!r} is not one of {', '.join(STATES)}")
        if shipping_type not in SHIPPING_TYPES:
            raise ValueError(f"shipping_type {shipping_type!r} is not one of {', '.join(SHIPPING_TYPES)}")
        if not self.accounts.known_shop(shop_cipher):
            raise ValueError(f"shop_cipher {shop_cipher!r} is not registered: register_shop first")
        record = {"shop_cipher": shop_cipher, "state": state, "shipping_type": shipping_type}
        self.store.put(PACKAGES, package_id, record)

    def set_package_state(self, package_id: str, state: str) -> None:
        """Move a seeded package to another state (e.g. DELIVERED days after shipping)."""
        if state not in STATES:
            raise ValueError(f"state {state!r} is not one of {', '.join(STATES)}")
        with self.store.transaction():
            record = self.package(package_id)
            if record is None:
                raise KeyError(package_id)
            self.store.put(PACKAGES, package_id, {**record, "state": state})

    def package(self, package_id: str) -> dict[str, Any] | None:
        """The package as the sandbox holds it (state, tracking number, …), or None."""
        found = self.store.get(PACKAGES, package_id)
        return found if isinstance(found, dict) else None

    # --- documented answers used by the framework ---------------------------------------------------

    def authenticate(self, request: SandboxRequest) -> SandboxResponse | None:
        """The gateway checks, in the order a server needs them: app → timestamp → sign → cipher → token."""
        query = request.query
        if "shop_cipher" in query and request.operation_id not in self._takes_cipher:
            message = "Unexpected identifier: shop_cipher is not taken by this API."
            return self._fail(INVALID_PARAMETER, message)
        if request.operation_id not in self._signed:
            return None  # the token calls carry app_key/app_secret themselves and are not signed
        app_key = query.get("app_key", "")
        secret = self.accounts.secret(app_key) if app_key else None
        if secret is None:
            return self._fail(INVALID_PARAMETER, f"{'Invalid' if app_key else 'Missing'} app_key.")
        problem = self._timestamp_problem(query.get("timestamp"))
        if problem:
            return self._fail(INVALID_PARAMETER, problem)
        if not query.get("sign"):
            return self._fail(INVALID_PARAMETER, "Missing sign in the query.")
        content_type = request.headers.get("content-type", "")
        wanted = expected_sign(request.path, request.query_items, content_type, request.body, secret)
        if not _same(wanted, query["sign"]):
            return self._fail(INVALID_SIGN, status=401)
        shop_cipher = query.get("shop_cipher")
        if request.operation_id in self._takes_cipher and not shop_cipher:
            return self._fail(SHOP_CIPHER_REQUIRED)
        if shop_cipher and shop_cipher not in self.accounts.shops(app_key):
            return self._fail(INVALID_PARAMETER, "Invalid shop_cipher: no such shop is authorized.")
        denied = self._token_problem(request.headers.get("x-tts-access-token", ""), app_key, shop_cipher)
        if denied is not None:
            return denied
        media = content_type.split(";", 1)[0].strip().lower()
        if request.body and media not in ("application/json", "multipart/form-data"):
            return self._fail(UNSUPPORTED_CONTENT_TYPE)
        return None

    def unrouted(self, method: str, path: str) -> SandboxResponse:
        """The gateway's documented codes: wrong method (36009010), old or unknown version (36009014), else
        an unknown path (36009009); paths are /{category}/{version}/{resource} since 202309."""
        segments = path.rstrip("/").split("/")
        code = INVALID_PATH
        for operation in self.tables.operations.values():
            known = operation.path.rstrip("/").split("/")
            if known == segments:
                code = INVALID_HTTP_METHOD
                break
            same_but_version = len(known) == len(segments) > 2 and known[1] == segments[1]
            if same_but_version and known[3:] == segments[3:] and segments[2].isdigit():
                code = INVALID_API_VERSION
        return self._fail(code)

    def invalid(self, request: SandboxRequest, problems: list[Problem]) -> SandboxResponse:
        """Spec validation failed: the overloaded request-validation code with the problems in the message."""
        return self._fail(INVALID_PARAMETER, "Invalid request parameters: " + "; ".join(map(str, problems)))

    def rate_limited(self, request: SandboxRequest, retry_after_seconds: int) -> SandboxResponse:
        return self._fail(TOO_MANY_REQUESTS, status=429, headers={"Retry-After": str(retry_after_seconds)})

    def token_expired(self, request: SandboxRequest) -> SandboxResponse:
        return self._fail(TOKEN_EXPIRED)

    # --- gateway helpers ----------------------------------------------------------------------------

    def _timestamp_problem(self, raw: str | None) -> str | None:
        window = (
            f"a Unix time in seconds from {self._before} s before to {self._after} s after the server time"
        )
        if not raw:
            return f"Missing timestamp: send {window}."
        if not raw.isdigit():
            return f"Invalid timestamp {raw!r} (negative or not an integer): send {window}."
        now = self.clock()
        if not now - self._before <= int(raw) <= now + self._after:
            return f"Invalid timestamp {raw}: it must be {window} ({int(now)})."
        return None

    def _token_problem(self, token: str, app_key: str, shop_cipher: str | None) -> SandboxResponse | None:
        if not token:
            message = "Missing access token: send it in the x-tts-access-token header."
            return self._fail(INVALID_PARAMETER, message)
        found = self.accounts.access_token(token)
        if found is None or found["app_key"] != app_key:
            return self._fail(INVALID_PARAMETER, "Invalid access_token in the x-tts-access-token header.")
        if self.clock() >= found["expires_at"]:
            return self._fail(TOKEN_EXPIRED)
        if shop_cipher and shop_cipher not in found["shops"]:
            return self._fail(TOKEN_NOT_FOR_SHOP)  # the token's seller did not authorize this shop
        return None

    # --- token endpoints ----------------------------------------------------------------------------

    def _get_token(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        query = request.query
        # .get: with validation switched off (start_sandboxes(validate=False)) a parameter may be missing.
        grant = self.accounts.exchange(
            query.get("app_key", ""), query.get("app_secret", ""), query.get("auth_code", "")
        )
        return self._token_answer(grant, "getAccessToken")

    def _refresh_token(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        query = request.query
        refresh_token = query.get("refresh_token", "")
        grant = self.accounts.refresh(query.get("app_key", ""), query.get("app_secret", ""), refresh_token)
        return self._token_answer(grant, "refreshAccessToken")

    def _token_answer(self, grant: TokenGrant, operation: str) -> SandboxResponse:
        if grant.failure == "credentials":
            return self._fail(INVALID_PARAMETER, "Invalid app_key or app_secret.")
        if grant.failure == "auth_code":
            return self._fail(INVALID_AUTH_CODE, operation=operation)
        if grant.failure == "refresh_token":
            # The spec documents no code for a bad refresh token; 36009004 is the documented code for bad
            # request credentials (third-party reports of 36004001/36004005 are not in the spec's tables).
            message = "Invalid refresh_token: unknown, expired or for another app."
            return self._fail(INVALID_PARAMETER, message)
        return self._envelope(0, "success", grant.data)

    # --- Batch Ship Packages ------------------------------------------------------------------------

    def _ship(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        try:
            packages = request.json()["packages"]
            ids = [str(item["id"]) for item in packages]
        except (ValueError, KeyError, TypeError):
            message = "Invalid request parameters: body must be {packages: [{id}]}."
            return self._fail(INVALID_PARAMETER, message)
        # No rule on pickup slots: the doc's own example sends start_time equal to end_time, and nothing
        # documents a refusal of any slot.
        shop_cipher = request.query["shop_cipher"]
        errors = []
        with self.store.transaction():  # one batch at a time: the state checks and updates stay atomic
            for item, package_id in zip(packages, ids, strict=True):
                code = self._ship_one(package_id, item, shop_cipher, ledger)
                if code:
                    message = self._message(code)
                    errors.append({"code": code, "message": message, "detail": {"package_id": package_id}})
        # Partial success (vendor-facts §1.6): code 0, failed packages listed in data.errors, every package
        # not listed shipped. Even when every package fails the envelope stays code 0 with all of them listed:
        # the envelope code speaks for the call (gateway, auth, validation), data.errors for the packages, and
        # nothing documents a switch of shape when the list happens to cover the whole batch.
        return self._envelope(0, "Success", {"errors": errors})

    def _ship_one(self, package_id: str, item: dict[str, Any], shop_cipher: str, ledger: Ledger) -> int:
        """Ship one package, or return the documented code of why not (0 when shipped)."""
        record = self.package(package_id)
        if record is None:
            return 21011001
        if record["shop_cipher"] != shop_cipher:
            return 21011028
        if record["state"] in STATE_CODES:
            return STATE_CODES[record["state"]]
        if record["shipping_type"] == "SELLER":
            self_shipment = item.get("self_shipment") or {}
            tracking = str(self_shipment.get("tracking_number") or "").strip()
            provider = str(self_shipment.get("shipping_provider_id") or "").strip()
            if not tracking or not provider:
                return 21011022
            # Scope of the duplicate check is undocumented: a tracking number names one parcel, so it is
            # unique across the sandbox (the first package in request order keeps it).
            if self.store.get(TRACKING_NUMBERS, tracking) not in (None, package_id):
                return 21011025
        else:
            # TikTok shipping: TikTok's carrier assigns the tracking number; a self_shipment is ignored.
            tracking = f"SBX{self.accounts.next_number('tracking_number'):010d}"
            provider = TIKTOK_PROVIDER_ID
        self.store.put(TRACKING_NUMBERS, tracking, package_id)
        shipped = {
            **record,
            "state": "SHIPPED",
            "tracking_number": tracking,
            "shipping_provider_id": provider,
            "handover_method": item.get("handover_method"),
            "pickup_slot": item.get("pickup_slot"),
        }
        self.store.put(PACKAGES, package_id, shipped)
        ledger.record(
            self.carrier,
            "package_shipped",
            package_id,
            tracking_number=tracking,
            shipping_provider_id=provider,
            shop_cipher=shop_cipher,
        )
        return 0

    # --- envelopes ----------------------------------------------------------------------------------

    def _message(self, code: int, operation: str = SHIP) -> str:
        entry = self.tables.lookup(operation, code)
        if entry is None:
            raise LookupError(f"code {code} is not in the tiktok_shop tables")
        return entry.message

    def _fail(
        self,
        code: int,
        message: str | None = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        operation: str = SHIP,
    ) -> SandboxResponse:
        """An error envelope; the documented message unless a more specific one is given (36009004)."""
        text = message or self._message(code, operation)
        return self._envelope(code, text, None, status=status, headers=headers)

    def _envelope(
        self,
        code: int,
        message: str,
        data: dict[str, Any] | None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> SandboxResponse:
        request_id = f"SBX{self.accounts.next_number('request_id'):017d}"
        body = {"code": code, "message": message, "request_id": request_id, "data": data}
        return SandboxResponse.json(body, status, headers)


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())
