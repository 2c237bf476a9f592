"""The breaking-change rules of generator.spec_diff, one behaviour per test on tiny inline specs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.spec_diff import Change, SpecDiffError, diff_specs

OP = "POST /shipments (createShipment)"
STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
EITHER: dict[str, Any] = {"oneOf": [INT, STR]}
KNOWN_A: dict[str, Any] = {"type": "string", "x-known-values": ["A"]}


def text(**keywords: Any) -> dict[str, Any]:
    """A string schema with extra keywords."""
    return {"type": "string", **keywords}


def enum(*values: str) -> dict[str, Any]:
    """A closed string enum."""
    return text(enum=list(values))


def facts(change: Change) -> tuple[str, str, bool]:
    """A change's kind, location and breaking flag."""
    return change.kind, change.location, change.breaking


def ref(name: str) -> dict[str, str]:
    """A $ref to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(*required: str, **properties: Any) -> dict[str, Any]:
    """An object schema with these required names and properties."""
    return {"type": "object", "required": list(required), "properties": properties}


def make_spec(
    req: dict[str, Any] | None = None,
    resp: dict[str, Any] | None = None,
    *,
    params: list[dict[str, Any]] | None = None,
    op: dict[str, Any] | None = None,
    root: dict[str, Any] | None = None,
    schemas: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A one-operation spec: POST /shipments with body Req and 200 response Resp."""
    operation = {
        "operationId": "createShipment",
        "parameters": params or [],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("Req")}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref("Resp")}}}},
        "x-error-codes": [],
        "x-idempotency": {"strategy": "unsafe", "note": "ships"},
        **(op or {}),
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.4.2"},
        "paths": {"/shipments": {"post": operation}},
        "components": {"schemas": {"Req": req or obj(), "Resp": resp or obj(), **(schemas or {})}},
        **(root or {}),
    }


def only(old: dict[str, Any], new: dict[str, Any]) -> Change:
    """The single change between two specs."""
    changes = diff_specs(old, new)
    assert len(changes) == 1, changes
    return changes[0]


def request_change(old: dict[str, Any], new: dict[str, Any]) -> Change:
    """The single change between two request schemas."""
    return only(make_spec(req=old), make_spec(req=new))


def response_change(old: dict[str, Any], new: dict[str, Any]) -> Change:
    """The single change between two response schemas."""
    return only(make_spec(resp=old), make_spec(resp=new))


def test_identical_specs_have_no_changes() -> None:
    """A spec compared with itself reports nothing."""
    assert diff_specs(make_spec(obj("a", a=STR)), make_spec(obj("a", a=STR))) == []


@pytest.mark.parametrize(
    ("side", "kind", "breaking"), [("new", "operation-added", False), ("old", "operation-removed", True)]
)
def test_operation_added_or_removed(side: str, kind: str, breaking: bool) -> None:
    """A new operation is an addition; a removed one breaks callers."""
    specs = {"old": make_spec(), "new": make_spec()}
    specs[side]["paths"]["/labels"] = {"get": {"operationId": "getLabel", "responses": {}}}
    assert facts(only(specs["old"], specs["new"])) == (kind, "GET /labels (getLabel)", breaking)


def test_operation_id_rename_is_breaking() -> None:
    """A renamed operationId renames the generated function."""
    change = only(make_spec(), make_spec(op={"operationId": "shipIt"}))
    assert facts(change) == ("operation-renamed", "POST /shipments (shipIt)", True)


def query(name: str, required: bool = False, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A query parameter."""
    return {"name": name, "in": "query", "required": required, "schema": schema or STR}


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"),
    [
        ([], [query("shop")], "parameter-added", False),
        ([], [query("shop", required=True)], "parameter-added", True),
        ([query("shop")], [], "parameter-removed", True),
        ([query("shop")], [query("shop", required=True)], "parameter-required", True),
        ([query("shop", required=True)], [query("shop")], "parameter-optional", False),
        ([query("shop")], [query("shop", schema=INT)], "type-changed", True),
    ],
)
def test_parameter_rules(old: list[Any], new: list[Any], kind: str, breaking: bool) -> None:
    """Parameters: optional additions are safe; removals, new requirements and type changes break."""
    change = only(make_spec(params=old), make_spec(params=new))
    assert facts(change) == (kind, f"{OP} parameter query:shop", breaking)


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"),
    [
        (obj(a=STR), obj(a=STR, b=STR), "field-added", False),
        (obj(a=STR), obj("b", a=STR, b=STR), "field-added", True),
        (obj(a=STR, b=STR), obj(a=STR), "field-removed", True),
        (obj(a=STR, b=STR), obj("b", a=STR, b=STR), "field-required", True),
        (obj("b", a=STR, b=STR), obj(a=STR, b=STR), "field-optional", False),
        (obj(b=STR), obj(b=INT), "type-changed", True),
        (obj(b=INT), obj(b=EITHER), "type-changed", False),
        (obj(b=EITHER), obj(b=INT), "type-changed", True),
        (obj(b=enum("A", "B")), obj(b=enum("A")), "enum-value-removed", True),
        (obj(b=enum("A")), obj(b=enum("A", "B")), "enum-value-added", False),
        (obj(b=STR), obj(b=enum("A")), "enum-closed", True),
        (obj(b=KNOWN_A), obj(b=text(**{"x-known-values": ["A", "B"]})), "known-values-changed", False),
        (obj(b=STR), obj(b=text(nullable=True)), "nullable-changed", False),
    ],
)
def test_request_field_rules(old: dict[str, Any], new: dict[str, Any], kind: str, breaking: bool) -> None:
    """Request fields: accepting more is safe, accepting less breaks existing calls."""
    assert facts(request_change(old, new)) == (kind, f"{OP} request b", breaking)


def bounded(key: str, value: int | None) -> dict[str, Any]:
    """A field schema of the type `key` applies to, with `key` set to `value` unless None."""
    base = {"maxItems": {"type": "array", "items": STR}, "minItems": {"type": "array", "items": STR}}.get(
        key, INT if key in {"maximum", "minimum", "x-field-length"} else STR
    )
    return obj(b={**base, key: value} if value is not None else base)


@pytest.mark.parametrize(
    ("key", "old", "new", "breaking"),
    [
        ("maxLength", 10, 5, True),
        ("maxLength", None, 5, True),
        ("maxLength", 5, 10, False),
        ("maxLength", 5, None, False),
        ("x-field-length", 12, 10, True),
        ("maxItems", 3, 2, True),
        ("maximum", 100, 50, True),
        ("maximum", 50, 100, False),
        ("minLength", 1, 2, True),
        ("minLength", None, 1, True),
        ("minLength", 2, 1, False),
        ("minItems", None, 1, True),
        ("minimum", 0, 1, True),
        ("minimum", 1, None, False),
    ],
)
def test_request_constraint_rules(key: str, old: int | None, new: int | None, breaking: bool) -> None:
    """A lowered or new upper bound, or a raised or new lower bound, narrows what callers may send."""
    change = request_change(bounded(key, old), bounded(key, new))
    assert (change.kind, change.breaking) == ("constraint-changed", breaking)
    assert change.detail.startswith(key)


def test_nested_field_through_array_and_refs() -> None:
    """A field inside $ref'd objects inside an array is reported by its full path."""
    schemas = {"Package": obj(pickup_slot=ref("Slot")), "Slot": obj(start_time=INT)}
    req = obj(packages={"type": "array", "items": ref("Package")})
    new_schemas = copy.deepcopy(schemas)
    new_schemas["Slot"] = obj(start_time=STR)
    change = only(make_spec(req, schemas=schemas), make_spec(req, schemas=new_schemas))
    assert facts(change) == ("type-changed", f"{OP} request packages[].pickup_slot.start_time", True)


@pytest.mark.parametrize(
    ("before", "after", "kind", "breaking"), [(0, 1, "field-added", False), (1, 0, "field-removed", True)]
)
def test_object_added_or_removed_reports_only_its_top(
    before: int, after: int, kind: str, breaking: bool
) -> None:
    """An optional object with required children, added or removed, is one change at its own path."""
    shapes = [obj(a=STR), obj(a=STR, insurance=obj("amount", amount=INT))]
    assert facts(request_change(shapes[before], shapes[after])) == (kind, f"{OP} request insurance", breaking)


def test_required_child_of_existing_object_is_breaking() -> None:
    """A required field added inside an existing object breaks callers who send that object."""
    change = request_change(obj(slot=obj(start=INT)), obj(slot=obj("end", start=INT, end=INT)))
    assert (change.location, change.breaking) == (f"{OP} request slot.end", True)


def test_all_of_parts_are_merged() -> None:
    """allOf parts are read as one object, so a field removed from a part is found."""
    schemas = {"Base": obj(a=STR, b=STR)}
    old = make_spec({"allOf": [ref("Base"), obj("c", c=INT)]}, schemas=schemas)
    new = make_spec({"allOf": [ref("Base"), obj("c", c=INT)]}, schemas={"Base": obj(a=STR)})
    assert only(old, new).location == f"{OP} request b"


def test_one_of_branches_are_walked() -> None:
    """Each oneOf branch is compared at its own path (object and array readings)."""
    resp = obj(data={"oneOf": [ref("Item"), {"type": "array", "items": ref("Item")}]})
    old = make_spec(resp=resp, schemas={"Item": obj(a=STR, b=STR)})
    new = make_spec(resp=resp, schemas={"Item": obj(a=STR)})
    where = f"{OP} response 200"
    assert [c.location for c in diff_specs(old, new)] == [f"{where} data.b", f"{where} data[].b"]


def test_recursive_schema_terminates() -> None:
    """A schema that refers to itself is compared without endless recursion."""
    tree = obj(name=STR, children={"type": "array", "items": ref("Req")})
    new_tree = obj(name=INT, children={"type": "array", "items": ref("Req")})
    assert request_change(tree, new_tree).location == f"{OP} request name"


def test_remote_ref_is_an_error() -> None:
    """Only local #/components refs are resolved; others fail clearly."""
    with pytest.raises(SpecDiffError, match="only local"):
        diff_specs(make_spec(), make_spec({"$ref": "other.yaml#/Req"}))


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"),
    [
        (obj(b=STR), obj(), "field-removed", True),
        (obj(), obj(b=STR), "field-added", False),
        (obj(b=STR), obj(b=INT), "type-changed", True),
        (obj(b=INT), obj(b=EITHER), "type-changed", True),
        (obj(b=EITHER), obj(b=INT), "type-changed", False),
        (obj(b=STR), obj(b=text(nullable=True)), "nullable-changed", True),
        (obj(b=EITHER), obj(b={**EITHER, "nullable": True}), "nullable-changed", True),
        (obj("b", b=STR), obj(b=STR), "field-optional", True),
        (obj(b=STR), obj("b", b=STR), "field-required", False),
        (obj(b=enum("A")), obj(b=enum("A", "B")), "enum-value-added", True),
        (obj(b=enum("A", "B")), obj(b=enum("A")), "enum-value-removed", True),
        (obj(b=enum("A")), obj(b=STR), "enum-opened", True),
        (obj(b=text(maxLength=5)), obj(b=text(maxLength=50)), "constraint-changed", False),
    ],
)
def test_response_field_rules(old: dict[str, Any], new: dict[str, Any], kind: str, breaking: bool) -> None:
    """Response fields: anything the old parser or caller cannot handle breaks (an added enum value too)."""
    assert facts(response_change(old, new)) == (kind, f"{OP} response 200 b", breaking)


def test_response_status_removed_is_breaking() -> None:
    """A removed response status is no longer parsed."""
    new = make_spec()
    new["paths"]["/shipments"]["post"]["responses"] = {"201": {"description": "created"}}
    kinds = [(c.kind, c.breaking) for c in diff_specs(make_spec(), new)]
    assert kinds == [("response-removed", True), ("response-added", False)]


def code7(**changes: Any) -> list[dict[str, Any]]:
    """An error table holding code 7 (a retry), with keys changed."""
    return [{"code": 7, "name": "BUSY", "message": "m", "kind": "retry", **changes}]


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"),
    [
        ([], code7(), "error-code-added", False),
        (code7(), [], "error-code-removed", True),
        (code7(), code7(kind="invalid_request"), "error-kind-changed", True),
        (code7(), code7(message="other"), "error-message-changed", False),
        (code7(), code7(name="SLOW"), "error-name-changed", False),
        (code7(), code7(message_rules=[{"contains": "x", "kind": "auth"}]), "error-rules-changed", True),
        (code7(kind="quota"), code7(kind="quota", short_term=True), "error-retry-window-changed", False),
    ],
)
def test_error_code_rules(old: list[Any], new: list[Any], kind: str, breaking: bool) -> None:
    """Error codes, root and per operation: a re-classification (or a removal, which re-classifies) breaks."""
    root = only(make_spec(root={"x-error-codes": old}), make_spec(root={"x-error-codes": new}))
    per_op = only(make_spec(op={"x-error-codes": old}), make_spec(op={"x-error-codes": new}))
    assert facts(root) == (kind, "x-error-codes 7", breaking)
    assert facts(per_op) == (kind, f"{OP} x-error-codes 7", breaking)


def test_failure_without_code_reclassified_is_breaking() -> None:
    """A changed kind in x-error-messages changes how the runtime treats that failure."""
    failure = {"name": "NO_CREDIT", "contains": "credit", "kind": "not_allowed"}
    old = make_spec(op={"x-error-messages": [failure]})
    new = make_spec(op={"x-error-messages": [{**failure, "kind": "retry"}]})
    assert facts(only(old, new)) == ("failure-kind-changed", f"{OP} x-error-messages NO_CREDIT", True)


def limit(value: int | None) -> dict[str, Any]:
    """A root x-limits list with one limit."""
    return {"x-limits": [{"name": "max_items", "value": value, "unit": "items", "applies_to": []}]}


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"),
    [(100, 50, "limit-lowered", True), (50, 100, "limit-raised", False), (None, 50, "limit-lowered", True)],
)
def test_limit_rules(old: int | None, new: int | None, kind: str, breaking: bool) -> None:
    """A lowered (or newly known) x-limits value breaks callers sized to the old one."""
    change = only(make_spec(root=limit(old)), make_spec(root=limit(new)))
    assert facts(change) == (kind, "x-limits max_items", breaking)


def test_idempotency_strategy_change_is_breaking() -> None:
    """A new x-idempotency strategy changes whether and how a call may be resent."""
    new = make_spec(op={"x-idempotency": {"strategy": "natural_key", "key": "ref", "note": "n"}})
    change = only(make_spec(), new)
    assert facts(change) == ("idempotency-changed", f"{OP} x-idempotency", True)


def test_idempotency_note_change_is_not_reported() -> None:
    """Prose in a policy (its note) changes no behaviour and is not reported."""
    new = make_spec(op={"x-idempotency": {"strategy": "unsafe", "note": "reworded"}})
    assert diff_specs(make_spec(), new) == []


def test_conditional_requirement_added_is_breaking() -> None:
    """A new x-conditional-required rule can reject requests that were valid."""
    rule = {"require": ["b"], "when": "a is X", "when_field": "a", "when_equals": "X"}
    change = request_change(obj(a=STR, b=STR), {**obj(a=STR, b=STR), "x-conditional-required": [rule]})
    assert facts(change) == ("rule-added", f"{OP} request (body)", True)


def test_a_replaced_server_breaks_an_appended_one_does_not() -> None:
    """A removed server breaks clients using it; a server appended after the default is an addition."""
    old = make_spec(root={"servers": [{"url": "https://a.example"}]})
    new = make_spec(root={"servers": [{"url": "https://b.example"}]})
    kinds = [(c.kind, c.breaking) for c in diff_specs(old, new)]
    assert kinds == [("server-removed", True), ("server-added", False)]
    appended = make_spec(root={"servers": [{"url": "https://a.example"}, {"url": "https://b.example"}]})
    assert [(c.kind, c.breaking) for c in diff_specs(old, appended)] == [("server-added", False)]


def test_order_is_deterministic() -> None:
    """Changes come out in the same order whatever the order of the spec's keys."""
    old, new = make_spec(obj(a=STR, b=STR, c=STR)), make_spec(obj(c=INT, a=INT))
    reordered = make_spec(obj(c=STR, b=STR, a=STR))
    assert diff_specs(old, new) == diff_specs(reordered, new)
    assert [c.kind for c in diff_specs(old, new)] == ["field-removed", "type-changed", "type-changed"]
