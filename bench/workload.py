"""Benchmark shipments: copies of examples/orders.csv's rows with fresh references and platform ids.

Rows cycle through the four carriers (or the ones asked for). Each copy gets a unique reference; TikTok rows
a unique ``platform.package_id`` and WeChat rows a unique ``platform.order_id`` and waybill, which the
sandboxes must hold before shipping (:func:`seed`); Baaship and DeftShip accept any new shipment. Only the
example rows that ship as they are serve as templates (BAA-30004 is bad on purpose; WX-20003 lists items,
which would need matching order lines).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from shipspec.cli.rows import read_rows
from shipspec_shipping_models import Shipment

from .report import REPO
from .sandboxes import SandboxProcesses

__all__ = ["CARRIERS", "Workload", "make_workload"]

EXAMPLES = REPO / "examples" / "orders.csv"
CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")
UNUSABLE = frozenset({"BAA-30004", "WX-20003"})
TIKTOK_PACKAGE_BASE = 7_000_000_000_000_000
WECHAT_ORDER_BASE = 3_702_000_000_000_000
WECHAT_PRODUCT, WECHAT_SKU = 10_000_001, 20_000_001
SEED_CHUNK = 5_000
# Enough DeftShip credit for any run here (the sandbox starts with 10,000.00, i.e. 2,000 labels).
DEFTSHIP_CREDIT = 100_000_000.0


@dataclass(frozen=True)
class Workload:
    """A CSV of benchmark rows and what the sandboxes must hold to ship them."""

    path: Path
    rows: int
    per_carrier: dict[str, int]
    tiktok_packages: tuple[str, ...]
    wechat_orders: tuple[int, ...]

    def shipments(self) -> list[Shipment]:
        """Every row as a Shipment, read the way ``shipspec ship`` reads them."""
        found: list[Shipment] = []
        for row in read_rows(self.path):
            if row.shipment is None or row.problems:
                raise RuntimeError(f"benchmark row {row.number} is not a valid shipment: {row.problems}")
            found.append(row.shipment)
        return found

    def seed(self, sandboxes: SandboxProcesses) -> None:
        """Give the sandboxes the TikTok packages, WeChat orders and DeftShip credit these rows need."""
        for start in range(0, len(self.tiktok_packages), SEED_CHUNK):
            sandboxes.add_packages(self.tiktok_packages[start : start + SEED_CHUNK])
        orders = [(order, [(WECHAT_PRODUCT, WECHAT_SKU, 1)]) for order in self.wechat_orders]
        for start in range(0, len(orders), SEED_CHUNK):
            sandboxes.add_orders(orders[start : start + SEED_CHUNK])
        if self.per_carrier.get("deftship"):
            sandboxes.set_credit(DEFTSHIP_CREDIT)


def _templates() -> tuple[list[str], dict[str, list[dict[str, str]]]]:
    with EXAMPLES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        by_carrier: dict[str, list[dict[str, str]]] = {}
        for row in reader:
            if row["reference"] not in UNUSABLE:
                by_carrier.setdefault(row["carrier"], []).append(row)
    return header, by_carrier


def _rows(count: int, carriers: Sequence[str], tag: str) -> Iterator[dict[str, str]]:
    _, templates = _templates()
    for number in range(count):
        carrier = carriers[number % len(carriers)]
        choices = templates[carrier]
        row = dict(choices[number % len(choices)])
        row["reference"] = f"{tag}-{carrier[:2].upper()}-{number:07d}"
        if carrier == "tiktok_shop":
            row["platform.package_id"] = str(TIKTOK_PACKAGE_BASE + number)
        elif carrier == "wechat_shop":
            row["platform.order_id"] = str(WECHAT_ORDER_BASE + number)
            row["platform.tracking_number"] = f"SF{number:013d}"
        yield row


def make_workload(folder: Path, count: int, tag: str, carriers: Sequence[str] = CARRIERS) -> Workload:
    """Write ``count`` rows to ``folder/<tag>.csv`` (streamed; never all in memory) and describe them.

    ``tag`` makes the references and ids of one workload differ from every other's, so several workloads
    can ship through the same sandboxes.
    """
    header, _ = _templates()
    path = folder / f"{tag}.csv"
    per_carrier = dict.fromkeys(carriers, 0)
    packages: list[str] = []
    orders: list[int] = []
    offset = sum(ord(char) for char in tag) * 10_000_000  # keeps ids of different tags apart
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in _rows(count, carriers, tag):
            carrier = row["carrier"]
            per_carrier[carrier] += 1
            if carrier == "tiktok_shop":
                row["platform.package_id"] = str(int(row["platform.package_id"]) + offset)
                packages.append(row["platform.package_id"])
            elif carrier == "wechat_shop":
                row["platform.order_id"] = str(int(row["platform.order_id"]) + offset)
                orders.append(int(row["platform.order_id"]))
            writer.writerow(row)
    return Workload(path, count, per_carrier, tuple(packages), tuple(orders))
