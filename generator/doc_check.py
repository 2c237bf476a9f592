"""``python -m generator doc-check``: every fact a vendor doc states, checked against the carrier spec.

The doc (default: the snapshot in ``specs/sources``) is parsed into facts: operations, request fields at
their nesting, required flags, field lengths, item caps, error codes with their messages. Each fact the spec
does not carry is one ``differs`` line naming the operation and the field path or code: the to-do list of a
new doc revision. A difference the spec records in an ``x-doc-conflict`` (the doc contradicts itself or the
live API; see specs/CONVENTIONS.md) is listed as ``conflict`` and does not fail.

Exit status: 0 the spec carries every doc fact, 1 it does not, 2 a doc or spec cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .doc_spec import Located, OperationMissing, Schema, locate, operation, types_of
from .extensions import SpecError
from .paths import SPECS
from .spec_check import load, shown
from .vendor_docs import PARSERS, SOURCES, DocField, DocOperation, VendorDocError, parse_doc

Status = Literal["differs", "conflict"]


@dataclass(frozen=True)
class Finding:
    """One doc fact the spec does not carry as documented."""

    status: Status  # "conflict": recorded in an x-doc-conflict, so not a failure
    text: str  # "<carrier> <METHOD> <path> <field path or 'error N'>: what differs"


def _where(op: DocOperation, what: str) -> str:
    return f"{op.carrier} {op.label} {what}"


def _differs(op: DocOperation, what: str) -> Finding:
    return Finding("differs", _where(op, what))


def _conflict(op: DocOperation, what: str) -> Finding:
    return Finding("conflict", _where(op, f"{what} (recorded in x-doc-conflict)"))


def _doc_says(schema: Schema) -> str:
    """What the spec's x-doc-conflict says the doc says (all of the note when it has no doc_says)."""
    conflict = schema.get("x-doc-conflict")
    notes = conflict if isinstance(conflict, list) else [conflict]
    return " ".join(
        str(note.get("doc_says", json.dumps(note))) if isinstance(note, dict) else str(note)
        for note in notes
        if note is not None
    )


# --- one check per kind of fact: each yields its findings ------------------------------------------


def presence(spec: Schema, op: DocOperation, field: DocField) -> Iterator[Finding]:
    """The documented field exists in the operation."""
    if locate(spec, op, field) is None:
        yield _differs(op, f"{field.dotted}: documented {field.location} field missing from the spec")


def required(spec: Schema, op: DocOperation, field: DocField, found: Located) -> Iterator[Finding]:
    """A required (or conditionally required) field is required (or conditionally) in the spec."""
    if field.conditional:
        if not found.covered:
            yield _differs(op, f"{field.dotted}: conditionally required, not in x-conditional-required")
        elif all(found.flags):
            yield _differs(op, f"{field.dotted}: only conditionally required, but always required in spec")
    elif field.required and not (found.flags[-1] or found.covered):
        if re.search(r"(?i)\brequired\b", _doc_says(found.merged)):
            yield _conflict(op, f"{field.dotted}: documented as required, optional in the spec")
        else:
            yield _differs(op, f"{field.dotted}: documented as required, not required in the spec")


def length(spec: Schema, op: DocOperation, field: DocField, found: Located) -> Iterator[Finding]:
    """A documented length is the field's maxLength (strings) or x-field-length (numbers)."""
    merged = found.merged
    types = types_of(spec, found.raw)
    if types == {"string"}:
        key = "maxLength"
    elif types and types <= {"number", "integer", "string"}:
        key = "x-field-length"
        if "maxLength" in merged and types != {"string"}:
            yield _differs(op, f"{field.dotted}: maxLength on a number field (use x-field-length)")
            return
    else:
        yield _differs(op, f"{field.dotted}: length {field.length} documented, spec type {sorted(types)}")
        return
    if "x-documented-length" in merged:
        # The schema deliberately allows more than the doc (CONVENTIONS.md): the doc's figure must still be
        # recorded exactly, with the conflict explained.
        if merged["x-documented-length"] != field.length or "x-doc-conflict" not in merged:
            yield _differs(
                op, f"{field.dotted}: x-documented-length must be {field.length} with x-doc-conflict"
            )
        elif not isinstance(merged.get(key), int) or merged[key] < field.length:
            yield _differs(op, f"{field.dotted}: {key} below the documented length {field.length}")
        elif merged[key] != field.length:
            yield _conflict(op, f"{field.dotted}: doc length {field.length}, {key} {merged[key]}")
    elif merged.get(key) != field.length:
        yield _differs(op, f"{field.dotted}: {key} is {merged.get(key)!r}, doc length {field.length}")


def container(spec: Schema, op: DocOperation, field: DocField, found: Located) -> Iterator[Finding]:
    """A documented object or array is one in the spec."""
    types = types_of(spec, found.raw)
    if types == {field.container}:
        return
    what = f"{field.dotted}: doc says {field.container}, spec {sorted(types)}"
    if "x-doc-conflict" in found.merged:
        yield _conflict(op, what)
    else:
        yield _differs(op, f"{what}, no x-doc-conflict")


def error_code(spec: Schema, op: DocOperation, code: int) -> Iterator[Finding]:
    """A documented error code is in the operation's x-error-codes with the documented message."""
    _, node = operation(spec, op)
    entries = [e for e in node.get("x-error-codes") or [] if isinstance(e, dict) and e.get("code") == code]
    want = " ".join(op.error_codes[code].split())
    if not entries:
        yield _differs(op, f"error {code}: missing from the operation's x-error-codes")
        return
    got = " ".join(str(entries[0].get("message", "")).split())
    if got != want:
        what = f"error {code}: message {got!r}, documented {want!r}"
        yield _conflict(op, what) if "x-doc-conflict" in entries[0] else _differs(op, what)


def item_cap(spec: Schema, op: DocOperation, path: str, cap: int) -> Iterator[Finding]:
    """A documented item cap (DeftShip's 1,000 batch items) is the array's maxItems."""
    found = locate(spec, op, DocField(tuple(path.split(".")), "body", False))
    if found is None:
        yield _differs(op, f"{path}: documented item cap {cap}, the array is missing from the spec")
    elif found.schema.get("maxItems") != cap:
        yield _differs(op, f"{path}: maxItems is {found.schema.get('maxItems')!r}, doc caps it at {cap}")


def field_facts(spec: Schema, op: DocOperation, field: DocField) -> tuple[int, list[Finding]]:
    """Check every fact of one field; return how many facts were checked and the findings."""
    found = locate(spec, op, field)
    if found is None:
        return 1, list(presence(spec, op, field))
    checks = [
        *([required(spec, op, field, found)] if field.required or field.conditional else []),
        *([length(spec, op, field, found)] if field.length is not None else []),
        *([container(spec, op, field, found)] if field.container is not None else []),
    ]
    return 1 + len(checks), [finding for check in checks for finding in check]


def check_operations(spec: Schema, operations: Sequence[DocOperation]) -> tuple[int, list[Finding]]:
    """Check every fact of the doc's operations against one spec: (facts checked, findings)."""
    facts, findings = 0, []
    for op in operations:
        facts += 1
        try:
            operation(spec, op)
        except OperationMissing as exc:
            findings.append(Finding("differs", str(exc)))
            continue
        for field in op.fields:
            counted, found = field_facts(spec, op, field)
            facts, findings = facts + counted, findings + found
        for code in op.error_codes:
            facts, findings = facts + 1, findings + list(error_code(spec, op, code))
        for path, cap in op.max_items.items():
            facts, findings = facts + 1, findings + list(item_cap(spec, op, path, cap))
    return facts, findings


# --- command line -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator doc-check",
        description="List every fact of a vendor doc that its carrier spec does not carry.",
        epilog="exit status: 0 the spec carries every doc fact, 1 it does not, 2 a doc or spec is unreadable",
    )
    parser.add_argument(
        "--carrier", default="all", choices=[*PARSERS, "all"], help="the carrier (default: all)"
    )
    parser.add_argument(
        "doc", nargs="?", type=Path, help="the vendor doc (default: its snapshot in specs/sources)"
    )
    parser.add_argument(
        "--spec", type=Path, help="the carrier spec (default: specs/<carrier>.yaml); one carrier only"
    )
    return parser


def check_carrier(carrier: str, doc: Path, spec_path: Path) -> tuple[int, list[Finding]]:
    """Parse one doc and check it against one spec; VendorDocError/SpecError when either cannot be read."""
    try:
        text = doc.read_text(encoding="utf-8")
    except OSError as exc:
        raise VendorDocError(f"{shown(doc)}: cannot read: {exc.strerror or exc}") from exc
    operations = parse_doc(carrier, text, shown(doc))
    return check_operations(load(spec_path), operations)


def main(argv: Sequence[str]) -> int:
    """Print the findings; return the exit status."""
    args = _parser().parse_args(list(argv))
    carriers = list(PARSERS) if args.carrier == "all" else [args.carrier]
    if (args.doc or args.spec) and len(carriers) != 1:
        sys.stderr.write("error: DOC and --spec need one --carrier\n")
        return 2
    failed = False
    for carrier in carriers:
        doc = args.doc or SOURCES / PARSERS[carrier][0]
        spec = args.spec or SPECS / f"{carrier}.yaml"
        try:
            facts, findings = check_carrier(carrier, doc, spec)
        except (VendorDocError, SpecError) as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 2
        for finding in findings:
            print(f"{finding.status:<9} {finding.text}")
        differences = sum(f.status == "differs" for f in findings)
        failed = failed or differences > 0
        print(
            f"{carrier}: {facts} doc facts in {shown(doc)}, {differences} missing or different in "
            f"{shown(spec)}, {len(findings) - differences} recorded conflicts"
        )
    return 1 if failed else 0
