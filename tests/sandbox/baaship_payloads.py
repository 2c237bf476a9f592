"""Request bodies and clients for the Baaship sandbox tests (the vendor doc's examples, trimmed)."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from shipspec_baaship.client import AuthenticatedClient
from shipspec_sandbox.carriers.baaship import DEFAULT_TOKEN

TIMEOUT = httpx.Timeout(5.0)

_SENDER = {
    "contact": "TEST SENDER",
    "phone": "0977777777",
    "country": "CN",
    "province": "GUANGDONG",
    "city": "GUANGZHOU",
    "address": "No.100 South Baiyun Street",
    "postCode": "510000",
}
_RECEIVER = {
    "contact": "TEST RECEIVER",
    "phone": "212340908",
    "country": "NZ",
    "province": "Waikato",
    "city": "Te Aroha",
    "address": "3 Churchill Avenue",
    "postCode": "3320",
}
_ITEM = {
    "goodsNameEn": "Computer Bag",
    "goodsNameCn": "电脑包",
    "quantity": "1",
    "itemWeight": "2.102",
    "itemValue": "29.9",
    "currency": "USD",
}


def forward_body(reference: str = "REF-1", product: str = "TEST", **top: Any) -> dict[str, Any]:
    """A valid createShipment body; keyword arguments replace top-level members."""
    body = {
        "referenceNo": reference,
        "productCode": product,
        "sender": _SENDER,
        "receiver": _RECEIVER,
        "packageList": [{"weight": "13.109", "packageItemList": [_ITEM]}],
    }
    return copy.deepcopy({**body, **top})


def reverse_body(reference: str = "RET-1", product: str = "BNRTN", **top: Any) -> dict[str, Any]:
    """A valid reverseShipment body (packageList is one object); keyword arguments replace members."""
    body = {
        "referenceNo": reference,
        "productCode": product,
        "sender": {**_SENDER, "country": "BN", "city": "MUARA", "province": "KAMPONG KAPOK"},
        "packageList": {"weight": "13.109", "packageItemList": [{**_ITEM, "itemValue": 29.9}]},
    }
    return copy.deepcopy({**body, **top})


def generated_client(url: str, token: str = DEFAULT_TOKEN) -> AuthenticatedClient:
    """The generated Baaship client, sending the token in the ``token`` header as the API wants."""
    return AuthenticatedClient(
        base_url=url, token=token, prefix="", auth_header_name="token", timeout=TIMEOUT
    )


def http_client(url: str, token: str | None = DEFAULT_TOKEN) -> httpx.Client:
    """A plain httpx client for raw requests (bodies the generated models would not build)."""
    headers = {} if token is None else {"token": token}
    return httpx.Client(base_url=url, headers=headers, timeout=TIMEOUT)
