"""WeChat sandbox: product/delivery/send and get_company_list, their documented refusals and the ledger."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from shipspec.errors import (
    AlreadyDoneError,
    CarrierError,
    InvalidRequestError,
    NotAllowedError,
    NotFoundError,
    RetryableError,
)
from shipspec_sandbox.carriers.wechat_shop import WeChatSandbox
from shipspec_sandbox.ledger import Ledger
from shipspec_sandbox.server import SandboxServer
from shipspec_sandbox.state import MemoryStore
from shipspec_wechat_shop.api.wechat_shop import get_delivery_company_list, send_delivery
from shipspec_wechat_shop.models import (
    DeliveryCompanyListData,
    GetDeliveryCompanyListRequest,
    SendDeliveryRequest,
)

from .wechat_shop_support import (
    RID,
    SEND_PATH,
    TIMEOUT,
    Running,
    documented_message,
    errcode,
    package,
    running,
    shipment,
    typed,
)

SEND = "sendDelivery"
ORDER = 42
ITEMS = [(10, 100, 2), (11, 110, 1), (12, 120, 3)]  # (product_id, sku_id, count)


@pytest.fixture
def wx() -> Iterator[Running]:
    with running() as started:
        started.app.add_order(ORDER, ITEMS)
        yield started


def sent(wx: Running) -> list[str]:
    """Ledger keys of the packages the sandbox really shipped, in order."""
    return [entry.key for entry in wx.sandboxes.ledger.entries(carrier="wechat_shop", action="delivery_sent")]


def test_whole_order_shipment_through_the_generated_client(wx: Running) -> None:
    """A whole-order shipment answers errcode 0 "ok", ships every item and records one package."""
    body = SendDeliveryRequest.from_dict(shipment(ORDER, package("SF1001")))
    answer = send_delivery.sync_detailed(client=wx.generated(wx.token()), body=body)
    assert answer.parsed is not None
    assert (answer.parsed.errcode, answer.parsed.errmsg) == (0, "ok")
    assert typed(SEND, answer) is None
    order = wx.app.order(ORDER)
    assert order is not None
    assert order["state"] == "SHIPPED"
    (entry,) = wx.sandboxes.ledger.entries(carrier="wechat_shop")
    assert entry.key == f"{ORDER}/SF1001"
    assert entry.result["products"] == [[10, 100, 2], [11, 110, 1], [12, 120, 3]]
    assert entry.result["order_complete"] is True


def test_resend_after_success_answers_109001_and_records_nothing(wx: Running) -> None:
    """Resending a shipped order answers 109001 (already_done) and the ledger keeps one entry."""
    token = wx.token()
    assert errcode(wx.send(shipment(ORDER, package("SF1001")), token)) == 0
    again = wx.send(shipment(ORDER, package("SF1001")), token)
    assert errcode(again) == 109001
    assert isinstance(typed(SEND, again), AlreadyDoneError)
    assert sent(wx) == [f"{ORDER}/SF1001"]
    assert wx.sandboxes.ledger.duplicates() == {}


def test_split_shipment_over_two_requests(wx: Running) -> None:
    """Split packages ship their SKUs, the order is PARTIALLY_SHIPPED between, SHIPPED at the end."""
    token = wx.token()
    first = shipment(ORDER, package("YT1", (10, 100, 2), (11, 110, 1), delivery_id="YTO"))
    assert errcode(wx.send(first, token)) == 0
    order = wx.app.order(ORDER)
    assert order is not None
    assert order["state"] == "PARTIALLY_SHIPPED"
    resent = wx.send(first, token)
    assert errcode(resent) == 109000  # its items have been shipped; the order itself has not
    assert "has been shipped" in resent.json()["errmsg"]
    assert errcode(wx.send(shipment(ORDER, package("ZT2", (12, 120, 3), delivery_id="ZTO")), token)) == 0
    order = wx.app.order(ORDER)
    assert order is not None
    assert order["state"] == "SHIPPED"
    assert sent(wx) == [f"{ORDER}/YT1", f"{ORDER}/ZT2"]
    complete = [
        entry.result["order_complete"] for entry in wx.sandboxes.ledger.entries(carrier="wechat_shop")
    ]
    assert complete == [False, True]
    assert errcode(wx.send(first, token)) == 109001


def test_several_packages_in_one_request(wx: Running) -> None:
    """One request with three split packages ships them all and records one entry per package."""
    body = shipment(ORDER, package("A", (10, 100, 2)), package("B", (11, 110, 1)), package("C", (12, 120, 3)))
    assert errcode(wx.send(body)) == 0
    assert sent(wx) == [f"{ORDER}/A", f"{ORDER}/B", f"{ORDER}/C"]


def test_whole_order_package_after_a_split_ships_the_rest(wx: Running) -> None:
    """is_all_product true on a partly shipped order ships the SKUs that remain."""
    token = wx.token()
    assert errcode(wx.send(shipment(ORDER, package("A", (10, 100, 2))), token)) == 0
    assert errcode(wx.send(shipment(ORDER, package("B")), token)) == 0
    (_, rest) = wx.sandboxes.ledger.entries(carrier="wechat_shop")
    assert rest.result["products"] == [[11, 110, 1], [12, 120, 3]]


def test_waybill_of_an_earlier_package_is_refused(wx: Running) -> None:
    """A package reusing the waybill of a shipped one answers 109000 (one waybill, one parcel)."""
    token = wx.token()
    assert errcode(wx.send(shipment(ORDER, package("A", (10, 100, 2))), token)) == 0
    reused = wx.send(shipment(ORDER, package("A", (11, 110, 1))), token)
    assert errcode(reused) == 109000
    assert "already used" in reused.json()["errmsg"]
    assert sent(wx) == [f"{ORDER}/A"]


def test_refused_request_ships_nothing_at_all(wx: Running) -> None:
    """A request with one bad package ships none of its packages (all or nothing)."""
    body = shipment(ORDER, package("A", (10, 100, 2)), package("B", (99, 990, 1)))
    assert errcode(wx.send(body)) == 109000
    order = wx.app.order(ORDER)
    assert order is not None
    assert order["state"] == "PAID"
    assert sent(wx) == []


def seed(state: str = "PAID", *, strict: bool = False, **options: Any) -> Callable[[WeChatSandbox], None]:
    def setup(app: WeChatSandbox) -> None:
        app.strict_companies = strict
        app.add_order(7, [(1, 11, 2), (2, 22, 1)], state, **options)

    return setup


def fail_next(code: int) -> Callable[[WeChatSandbox], None]:
    def setup(app: WeChatSandbox) -> None:
        seed()(app)
        app.fail_next_send(7, code)

    return setup


REFUSALS: dict[str, tuple[int, type[CarrierError], Callable[[WeChatSandbox], None], dict[str, Any]]] = {
    "order_not_found": (100002, NotFoundError, lambda app: None, shipment(7, package("W"))),
    "after_sale": (108009, NotAllowedError, seed("AFTER_SALE"), shipment(7, package("W"))),
    "cancelled": (101100, NotAllowedError, seed("CANCELLED"), shipment(7, package("W"))),
    "already_shipped": (109001, AlreadyDoneError, seed("SHIPPED"), shipment(7, package("W"))),
    "online_logistics": (109205, NotAllowedError, seed(online_logistics=True), shipment(7, package("W"))),
    "empty_delivery_list": (109002, InvalidRequestError, seed(), shipment(7)),
    "split_without_product_infos": (
        109002,
        InvalidRequestError,
        seed(),
        shipment(7, {"delivery_id": "SF", "waybill_id": "W", "is_all_product": False}),
    ),
    "sku_in_two_packages": (
        800001,
        InvalidRequestError,
        seed(),
        shipment(7, package("W1", (1, 11, 1)), package("W2", (1, 11, 1))),
    ),
    "sku_split_by_count": (800001, InvalidRequestError, seed(), shipment(7, package("W", (1, 11, 1)))),
    "whole_and_split_package": (
        800001,
        InvalidRequestError,
        seed(),
        shipment(7, package("W1"), package("W2", (2, 22, 1))),
    ),
    "product_not_in_order": (109000, InvalidRequestError, seed(), shipment(7, package("W", (3, 33, 1)))),
    "count_exceeds_order": (109000, InvalidRequestError, seed(), shipment(7, package("W", (1, 11, 3)))),
    "count_zero": (109000, InvalidRequestError, seed(), shipment(7, package("W", (1, 11, 0)))),
    "unknown_delivery_id_when_strict": (
        109000,
        InvalidRequestError,
        seed(strict=True),
        shipment(7, package("W", delivery_id="1")),
    ),
    "missing_waybill": (109000, InvalidRequestError, seed(), shipment(7, {"delivery_id": "SF"})),
    "waybill_twice_in_request": (
        109000,
        InvalidRequestError,
        seed(),
        shipment(7, package("W", (1, 11, 2)), package("W", (2, 22, 1))),
    ),
    "order_busy": (100003, RetryableError, fail_next(100003), shipment(7, package("W"))),
    "system_error": (-1, RetryableError, fail_next(-1), shipment(7, package("W"))),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_documented_refusals(case: str) -> None:
    """Each refusal answers its documented code and message with a rid, is typed, and ships nothing."""
    code, error_class, setup, body = REFUSALS[case]
    with running() as wx:
        setup(wx.app)
        answer = wx.send(body)
        assert errcode(answer) == code
        message = answer.json()["errmsg"]
        assert message.startswith(documented_message(SEND, code))
        assert RID.search(message)
        assert isinstance(typed(SEND, answer), error_class)
        assert sent(wx) == []


def test_the_docs_delivery_id_1_ships_by_default(wx: Running) -> None:
    """The doc's example delivery_id "1" is not in the sandbox's company list and ships all the same."""
    assert errcode(wx.send(shipment(ORDER, package("W", delivery_id="1")))) == 0
    assert sent(wx) == [f"{ORDER}/W"]


def test_transient_failure_is_consumed_then_the_order_ships(wx: Running) -> None:
    """A queued 100003 answers once; the resend ships the order."""
    wx.app.fail_next_send(ORDER, 100003)
    token = wx.token()
    assert errcode(wx.send(shipment(ORDER, package("W")), token)) == 100003
    assert errcode(wx.send(shipment(ORDER, package("W")), token)) == 0
    assert sent(wx) == [f"{ORDER}/W"]


def test_after_sale_opened_mid_way_blocks_the_rest(wx: Running) -> None:
    """An after-sale opened after a partial shipment answers 108009; reopening lets the rest ship."""
    token = wx.token()
    assert errcode(wx.send(shipment(ORDER, package("A", (10, 100, 2))), token)) == 0
    wx.app.set_order_state(ORDER, "AFTER_SALE")
    assert errcode(wx.send(shipment(ORDER, package("B")), token)) == 108009
    wx.app.set_order_state(ORDER, "PAID")
    order = wx.app.order(ORDER)
    assert order is not None
    assert order["state"] == "PARTIALLY_SHIPPED"
    assert errcode(wx.send(shipment(ORDER, package("B")), token)) == 0


class SlowStore(MemoryStore):
    """A store whose order reads take a while, so an unlocked read-modify-write would race visibly."""

    def get(self, namespace: str, key: str) -> Any | None:
        value = super().get(namespace, key)
        if namespace == "wechat_shop.orders":
            time.sleep(0.02)
        return value


def test_concurrent_resends_ship_once() -> None:
    """Eight simultaneous sends of one order: one success, seven 109001, one ledger entry."""
    store = SlowStore()
    app = WeChatSandbox(store)
    app.add_order(ORDER, ITEMS)
    ledger = Ledger(store)
    server = SandboxServer(app, ledger=ledger).start()
    try:
        token = app.issue_token()
        with httpx.Client(base_url=server.url, timeout=TIMEOUT) as http:

            def send(_: int) -> int:
                body = shipment(ORDER, package("W"))
                return errcode(http.post(SEND_PATH, params={"access_token": token}, json=body))

            with ThreadPoolExecutor(max_workers=8) as pool:
                codes = list(pool.map(send, range(8)))
    finally:
        server.stop()
    assert sorted(codes) == [0] + [109001] * 7
    assert [entry.key for entry in ledger.entries()] == [f"{ORDER}/W"]


@pytest.mark.parametrize("shape", ["top_level", "data"])
def test_company_list_in_both_documented_shapes(shape: str) -> None:
    """The company list comes at the top level (live API) or, switched, under data; both parse."""
    with running(company_list_shape=shape) as wx:
        parsed = get_delivery_company_list.sync(
            client=wx.generated(wx.token()), body=GetDeliveryCompanyListRequest()
        )
        assert parsed is not None
        assert parsed.errcode == 0
        if shape == "top_level":
            listed = parsed.company_list
        else:
            assert isinstance(parsed.data, DeliveryCompanyListData)
            listed = parsed.data.company_list
        assert isinstance(listed, list)
        codes = [company.delivery_id for company in listed]
        assert {"SF", "YTO", "ZTO"} <= set(codes)
        raw = wx.http.post("/product/delivery/get_company_list", params={"access_token": wx.token()}).json()
        assert ("company_list" in raw) is (shape == "top_level")
        assert ("data" in raw) is (shape == "data")
