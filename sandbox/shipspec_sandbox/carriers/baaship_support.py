"""Pieces of the Baaship sandbox that are not request handling: spec lookups and country codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ISO_COUNTRY_CODES", "field_length_problems", "resolve"]

# ISO 3166-1 alpha-2, the 249 officially assigned codes. Every example country (CN, NZ, BN) is one.
_ISO_ALPHA2 = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW"
)
ISO_COUNTRY_CODES = frozenset(_ISO_ALPHA2.split())


def resolve(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local ``$ref`` (``#/components/schemas/X``) to the schema it names."""
    while "$ref" in schema:
        node: Any = spec
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def field_length_problems(
    spec: Mapping[str, Any], schema: Mapping[str, Any], value: Any, path: str = ""
) -> list[str]:
    """Paths of Number fields whose decimal text is longer than their ``x-field-length``.

    JSON Schema's maxLength means nothing on a number, so the spec keeps the doc's Field Length of Number
    fields (sent as numbers or numeric strings) in ``x-field-length``; the validator does not know it.
    """
    schema = resolve(spec, schema)
    found: list[str] = []
    limit = schema.get("x-field-length")
    scalar = value is not None and not isinstance(value, dict | list | bool)
    if limit is not None and scalar and len(str(value)) > int(limit):
        found.append(path)
    if isinstance(value, dict):
        for name, child in schema.get("properties", {}).items():
            if name in value:
                found += field_length_problems(spec, child, value[name], f"{path}.{name}".lstrip("."))
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += field_length_problems(spec, schema["items"], item, f"{path}.{index}")
    return found
