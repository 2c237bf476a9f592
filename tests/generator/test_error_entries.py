"""One check of x-error-codes entries: the spec check and the table reader refuse the same defects alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.extensions import SpecError, read_tables
from generator.spec_check import check_carrier
from tests.generator.tiny_specs import tiny_spec

SHIPPED = {"code": 5, "name": "SHIPPED", "message": "Already shipped.", "kind": "already_done"}


@pytest.mark.parametrize(
    ("entry", "tail"),
    [
        ({**SHIPPED, "short_term": True}, "[0].short_term: true/false, and only on kind quota"),
        ({**SHIPPED, "message_rules": {"contains": "x"}}, "[0].message_rules: must be a list"),
        ({**SHIPPED, "message_rules": [{"kind": "retry"}]}, "[0].message_rules[0]: missing 'contains'"),
        ({k: v for k, v in SHIPPED.items() if k != "message"}, "[0]: missing 'message'"),
        ({**SHIPPED, "name": "shipped"}, "[0].name: 'shipped' must be UPPER_SNAKE"),
        ("SHIPPED", "[0]: expected a mapping with code, name, message and kind"),
    ],
)
def test_both_readers_refuse_a_bad_entry_with_the_same_words(tmp_path: Path, entry: Any, tail: str) -> None:
    """check_carrier (before any command) and read_tables (the build) raise the same message for an entry."""
    spec = tiny_spec()
    spec["paths"]["/ship"]["post"]["x-error-codes"] = [entry]
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(SpecError) as checked:
        check_carrier(path)
    with pytest.raises(SpecError) as built:
        read_tables(spec)
    assert f"paths./ship.post.x-error-codes{tail}" in str(checked.value)
    assert f"paths./ship.post{tail}" in str(built.value)


def test_a_failure_entry_that_is_not_a_mapping_is_named() -> None:
    """An x-error-messages entry that is not a mapping is a SpecError with its path, not an AttributeError."""
    spec = tiny_spec()
    spec["paths"]["/ship"]["post"]["x-error-messages"] = ["oops"]
    with pytest.raises(SpecError, match=r"paths\./ship\.post\.x-error-messages\[0\]: expected a mapping"):
        read_tables(spec)
