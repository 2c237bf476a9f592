"""Every fact the vendor docs state (field, required flag, length, error code, item cap) is in the specs."""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.specs.vendor_docs import (
    PARSERS,
    DocField,
    DocOperation,
    VendorDocError,
    find_docs_dir,
    load_carrier,
    parse_baaship,
    parse_deftship,
    parse_wechat,
)

REPO = Path(__file__).resolve().parents[2]
EXPECTED_OPERATIONS = {
    ("tiktok_shop", "POST", "/fulfillment/202309/packages/ship"),
    ("wechat_shop", "POST", "/product/delivery/send"),
    ("baaship", "POST", "/createShipment"),
    ("baaship", "POST", "/reverseShipment"),
    ("baaship", "GET", "/cancelShipment"),
    ("baaship", "GET", "/tracking"),
    ("baaship", "GET", "/getShipmentLabel"),
    ("deftship", "POST", "/batches"),
}
Schema = dict[str, Any]


def _load_docs() -> tuple[list[DocOperation], dict[str, str]]:
    try:
        docs = find_docs_dir(REPO)
    except FileNotFoundError as error:
        return [], {carrier: str(error) for carrier in PARSERS}
    operations: list[DocOperation] = []
    errors: dict[str, str] = {}
    for carrier in PARSERS:
        try:
            operations += load_carrier(docs, carrier)
        except (OSError, VendorDocError) as error:
            errors[carrier] = f"{type(error).__name__}: {error}"
    return operations, errors


DOC_OPERATIONS, DOC_ERRORS = _load_docs()


# --- walking a spec --------------------------------------------------------------------------------


def _resolve(spec: Schema, node: Any) -> Schema:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    return node if isinstance(node, dict) else {}


def _expand(spec: Schema, node: Any, depth: int = 0) -> list[Schema]:
    """The schema and every schema it is made of (composition branches, array items)."""
    schema = _resolve(spec, node)
    found = [schema]
    if depth > 8:
        return found
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key, []):
            found += _expand(spec, branch, depth + 1)
    if "items" in schema:
        found += _expand(spec, schema["items"], depth + 1)
    return found


def _types(spec: Schema, node: Any) -> set[str]:
    schema = _resolve(spec, node)
    if "type" in schema:
        return {str(schema["type"])}
    branches = [b for key in ("oneOf", "anyOf", "allOf") for b in schema.get(key, [])]
    if branches:
        return set().union(*(_types(spec, b) for b in branches))
    return {"object"} if "properties" in schema else {"array"} if "items" in schema else set()


def _norm(path: Any) -> tuple[str, ...]:
    text = re.sub(r"\[[^\]]*\]", "", str(path)).removeprefix("$.")
    return tuple(part for part in text.split(".") if part)


def _conditions(holders: list[Schema]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for holder in holders:
        for entry in holder.get("x-conditional-required") or []:
            require = entry.get("require", []) if isinstance(entry, dict) else []
            paths += [_norm(p) for p in ([require] if isinstance(require, str) else require)]
    return paths


@dataclass
class Located:
    raw: Schema  # the property (or query parameter schema) as written
    schema: Schema  # the same, $ref resolved
    flags: list[bool]  # required-in-parent flag of each path segment
    covered: bool  # an x-conditional-required entry states the field's condition


def _operation(spec: Schema, op: DocOperation) -> tuple[Schema, Schema]:
    item = (spec.get("paths") or {}).get(op.path) or {}
    node = item.get(op.method.lower())
    if not isinstance(item, dict) or not isinstance(node, dict):
        raise LookupError(f"{op.carrier} {op.method} {op.path}: operation missing from the spec")
    return item, node


def locate(spec: Schema, op: DocOperation, field: DocField) -> Located | None:
    """Find ``field`` in the operation's query parameters or request body; None when absent."""
    item, node = _operation(spec, op)
    top = [node, item]
    if field.location == "query":
        params = [_resolve(spec, p) for p in item.get("parameters", []) + node.get("parameters", [])]
        param = next((p for p in params if p.get("in") == "query" and p.get("name") == field.path[0]), None)
        if param is None:
            return None
        covered = field.path in _conditions([*top, param])
        raw = {**param.get("schema", {}), **{k: v for k, v in param.items() if k.startswith("x-")}}
        return Located(raw, _resolve(spec, raw), [bool(param.get("required"))], covered)
    body = _resolve(spec, node.get("requestBody"))
    content = body.get("content") or {}
    media: Schema = content.get("application/json") or next(iter(content.values()), {})
    holders, raw, flags = _expand(spec, media.get("schema")), {}, []
    levels: list[tuple[tuple[str, ...], list[Schema]]] = [((), [*top, *holders])]
    for index, segment in enumerate(field.path):
        owners = [h for h in holders if segment in (h.get("properties") or {})]
        if not owners:
            return None
        raw = owners[0]["properties"][segment]
        flags.append(any(segment in (h.get("required") or []) for h in holders))
        holders = _expand(spec, raw)
        levels.append((field.path[: index + 1], holders))
    covered = any(
        0 < len(rel) <= len(field.path) - len(prefix)
        and field.path[: len(prefix + rel)] == prefix + rel
        and all(flags[len(prefix + rel) :])
        for prefix, holders_at in levels[:-1]
        for rel in _conditions(holders_at)
    )
    return Located(raw, _resolve(spec, raw), flags, covered)


# --- checks: each returns a problem text, or None ---------------------------------------------------


def _where(op: DocOperation, what: str) -> str:
    return f"{op.carrier} {op.method} {op.path} {what}"


def presence_problem(spec: Schema, op: DocOperation, field: DocField) -> str | None:
    if locate(spec, op, field) is None:
        return _where(op, f"{field.dotted}: documented {field.location} field missing from the spec")
    return None


def required_problem(spec: Schema, op: DocOperation, field: DocField, found: Located) -> str | None:
    if field.conditional:
        if not found.covered:
            return _where(op, f"{field.dotted}: conditionally required, not in x-conditional-required")
        if all(found.flags):
            return _where(op, f"{field.dotted}: only conditionally required, but always required in spec")
    elif field.required and not (found.flags[-1] or found.covered):
        return _where(op, f"{field.dotted}: documented as required, not required in the spec")
    return None


def length_problem(spec: Schema, op: DocOperation, field: DocField, found: Located) -> str | None:
    merged = {**found.schema, **found.raw}
    types = _types(spec, found.raw)
    if types == {"string"}:
        key = "maxLength"
    elif types and types <= {"number", "integer", "string"}:
        key = "x-field-length"
        if "maxLength" in merged and types != {"string"}:
            return _where(op, f"{field.dotted}: maxLength on a number field (use x-field-length)")
    else:
        return _where(op, f"{field.dotted}: length {field.length} documented, spec type {sorted(types)}")
    if "x-documented-length" in merged:
        # The schema deliberately allows more than the doc (CONVENTIONS.md): the doc's figure must still be
        # recorded exactly, with the conflict explained.
        if merged["x-documented-length"] != field.length or "x-doc-conflict" not in merged:
            return _where(
                op, f"{field.dotted}: x-documented-length must be {field.length} with x-doc-conflict"
            )
        if not isinstance(merged.get(key), int) or merged[key] < field.length:
            return _where(op, f"{field.dotted}: {key} below the documented length {field.length}")
        return None
    if merged.get(key) != field.length:
        return _where(op, f"{field.dotted}: {key} is {merged.get(key)!r}, doc length {field.length}")
    return None


def container_problem(spec: Schema, op: DocOperation, field: DocField, found: Located) -> str | None:
    types = _types(spec, found.raw)
    if types == {field.container} or "x-doc-conflict" in {**found.schema, **found.raw}:
        return None
    return _where(op, f"{field.dotted}: doc says {field.container}, spec {sorted(types)}, no x-doc-conflict")


def error_code_problem(spec: Schema, op: DocOperation, code: int) -> str | None:
    _, node = _operation(spec, op)
    entries = [e for e in node.get("x-error-codes") or [] if isinstance(e, dict) and e.get("code") == code]
    want = " ".join(op.error_codes[code].split())
    if not entries:
        return _where(op, f"error {code}: missing from the operation's x-error-codes")
    got = " ".join(str(entries[0].get("message", "")).split())
    return None if got == want else _where(op, f"error {code}: message {got!r}, documented {want!r}")


# --- parametrized checks against the real docs and specs ---------------------------------------------


@cache
def _spec(carrier: str) -> Schema:
    path = REPO / "specs" / f"{carrier}.yaml"
    if not path.is_file():
        pytest.fail(f"{carrier}: {path} does not exist")
    loaded: Schema = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _found(op: DocOperation, field: DocField) -> Located:
    try:
        found = locate(_spec(op.carrier), op, field)
    except LookupError as error:
        pytest.fail(str(error))
    if found is None:
        pytest.skip("field missing: reported by test_documented_field_is_in_spec")
    return found


@pytest.mark.parametrize("carrier", sorted(PARSERS))
def test_vendor_doc_is_found_and_parsed(carrier: str) -> None:
    """Each carrier's vendor doc exists and has the structure the parser knows."""
    assert carrier not in DOC_ERRORS, DOC_ERRORS.get(carrier)


def test_doc_operations_are_the_mapped_ones() -> None:
    """The docs describe exactly the operations mapped to spec paths and methods."""
    got = {(op.carrier, op.method, op.path) for op in DOC_OPERATIONS}
    assert not DOC_ERRORS, DOC_ERRORS
    assert got == EXPECTED_OPERATIONS, sorted(got ^ EXPECTED_OPERATIONS)


@pytest.mark.parametrize(
    ("op", "field"),
    [
        pytest.param(op, f, id=f"{op.carrier}:{op.method}{op.path}:{f.dotted}")
        for op in DOC_OPERATIONS
        for f in op.fields
    ],
)
def test_documented_field_is_in_spec(op: DocOperation, field: DocField) -> None:
    """A documented request field exists in the spec operation."""
    try:
        problem = presence_problem(_spec(op.carrier), op, field)
    except LookupError as error:
        problem = str(error)
    assert problem is None, problem


CHECKS = {"required": required_problem, "length": length_problem, "kind": container_problem}
FACT_CASES = [
    pytest.param(name, op, f, id=f"{name}:{op.carrier}:{op.method}{op.path}:{f.dotted}")
    for op in DOC_OPERATIONS
    for f in op.fields
    for name, present in (
        ("required", f.required or f.conditional),
        ("length", f.length is not None),
        ("kind", f.container is not None),
    )
    if present
]


@pytest.mark.parametrize(("check", "op", "field"), FACT_CASES)
def test_documented_field_fact_matches(check: str, op: DocOperation, field: DocField) -> None:
    """A documented required flag, length or object/array kind is what the spec says about the field."""
    problem = CHECKS[check](_spec(op.carrier), op, field, _found(op, field))
    assert problem is None, problem


@pytest.mark.parametrize(
    ("op", "code"),
    [
        pytest.param(op, code, id=f"{op.carrier}:{op.method}{op.path}:{code}")
        for op in DOC_OPERATIONS
        for code in op.error_codes
    ],
)
def test_documented_error_code_is_in_operation(op: DocOperation, code: int) -> None:
    """A documented error code is in the operation's x-error-codes with the documented message."""
    try:
        problem = error_code_problem(_spec(op.carrier), op, code)
    except LookupError as error:
        problem = str(error)
    assert problem is None, problem


@pytest.mark.parametrize(
    ("op", "path", "cap"),
    [
        pytest.param(op, p, cap, id=f"{op.carrier}:{op.method}{op.path}:{p}")
        for op in DOC_OPERATIONS
        for p, cap in op.max_items.items()
    ],
)
def test_documented_item_cap_is_max_items(op: DocOperation, path: str, cap: int) -> None:
    """A documented item cap (DeftShip's 1,000 batch items) is the array's maxItems."""
    found = locate(_spec(op.carrier), op, DocField(tuple(path.split(".")), "body", False))
    assert found is not None, _where(op, f"{path}: missing from the spec")
    assert found.schema.get("maxItems") == cap, _where(op, f"{path}: maxItems should be {cap}")


# --- the parser and the checks on tiny docs -------------------------------------------------------

BAASHIP_SNIPPET = """Request URL: host:/createShipment
Request Method: POST
Parameter Name | Description | Required | Data Type | Field Length |
---|---|---|---|---|
referenceNo | Customer-defined unique order number | Yes | String | 30 |
storeId | Store code |
Yes (for store delivery) | String | 20 |
sender | Sender information | Yes | Object | |
Sender's email | No | String | 50 | |
{"referenceNo": "R1", "sender": {"email": "a@b.c"}}
Error Code | Error Description |
---|---|
1001 | Token validation error. |
"""
SPEC_SNIPPET: Schema = yaml.safe_load("""
paths:
  /createShipment:
    post:
      x-error-codes: [{code: 1001, message: "Token  validation error."}]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/C"}}}}
components:
  schemas:
    C:
      type: object
      required: [referenceNo, sender]
      x-conditional-required: [{require: [storeId], when: store delivery mode}]
      properties:
        referenceNo: {type: string, maxLength: 30}
        storeId: {type: string, maxLength: 20}
        sender: {type: object, properties: {email: {type: string, maxLength: 50}}}
""")


def test_parser_joins_wrapped_rows_nests_objects_and_names_email() -> None:
    """The Baaship parser joins wrapped rows, nests rows under their object and names the email row."""
    (op,) = parse_baaship(BAASHIP_SNIPPET)
    assert [(f.dotted, f.required, f.conditional, f.length) for f in op.fields] == [
        ("referenceNo", True, False, 30),
        ("storeId", False, True, 20),
        ("sender", True, False, None),
        ("sender.email", False, False, 50),
    ]
    assert op.error_codes == {1001: "Token validation error."}


def test_checks_pass_on_a_matching_spec() -> None:
    """A spec that carries every fact of the snippet yields no problem."""
    (op,) = parse_baaship(BAASHIP_SNIPPET)
    for field in op.fields:
        found = locate(SPEC_SNIPPET, op, field)
        assert found is not None
        assert required_problem(SPEC_SNIPPET, op, field, found) is None
        assert field.length is None or length_problem(SPEC_SNIPPET, op, field, found) is None
    assert error_code_problem(SPEC_SNIPPET, op, 1001) is None


def test_checks_detect_a_missing_row_and_a_changed_length() -> None:
    """A doc row absent from the spec and a length that differs are both reported."""
    extra_row = BAASHIP_SNIPPET.replace("sender |", "orderNo | Order number | No | String | 31 |\nsender |")
    (op,) = parse_baaship(extra_row)
    order_no = next(f for f in op.fields if f.dotted == "orderNo")
    assert "orderNo: documented body field missing" in str(presence_problem(SPEC_SNIPPET, op, order_no))
    (op,) = parse_baaship(BAASHIP_SNIPPET.replace("| String | 30 |", "| String | 31 |"))
    reference = op.fields[0]
    found = locate(SPEC_SNIPPET, op, reference)
    assert found is not None
    assert "maxLength is 30, doc length 31" in str(length_problem(SPEC_SNIPPET, op, reference, found))


def test_checks_detect_unconditional_required_and_wrong_message() -> None:
    """A conditional field made always required and a changed error message are both reported."""
    (op,) = parse_baaship(BAASHIP_SNIPPET.replace("1001 | Token", "1001 | Bad token"))
    spec = copy.deepcopy(SPEC_SNIPPET)
    spec["components"]["schemas"]["C"]["required"].append("storeId")
    found = locate(spec, op, op.fields[1])
    assert found is not None
    assert "always required" in str(required_problem(spec, op, op.fields[1], found))
    assert "documented 'Bad token validation error.'" in str(error_code_problem(spec, op, 1001))


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (parse_baaship, BAASHIP_SNIPPET.replace("| Yes | String | 30 |", "| Maybe | String | 30 |")),
        (parse_baaship, BAASHIP_SNIPPET.replace("Field Length |", "Length |")),
        (parse_baaship, BAASHIP_SNIPPET.replace("Error Code", "Codes")),
        (parse_deftship, '| POST | /batches |\nmaximum of 1,000 items per batch\n"batch_shipments": [\n+a|b'),
        (parse_deftship, '| POST | /batches |\n"batch_shipments": [\n+a | Yes | String | x'),
        (parse_wechat, "http请求方式:POST\nhttps://api.weixin.qq.com/x?access_token=1\n| 参数 | type |"),
    ],
)
def test_parser_rejects_unrecognised_structure(parser: Any, text: str) -> None:
    """A doc whose structure the parser does not recognise raises instead of yielding fewer facts."""
    with pytest.raises(VendorDocError):
        parser(text)


def test_missing_vendor_docs_is_an_error(tmp_path: Path) -> None:
    """Without specs/sources or SHIPSPEC_VENDOR_DOCS the docs lookup fails loudly, naming the variable."""
    with pytest.raises(FileNotFoundError, match="SHIPSPEC_VENDOR_DOCS"):
        find_docs_dir(tmp_path / "repo", env={})


def test_snapshots_match_their_recorded_sha256() -> None:
    """Every vendor doc snapshot in specs/sources is listed in SOURCES.md with its origin and its sha256."""
    sources = REPO / "specs" / "sources"
    table = (sources / "SOURCES.md").read_text(encoding="utf-8")
    row = r"^\| (\w+) \| `([^`]+)` \| (https://\S+) \| [\d-]+ \| `([0-9a-f]{64})` \|$"
    rows = re.findall(row, table, re.M)
    assert {name for _, name, _, _ in rows} == {p.name for p in sources.glob("*.md")} - {"SOURCES.md"}
    for _, name, _, digest in rows:
        assert hashlib.sha256((sources / name).read_bytes()).hexdigest() == digest, name
