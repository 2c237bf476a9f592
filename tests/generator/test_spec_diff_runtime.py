"""Spec changes the runtime reads (auth, servers, defaults, product codes, error handling) are graded."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.spec_diff import diff_specs, version_bump
from tests.generator.test_spec_diff import OP, facts, make_spec, obj, only, request_change

TOKEN_SCHEME: dict[str, Any] = {"type": "apiKey", "in": "header", "name": "token", "description": "d"}


def with_schemes(spec: dict[str, Any], **schemes: Any) -> dict[str, Any]:
    """The spec with these components.securitySchemes."""
    spec["components"]["securitySchemes"] = schemes
    return spec


def test_a_renamed_auth_header_is_breaking() -> None:
    """components.securitySchemes.token.name token -> X-Token changes the header every call sends."""
    old = with_schemes(make_spec(), token=TOKEN_SCHEME)
    new = with_schemes(make_spec(), token={**TOKEN_SCHEME, "name": "X-Token"})
    change = only(old, new)
    assert facts(change) == ("security-scheme-changed", "securitySchemes token", True)
    assert change.detail == 'name "token" -> "X-Token"'


def test_a_scheme_description_change_is_not_reported() -> None:
    """Prose of a security scheme changes nothing the runtime does."""
    old = with_schemes(make_spec(), token=TOKEN_SCHEME)
    new = with_schemes(make_spec(), token={**TOKEN_SCHEME, "description": "other"})
    assert diff_specs(old, new) == []


def test_x_auth_change_is_breaking() -> None:
    """x-auth drives signing: a changed algorithm breaks, a changed note does not."""
    auth = {"signing": {"algorithm": "HMAC-SHA256", "note": "n"}}
    old = make_spec(root={"x-auth": auth})
    reworded = make_spec(root={"x-auth": {"signing": {"algorithm": "HMAC-SHA256", "note": "other"}}})
    assert diff_specs(old, reworded) == []
    new = make_spec(root={"x-auth": {"signing": {"algorithm": "HMAC-SHA1", "note": "n"}}})
    assert facts(only(old, new)) == ("auth-changed", "x-auth", True)


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ([{"token": []}], [], True),  # `security: []`: the runtime stops sending the token
        ([], [{"token": []}], True),  # a call that sent nothing now needs credentials
        ([{"token": []}], [{"other": []}], True),
        ([{"token": []}], [{"token": []}, {"other": []}], False),  # a new alternative only
    ],
)
def test_operation_security_changes(old: list[Any], new: list[Any], breaking: bool) -> None:
    """An operation's effective security changing breaks unless it only gains alternatives."""
    change = only(make_spec(op={"security": old}), make_spec(op={"security": new}))
    assert facts(change) == ("security-changed", f"{OP} security", breaking)


def test_root_security_is_inherited_by_operations() -> None:
    """Changing the root security requirement reaches every operation that inherits it."""
    old = make_spec(root={"security": [{"token": []}]})
    assert (
        diff_specs(old, make_spec(root={"security": [{"token": []}]}, op={"security": [{"token": []}]})) == []
    )
    change = only(old, make_spec(root={"security": [{"key": []}]}))
    assert change.detail == "security token -> key"
    assert change.breaking


def _path_servers(*urls: str) -> dict[str, Any]:
    spec = make_spec()
    if urls:
        spec["paths"]["/shipments"]["servers"] = [{"url": url} for url in urls]
    return spec


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        (("https://auth.a",), ("https://auth.b",), True),  # TikTok's AUTH_BASE_URL moves
        ((), ("https://auth.b",), True),  # leaves the root servers
        (("https://auth.a",), (), True),
        (("https://auth.a",), ("https://auth.a", "https://auth.b"), False),  # appended: default unchanged
    ],
)
def test_path_level_servers(old: tuple[str, ...], new: tuple[str, ...], breaking: bool) -> None:
    """A path's servers decide where the runtime sends the call."""
    change = only(_path_servers(*old), _path_servers(*new))
    assert facts(change) == ("servers-changed", f"{OP} servers", breaking)


def test_operation_servers_win_over_path_servers() -> None:
    """Operation-level servers are compared, not the path's they override."""
    old = _path_servers("https://p.example")
    old["paths"]["/shipments"]["post"]["servers"] = [{"url": "https://op.example"}]
    new = copy.deepcopy(old)
    new["paths"]["/shipments"]["servers"] = [{"url": "https://other.example"}]
    assert diff_specs(old, new) == []


def test_reordered_root_servers_change_the_default() -> None:
    """The first root server is the default host."""
    a, b = {"url": "https://a.example"}, {"url": "https://b.example"}
    change = only(make_spec(root={"servers": [a, b]}), make_spec(root={"servers": [b, a]}))
    assert facts(change) == ("servers-changed", "servers", True)


@pytest.mark.parametrize(("old", "new"), [(False, True), (None, True), (True, None)])
def test_a_request_default_change_is_breaking(old: bool | None, new: bool | None) -> None:
    """DeftShip insurance default false -> true insures every parcel of callers that omit it."""

    def insured(default: bool | None) -> dict[str, Any]:
        field: dict[str, Any] = {"type": "boolean"}
        if default is not None:
            field["default"] = default
        return obj(insurance=field)

    change = request_change(insured(old), insured(new))
    assert facts(change)[:3] == ("default-changed", f"{OP} request insurance", True)


def test_a_response_default_change_is_reported_not_breaking() -> None:
    """The generated parser applies no default to an absent response field."""
    old = obj(flag={"type": "boolean", "default": False})
    new = obj(flag={"type": "boolean", "default": True})
    change = only(make_spec(resp=old), make_spec(resp=new))
    assert (change.kind, change.breaking) == ("default-changed", False)


def test_a_default_next_to_one_of_is_seen() -> None:
    """A default on a oneOf parent is kept like its other own keys."""
    old = obj(a={"default": 1, "oneOf": [{"type": "integer"}, {"type": "string"}]})
    new = obj(a={"default": 2, "oneOf": [{"type": "integer"}, {"type": "string"}]})
    assert facts(request_change(old, new)) == ("default-changed", f"{OP} request a", True)


def test_a_length_limit_next_to_one_of_is_seen() -> None:
    """Baaship codAmount: x-field-length beside oneOf[number, string] lowered 10 -> 8 breaks requests."""

    def amount(length: int) -> dict[str, Any]:
        return obj(codAmount={"x-field-length": length, "oneOf": [{"type": "number"}, {"type": "string"}]})

    change = request_change(amount(10), amount(8))
    assert facts(change) == ("constraint-changed", f"{OP} request codAmount", True)
    assert change.detail == "x-field-length 10 -> 8 (narrowed)"
    assert not request_change(amount(10), amount(12)).breaking


def _products(*entries: dict[str, Any]) -> dict[str, Any]:
    return make_spec(root={"x-product-codes": list(entries)})


BNRTN: dict[str, Any] = {"code": "BNRTN", "cod": False, "max_weight_kg": 25, "note": "n"}


def test_product_codes() -> None:
    """x-product-codes: removed or changed breaks, added is a minor addition, a note is prose."""
    removed = only(_products(BNRTN), _products())
    assert facts(removed) == ("product-code-removed", "x-product-codes BNRTN", True)
    changed = only(_products(BNRTN), _products({**BNRTN, "max_weight_kg": 20}))
    assert facts(changed) == ("product-code-changed", "x-product-codes BNRTN", True)
    assert changed.detail == "max_weight_kg 25 -> 20"
    added = diff_specs(_products(), _products(BNRTN))
    assert [facts(c) for c in added] == [("product-code-added", "x-product-codes BNRTN", False)]
    assert version_bump(added) == "minor"
    assert diff_specs(_products(BNRTN), _products({**BNRTN, "note": "other"})) == []


SHIPPED = {"code": 21011040, "name": "ALREADY_SHIPPED", "message": "m", "kind": "already_done"}


def test_removing_an_error_code_is_major_and_says_why() -> None:
    """Dropping 21011040 turns already_shipped into unknown: as breaking as changing its kind."""
    change = only(make_spec(op={"x-error-codes": [SHIPPED]}), make_spec(op={"x-error-codes": []}))
    assert facts(change) == ("error-code-removed", f"{OP} x-error-codes 21011040", True)
    assert "now classifies it unknown instead of already_done" in change.detail
    assert version_bump([change]) == "major"


def test_removing_an_operation_code_the_root_handles_alike_is_not_breaking() -> None:
    """The root table still gives the code the same kind: nothing changes at runtime."""
    root = {"x-error-codes": [SHIPPED]}
    old = make_spec(root=root, op={"x-error-codes": [SHIPPED]})
    change = only(old, make_spec(root=root, op={"x-error-codes": []}))
    assert (change.kind, change.breaking) == ("error-code-removed", False)
    assert "root table still classifies it already_done" in change.detail


def test_an_operation_code_overriding_the_root_kind_is_breaking() -> None:
    """A new per-operation entry re-classifies a code the root table handled differently."""
    root = {"x-error-codes": [{**SHIPPED, "kind": "retry"}]}
    change = only(make_spec(root=root), make_spec(root=root, op={"x-error-codes": [SHIPPED]}))
    assert (change.kind, change.breaking) == ("error-code-added", True)
    assert "already_done instead of retry" in change.detail
