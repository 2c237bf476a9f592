"""What the runner accepts as a shipment: a ``Shipment``, or a mapping validated into one.

Numbers in a mapping where the model wants decimal text (``1.25``, ``Decimal("1.25")``) are taken as that
text, exactly (``coercion``). A mapping that fails validation becomes a ``failed`` result naming the field
paths, like any bad input, as long as it says which shipment it is (a ``reference`` and a known
``carrier``): a result needs both.
Anything that cannot be reported that way raises ``InputError`` naming the item's position in the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from shipspec_shipping_models import Shipment, ShipmentResult

from ..config import CARRIERS
from ..errors import InputError
from .coercion import with_numbers_as_text
from .results import input_problems, normalized_error

__all__ = ["ShipmentLike", "accepted"]

ShipmentLike = Shipment | Mapping[str, Any]


def accepted(item: object, position: int) -> Shipment | ShipmentResult:
    """The item as a Shipment, or the failed result of a mapping that is not a valid one."""
    if isinstance(item, Shipment):
        return item
    where = f"shipments[{position}]"
    if not isinstance(item, Mapping):
        raise InputError({where: f"expected a Shipment or a mapping, got {type(item).__name__}"})
    try:
        return Shipment.model_validate(with_numbers_as_text(item))
    except ValidationError as error:
        problem = input_problems(error)
        reference, carrier = item.get("reference"), item.get("carrier")
        if isinstance(reference, str) and carrier in CARRIERS:
            return ShipmentResult.model_validate(
                {
                    "reference": reference,
                    "carrier": carrier,
                    "status": "failed",
                    "error": normalized_error(str(carrier), problem).model_dump(),
                }
            )
        raise InputError({f"{where}.{path}": text for path, text in problem.problems.items()}) from None
