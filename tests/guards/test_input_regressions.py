"""Inputs that used to reach a carrier, or abort a run with a bare exception, each refused on its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError
from shipspec.carriers.deftship import mapping as deftship_mapping
from shipspec.carriers.tiktok_shop import mapping as tiktok_mapping
from shipspec.carriers.wechat_shop import mapping as wechat_mapping
from shipspec.errors import InputError
from shipspec_shipping_models import Shipment

from tests.shipping import support_baaship, support_deftship, support_tiktok_shop, support_wechat_shop


def test_a_5000_digit_wechat_order_id_has_no_group_and_no_bare_value_error() -> None:
    """group_of ran int() on it (a ValueError over 4,300 digits) and aborted the whole run."""
    shipment = support_wechat_shop.shipment("W-1", 3001, "SF-1").model_copy(deep=True)
    assert shipment.platform is not None
    shipment.platform.order_id = "9" * 5_000  # past validation: the mapping must not trust the model alone
    assert wechat_mapping.group_of(shipment) is None
    assert "platform.order_id" in wechat_mapping.problems(shipment)


@pytest.mark.parametrize("start", ["9999-12-31T23:59:59-23:59", "9999-12-31T23:00:00-00:30"])
def test_a_pickup_window_past_the_last_utc_date_is_sent_as_seconds(start: str) -> None:
    """utctimetuple() raised OverflowError for these, failing every shipment of the batch as unknown."""
    assert tiktok_mapping.unix_seconds(datetime.fromisoformat(start)) > 253_402_000_000


def test_a_pickup_window_before_1970_is_refused_not_sent_as_minus_one() -> None:
    """1969-12-31T23:59:59Z went out as start_time -1."""
    shipment = support_tiktok_shop.shipment(
        "T-1",
        "1152921504606846976",
        handover={
            "method": "pickup",
            "window_start": "1969-12-31T23:59:59Z",
            "window_end": "2026-12-01T10:00:00Z",
        },
    )
    with pytest.raises(InputError) as caught:
        tiktok_mapping.to_package(shipment)
    assert set(caught.value.problems) == {"handover.window_start"}


@pytest.mark.parametrize("saved", ["\uff11\uff12\uff13", "\u0661\u0662\u0663", "9" * 20])
def test_a_deftship_saved_address_id_is_ascii_digits_within_int64(saved: str) -> None:
    """Fullwidth and Arabic-Indic digits were sent as from_address_id 123 (str.isdigit() takes them)."""
    shipment = support_deftship.shipment("D-1")
    assert shipment.sender is not None
    shipment.sender.saved_address_id = saved
    with pytest.raises(InputError) as caught:
        deftship_mapping.to_batch_shipment(shipment, "USPS-3")
    assert "sender.saved_address_id" in caught.value.problems


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("parcels", 0, "weight", "value"), "0"),
        (("items", 0, "unit_value", "amount"), "0.0"),
        (("items", 0, "quantity"), 2**31),
        (("recipient", "address", "country"), "UK"),
        (("recipient", "name"), "   "),
        (("recipient", "name"), "Eve\u202eevil"),
    ],
)
def test_the_shipment_model_refuses_what_no_carrier_can_ship(
    path: tuple[str | int, ...], value: object
) -> None:
    """Positive weights and amounts, quantities up to 1,000,000, ISO countries, clean names."""
    data = support_baaship.shipment("B-1").model_dump(mode="json", exclude_none=True)
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    with pytest.raises(ValidationError) as caught:
        Shipment.model_validate(data)
    assert [error["loc"] for error in caught.value.errors()] == [path]


def test_five_thousand_parcels_are_refused() -> None:
    """DeftShip got a 5,000-parcel package_list; the model caps parcels at 100."""
    data = support_deftship.shipment("D-1").model_dump(mode="json", exclude_none=True)
    data["parcels"] = data["parcels"] * 5_000
    with pytest.raises(ValidationError) as caught:
        Shipment.model_validate(data)
    assert [error["loc"] for error in caught.value.errors()] == [("parcels",)]
