"""DeftShip's Create Batch page: the URL row, the item cap, ``+field`` rows nested by their ``+`` count."""

from __future__ import annotations

import re

from .facts import Container, DocField, DocOperation, VendorDocError, required_flag

_ROW = re.compile(r"(\++)(\w+)(?: (\[\]|\{\}))? \| (Yes|No\*?) \| (\w+) \| .*")
_ROOT = ("batch_shipments",)  # "+" rows describe one batch_shipments[] item (see the example)


def parse_deftship(text: str) -> list[DocOperation]:
    """Parse the DeftShip doc into its one operation."""
    what = "deftship"
    url = re.search(r"^\| (POST|GET|PUT) \| (/\S+) \|", text, flags=re.MULTILINE)
    cap = re.search(r"maximum of ([\d,]+) items per batch", text)
    if url is None or cap is None or f'"{_ROOT[0]}": [' not in text:
        raise VendorDocError(f"{what}: URL row, item cap or batch_shipments example not found")
    fields: list[DocField] = []
    stack: list[tuple[str, ...]] = [_ROOT]
    for line in text.splitlines():
        if not line.startswith("+"):
            continue
        match = _ROW.fullmatch(line.strip())
        if match is None:
            raise VendorDocError(f"{what}: unrecognised row {line[:80]!r}", at=line)
        depth = len(match.group(1))
        if depth > len(stack):
            raise VendorDocError(f"{what}: {match.group(2)!r} skips a nesting level", at=line)
        del stack[depth:]
        path = (*stack[-1], match.group(2))
        suffix = match.group(3)
        container: Container | None = "array" if suffix == "[]" else "object" if suffix else None
        required, conditional = required_flag(match.group(4), f"{what} {match.group(2)}", line)
        fields.append(DocField(path, "body", required, conditional, container=container))
        stack.append(path)
    if not fields:
        raise VendorDocError(f"{what}: no '+field' rows")
    max_items = {".".join(_ROOT): int(cap.group(1).replace(",", ""))}
    return [DocOperation(what, url.group(1), url.group(2), tuple(fields), {}, max_items)]
