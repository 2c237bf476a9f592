"""The WeChat mini-program shop sandbox: apps, both token endpoints, the company list and delivery/send.

Every answer is HTTP 200 with WeChat's envelope (``errcode``/``errmsg``; token successes are
``{access_token, expires_in}``), every code and message comes from the generated tables
(``shipspec_wechat_shop.error_codes``), and error messages end with `` rid: <hex>`` like the live API's
(vendor-facts §2.2). Tokens: see ``wechat_shop_tokens``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Literal

from shipspec_wechat_shop.limits import ACCESS_TOKEN_STORAGE_CHARS

from ..app import CarrierSandbox, Problem, SandboxRequest, SandboxResponse
from ..ledger import Ledger
from ..state import Store
from .wechat_shop_orders import SEED_STATES, Refusal, new_order, progress, ship
from .wechat_shop_tokens import TokenBook, TokenStatus, next_number

CARRIER = "wechat_shop"
NS_APPS = "wechat_shop.apps"  # appid → {secret, shop_api}
NS_ORDERS = "wechat_shop.orders"  # str(order_id) → order document (see wechat_shop_orders)
SEND, COMPANIES = "sendDelivery", "getDeliveryCompanyList"
CLASSIC_TOKEN, STABLE_TOKEN = "getAccessToken", "getStableAccessToken"
TOKEN_OPERATIONS = frozenset({CLASSIC_TOKEN, STABLE_TOKEN})
DEFAULT_APPID, DEFAULT_SECRET = "wxsandbox", "sandbox-secret"
DELIVERY_SENT = "delivery_sent"  # the ledger action: one entry per package registered on an order
# Short carrier codes as WeChat uses them (vendor-facts §2.3: SF, YTO, ZTO, …); names as the apps show them.
DEFAULT_COMPANIES: tuple[tuple[str, str], ...] = (
    ("SF", "顺丰速运"),
    ("YTO", "圆通速递"),
    ("ZTO", "中通快递"),
    ("STO", "申通快递"),
    ("YUNDA", "韵达快递"),
    ("EMS", "中国邮政EMS"),
    ("JD", "京东快递"),
)
TRANSIENT_SEND_CODES = frozenset({-1, 100003})  # what fail_next_send may queue
CompanyListShape = Literal["top_level", "data"]

__all__ = ["DEFAULT_APPID", "DEFAULT_COMPANIES", "DEFAULT_SECRET", "DELIVERY_SENT", "WeChatSandbox"]


class WeChatSandbox(CarrierSandbox):
    """A stateful WeChat mini-shop: apps, tokens, orders and shipments (carrier id ``wechat_shop``).

    Seed data (public methods; tests seed what they ship, nothing is accepted leniently):

    - Apps: ``register_app(appid, secret, shop_api=True)``. App ``"wxsandbox"`` with secret
      ``"sandbox-secret"`` exists from the start. ``shop_api=False`` makes business calls answer 48001.
    - Orders: ``add_order(order_id, [(product_id, sku_id, count), …], state="PAID")`` with state ``PAID``
      (shippable), ``SHIPPED`` (109001), ``AFTER_SALE`` (108009) or ``CANCELLED`` (101100);
      ``online_logistics=True`` gives 109205. ``set_order_state`` changes it later; ``order(id)`` reads it.
      Every order is an express order: each package needs ``delivery_id`` (from the company list) and
      ``waybill_id``.
    - ``fail_next_send(order_id, errcode)`` queues a transient -1 or 100003 for that order's next call.

    Tokens: ``issue_token(appid, stable=True)`` without HTTP, ``expire_token(token)`` (42001 from then on),
    ``token_requests(operation_id, appid)`` counts token calls. ``clock`` (unix seconds) is injectable and
    may be replaced at any time (``sandbox.clock = fake``).

    Switches (instance attributes, not persisted) for testing tolerant clients: ``bad_secret_code`` (40001,
    as the official getAccessToken page documents, or 40125 as third-party tables report),
    ``unknown_token_code`` (40001 as the official page documents for "invalid or not the latest", or
    40014 from the global code table), ``company_list_shape`` (``"top_level"``, what the live API is
    reported to send, or ``"data"``, the ministore page's ``data.company_list``), ``strict_companies`` (off by
    default: any delivery_id ships, as the doc's own example sends ``"1"``; on, a delivery_id missing from
    the company list answers 109000, an opt-in rule with no documented source).

    Bodies are read as JSON whatever their Content-Type (WeChat specifies none); bytes that are not JSON
    answer 47001, a grant_type other than ``client_credential`` 40002 (WeChat's global return-code table).

    Ledger: one ``delivery_sent`` entry per package that really ships, key ``"<order_id>/<waybill_id>"``
    (result: order_id, waybill_id, delivery_id, products, order_complete). A package is only ever recorded
    by the request that ships it; a resend is refused (109001, or 109000 for items already shipped), so a
    key seen twice means the sandbox shipped one parcel twice.
    """

    carrier = CARRIER
    credentials: ClassVar[dict[str, str]] = {"appid": DEFAULT_APPID, "secret": DEFAULT_SECRET}
    volatile_query = frozenset({"access_token"})  # the token changes between resends, the request does not
    # WeChat specifies no request content type: a JSON body is read as JSON whatever the header says.
    body_media_type = "application/json"

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        bad_secret_code: int = 40001,
        unknown_token_code: int = 40001,
        company_list_shape: CompanyListShape = "top_level",
        companies: Iterable[tuple[str, str]] = DEFAULT_COMPANIES,
        strict_companies: bool = False,
    ) -> None:
        super().__init__(store)
        if bad_secret_code not in (40001, 40125) or unknown_token_code not in (40001, 40014):
            raise ValueError("bad_secret_code is 40001 or 40125; unknown_token_code is 40001 or 40014")
        self.clock = clock
        self.bad_secret_code = bad_secret_code
        self.unknown_token_code = unknown_token_code
        self.company_list_shape: CompanyListShape = company_list_shape
        self.companies: tuple[tuple[str, str], ...] = tuple(companies)
        self.strict_companies = strict_companies
        self.tokens = TokenBook(store)
        with store.transaction():
            if store.get(NS_APPS, DEFAULT_APPID) is None:
                self.register_app(DEFAULT_APPID, DEFAULT_SECRET)
        self.handlers.update(
            {
                CLASSIC_TOKEN: self._get_access_token,
                STABLE_TOKEN: self._get_stable_access_token,
                COMPANIES: self._get_company_list,
                SEND: self._send_delivery,
            }
        )

    # --- seed data and test helpers ---------------------------------------------------------------

    def register_app(self, appid: str, secret: str, *, shop_api: bool = True) -> None:
        """Create or replace an app; ``shop_api=False``: the app lacks the shop API permission (48001)."""
        self.store.put(NS_APPS, appid, {"secret": secret, "shop_api": shop_api})

    def add_order(
        self,
        order_id: int,
        items: Sequence[tuple[int, int, int]],
        state: str = "PAID",
        *,
        online_logistics: bool = False,
    ) -> None:
        """Create an order of (product_id, sku_id, count) lines; the same SKU twice is one line."""
        order = new_order(order_id, items, state, online_logistics=online_logistics)
        with self.store.transaction():
            if self.store.get(NS_ORDERS, str(order_id)) is not None:
                raise ValueError(f"order {order_id} exists already")
            self.store.put(NS_ORDERS, str(order_id), order)

    def set_order_state(self, order_id: int, state: str) -> None:
        """Move an order to a seed state (e.g. an after-sale opens); SHIPPED marks every item shipped."""
        if state not in SEED_STATES:
            raise ValueError(f"state {state!r} is not one of {', '.join(SEED_STATES)}")
        with self.store.transaction():
            order = self._order_or_raise(order_id)
            if state == "SHIPPED":
                for sku in order["skus"]:
                    sku["shipped"] = True
            order["state"] = progress(order) if state == "PAID" else state
            self.store.put(NS_ORDERS, str(order_id), order)

    def order(self, order_id: int) -> dict[str, Any] | None:
        """A copy of the order document: state (PAID, PARTIALLY_SHIPPED, SHIPPED, …), skus, packages."""
        found: dict[str, Any] | None = self.store.get(NS_ORDERS, str(order_id))
        return found

    def fail_next_send(self, order_id: int, errcode: int, times: int = 1) -> None:
        """Answer the order's next ``times`` sendDelivery calls with -1 or 100003, shipping nothing."""
        if errcode not in TRANSIENT_SEND_CODES:
            raise ValueError(f"errcode {errcode} is not one of {sorted(TRANSIENT_SEND_CODES)}")
        with self.store.transaction():
            order = self._order_or_raise(order_id)
            order["fail_next"] += [errcode] * times
            self.store.put(NS_ORDERS, str(order_id), order)

    def issue_token(self, appid: str = DEFAULT_APPID, *, stable: bool = True) -> str:
        """A token for a registered app, as the stable (normal mode) or classic endpoint would give it."""
        if self.store.get(NS_APPS, appid) is None:
            raise ValueError(f"app {appid!r} is not registered")
        now = self.clock()
        issued = (
            self.tokens.stable(appid, now, force_refresh=False)
            if stable
            else self.tokens.issue_classic(appid, now)
        )
        return issued.token

    def expire_token(self, token: str) -> None:
        """Expire a token now: business calls with it answer 42001 from then on."""
        if not self.tokens.expire(token, self.clock()):
            raise ValueError("that token was never issued by this sandbox")

    def token_requests(self, operation_id: str | None = None, appid: str | None = None) -> int:
        """How many token calls passed validation (answered with a token or a refusal), per endpoint/app."""
        return self.tokens.requests(operation_id, appid)

    # --- framework hooks -----------------------------------------------------------------------------

    def authenticate(self, request: SandboxRequest) -> SandboxResponse | None:
        """Business calls need a current access_token of an app allowed to use the shop API."""
        operation_id = request.operation_id
        if operation_id in TOKEN_OPERATIONS:
            return None  # they carry appid/secret, checked by their handlers after validation
        token = request.query.get("access_token", "")
        if not token:
            return self._error(operation_id, 41001)
        if len(token) > ACCESS_TOKEN_STORAGE_CHARS and self._documented(operation_id, -2):
            # Longer than anything WeChat issues (callers reserve 512 characters): "Token too long".
            return self._error(operation_id, -2, f"{len(token)} characters")
        status, appid = self.tokens.check(token, self.clock())
        if status is TokenStatus.UNKNOWN:
            return self._error(operation_id, self.unknown_token_code)
        if status is TokenStatus.EXPIRED:
            return self._error(operation_id, 42001)
        if status is TokenStatus.SUPERSEDED:
            # The official text of 40001: "the access_token is invalid or not the latest".
            return self._error(operation_id, 40001, "not the latest")
        app = self.store.get(NS_APPS, appid or "")
        if app is not None and not app["shop_api"] and self._documented(operation_id, 48001):
            return self._error(operation_id, 48001)
        return None

    def invalid(self, request: SandboxRequest, problems: Sequence[object]) -> SandboxResponse:
        """A request that breaks the spec, answered with the operation's documented parameter code.

        sendDelivery: 109002 when delivery_list is missing (nothing to ship), else 109000, the doc's
        "check whether … is filled out correctly" catch-all, with the problem in errmsg.
        getDeliveryCompanyList: 9401020 "parameter error", documented for exactly this.
        Any operation: a body that is not JSON answers 47001 first (WeChat's code for it).
        Token endpoints: a bad grant_type answers 40002, a bad appid 40013, a bad secret ``bad_secret_code``,
        anything else (force_refresh, an undeclared member) 40013 as well, the closest documented "not a
        valid credential request" (kind auth: neither retried nor refreshed), with the problem in errmsg.
        """
        found = [p for p in problems if isinstance(p, Problem)]
        detail = "; ".join(str(p) for p in found) or "request does not match the spec"
        operation_id = request.operation_id
        try:
            request.json()
        except ValueError:
            return self._error(operation_id, 47001, "the body is not JSON")
        if operation_id == SEND:
            missing = any(
                not p.path and p.keyword == "required" and "'delivery_list'" in p.message for p in found
            )
            code = 109002 if missing else 109000
        elif operation_id == COMPANIES:
            code = 9401020
        elif any(_about(p, "grant_type") for p in found):
            code = 40002
        elif any(_about(p, "appid") for p in found):
            code = 40013
        elif any(_about(p, "secret") for p in found):
            code = self.bad_secret_code
        else:
            code = 40013
        return self._error(operation_id, code, detail)

    def rate_limited(self, request: SandboxRequest, retry_after_seconds: int) -> SandboxResponse:
        """WeChat signals exhausted quota in the body: HTTP 200, errcode 45009, no Retry-After.

        No source shows WeChat answering HTTP 429 or sending Retry-After; the spec's 45009 entry says the
        quota is daily and must not be retried the same day, so ``retry_after_seconds`` is not sent.
        """
        return self._error(request.operation_id, 45009)

    def token_expired(self, request: SandboxRequest) -> SandboxResponse:
        """42001 on business calls, and the presented token really expires (a refresh yields a new one).

        Token endpoints take no token, so they cannot see an expired one: they answer -1 "system busy"
        (documented on both), which likewise does no work.
        """
        if request.operation_id in TOKEN_OPERATIONS:
            return self._error(request.operation_id, -1)
        token = request.query.get("access_token", "")
        if token:
            self.tokens.expire(token, self.clock())
        return self._error(request.operation_id, 42001)

    # --- token endpoints ---------------------------------------------------------------------------

    def _get_access_token(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        query = request.query
        refused = self._check_app(CLASSIC_TOKEN, query["appid"], query["secret"])
        if refused is not None:
            return refused
        issued = self.tokens.issue_classic(query["appid"], self.clock())
        return SandboxResponse.json({"access_token": issued.token, "expires_in": issued.expires_in})

    def _get_stable_access_token(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = request.json()
        appid, force_refresh = str(body["appid"]), bool(body.get("force_refresh", False))
        refused = self._check_app(STABLE_TOKEN, appid, str(body["secret"]))
        if refused is not None:
            return refused
        with self.store.transaction():
            now = self.clock()
            limit = self.tokens.force_refresh_refusal(appid, now) if force_refresh else None
            if limit is not None:
                # The docs give 20 a day, 30 s apart, but no code: 45009 is the spec's only quota code.
                return self._error(STABLE_TOKEN, 45009, limit)
            issued = self.tokens.stable(appid, now, force_refresh=force_refresh)
        return SandboxResponse.json({"access_token": issued.token, "expires_in": issued.expires_in})

    def _check_app(self, operation_id: str, appid: str, secret: str) -> SandboxResponse | None:
        """Count the token call, then refuse an unknown appid (40013) or a wrong secret."""
        self.tokens.count_request(operation_id, appid)
        app = self.store.get(NS_APPS, appid)
        if app is None:
            return self._error(operation_id, 40013)
        if app["secret"] != secret:
            return self._error(operation_id, self.bad_secret_code)
        return None

    # --- business endpoints --------------------------------------------------------------------------

    def _get_company_list(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        listed = [{"delivery_id": code, "delivery_name": name} for code, name in self.companies]
        if self.company_list_shape == "data":
            return SandboxResponse.json({"errcode": 0, "errmsg": "ok", "data": {"company_list": listed}})
        return SandboxResponse.json({"errcode": 0, "errmsg": "ok", "company_list": listed})

    def _send_delivery(self, request: SandboxRequest, ledger: Ledger) -> SandboxResponse:
        body = request.json()
        order_id = int(body["order_id"])
        try:
            with self.store.transaction():  # check and commit atomically: one request ships an order part
                order = self.store.get(NS_ORDERS, str(order_id))
                if order is None:
                    raise Refusal(100002, f"order_id {order_id}")
                if order["fail_next"]:  # a queued transient failure: consumed, nothing shipped
                    code = order["fail_next"].pop(0)
                    self.store.put(NS_ORDERS, str(order_id), order)
                    raise Refusal(code)
                companies = {code for code, _ in self.companies} if self.strict_companies else None
                shipped = ship(order, body["delivery_list"], companies, self.clock())
                self.store.put(NS_ORDERS, str(order_id), order)
        except Refusal as refusal:
            return self._error(SEND, refusal.code, refusal.detail)
        # Recorded after the store lock is released: the ledger takes its own lock, then the store's.
        for package in shipped:
            ledger.record(CARRIER, DELIVERY_SENT, f"{order_id}/{package['waybill_id']}", **package)
        return SandboxResponse.json({"errcode": 0, "errmsg": "ok"})

    # --- answers ---------------------------------------------------------------------------------------

    def _documented(self, operation_id: str, code: int) -> bool:
        return self.tables.lookup(operation_id, code) is not None

    def _error(self, operation_id: str, code: int, detail: str | None = None) -> SandboxResponse:
        """The documented answer for a code: its message verbatim, the detail, and a rid like the live API."""
        entry = self.tables.lookup(operation_id, code)
        if entry is None:  # a programming error here: the sandbox serves documented codes only
            raise LookupError(f"{code} is not documented for {operation_id}")
        message = entry.message if detail is None else f"{entry.message} ({detail})"
        return SandboxResponse.json({"errcode": code, "errmsg": f"{message} rid: {self._rid()}"})

    def _rid(self) -> str:
        """A deterministic request id in the live shape (three groups of 8 hex digits)."""
        digest = hashlib.sha256(f"wechat_shop:rid:{next_number(self.store, 'rid')}".encode()).hexdigest()
        return f"{digest[:8]}-{digest[8:16]}-{digest[16:24]}"

    def _order_or_raise(self, order_id: int) -> dict[str, Any]:
        order: dict[str, Any] | None = self.store.get(NS_ORDERS, str(order_id))
        if order is None:
            raise KeyError(f"order {order_id} is not seeded")
        return order


def _about(problem: Problem, name: str) -> bool:
    """Whether a validation problem concerns the field ``name`` (by path, or named in a 'required')."""
    head = problem.path.split(".")[0]
    return head == name or (problem.keyword == "required" and f"'{name}'" in problem.message)
