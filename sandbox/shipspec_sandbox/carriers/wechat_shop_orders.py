"""WeChat mini-shop orders in the sandbox: the order document and the rules of product/delivery/send.

An order is a JSON document ``{order_id, state, skus: [{product_id, sku_id, count, shipped}],
online_logistics, packages: [{delivery_id, waybill_id, products, at}], fail_next: [errcode…]}``. States:
``PAID`` (nothing shipped), ``PARTIALLY_SHIPPED``, ``SHIPPED``, ``AFTER_SALE``, ``CANCELLED``.

The vendor doc's one packaging rule, "if the order contains multiple identical items (same product_id and
same sku_id), these items must be shipped together in the same package", is enforced as: a package that
holds a SKU holds every unit of it. So a SKU can never be split, neither over the packages of one request
nor over requests, and a SKU that already shipped is refused (109000 "whether the goods have been shipped").

The docs give no order of checks; the one used (each refusal's code from the sendDelivery table):

1. 100002 order not found; then a queued transient failure (-1 or 100003, see ``fail_next``).
2. 108009 after-sale, 101100 cancelled, 109001 already fully shipped, 109205 online logistics order.
3. 109002: no packages, or a split package (is_all_product false) without product_infos.
4. 109000: a package without delivery_id/waybill_id (every sandbox order is an express order, which needs
   both), or (strict_companies only) a delivery_id not in the company list.
5. 109000: a product line without product_id/sku_id/product_cnt, or with a count below 1.
6. 800001: one SKU in two packages of the request (an is_all_product package holds every unshipped SKU).
7. 109000: a SKU not in the order, already shipped, or more units than ordered; 800001: fewer units than
   ordered (the rest would have to travel in another package).
8. 109000: a waybill_id used twice on the order, in this request or an earlier one (one waybill is one
   parcel, and the ledger key). Checked last so that a plain resend is told its items "have been shipped".

A request is checked as a whole and then shipped as a whole: all its packages or none.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

SEED_STATES = ("PAID", "SHIPPED", "AFTER_SALE", "CANCELLED")
Sku = tuple[int, int]
Order = dict[str, Any]

__all__ = ["SEED_STATES", "Order", "Refusal", "new_order", "progress", "ship"]


class Refusal(Exception):
    """A documented refusal: its errcode and what it was about (shown in errmsg)."""

    def __init__(self, code: int, detail: str | None = None) -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def new_order(
    order_id: int, items: Sequence[tuple[int, int, int]], state: str, *, online_logistics: bool
) -> Order:
    """A seeded order of (product_id, sku_id, count) lines; the same SKU twice becomes one line."""
    if state not in SEED_STATES:
        raise ValueError(f"state {state!r} is not one of {', '.join(SEED_STATES)}")
    counts: dict[Sku, int] = {}
    for product_id, sku_id, count in items:
        if count <= 0:
            raise ValueError(f"count of product {product_id} sku {sku_id} must be positive")
        counts[(product_id, sku_id)] = counts.get((product_id, sku_id), 0) + count
    if not counts:
        raise ValueError("an order needs at least one item")
    skus = [
        {"product_id": p, "sku_id": s, "count": c, "shipped": state == "SHIPPED"}
        for (p, s), c in counts.items()
    ]
    return {
        "order_id": order_id,
        "state": state,
        "skus": skus,
        "online_logistics": online_logistics,
        "packages": [],
        "fail_next": [],
    }


def progress(order: Order) -> str:
    """PAID, PARTIALLY_SHIPPED or SHIPPED, from the SKUs' shipped flags."""
    shipped = [sku["shipped"] for sku in order["skus"]]
    if all(shipped):
        return "SHIPPED"
    return "PARTIALLY_SHIPPED" if any(shipped) else "PAID"


def ship(
    order: Order, delivery_list: list[dict[str, Any]], companies: Collection[str] | None, now: float
) -> list[dict[str, Any]]:
    """Check a sendDelivery request against the order, then update the order in place (or raise Refusal).

    ``companies``: the delivery_ids accepted, or None to accept any (the doc's own example sends "1").

    Returns what each shipped package holds: order_id, waybill_id, delivery_id, products
    ([product_id, sku_id, count] lists) and order_complete.
    """
    _check_state(order)
    plan = _plan(order, delivery_list, companies)
    by_sku = {(sku["product_id"], sku["sku_id"]): sku for sku in order["skus"]}
    packages = []
    for entry, skus in zip(delivery_list, plan, strict=True):
        products = []
        for sku in skus:
            by_sku[sku]["shipped"] = True
            products.append([sku[0], sku[1], by_sku[sku]["count"]])
        delivery_id, waybill_id = entry["delivery_id"], entry["waybill_id"]
        order["packages"].append(
            {"delivery_id": delivery_id, "waybill_id": waybill_id, "products": products, "at": now}
        )
        packages.append(
            {
                "order_id": order["order_id"],
                "waybill_id": waybill_id,
                "delivery_id": delivery_id,
                "products": products,
            }
        )
    order["state"] = progress(order)
    complete = order["state"] == "SHIPPED"
    return [{**package, "order_complete": complete} for package in packages]


def _check_state(order: Order) -> None:
    state = order["state"]
    if state == "AFTER_SALE":
        raise Refusal(108009)
    if state == "CANCELLED":
        raise Refusal(101100, "order is cancelled")
    if state == "SHIPPED":
        raise Refusal(109001)
    if order["online_logistics"]:
        raise Refusal(109205)


def _plan(
    order: Order, delivery_list: list[dict[str, Any]], companies: Collection[str] | None
) -> list[list[Sku]]:
    """The SKUs each package ships (steps 3 to 8 of the module docstring), or a Refusal."""
    if not delivery_list:
        raise Refusal(109002, "delivery_list is empty")
    split = [entry.get("is_all_product", True) is False for entry in delivery_list]
    for index, entry in enumerate(delivery_list):
        if split[index] and not entry.get("product_infos"):
            raise Refusal(109002, f"delivery_list[{index}]: is_all_product is false without product_infos")
    _check_companies(delivery_list, companies)
    unshipped = [(sku["product_id"], sku["sku_id"]) for sku in order["skus"] if not sku["shipped"]]
    plan: list[list[Sku]] = []
    listed: dict[Sku, int] = {}
    for index, entry in enumerate(delivery_list):
        wanted = _lines(index, entry["product_infos"]) if split[index] else {}
        listed.update(wanted)
        plan.append(list(wanted) if split[index] else list(unshipped))
    seen: set[Sku] = set()
    for skus in plan:
        doubled = seen.intersection(skus)
        if doubled:
            product_id, sku_id = min(doubled)
            raise Refusal(800001, f"product_id {product_id} sku_id {sku_id} is in two packages")
        seen.update(skus)
    ordered = {(sku["product_id"], sku["sku_id"]): sku for sku in order["skus"]}
    for (product_id, sku_id), count in listed.items():
        where = f"product_id {product_id} sku_id {sku_id}"
        line = ordered.get((product_id, sku_id))
        if line is None:
            raise Refusal(109000, f"{where} is not in the order")
        if line["shipped"]:
            raise Refusal(109000, f"{where} has been shipped")
        if count > line["count"]:
            raise Refusal(109000, f"{where}: product_cnt {count} exceeds the {line['count']} ordered")
        if count < line["count"]:
            raise Refusal(800001, f"{where}: {count} of the {line['count']} ordered in this package")
    _check_waybills(order, delivery_list)
    return plan


def _check_companies(delivery_list: list[dict[str, Any]], companies: Collection[str] | None) -> None:
    for index, entry in enumerate(delivery_list):
        where = f"delivery_list[{index}]"
        delivery_id, waybill_id = entry.get("delivery_id"), entry.get("waybill_id")
        if not delivery_id or not waybill_id:
            raise Refusal(109000, f"{where}: express delivery needs delivery_id and waybill_id")
        if companies is not None and delivery_id not in companies:
            raise Refusal(109000, f"{where}: delivery_id {delivery_id!r} is not in the company list")


def _check_waybills(order: Order, delivery_list: list[dict[str, Any]]) -> None:
    used = {package["waybill_id"] for package in order["packages"]}
    for index, entry in enumerate(delivery_list):
        if entry["waybill_id"] in used:
            raise Refusal(
                109000,
                f"delivery_list[{index}]: waybill_id {entry['waybill_id']!r} is already used on this order",
            )
        used.add(entry["waybill_id"])


def _lines(index: int, product_infos: list[dict[str, Any]]) -> dict[Sku, int]:
    """A split package's lines by SKU; the same SKU listed twice in one package is one line."""
    wanted: dict[Sku, int] = {}
    for line_no, info in enumerate(product_infos):
        product_id, sku_id, count = info.get("product_id"), info.get("sku_id"), info.get("product_cnt")
        if product_id is None or sku_id is None or count is None or count < 1:
            where = f"delivery_list[{index}].product_infos[{line_no}]"
            raise Refusal(109000, f"{where} needs product_id, sku_id and a product_cnt of at least 1")
        wanted[(product_id, sku_id)] = wanted.get((product_id, sku_id), 0) + count
    return wanted
