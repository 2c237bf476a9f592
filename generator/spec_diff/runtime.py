"""Compare what the runtime reads beside the generated client: servers, security, x-auth, product codes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .model import Change, as_list, as_map, show, strip_prose
from .side import OperationView, SpecView


def diff_servers(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    before, after = _server_urls(old.get("servers")), _server_urls(new.get("servers"))
    for url in sorted(set(before) - set(after)):
        # Clients configured for it (an environment, a pinned base URL) lose it.
        yield Change("server-removed", f"servers {url}", True, "server removed")
    for url in sorted(set(after) - set(before)):
        yield Change("server-added", f"servers {url}", False, "server added")
    if before and after and before[0] != after[0] and before[0] in after:
        # The first server is the clients' default host.
        detail = f"default (first) server {before[0]} -> {after[0]}"
        yield Change("servers-changed", "servers", True, detail)


def _server_urls(servers: Any) -> list[str]:
    return [str(server.get("url")) for server in as_list(servers) if isinstance(server, Mapping)]


def diff_operation_servers(before: OperationView, after: OperationView, label: str) -> Iterator[Change]:
    """Operation or path-level servers (e.g. TikTok's token host): the runtime sends the call there."""
    old = _server_urls(before.spec.get("servers") or before.path_servers) or None
    new = _server_urls(after.spec.get("servers") or after.path_servers) or None
    if old == new:
        return
    appended = old is not None and new is not None and new[: len(old)] == old
    detail = f"servers {show(old or 'root servers')} -> {show(new or 'root servers')}"
    yield Change("servers-changed", f"{label} servers", not appended, detail)


def _requirements(node: Any) -> frozenset[str]:
    """A security requirement list as a set of alternatives (an empty list: no auth)."""
    return frozenset(
        " + ".join(sorted(_scheme_use(str(name), scopes) for name, scopes in req.items())) or "anonymous"
        for req in as_list(node)
        if isinstance(req, Mapping)
    )


def _scheme_use(name: str, scopes: Any) -> str:
    listed = sorted(str(scope) for scope in as_list(scopes))
    return f"{name}[{', '.join(listed)}]" if listed else name


def diff_security(
    old: SpecView, before: OperationView, new: SpecView, after: OperationView, label: str
) -> Iterator[Change]:
    was = _requirements(before.spec["security"] if "security" in before.spec else old.raw.get("security"))
    now = _requirements(after.spec["security"] if "security" in after.spec else new.raw.get("security"))
    if was == now:
        return
    # Only new alternatives next to the old ones keep old clients' credentials
    # valid; anything else changes what the runtime sends (or must send).
    widened = bool(was) and was < now
    detail = f"security {_show_requirements(was)} -> {_show_requirements(now)}"
    yield Change("security-changed", f"{label} security", not widened, detail)


def _show_requirements(requirements: frozenset[str]) -> str:
    return " | ".join(sorted(requirements)) if requirements else "none (no auth)"


def diff_named(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, noun: str, added_breaks: bool = False
) -> Iterator[Change]:
    """Named runtime entries (security schemes, product codes): removed or changed breaks."""
    for name in sorted(old.keys() | new.keys()):
        location = f"{where} {name}"
        if name not in new:
            yield Change(f"{noun}-removed", location, True, "removed")
        elif name not in old:
            yield Change(f"{noun}-added", location, added_breaks, "added")
        else:
            was, now = as_map(strip_prose(old[name])), as_map(strip_prose(new[name]))
            keys = sorted(key for key in was.keys() | now.keys() if was.get(key) != now.get(key))
            if keys:
                detail = "; ".join(f"{key} {show(was.get(key))} -> {show(now.get(key))}" for key in keys)
                yield Change(f"{noun}-changed", location, True, detail)


def _security_schemes(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in as_map(as_map(spec.get("components")).get("securitySchemes")).items()}


def product_codes(spec: Mapping[str, Any]) -> dict[str, Any]:
    entries = as_list(spec.get("x-product-codes"))
    return {str(e.get("code")): e for e in entries if isinstance(e, Mapping)}


def diff_auth(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    # The runtime builds its auth from these (AUTH_SCHEMES, x-auth signing).
    yield from diff_named(
        _security_schemes(old), _security_schemes(new), "securitySchemes", "security-scheme"
    )
    was, now = strip_prose(old.get("x-auth")), strip_prose(new.get("x-auth"))
    if was != now:
        yield Change("auth-changed", "x-auth", True, "x-auth changed: requests are authenticated differently")
