"""Our jinja2-rendered tables in a generated package, built from a tiny inline spec."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from generator.build import build_carrier
from tests.generator.tiny_specs import tiny_spec, write_spec


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Generate the tiny carrier once and import its package."""
    folder = tmp_path_factory.mktemp("tiny")
    spec, config = write_spec(folder, tiny_spec())
    out = folder / "out"
    build_carrier("tiny", spec, out, config=config)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("shipspec_tiny")
    finally:
        sys.path.remove(str(out))
        for name in [name for name in sys.modules if name.startswith("shipspec_tiny")]:
            del sys.modules[name]


def test_operation_code_wins_over_carrier_code(tiny: ModuleType) -> None:
    """lookup() prefers the operation's own entry for a code the root also lists."""
    codes = importlib.import_module("shipspec_tiny.error_codes")
    assert codes.lookup("shipIt", 5).kind == "already_done"
    assert codes.lookup("readIt", 5).kind == "retry"
    assert codes.lookup("readIt", 999) is None


def test_documented_message_is_kept_with_whitespace_normalised(tiny: ModuleType) -> None:
    """The documented message is carried verbatim up to runs of whitespace."""
    codes = importlib.import_module("shipspec_tiny.error_codes")
    assert codes.CARRIER_ERROR_CODES[5].message == "Busy, try later."
    assert codes.CARRIER_ERROR_CODES[5].name == "BUSY"


def test_message_rules_refine_an_overloaded_code(tiny: ModuleType) -> None:
    """An overloaded code is classified by a keyword of the message, case-insensitively."""
    entry = importlib.import_module("shipspec_tiny.error_codes").CARRIER_ERROR_CODES[7]
    assert entry.kind_for("the access TOKEN is invalid") == "refresh_token"
    assert entry.kind_for("something else") == "invalid_request"


def test_limits_render_known_values_as_constants(tiny: ModuleType) -> None:
    """Known limits become typed constants; unknown ones stay in the table with value None."""
    limits = importlib.import_module("shipspec_tiny.limits")
    assert limits.MAX_ITEMS == 3
    assert limits.LIMITS["max_items"].applies_to == ("shipIt",)
    assert limits.LIMITS["rate"].value is None
    assert limits.LIMITS["rate"].unknown is True
    assert not hasattr(limits, "RATE")


def test_operation_policies_are_rendered(tiny: ModuleType) -> None:
    """Idempotency, partial success, failure messages and auth placement reach the operations table."""
    ops = importlib.import_module("shipspec_tiny.operations")
    ship = ops.OPERATIONS["shipIt"]
    assert (ship.method, ship.path) == ("POST", "/ship")
    assert ship.idempotency.strategy == "already_done_code"
    assert ship.idempotency.codes == (5,)
    assert ship.partial_success.path == "data.errors"
    assert ship.error_messages[0].contains == "credit"
    assert ship.security == (("Key",),)
    assert ops.AUTH_SCHEMES["Key"].location == "header"
    assert ops.AUTH_SCHEMES["Key"].parameter == "token"
    assert ops.ENVELOPE.success_codes == (0,)
    assert (ops.CARRIER, ops.SPEC_VERSION, ops.SERVERS) == ("tiny", "2.1.0", ("https://tiny.example",))
    assert ops.OPERATIONS["readIt"].partial_success is None


def test_client_has_sync_and_async_functions(tiny: ModuleType) -> None:
    """openapi-python-client emitted sync and async functions for every operation."""
    for module_name in ("ship_it", "read_it"):
        module = importlib.import_module(f"shipspec_tiny.api.default.{module_name}")
        for function in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(module, function))


def test_generated_project_is_installable_metadata(tiny: ModuleType) -> None:
    """The generated project names the distribution and version from the spec."""
    assert tiny.__file__ is not None
    root = Path(tiny.__file__).resolve().parent.parent
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "shipspec-tiny"' in pyproject
    assert 'version = "2.1.0"' in pyproject


def test_response_enums_are_listed_by_path(tiny: ModuleType) -> None:
    """Closed enums in the success response are listed by dotted path, arrays marked with []."""
    ops = importlib.import_module("shipspec_tiny.operations")
    assert dict(ops.OPERATIONS["readIt"].response_enums) == {"items[].state": ("a", "b")}


def test_parameters_and_path_level_servers_are_rendered(tiny: ModuleType) -> None:
    """Path-level parameters and servers reach the operation (the runtime uses them for auth placement)."""
    read = importlib.import_module("shipspec_tiny.operations").OPERATIONS["readIt"]
    assert [(p.name, p.location, p.required) for p in read.parameters] == [("q", "query", True)]
    assert read.servers == ("https://read.tiny.example",)
