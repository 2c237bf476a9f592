"""The coordinator records intents for whole groups of parts in one journal transaction each."""

from __future__ import annotations

from shipspec.fleet.coordinator import _groups
from shipspec_shipping_models import Shipment

from scripts.exactly_once import BUILDERS


def parts(*sizes: int) -> list[list[Shipment]]:
    numbers = iter(range(sum(sizes)))
    return [[Shipment.model_validate(BUILDERS["baaship"](next(numbers))) for _ in range(n)] for n in sizes]


def test_parts_are_grouped_until_a_group_holds_enough_shipments() -> None:
    """Parts stay whole and in order; a group closes once it holds ``rows`` shipments, the rest forms one."""
    given = parts(2, 2, 2, 5, 1, 2)
    grouped = list(_groups(given, rows=4))
    assert [[len(part) for part in group] for group in grouped] == [[2, 2], [2, 5], [1, 2]]
    assert [part for group in grouped for part in group] == given
