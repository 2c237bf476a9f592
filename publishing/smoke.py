"""Run inside a fresh environment after installing shipspec from an index; never imported by publishing.

``python -I smoke.py '{"body": {...}}'`` (``-I`` keeps this folder and the environment's PYTHONPATH off
sys.path, so only what pip installed can be imported). It imports every carrier client, ships one package
through ``shipspec.carriers.baaship`` to the local Baaship sandbox, and prints one JSON report.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import sys
import sysconfig
from pathlib import Path
from typing import Any

MODULES = (
    "shipspec",
    "shipspec_baaship",
    "shipspec_deftship",
    "shipspec_shipping_models",
    "shipspec_tiktok_shop",
    "shipspec_wechat_shop",
    "shipspec.carriers.baaship",
    "shipspec.carriers.deftship",
    "shipspec.carriers.tiktok_shop",
    "shipspec.carriers.wechat_shop",
    "shipspec_sandbox",
)
SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the Baaship sandbox's documented test token
# A valid createShipment body (the vendor doc's example, trimmed); callers may send their own.
DEFAULT_BODY: dict[str, Any] = {
    "referenceNo": "PUBLISH-SMOKE-1",
    "productCode": "TEST",
    "sender": {
        "contact": "TEST SENDER",
        "phone": "0977777777",
        "country": "CN",
        "province": "GUANGDONG",
        "city": "GUANGZHOU",
        "address": "No.100 South Baiyun Street",
        "postCode": "510000",
    },
    "receiver": {
        "contact": "TEST RECEIVER",
        "phone": "212340908",
        "country": "NZ",
        "province": "Waikato",
        "city": "Te Aroha",
        "address": "3 Churchill Avenue",
        "postCode": "3320",
    },
    "packageList": [
        {
            "weight": "13.109",
            "packageItemList": [
                {
                    "goodsNameEn": "Computer Bag",
                    "goodsNameCn": "电脑包",
                    "quantity": "1",
                    "itemWeight": "2.102",
                    "itemValue": "29.9",
                    "currency": "USD",
                }
            ],
        }
    ],
}


def import_all() -> dict[str, str]:
    """Import every module; fail unless each comes from this environment's site-packages."""
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    found = {}
    for name in MODULES:
        location = Path(str(importlib.import_module(name).__file__)).resolve()
        if not location.is_relative_to(site):
            raise SystemExit(f"{name} was imported from {location}, not from {site}")
        found[name] = str(location)
    return found


def ship_one(body: dict[str, Any]) -> dict[str, Any]:
    """Create one Baaship shipment in a local sandbox via shipspec's client; return both sides' view."""
    from shipspec.carriers.baaship import client
    from shipspec_baaship.api.baaship import create_shipment
    from shipspec_baaship.models import CreateShipmentRequest, CreateShipmentResponse
    from shipspec_sandbox import start_sandboxes

    with start_sandboxes(("baaship",)) as sandboxes:
        baaship = client(token=SANDBOX_TOKEN, base_url=sandboxes.url("baaship"))
        with baaship:
            answer = create_shipment.sync(client=baaship, body=CreateShipmentRequest.from_dict(body))
        if not isinstance(answer, CreateShipmentResponse):
            raise SystemExit(f"createShipment answered {answer!r}")
        shipment = answer.data[0] if isinstance(answer.data, list) else answer.data
        ledger = [
            {"action": entry.action, "key": entry.key, "result": entry.result}
            for entry in sandboxes.ledger.entries(carrier="baaship")
        ]
    return {
        "code": answer.code,
        "waybill": shipment.waybill,
        "reference": body["referenceNo"],
        "ledger": ledger,
    }


def main() -> None:
    options = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    modules = import_all()
    versions = {
        dist.metadata["Name"]: dist.version
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"].lower().startswith("shipspec")
    }
    shipped = ship_one(options.get("body") or DEFAULT_BODY)
    print(json.dumps({"modules": modules, "versions": versions, "shipment": shipped}))  # noqa: T201


if __name__ == "__main__":
    main()
