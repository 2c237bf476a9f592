"""Compare operations (matched by method and path): renames, parameters, request bodies, responses, and the
per-operation extensions (error tables, security, servers, failures, policies).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .error_tables import diff_error_table, diff_failures
from .fields import compare_maps, compare_rules
from .model import JSON_MEDIA, Change, Side, as_map, rules_of
from .policies import diff_policy
from .runtime import diff_operation_servers, diff_security
from .schemas import Field
from .side import OperationView, SpecView


def diff_operations(old: SpecView, new: SpecView) -> Iterator[Change]:
    before_ops, after_ops = old.operations(), new.operations()
    for key in sorted(before_ops.keys() - after_ops.keys()):
        op = before_ops[key]
        detail = f"operation removed (operationId {op.operation_id or 'none'})"
        yield Change("operation-removed", op.label, True, detail)
    for key in sorted(after_ops.keys() - before_ops.keys()):
        yield Change("operation-added", after_ops[key].label, False, "operation added")
    for key in sorted(before_ops.keys() & after_ops.keys()):
        yield from _diff_operation(old, before_ops[key], new, after_ops[key])


def _diff_operation(
    old: SpecView, before: OperationView, new: SpecView, after: OperationView
) -> Iterator[Change]:
    label = after.label
    if before.operation_id != after.operation_id:
        detail = (
            f"operationId {before.operation_id or 'none'} -> "
            f"{after.operation_id or 'none'}: the generated function is renamed"
        )
        yield Change("operation-renamed", label, True, detail)
    yield from _diff_parameters(old, before, new, after, label)
    yield from _diff_bodies(
        old.request_bodies(before),
        new.request_bodies(after),
        f"{label} request",
        "request",
    )
    yield from _diff_responses(old.responses(before), new.responses(after), label)
    yield from compare_rules(rules_of(before.spec), rules_of(after.spec), f"{label} x-rules", "request")
    yield from diff_error_table(
        before.spec.get("x-error-codes"),
        after.spec.get("x-error-codes"),
        f"{label} x-error-codes",
        (old.raw.get("x-error-codes"), new.raw.get("x-error-codes")),
    )
    yield from diff_security(old, before, new, after, label)
    yield from diff_operation_servers(before, after, label)
    yield from diff_failures(
        before.spec.get("x-error-messages"),
        after.spec.get("x-error-messages"),
        f"{label} x-error-messages",
    )
    for key, kind in (
        ("x-idempotency", "idempotency-changed"),
        ("x-partial-success", "partial-success-changed"),
    ):
        yield from diff_policy(before.spec.get(key), after.spec.get(key), f"{label} {key}", kind)


def _diff_parameters(
    old: SpecView, before: OperationView, new: SpecView, after: OperationView, label: str
) -> Iterator[Change]:
    old_params, new_params = old.parameters(before), new.parameters(after)
    for key in sorted(old_params.keys() | new_params.keys()):
        where = f"{label} parameter {key}"
        was, now = old_params.get(key), new_params.get(key)
        if now is None:
            yield Change("parameter-removed", where, True, "parameter removed")
        elif was is None:
            yield _parameter_added(now, where)
        else:
            yield from _parameter_required(was, now, where)
            yield from compare_maps(
                old.flatten(_parameter_schema(was), True),
                new.flatten(_parameter_schema(now), True),
                where,
                "request",
                "",
            )


def _is_required_parameter(param: Mapping[str, Any]) -> bool:
    return param.get("required") is True or param.get("in") == "path"


def _parameter_schema(param: Mapping[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    contents = list(as_map(param.get("content")).values())
    return as_map(contents[0]).get("schema") if contents else None


def _parameter_added(param: Mapping[str, Any], where: str) -> Change:
    if _is_required_parameter(param):
        return Change("parameter-added", where, True, "required parameter added")
    return Change("parameter-added", where, False, "optional parameter added")


def _parameter_required(was: Mapping[str, Any], now: Mapping[str, Any], where: str) -> Iterator[Change]:
    before, after = _is_required_parameter(was), _is_required_parameter(now)
    if before and not after:
        yield Change("parameter-optional", where, False, "required -> optional")
    elif after and not before:
        yield Change("parameter-required", where, True, "optional -> required")


def _diff_bodies(
    old: Mapping[str, dict[str, Field]],
    new: Mapping[str, dict[str, Field]],
    where: str,
    side: Side,
) -> Iterator[Change]:
    for media in sorted(old.keys() | new.keys()):
        scoped = where if media == JSON_MEDIA else f"{where} [{media}]"
        yield from compare_maps(old.get(media, {}), new.get(media, {}), scoped, side, "(body)")


def _diff_responses(
    old: Mapping[str, dict[str, dict[str, Field]]],
    new: Mapping[str, dict[str, dict[str, Field]]],
    label: str,
) -> Iterator[Change]:
    for status in sorted(old.keys() | new.keys()):
        where = f"{label} response {status}"
        if status not in new:
            detail = "response removed: the client no longer parses it"
            yield Change("response-removed", where, True, detail)
        elif status not in old:
            yield Change("response-added", where, False, "response added")
        else:
            yield from _diff_bodies(old[status], new[status], where, "response")
