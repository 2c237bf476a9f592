"""Seed data for ``shipspec sandbox --seed-data FILE``: records the sandboxes hold before the first request.

The file is YAML (or JSON), one section per carrier, each a list of records passed to the sandbox's own
seeding method as keyword arguments::

    tiktok_shop:
      packages:                     # TikTokSandbox.add_package(package_id, shop_cipher=, state=, …)
        - package_id: "1152921504606846977"
    wechat_shop:
      orders:                       # WeChatSandbox.add_order(order_id, items, state=, online_logistics=)
        - order_id: 3701000000000001
          items:                    # the order's lines: product_id, sku_id, count
            - {product_id: 10000001, sku_id: 20000001, count: 1}

Baaship and DeftShip need no seed data: they accept any new shipment with their default credentials.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from shipspec_sandbox.runner import Sandboxes

__all__ = ["SEEDERS", "SeedError", "apply_seed", "load_seed"]

# carrier → section → (sandbox method, how one record becomes its keyword arguments)
Convert = Callable[[dict[str, Any]], dict[str, Any]]


def _as_is(record: dict[str, Any]) -> dict[str, Any]:
    return record


def _order(record: dict[str, Any]) -> dict[str, Any]:
    """WeChat order lines may be written as mappings; add_order takes (product_id, sku_id, count)."""
    lines = record.get("items")
    if isinstance(lines, list):
        record = dict(record)
        record["items"] = [
            (line["product_id"], line["sku_id"], line["count"]) if isinstance(line, Mapping) else tuple(line)
            for line in lines
        ]
    return record


SEEDERS: dict[str, dict[str, tuple[str, Convert]]] = {
    "tiktok_shop": {"packages": ("add_package", _as_is)},
    "wechat_shop": {"orders": ("add_order", _order)},
}


class SeedError(ValueError):
    """The seed file is unreadable or a record does not fit the sandbox's seeding method."""


def load_seed(path: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Read and check the shape of a seed file (carrier → section → list of records)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"{path}: cannot read seed data: {error}") from None
    except UnicodeDecodeError as error:  # a ValueError, not an OSError: the file is there but not text
        raise SeedError(f"{path}: cannot read seed data: not UTF-8 text (byte {error.start})") from None
    if not isinstance(data, dict):
        raise SeedError(f"{path}: expected a mapping of carrier sections")
    for carrier, sections in data.items():
        known = SEEDERS.get(carrier)
        if known is None:
            raise SeedError(f"{path}: no seed data for {carrier!r}; known: {', '.join(SEEDERS)}")
        if not isinstance(sections, dict):
            raise SeedError(f"{path}: {carrier} must map {' / '.join(known)} to lists of records")
        for section, records in sections.items():
            if section not in known:
                raise SeedError(f"{path}: {carrier} has no section {section!r}; known: {', '.join(known)}")
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise SeedError(f"{path}: {carrier}.{section} must be a list of records (mappings)")
    return data


def apply_seed(running: Sandboxes, seed: Mapping[str, Mapping[str, list[dict[str, Any]]]]) -> int:
    """Seed the running sandboxes; returns how many records were added."""
    added = 0
    for carrier, sections in seed.items():
        if carrier not in running.servers:
            raise SeedError(f"seed data for {carrier}, whose sandbox is not started")
        app = running.app(carrier)
        for section, records in sections.items():
            method_name, convert = SEEDERS[carrier][section]
            method = getattr(app, method_name)
            for index, record in enumerate(records):
                where = f"{carrier}.{section}[{index}]"
                try:
                    arguments = convert(record)
                    inspect.signature(method).bind(**arguments)
                    method(**arguments)
                except (TypeError, ValueError, KeyError) as error:
                    raise SeedError(f"{where}: {error}") from None
                added += 1
    return added
