"""The carrier-neutral model: a valid JSON Schema whose generated models name bad fields by path."""

from __future__ import annotations

import jsonschema
import pytest
from pydantic import ValidationError
from shipspec_shipping_models import Money, Parcel, Shipment

from generator.extensions import load_spec
from generator.paths import SPECS

CARRIERS = ("tiktok_shop", "wechat_shop", "baaship", "deftship")


def test_shipping_spec_is_a_valid_draft7_schema() -> None:
    """specs/shipping.yaml passes the JSON Schema draft-07 metaschema."""
    jsonschema.Draft7Validator.check_schema(load_spec(SPECS / "shipping.yaml"))


def test_bad_shipment_lists_every_bad_field_path() -> None:
    """One ValidationError names each wrong field with its path, so the caller can fix all at once."""
    with pytest.raises(ValidationError) as caught:
        Shipment.model_validate(
            {
                "reference": "ORDER-1",
                "carrier": "fedex",
                "parcels": [{"weight": {"value": "-1", "unit": "kg"}}],
            }
        )
    paths = {".".join(str(part) for part in error["loc"]) for error in caught.value.errors()}
    assert "carrier" in paths
    assert any(path.startswith("parcels.0.weight.value") for path in paths)


def test_money_rejects_floats_and_takes_decimal_strings() -> None:
    """Money is a decimal string with an ISO currency; a float is refused."""
    assert Money(amount="29.90", currency="USD").amount == "29.90"
    with pytest.raises(ValidationError):
        Money.model_validate({"amount": 29.9, "currency": "USD"})
    with pytest.raises(ValidationError):
        Money.model_validate({"amount": "29.90", "currency": "usd"})


def test_unknown_fields_are_rejected_on_input_models() -> None:
    """A typo in an input field is an error, not silently dropped data."""
    with pytest.raises(ValidationError, match="weigth"):
        Parcel.model_validate({"weigth": {"value": "1", "unit": "kg"}})


def test_mapping_contract_covers_every_carrier() -> None:
    """specs/MAPPING.md has a section for each carrier."""
    text = (SPECS / "MAPPING.md").read_text(encoding="utf-8").lower()
    for carrier in CARRIERS:
        assert carrier.replace("_", " ") in text or carrier in text, carrier
