"""Run inside a fresh environment after installing shipspec from an index; never imported by publishing.

``python -I smoke.py '{"url": "http://127.0.0.1:PORT", "body": {...}}'`` (``-I`` keeps this folder and the
environment's PYTHONPATH off sys.path, so only what pip installed can be imported). It imports every carrier
client, checks that the sandboxes and their validator are NOT installed (``pip install shipspec`` carries
only the runtime), ships one package through ``shipspec.carriers.baaship`` to the Baaship sandbox at
``url`` (started from shipspec-sandbox in another environment), reads that sandbox's ledger over HTTP and
prints one JSON report.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
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
)
# The test doubles and their request validator: in shipspec-sandbox, never in the runtime's environment.
ABSENT = ("shipspec_sandbox", "openapi_core", "jsonschema")
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


def check_absent() -> list[str]:
    """Fail if any sandbox-only module can be imported here; return the names checked."""
    present = [name for name in ABSENT if importlib.util.find_spec(name) is not None]
    if present:
        raise SystemExit(f"installed with shipspec although only shipspec-sandbox needs them: {present}")
    return list(ABSENT)


def ship_one(body: dict[str, Any], url: str) -> dict[str, Any]:
    """Create one Baaship shipment in the sandbox at ``url`` through shipspec's client; return both views."""
    import httpx
    from shipspec.carriers.baaship import client
    from shipspec_baaship.api.baaship import create_shipment
    from shipspec_baaship.models import CreateShipmentRequest, CreateShipmentResponse

    baaship = client(token=SANDBOX_TOKEN, base_url=url)
    with baaship:
        answer = create_shipment.sync(client=baaship, body=CreateShipmentRequest.from_dict(body))
    if not isinstance(answer, CreateShipmentResponse):
        raise SystemExit(f"createShipment answered {answer!r}")
    shipment = answer.data[0] if isinstance(answer.data, list) else answer.data
    entries = httpx.get(f"{url}/__sandbox/ledger", timeout=10.0).raise_for_status().json()["entries"]
    ledger = [{"action": e["action"], "key": e["key"], "result": e["result"]} for e in entries]
    return {
        "code": answer.code,
        "waybill": shipment.waybill,
        "reference": body["referenceNo"],
        "ledger": ledger,
    }


def main() -> None:
    options = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    modules = import_all()
    absent = check_absent()
    versions = {
        dist.metadata["Name"]: dist.version
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"].lower().startswith("shipspec")
    }
    shipped = ship_one(options.get("body") or DEFAULT_BODY, options["url"])
    report = {"modules": modules, "absent": absent, "versions": versions, "shipment": shipped}
    print(json.dumps(report))  # noqa: T201


if __name__ == "__main__":
    main()
