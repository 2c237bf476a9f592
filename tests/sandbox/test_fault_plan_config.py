"""Fault plans read from a mapping or a YAML file: every mistake is a FaultPlanError naming the entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shipspec_sandbox.faults import FaultPlan, FaultPlanError, FaultRule


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (["reset"], "expected a mapping with seed and rules, got a list"),
        ({"seeds": 3}, "unknown keys ['seeds']"),
        ({"seed": True}, "seed must be a whole number"),
        ({"rules": {"kind": "reset"}}, "rules must be a list"),
        ({"rules": ["reset"]}, "rules[0]: expected a mapping"),
        ({"rules": [{"kind": "nope", "probability": 0.1}]}, "rules[0].kind: must be one of latency"),
        ({"rules": [{"kind": "reset", "probability": 0.1, "bogus": 1}]}, "rules[0]: unknown keys ['bogus']"),
        ({"rules": [{"kind": "reset"}]}, "rules[0].probability: required"),
        (
            {"rules": [{"kind": "reset", "probability": 1.5}]},
            "rules[0].probability: must be a number from 0 to 1",
        ),
        ({"rules": [{"kind": "reset", "probability": "0.5"}]}, "rules[0].probability: must be a number"),
        (
            {"rules": [{"kind": "reset", "probability": 0.1, "carrier": "fedex"}]},
            "rules[0].carrier: must be *",
        ),
        (
            {
                "rules": [
                    {"kind": "reset", "probability": 0.1, "carrier": "baaship", "operation": "createShipmnt"}
                ]
            },
            "rules[0].operation: 'createShipmnt' is no operation of baaship; known: cancelShipment",
        ),
        ({"rules": [{"kind": "latency", "probability": 0.1, "latency_ms": -5}]}, "rules[0].latency_ms"),
        (
            {"rules": [{"kind": "rate_limit", "probability": 0.1, "retry_after_seconds": 1.5}]},
            "retry_after_seconds",
        ),
        (
            {"rules": [{"kind": "reset", "probability": 0.1, "hold_seconds": float("nan")}]},
            "rules[0].hold_seconds",
        ),
        (
            {
                "rules": [
                    {"kind": "reset", "probability": 0.1},
                    {"kind": "html", "probability": 0.1, "kind2": 1},
                ]
            },
            "rules[1]: unknown keys ['kind2']",
        ),
    ],
)
def test_a_plan_that_cannot_mean_anything_is_refused(config: Any, words: str) -> None:
    """Unknown keys, kinds, carriers and operations and out-of-range values name the entry and the key."""
    with pytest.raises(FaultPlanError) as caught:
        FaultPlan.from_config(config)
    assert words in str(caught.value)


def test_shares_adding_up_to_more_than_one_for_a_request_are_refused() -> None:
    """Two rules matching the same request with 0.7 each would silently cut the second to 0.3."""
    overlapping = {
        "rules": [
            {"kind": "reset", "probability": 0.7},
            {"kind": "html", "probability": 0.7, "carrier": "baaship", "operation": "createShipment"},
        ]
    }
    with pytest.raises(FaultPlanError, match=r"matching baaship createShipment add up to 1.4"):
        FaultPlan.from_config(overlapping)
    apart = {
        "rules": [
            {"kind": "reset", "probability": 0.7, "carrier": "deftship"},
            {"kind": "html", "probability": 0.7, "carrier": "baaship"},
        ]
    }
    assert len(FaultPlan.from_config(apart).rules) == 2


def test_a_good_plan_gives_its_rules() -> None:
    """Every key of a rule is taken as written; the seed is kept."""
    plan = FaultPlan.from_config(
        {
            "seed": 7,
            "rules": [
                {
                    "kind": "latency",
                    "probability": 1,
                    "carrier": "baaship",
                    "operation": "getTracking",
                    "latency_ms": 5,
                },
                {"kind": "timeout_after_commit", "probability": 0, "hold_seconds": 0.5},
            ],
        }
    )
    assert plan.seed == 7
    assert plan.rules == (
        FaultRule("latency", 1, carrier="baaship", operation="getTracking", latency_ms=5),
        FaultRule("timeout_after_commit", 0, hold_seconds=0.5),
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"rules: [\n", "not valid YAML: expected the node content"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b"rules:\n  - kind: nope\n    probability: 0.1\n", "rules[0].kind"),
    ],
)
def test_a_plan_file_names_itself_in_the_error(tmp_path: Path, content: bytes, words: str) -> None:
    """YAML, encoding and content problems all start with the file's path."""
    path = tmp_path / "plan.yaml"
    path.write_bytes(content)
    with pytest.raises(FaultPlanError) as caught:
        FaultPlan.from_file(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert words in str(caught.value)


def test_a_plan_file_takes_the_given_seed_unless_it_sets_one(tmp_path: Path) -> None:
    """An empty file is a plan without faults; the seed comes from the caller unless the file has one."""
    path = tmp_path / "plan.yaml"
    path.write_text("", encoding="utf-8")
    assert FaultPlan.from_file(path, seed=5).seed == 5
    path.write_text("seed: 9\n", encoding="utf-8")
    assert FaultPlan.from_file(path, seed=5).seed == 9


def test_a_uniform_share_above_one_is_refused() -> None:
    """1.5 over six kinds is 0.25 each, which each rule alone would accept."""
    with pytest.raises(ValueError, match=r"fault share 1\.5 is not between 0 and 1"):
        FaultPlan.uniform(0, 1.5, ["reset", "html", "malformed", "error_5xx", "rate_limit", "truncated"])
