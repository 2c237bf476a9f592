"""Parse the vendor doc snapshots in ``specs/sources`` into the facts the specs must carry.

Each parser is a pure function of the doc text. When the text does not have the structure the parser
knows, it raises :class:`VendorDocError` instead of returning fewer facts, so a doc change cannot pass
unnoticed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Location = Literal["query", "body"]
Container = Literal["object", "array"]

ENV_VAR = "SHIPSPEC_VENDOR_DOCS"


class VendorDocError(ValueError):
    """A vendor doc does not have the structure its parser expects."""


@dataclass(frozen=True)
class DocField:
    path: tuple[str, ...]
    location: Location
    required: bool
    conditional: bool = False  # required only under a condition the doc states
    length: int | None = None
    container: Container | None = None

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class DocOperation:
    carrier: str
    method: str
    path: str
    fields: tuple[DocField, ...]
    error_codes: Mapping[int, str]
    max_items: Mapping[str, int] = field(default_factory=dict)


def find_docs_dir(repo_root: Path, env: Mapping[str, str] = os.environ) -> Path:
    """Return the vendor-docs folder: ``$SHIPSPEC_VENDOR_DOCS`` when set, else the repo's ``specs/sources``.

    The snapshot inside the repo is what a clone has; the variable lets a new doc revision be checked
    before it replaces the snapshot.
    """
    candidates = [Path(env[ENV_VAR])] if env.get(ENV_VAR) else []
    candidates.append(repo_root / "specs" / "sources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"vendor docs not found (tried {tried}); set {ENV_VAR} to a folder of docs")


def _section(text: str, start: str, end: str | None, what: str) -> str:
    begin = text.find(start)
    if begin < 0:
        raise VendorDocError(f"{what}: marker {start!r} not found")
    begin += len(start)
    if end is None:
        return text[begin:]
    stop = text.find(end, begin)
    if stop < 0:
        raise VendorDocError(f"{what}: end marker {end!r} not found")
    return text[begin:stop]


def _required_flag(cell: str, what: str) -> tuple[bool, bool]:
    """Map a Required cell to (required, conditional)."""
    value = cell.strip()
    if re.fullmatch(r"(?i)yes", value):
        return True, False
    if re.fullmatch(r"(?i)no", value):
        return False, False
    if re.fullmatch(r"(?i)yes \(.+\)|no\*", value):
        return False, True
    raise VendorDocError(f"{what}: unknown Required value {value!r}")


def _error_rows(lines: list[str], pattern: str, what: str) -> dict[int, str]:
    codes: dict[int, str] = {}
    for line in lines:
        match = re.fullmatch(pattern, line.strip())
        if match is None:
            break
        code = int(match.group(1))
        if code in codes:
            raise VendorDocError(f"{what}: error code {code} listed twice")
        codes[code] = match.group(2).strip()
    if not codes:
        raise VendorDocError(f"{what}: error code table is empty")
    return codes


# --- TikTok Shop -----------------------------------------------------------------------------------


def _tiktok_rows(table: str, location: Location, what: str) -> list[DocField]:
    fields: list[DocField] = []
    for line in table.splitlines():
        if not line.startswith("|") or re.match(r"\|\s*(Properties|-+)\s*\|", line):
            continue
        cells = line.split("|")
        name = re.search(r"`([\w.]+)`", cells[1])
        kind = re.search(r"`([^`]+)`", cells[2]) if len(cells) > 2 else None
        if name is None or kind is None:
            raise VendorDocError(f"{what}: unrecognised row {line[:80]!r}")
        parts = name.group(1).split(".")
        path = tuple(parts)
        if len(parts) > 1:  # "parent.child": parent is the latest field named like that
            parents = [f.path for f in fields if f.path[-1] == parts[0]]
            if len(parts) != 2 or not parents:
                raise VendorDocError(f"{what}: no parent for {name.group(1)!r}")
            path = (*parents[-1], parts[1])
        kind_text = kind.group(1)
        container: Container | None = (
            "array" if "[]" in kind_text else "object" if "object" in kind_text else None
        )
        required = re.search(r"\bRequired\b", cells[1]) is not None
        fields.append(DocField(path, location, required, container=container))
    if not fields:
        raise VendorDocError(f"{what}: no rows")
    return fields


def parse_tiktok(text: str) -> list[DocOperation]:
    what = "tiktok_shop"
    url = re.search(r"## URL\s+`(POST|GET|PUT|DELETE) (/\S+)`", text)
    if url is None:
        raise VendorDocError(f"{what}: URL line not found")
    query = _tiktok_rows(_section(text, "### Query", "### Body", what), "query", what)
    body = _tiktok_rows(_section(text, "### Body", "## Examples", what), "body", what)
    errors = _section(text, "## Error Codes", None, what).splitlines()
    header = next((i for i, line in enumerate(errors) if re.match(r"-+\|-+", line)), None)
    if header is None:
        raise VendorDocError(f"{what}: error code table header not found")
    codes = _error_rows(errors[header + 1 :], r"(\d+) \| (.+)", what)
    return [DocOperation(what, url.group(1), url.group(2), tuple(query + body), codes)]


# --- WeChat Shop -----------------------------------------------------------------------------------


def parse_wechat(text: str) -> list[DocOperation]:
    what = "wechat_shop"
    method = re.search(r"http请求方式:\s*(POST|GET)", text)
    url = re.search(r"https://api\.weixin\.qq\.com(/[\w/]+)\?access_token=", text)
    if method is None or url is None:
        raise VendorDocError(f"{what}: request method or URL not found")
    table = _section(text, "# Dxplaination of request parameters", "# Dxplaination of callback", what)
    lines = [line for line in table.splitlines() if line.startswith("|")]
    header = r"\| 参数 \| type \| Is it compulsory\? \|"
    if len(lines) < 3 or not re.match(header, lines[0]) or not re.fullmatch(r"\|(-+\|)+", lines[1]):
        raise VendorDocError(f"{what}: request table header not recognised")
    fields: list[DocField] = []
    for line in lines[2:]:
        match = re.fullmatch(r"\| ([\w.\[\]]+) \| (\w+) \| (yes|no) \| (.*) \|", line.strip())
        if match is None:
            raise VendorDocError(f"{what}: unrecognised request row {line!r}")
        path = tuple(match.group(1).replace("[]", "").split("."))
        conditional = re.search(r"required (when|if) is_all_product", match.group(4)) is not None
        fields.append(DocField(path, "body", match.group(3) == "yes", conditional))
    codes_text = _section(text, "# Return code", None, what).splitlines()
    if len(codes_text) < 3 or "返回码" not in codes_text[1]:
        raise VendorDocError(f"{what}: return code table header not recognised")
    codes = _error_rows(codes_text[3:], r"\| (-?\d+) \| (.+) \|", what)
    return [DocOperation(what, method.group(1), url.group(1), tuple(fields), codes)]


# --- Baaship ---------------------------------------------------------------------------------------

_BAASHIP_TABLE = "Parameter Name | Description | Required | Data Type | Field Length |"
_NAMELESS = {r"(Sender|Recipient)'s email": "email"}  # rows whose name cell the dump dropped


def _baaship_cells(lines: list[str], what: str) -> tuple[list[list[str]], int]:
    """Join wrapped rows into lists of 5 cells; return them and the index after the table."""
    rows: list[list[str]] = []
    pending: list[str] = []
    index = len(lines)
    for number, line in enumerate(lines):
        if "|" not in line:
            index = number
            break
        cells = [c.strip() for c in line.rstrip().removesuffix("|").split("|")]
        pending.extend(cells)
        if len(pending) == 5:
            rows.append(pending)
            pending = []
        elif len(pending) > 5:
            raise VendorDocError(f"{what}: row with too many cells near {line!r}")
    if pending:
        raise VendorDocError(f"{what}: unfinished row {pending!r}")
    return rows, index


def _baaship_operation(chunk: str) -> DocOperation:
    lines = chunk.splitlines()
    name = lines[0].strip()
    what = f"baaship /{name}"
    method = re.fullmatch(r"Request Method: (GET|POST)", lines[1].strip())
    if method is None or _BAASHIP_TABLE not in lines:
        raise VendorDocError(f"{what}: method line or request table not found")
    start = lines.index(_BAASHIP_TABLE) + 2
    rows, end = _baaship_cells(lines[start:], what)
    location: Location = "query" if method.group(1) == "GET" else "body"
    example: Any = None
    fields: list[DocField] = []
    parent: tuple[str, ...] = ()
    for cells in rows:
        if re.fullmatch(r"(?i)yes|no", cells[1]) and cells[4] == "":  # name cell missing
            alias = next((v for k, v in _NAMELESS.items() if re.fullmatch(k, cells[0])), None)
            if alias is None:
                raise VendorDocError(f"{what}: nameless row {cells!r}")
            cells = [alias, *cells[:4]]
        field_name, _, required_cell, kind, length = cells
        if not re.fullmatch(r"[a-zA-Z]\w*", field_name):
            raise VendorDocError(f"{what}: bad field name in {cells!r}")
        required, conditional = _required_flag(required_cell, f"{what} {field_name}")
        if re.search(r"(?i)choose one of them", cells[1]):  # getShipmentLabel: waybill or referenceNo
            required, conditional = False, True
        container: Container | None = None
        if kind == "Object" or kind.startswith("Array["):
            container = "object" if kind == "Object" else "array"
            if example is None:
                brace = "\n".join(lines[start + end :]).find("{")
                example = json.JSONDecoder().raw_decode("\n".join(lines[start + end :])[brace:])[0]
            parent = _key_path(example, field_name, what)[:-1]
        elif not re.fullmatch(r"String|Number", kind) or not length.isdigit():
            raise VendorDocError(f"{what}: unrecognised type/length in {cells!r}")
        path = (*parent, field_name)
        fields.append(
            DocField(path, location, required, conditional, int(length) if length else None, container)
        )
        if container is not None:
            parent = path
    after = lines[start + end :]
    header = next((i for i, line in enumerate(after) if line.startswith("Error Code | Error Desc")), None)
    if header is None:
        raise VendorDocError(f"{what}: error code table not found")
    codes = _error_rows(after[header + 2 :], r"(\d+) \| (.+?) \|", what)
    return DocOperation("baaship", method.group(1), f"/{name}", tuple(fields), codes)


def _key_path(node: Any, key: str, what: str) -> tuple[str, ...]:
    """Path of dict keys (lists are transparent) to the first ``key`` in a JSON example."""
    if isinstance(node, list):
        for item in node:
            try:
                return _key_path(item, key, what)
            except VendorDocError:
                continue
    elif isinstance(node, dict):
        if key in node:
            return (key,)
        for name, value in node.items():
            try:
                return (name, *_key_path(value, key, what))
            except VendorDocError:
                continue
    raise VendorDocError(f"{what}: object {key!r} not found in the request example")


def parse_baaship(text: str) -> list[DocOperation]:
    chunks = re.split(r"^Request URL: host:/", text, flags=re.MULTILINE)
    if len(chunks) < 2:
        raise VendorDocError("baaship: no 'Request URL: host:/' sections")
    return [_baaship_operation(chunk) for chunk in chunks[1:]]


# --- DeftShip --------------------------------------------------------------------------------------

_DEFT_ROW = re.compile(r"(\++)(\w+)(?: (\[\]|\{\}))? \| (Yes|No\*?) \| (\w+) \| .*")
_DEFT_ROOT = ("batch_shipments",)  # "+" rows describe one batch_shipments[] item (see the example)


def parse_deftship(text: str) -> list[DocOperation]:
    what = "deftship"
    url = re.search(r"^\| (POST|GET|PUT) \| (/\S+) \|", text, flags=re.MULTILINE)
    cap = re.search(r"maximum of ([\d,]+) items per batch", text)
    if url is None or cap is None or f'"{_DEFT_ROOT[0]}": [' not in text:
        raise VendorDocError(f"{what}: URL row, item cap or batch_shipments example not found")
    fields: list[DocField] = []
    stack: list[tuple[str, ...]] = [_DEFT_ROOT]
    for line in text.splitlines():
        if not line.startswith("+"):
            continue
        match = _DEFT_ROW.fullmatch(line.strip())
        if match is None:
            raise VendorDocError(f"{what}: unrecognised row {line[:80]!r}")
        depth = len(match.group(1))
        if depth > len(stack):
            raise VendorDocError(f"{what}: {match.group(2)!r} skips a nesting level")
        del stack[depth:]
        path = (*stack[-1], match.group(2))
        suffix = match.group(3)
        container: Container | None = "array" if suffix == "[]" else "object" if suffix else None
        required, conditional = _required_flag(match.group(4), f"{what} {match.group(2)}")
        fields.append(DocField(path, "body", required, conditional, container=container))
        stack.append(path)
    if not fields:
        raise VendorDocError(f"{what}: no '+field' rows")
    max_items = {".".join(_DEFT_ROOT): int(cap.group(1).replace(",", ""))}
    return [DocOperation(what, url.group(1), url.group(2), tuple(fields), {}, max_items)]


PARSERS: dict[str, tuple[str, Callable[[str], list[DocOperation]]]] = {
    "tiktok_shop": ("tiktok-shop-batch-ship-packages.md", parse_tiktok),
    "wechat_shop": ("wechat-shop-delivery-send.md", parse_wechat),
    "baaship": ("baaship-shipments.md", parse_baaship),
    "deftship": ("deftship-create-batch.md", parse_deftship),
}


def load_carrier(docs_dir: Path, carrier: str) -> list[DocOperation]:
    """Parse the vendor doc of one carrier."""
    filename, parser = PARSERS[carrier]
    return parser((docs_dir / filename).read_text(encoding="utf-8"))
