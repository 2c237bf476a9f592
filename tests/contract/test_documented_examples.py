"""Every documented example request is accepted by its sandbox, and the answer conforms to the spec.

Each example (``doc_examples``: the specs' own and the vendor doc snapshots') goes to a fresh sandbox of its
carrier, seeded with what the example names (TikTok's package and shop, WeChat's order and app), with the
sandbox's own credentials in place of the example's placeholders and everything else sent as documented
(``example_sender``). The request must get past the sandbox's auth and request validation into the carrier
handler, and the answer must pass the schemathesis response checks of the contract test (documented status,
content type, headers and response schema). A request that creates or ships must succeed; a lookup of an
identifier the example invents (Baaship's waybill 70000000366, DeftShip's batch 12345678) may answer with a
documented failure.
"""

from __future__ import annotations

import pytest
from shipspec.errors import CarrierError

from .doc_examples import ExampleRequest, doc_examples, spec_examples
from .example_sender import send
from .sandbox_contract import CARRIERS

EXAMPLES = [example for carrier in CARRIERS for example in spec_examples(carrier)] + doc_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_documented_example_request_is_accepted(example: ExampleRequest) -> None:
    """The example gets into the carrier handler and its answer conforms to the spec (module docstring)."""
    sent = send(example)
    assert [event.stage for event in sent.events] == ["handled"], [str(event) for event in sent.events]
    if example.method == "GET" or "{" in sent.operation.path:
        assert sent.error is None or (isinstance(sent.error, CarrierError) and sent.error.name is not None)
    else:
        assert sent.error is None, f"{example}: {sent.error}"
