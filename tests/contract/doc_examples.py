"""The example requests the specs and the vendor doc snapshots show, as requests a test can send.

Two sources, both read from the repository (nothing beside it):

- ``spec_examples``: per operation of ``specs/<carrier>.yaml``, each request-body example (``example`` or
  ``examples`` of the media type, else the body schema's own ``example``) with the required parameters'
  examples; an operation without a body is one request when all its required parameters have examples (of a
  documented "exactly one of" pair, the first). An operation whose example is incomplete has none.
- ``doc_examples``: the request examples in ``specs/sources/*.md``, found where each vendor page puts them
  (TikTok's JSON tab and curl line, WeChat's "Example of request" blocks, Baaship's per-endpoint JSON or
  sample URL, DeftShip's Create Batch example). A page whose examples cannot be found fails loudly, naming
  the file: a new doc revision that moves them must not silently test nothing.

Credentials in an example (TikTok's app_key/sign/timestamp, WeChat's access_token, Baaship's token) are
placeholders; they are dropped here and the sender adds the sandbox's own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from generator.paths import SPECS

SOURCES = SPECS / "sources"
CREDENTIAL_QUERY_KEYS = frozenset({"app_key", "sign", "timestamp", "access_token"})

__all__ = ["ExampleRequest", "doc_examples", "spec_examples"]


@dataclass(frozen=True)
class ExampleRequest:
    """One documented request: where it comes from, and what it sends (credentials left out)."""

    source: str
    carrier: str
    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = None

    def __str__(self) -> str:
        return self.source


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s from the spec's root."""
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _parameter_examples(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> dict[str, str] | None:
    """The required parameters' examples (path and query), or None when one has none."""
    found: dict[str, str] = {}
    wanted = [_resolve(spec, parameter) for parameter in operation.get("parameters", [])]
    groups = [rule["exactly_one_of"] for rule in operation.get("x-rules", []) if "exactly_one_of" in rule]
    first_of_group = {group[0] for group in groups}
    for parameter in wanted:
        if parameter.get("in") == "header":
            continue
        name = parameter["name"]
        required = parameter.get("required", False) or name in first_of_group
        example = parameter.get("example", parameter.get("schema", {}).get("example"))
        if required and example is None:
            return None
        if required:
            found[name] = str(example)
    return found


def _body_examples(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "example" in media:
            yield "example", media["example"]
        for name, example in (media.get("examples") or {}).items():
            yield f"examples.{name}", _resolve(spec, example)["value"]
        schema = _resolve(spec, media.get("schema", {}))
        if "example" not in media and not media.get("examples") and "example" in schema:
            yield "schema example", schema["example"]


def spec_examples(carrier: str) -> list[ExampleRequest]:
    """Every example request of ``specs/<carrier>.yaml`` (see the module docstring)."""
    spec: dict[str, Any] = yaml.safe_load((SPECS / f"{carrier}.yaml").read_text(encoding="utf-8"))
    found: list[ExampleRequest] = []
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            parameters = _parameter_examples(spec, operation)
            if parameters is None:
                continue
            path_names = set(re.findall(r"{(\w+)}", template))
            path = template.format(**{name: parameters[name] for name in path_names})
            query = {key: value for key, value in parameters.items() if key not in path_names}
            query = {key: value for key, value in query.items() if key not in CREDENTIAL_QUERY_KEYS}
            where = f"specs/{carrier}.yaml {operation['operationId']}"
            bodies = list(_body_examples(spec, operation))
            if "requestBody" in operation and not bodies:
                continue
            for label, body in bodies or [("parameters", None)]:
                found.append(ExampleRequest(f"{where} {label}", carrier, method.upper(), path, query, body))
    return found


def _json_at(text: str, start: int, what: str) -> tuple[Any, int]:
    """The first JSON object at or after ``start`` that parses, and where it ends."""
    decoder = json.JSONDecoder()
    position = text.find("{", start)
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        return value, end
    raise AssertionError(f"{what}: no JSON example found")


def _query(url: str) -> tuple[str, dict[str, str]]:
    split = urlsplit(url.strip())
    query = dict(parse_qsl(split.query, keep_blank_values=True))
    return split.path, {key: value for key, value in query.items() if key not in CREDENTIAL_QUERY_KEYS}


def _tiktok(text: str, where: str) -> list[ExampleRequest]:
    endpoint = re.search(r"`(GET|POST|PUT|DELETE) (/[^`\s]+)`", text)
    examples = text.find("## Examples")
    curl = re.search(r"https://open-api\.tiktokglobalshop\.com\S+", text[examples:])
    tab = text.find('=== "JSON"', examples)
    if endpoint is None or examples == -1 or curl is None or tab == -1:
        raise AssertionError(f"{where}: endpoint, curl line or JSON tab not found")
    _, query = _query(curl.group(0))
    body, _ = _json_at(text, tab, where)
    return [ExampleRequest(where, "tiktok_shop", endpoint[1], endpoint[2], query, body)]


def _wechat(text: str, where: str) -> list[ExampleRequest]:
    endpoint = re.search(r"http请求方式:\s*(\w+)\s*\n\s*(https://\S+)", text)
    if endpoint is None:
        raise AssertionError(f"{where}: request method and URL not found")
    path, query = _query(endpoint[2])
    headings = [match.end() for match in re.finditer(r"(?m)^# Example of request.*$", text)]
    if not headings:
        raise AssertionError(f"{where}: no 'Example of request' heading")
    return [
        ExampleRequest(
            f"{where} example {n}", "wechat_shop", endpoint[1], path, query, _json_at(text, at, where)[0]
        )
        for n, at in enumerate(headings, start=1)
    ]


def _baaship(text: str, where: str) -> list[ExampleRequest]:
    chunks = re.split(r"(?m)^Request URL: host:", text)[1:]
    if not chunks:
        raise AssertionError(f"{where}: no 'Request URL: host:' sections")
    found = []
    for chunk in chunks:
        path = "/" + chunk.split()[0].lstrip("/")
        method = re.search(r"Request Method: (\w+)", chunk)
        if method is None:
            raise AssertionError(f"{where} {path}: no request method")
        if method[1] == "GET":
            url = re.search(r"(?m)^https?://\S+", chunk)
            if url is None:
                raise AssertionError(f"{where} {path}: no sample URL")
            sample_path, query = _query(url.group(0))
            found.append(ExampleRequest(f"{where} {path}", "baaship", "GET", sample_path, query))
        else:
            body, _ = _json_at(chunk, 0, f"{where} {path}")
            found.append(ExampleRequest(f"{where} {path}", "baaship", method[1], path, {}, body))
    return found


def _deftship(text: str, where: str) -> list[ExampleRequest]:
    endpoint = re.search(r"(?m)^\| (GET|POST|PUT) \| (/\S+) \|", text)
    if endpoint is None:
        raise AssertionError(f"{where}: the Method/URI row not found")
    start = 0
    while True:
        body, end = _json_at(text, start, where)
        if isinstance(body, dict) and "batch_shipments" in body:
            return [ExampleRequest(where, "deftship", endpoint[1], endpoint[2], {}, body)]
        start = end


PARSERS = {
    "tiktok-shop-batch-ship-packages.md": _tiktok,
    "wechat-shop-delivery-send.md": _wechat,
    "baaship-shipments.md": _baaship,
    "deftship-create-batch.md": _deftship,
}


def doc_examples() -> list[ExampleRequest]:
    """Every request example of the vendor doc snapshots (each snapshot must have a parser and examples)."""
    snapshots = sorted(path.name for path in SOURCES.glob("*.md") if path.name != "SOURCES.md")
    assert snapshots == sorted(PARSERS), (
        f"snapshots without an example parser: {set(snapshots) - set(PARSERS)}"
    )
    found: list[ExampleRequest] = []
    for name, parse in sorted(PARSERS.items()):
        found += parse((SOURCES / name).read_text(encoding="utf-8"), f"specs/sources/{name}")
    return found
