"""The sandboxes refuse request members their spec does not declare, with the carrier's invalid answer.

A field removed from a spec must not stay accepted by its sandbox (issue 16, part 3): each carrier's own
example request, which the sandbox accepts as it is (test_documented_examples), is sent again with one
undeclared member added at the top level and one inside a nested object. Each must be refused by the
sandbox's request validation, answered as the carrier answers an invalid request, and change nothing.
DeftShip checks a member inside one of ``batch_shipments`` asynchronously, like its other item rules (see
tests/sandbox/test_deftship_sandbox.py); its top-level refusal is tested here.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from shipspec.errors import CarrierError

from .doc_examples import ExampleRequest, doc_examples, spec_examples
from .example_sender import send

UNDECLARED = "not_in_the_spec"


def _example(carrier: str, operation: str) -> ExampleRequest:
    """The spec's example of the operation, else the vendor doc's (Baaship's spec has no body examples)."""
    found = [example for example in spec_examples(carrier) if f" {operation} " in f"{example.source} "]
    found += [
        example for example in doc_examples() if example.carrier == carrier and operation in example.path
    ]
    return found[0]


# carrier, operation, where to add the member (a dotted path into the body; "" for the top level),
# what the answer must carry: the envelope member and its value
CASES: list[tuple[str, str, str, str, Any]] = [
    ("tiktok_shop", "batchShipPackages", "", "code", 36009004),
    ("tiktok_shop", "batchShipPackages", "packages.0.pickup_slot", "code", 36009004),
    ("wechat_shop", "sendDelivery", "", "errcode", 109000),
    ("wechat_shop", "sendDelivery", "delivery_list.0", "errcode", 109000),
    ("baaship", "/createShipment", "", "code", 1002),
    ("baaship", "/createShipment", "sender", "code", 1002),
    ("baaship", "/createShipment", "packageList.0.packageItemList.0", "code", 1002),
    ("deftship", "createBatch", "", "message", "The given data was invalid."),
]


def _with_member(body: Any, dotted: str) -> Any:
    changed = copy.deepcopy(body)
    node = changed
    for part in filter(None, dotted.split(".")):
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[UNDECLARED] = "x"
    return changed


@pytest.mark.parametrize(("carrier", "operation", "where", "member", "value"), CASES)
def test_an_undeclared_member_is_refused(
    carrier: str, operation: str, where: str, member: str, value: Any
) -> None:
    """The example with one more member is refused by validation with the carrier's invalid-request answer."""
    example = _example(carrier, operation)
    changed = ExampleRequest(
        f"{example} + {where or 'top'}.{UNDECLARED}",
        carrier,
        example.method,
        example.path,
        example.query,
        _with_member(example.body, where),
    )
    sent = send(changed, validate=False)
    assert [event.stage for event in sent.events] == ["invalid"]
    assert UNDECLARED in sent.events[0].detail
    assert json.loads(sent.response.content)[member] == value
    assert isinstance(sent.error, CarrierError)
    assert sent.error.kind == "invalid_request"
