"""``python -m generator doc-diff OLD NEW``: what changed between two revisions of a vendor doc, as facts.

Both revisions are parsed with the carrier's doc parser (``vendor_docs``) and compared fact by fact:
operations, request fields at their nesting, required flags, field lengths, object/array kinds, item caps,
error codes and their messages. One line per change; ``doc-check`` then says which of them the spec lacks.
OLD and NEW are files or ``REV:path`` (the file at a git revision).

Exit status: 0 no change, 1 changes listed, 2 a doc cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .spec_diff import SpecDiffError, read_text
from .vendor_docs import PARSERS, DocField, DocOperation, VendorDocError, parse_doc


@dataclass(frozen=True)
class DocChange:
    """One fact that differs between two doc revisions."""

    kind: str  # e.g. field-added, length-changed, error-message-changed
    where: str  # "METHOD /path field.path" or "METHOD /path error N"
    detail: str

    @property
    def line(self) -> str:
        return f"{self.kind:<22} {self.where}: {self.detail}"


def _required_text(field: DocField) -> str:
    return "conditionally required" if field.conditional else "required" if field.required else "optional"


def _describe(field: DocField) -> str:
    parts = [field.location, _required_text(field)]
    if field.length is not None:
        parts.append(f"length {field.length}")
    if field.container is not None:
        parts.append(field.container)
    return ", ".join(parts)


def _fields(op: DocOperation) -> dict[tuple[str, tuple[str, ...]], DocField]:
    return {(field.location, field.path): field for field in op.fields}


def _diff_field(before: DocField, after: DocField, where: str) -> Iterator[DocChange]:
    facts = (
        ("required-changed", _required_text(before), _required_text(after)),
        ("length-changed", before.length, after.length),
        ("kind-changed", before.container or "value", after.container or "value"),
    )
    for kind, was, now in facts:
        if was != now:
            yield DocChange(
                kind, where, f"{was if was is not None else 'none'} -> {now if now is not None else 'none'}"
            )


def _diff_keyed(
    old: Mapping[str, object], new: Mapping[str, object], label: str, noun: str, what: str
) -> Iterator[DocChange]:
    for key in sorted(old.keys() | new.keys()):
        where = f"{label} {what}{key}"
        if key not in new:
            yield DocChange(f"{noun}-removed", where, f"was {old[key]!r}")
        elif key not in old:
            yield DocChange(f"{noun}-added", where, repr(new[key]))
        elif old[key] != new[key]:
            changed = "error-message-changed" if noun == "error-code" else f"{noun}-changed"
            yield DocChange(changed, where, f"{old[key]!r} -> {new[key]!r}")


def _diff_operation(before: DocOperation, after: DocOperation) -> Iterator[DocChange]:
    old, new = _fields(before), _fields(after)
    for key in sorted(old.keys() | new.keys()):
        where = f"{after.label} {'.'.join(key[1])}"
        if key not in new:
            yield DocChange("field-removed", where, f"was {_describe(old[key])}")
        elif key not in old:
            yield DocChange("field-added", where, _describe(new[key]))
        else:
            yield from _diff_field(old[key], new[key], where)
    old_codes, new_codes = (
        {str(c): " ".join(m.split()) for c, m in op.error_codes.items()} for op in (before, after)
    )
    yield from _diff_keyed(old_codes, new_codes, after.label, "error-code", "error ")
    yield from _diff_keyed(before.max_items, after.max_items, after.label, "item-cap", "")


def diff_docs(old: Sequence[DocOperation], new: Sequence[DocOperation]) -> list[DocChange]:
    """Every fact that differs from ``old`` to ``new``, operations first."""
    before = {(op.method, op.path): op for op in old}
    after = {(op.method, op.path): op for op in new}
    changes = [
        DocChange("operation-removed", before[key].label, f"was {len(before[key].fields)} fields")
        for key in sorted(before.keys() - after.keys())
    ]
    changes += [
        DocChange("operation-added", after[key].label, f"{len(after[key].fields)} fields")
        for key in sorted(after.keys() - before.keys())
    ]
    for key in sorted(before.keys() & after.keys()):
        changes += _diff_operation(before[key], after[key])
    return changes


def carrier_of(ref: str) -> str | None:
    """The carrier whose snapshot file name the doc reference ends with, if any."""
    name = Path(ref.split(":", 1)[-1]).name
    return next((carrier for carrier, (file, _) in PARSERS.items() if file == name), None)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator doc-diff",
        description="List the facts that changed between two revisions of a vendor doc.",
        epilog=(
            "example:\n  python -m generator doc-diff \\\n"
            "    specs/sources/baaship-shipments.md new/baaship-shipments.md"
            "\n\nexit status: 0 no change, 1 changes listed, 2 a doc cannot be read or parsed"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old", metavar="OLD", help="the old revision: a file, or REV:path at a git revision")
    parser.add_argument("new", metavar="NEW", help="the new revision: a file, or REV:path")
    parser.add_argument(
        "--carrier", choices=sorted(PARSERS), help="whose parser reads the docs (default: from the file name)"
    )
    parser.add_argument(
        "--repo", type=Path, default=Path(), metavar="DIR", help="git repository for REV:path"
    )
    return parser


def main(argv: Sequence[str]) -> int:
    """Print the changed facts; return the exit status."""
    args = _parser().parse_args(list(argv))
    carrier = args.carrier or carrier_of(args.new) or carrier_of(args.old)
    if carrier is None:
        sys.stderr.write(
            f"error: cannot tell the carrier from the file names: give --carrier {sorted(PARSERS)}\n"
        )
        return 2
    try:
        old, new = (parse_doc(carrier, read_text(ref, args.repo), ref) for ref in (args.old, args.new))
    except (SpecDiffError, VendorDocError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    changes = diff_docs(old, new)
    for change in changes:
        print(change.line)
    print(
        f"{carrier}: {len(changes)} changed doc facts"
        + ("; run doc-check for the spec's to-do list" if changes else "")
    )
    return 1 if changes else 0
