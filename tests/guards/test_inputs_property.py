"""Property: an invalid shipment is refused before any request, by a typed error naming its field, alone.

10,000 seeded examples: a valid shipment of one carrier gets one invalid value (blank or control-character
text, ids with spaces or over 64 characters, zero/negative/exponent decimals, non-ISO countries,
out-of-range quantities, 101 parcels or 1,001 items, carrier-specific ones such as a 1969 pickup window or
fullwidth digits in a DeftShip address id) and travels between two valid ones through what a shipper does
before it sends: intake (the Shipment model), the carrier mapping, and the generated client's own request
check. The bad one must come out as a failed ``invalid_request`` result or an ``InputError`` naming the
field; the two valid ones must map and their request must pass the generated check, so nothing else fails.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from shipspec.carriers.baaship import mapping as baaship_mapping
from shipspec.carriers.deftship import mapping as deftship_mapping
from shipspec.carriers.tiktok_shop import mapping as tiktok_mapping
from shipspec.carriers.wechat_shop import mapping as wechat_mapping
from shipspec.errors import InputError
from shipspec.guards import install
from shipspec.shipping.intake import accepted
from shipspec_shipping_models import Shipment, ShipmentResult

from tests.shipping import support_baaship, support_deftship, support_tiktok_shop, support_wechat_shop

from .calls import REPO
from .seeded import SEEDED

CARRIERS = ("baaship", "deftship", "tiktok_shop", "wechat_shop")

_FORBIDDEN = "\x00\x07\x1b\r\n\x7f\u0085\u2028\u202a\u202e\u2066"
_BLANK = st.text(alphabet=" \t\u3000\u00a0", max_size=4)
_SOME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters=_FORBIDDEN),
    max_size=6,
)
_TAINTED = st.builds(lambda head, bad, tail: head + bad + tail, _SOME, st.sampled_from(_FORBIDDEN), _SOME)
BAD_TEXT = st.one_of(_BLANK, _TAINTED)
BAD_IDS = st.one_of(
    _BLANK,
    _TAINTED,
    st.builds(lambda head, tail: head + " " + tail, _SOME, _SOME),
    st.integers(min_value=65, max_value=5_000).map(lambda size: "9" * size),
)
_NEUTRAL = yaml.safe_load((REPO / "specs" / "shipping.yaml").read_text(encoding="utf-8"))
_ISO = frozenset(_NEUTRAL["definitions"]["CountryCode"]["enum"])
BAD_DECIMALS = st.one_of(
    st.integers(min_value=-(10**25), max_value=0).map(str),
    st.sampled_from(["0.0", "0.000000", "1e3", "NaN", ".5", "1,5", "+1", "01", " 1"]),
    st.floats(max_value=0.0) | st.just(float("nan")),  # a number is taken as its decimal text: not above 0
)
BAD_COUNTRIES = st.one_of(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).filter(
        lambda code: code not in _ISO
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=3),
    st.sampled_from(["UK", "EU", "ZZ", "USA", "", "XK", "U"]),
)
BAD_QUANTITIES = st.one_of(
    st.integers(max_value=0),
    st.integers(min_value=1_000_001),
    st.floats(min_value=0.01, max_value=1e6).filter(lambda f: not f.is_integer()),
    st.sampled_from(["2.5", "", "one", None]),
)
CATEGORIES: Mapping[str, st.SearchStrategy[Any]] = {
    **dict.fromkeys(
        ("name", "company", "line1", "line2", "line3", "city", "district", "state", "postal_code", "name_cn",
         "description", "remark", "reference_1", "reference_2", "tax_id"),
        BAD_TEXT,
    ),
    **dict.fromkeys(
        ("saved_address_id", "store_id", "box_type", "sku", "order_id", "package_id", "tracking_number",
         "shipping_provider_id", "service"),
        BAD_IDS,
    ),
    **dict.fromkeys(("value", "amount", "length", "width", "height"), BAD_DECIMALS),
    **dict.fromkeys(("country", "origin_country"), BAD_COUNTRIES),
    "quantity": BAD_QUANTITIES,
}  # fmt: skip


def _base(carrier: str, n: int) -> dict[str, Any]:
    """A valid shipment of the carrier as plain data; n tells the references (and platform ids) apart."""
    made: Shipment
    if carrier == "baaship":
        made = support_baaship.shipment(f"B-{n}")
    elif carrier == "deftship":
        made = support_deftship.shipment(f"D-{n}")
    elif carrier == "tiktok_shop":
        made = support_tiktok_shop.shipment(f"T-{n}", str(1152921504606846976 + n))
    else:
        made = support_wechat_shop.shipment(
            f"W-{n}", 3000 + n, f"SF{n}", support_wechat_shop.item(40 + n, 50 + n)
        )
    data: dict[str, Any] = made.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return data


def _leaves(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaves(value, (*path, index))]
    return [path] if path and isinstance(path[-1], str) and path[-1] in CATEGORIES else []


def _set(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _dotted(path: tuple[str | int, ...]) -> str:
    """The field path as shipspec names it: ``parcels[0].weight.value``."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """(carrier, one invalid shipment, field paths any of which the refusal may name)."""
    carrier = draw(st.sampled_from(CARRIERS))
    document = _base(carrier, 1)
    kind = draw(st.sampled_from(("field", "field", "field", "field", "list", "carrier")))
    if kind == "list" and "parcels" in document:
        document["parcels"] = document["parcels"] * 101
        return carrier, document, ("parcels",)
    if kind == "list" and "items" in document:
        document["items"] = document["items"] * 1_001
        return carrier, document, ("items",)
    if kind == "carrier":
        return _carrier_specific(draw, carrier, document)
    path = draw(st.sampled_from(_leaves(document)))
    value = draw(CATEGORIES[str(path[-1])])
    _set(document, path, value)
    return carrier, document, (_dotted(path),)


def _carrier_specific(
    draw: st.DrawFn, carrier: str, document: dict[str, Any]
) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """Values the Shipment model allows that the carrier cannot take (its mapping must refuse them)."""
    if carrier == "tiktok_shop":
        start = draw(
            st.sampled_from(("1969-12-31T23:59:59+00:00", "1970-01-01T00:00:00Z", "1969-07-20T20:17:00Z"))
        )
        document["handover"] = {
            "method": "pickup",
            "window_start": start,
            "window_end": "2026-12-01T10:00:00Z",
        }
        return carrier, document, ("handover.window_start",)
    if carrier == "deftship":
        document["sender"]["saved_address_id"] = draw(
            st.sampled_from(("\uff11\uff12\uff13", "\u0661\u0662\u0663", "12a", "9" * 20))
        )
        return carrier, document, ("sender.saved_address_id",)
    if carrier == "wechat_shop":
        document["platform"]["order_id"] = draw(
            st.sampled_from(("\uff11\uff12\uff13", "A123", "9" * 20, "-1"))
        )
        return carrier, document, ("platform.order_id",)
    document["parcels"][0]["hazmat"] = True  # baaship has no dangerous-goods flag: refused, not dropped
    return carrier, document, ("parcels[0].hazmat",)


def _route(carrier: str, operation_id: str) -> str:
    routes: Mapping[str, str] = importlib.import_module(f"shipspec_{carrier}.guards").ROUTES
    return next(route for route, operation in routes.items() if operation == operation_id)


def _requests(carrier: str, shipments: list[Shipment]) -> list[tuple[str, dict[str, Any], Any]]:
    """The requests (route, parameters, body) the carrier's shipper would send for valid shipments."""
    if carrier == "baaship":
        return [(_route(carrier, "createShipment"), {}, baaship_mapping.to_request(s)) for s in shipments]
    if carrier == "deftship":
        entries = [deftship_mapping.to_batch_shipment(s, "USPS-3") for s in shipments]
        batch = deftship_mapping.create_request(123, "USPS-3", entries)
        return [(_route(carrier, "createBatch"), {}, batch)]
    if carrier == "tiktok_shop":
        packages = tiktok_mapping.to_request([tiktok_mapping.to_package(s) for s in shipments])
        return [(_route(carrier, "batchShipPackages"), {"shop_cipher": "ROW_1"}, packages)]
    return [
        (_route(carrier, "sendDelivery"), {}, wechat_mapping.to_request(
            wechat_mapping.order_id_of(s), [wechat_mapping.to_delivery(s)]))
        for s in shipments
    ]  # fmt: skip


PREPARE: Mapping[str, Callable[[Shipment], object]] = {
    "baaship": baaship_mapping.to_request,
    "deftship": lambda s: deftship_mapping.to_batch_shipment(s, "USPS-3"),
    "tiktok_shop": tiktok_mapping.to_package,
    "wechat_shop": wechat_mapping.to_delivery,
}


def _refusal(carrier: str, document: dict[str, Any]) -> str:
    """The text of the typed refusal of an invalid shipment; fails the test if it is not refused so."""
    outcome = accepted(copy.deepcopy(document), 0)
    if isinstance(outcome, ShipmentResult):
        assert outcome.status == "failed"
        assert outcome.error is not None
        assert outcome.error.kind == "invalid_request"
        return outcome.error.message
    try:
        prepared = PREPARE[carrier](outcome)
    except InputError as error:
        return str(error)
    raise AssertionError(f"{carrier} accepted an invalid shipment and built {prepared!r}")


@SEEDED
@given(mutations())
def test_an_invalid_shipment_is_refused_alone_naming_its_field(
    case: tuple[str, dict[str, Any], tuple[str, ...]],
) -> None:
    """The bad shipment gets a typed refusal naming its field; its two valid neighbours still go out."""
    carrier, document, paths = case
    install(carrier)  # the generated checks raise shipspec's InputError, as on a wired client
    text = _refusal(carrier, document)
    assert any(path and path in text for path in paths), f"{paths} not named in: {text[:300]}"
    neighbours = [accepted(_base(carrier, n), n) for n in (2, 3)]
    valid = [item for item in neighbours if isinstance(item, Shipment)]
    assert len(valid) == 2
    checks = importlib.import_module(f"shipspec_{carrier}.checks")
    for route, parameters, body in _requests(carrier, valid):
        checks.check_request(route, parameters, body)  # raises if the valid ones could not be sent
