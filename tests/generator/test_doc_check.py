"""generator.doc_check and the vendor doc parsers on tiny docs: each kind of fact, conflicts, exit status."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.doc_check import check_operations, main
from generator.vendor_docs import VendorDocError, parse_baaship, parse_deftship, parse_doc, parse_wechat

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
SPEC_SNIPPET: dict[str, Any] = yaml.safe_load("""
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


def _differences(spec: dict[str, Any], doc: str) -> list[str]:
    _, findings = check_operations(spec, parse_baaship(doc))
    return [f.text for f in findings if f.status == "differs"]


def _schema(spec: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"]["C"]
    return schema


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


def test_a_matching_spec_has_no_findings() -> None:
    """A spec that carries every fact of the snippet yields no finding; every fact was counted."""
    facts, findings = check_operations(SPEC_SNIPPET, parse_baaship(BAASHIP_SNIPPET))
    assert findings == []
    assert facts == 1 + 4 + 3 + 3 + 1 + 1  # operation, fields, required flags, lengths, kind, error code


def test_a_missing_row_and_a_changed_length_are_reported() -> None:
    """A doc row absent from the spec and a length that differs are both named with operation and path."""
    extra_row = BAASHIP_SNIPPET.replace("sender |", "orderNo | Order number | No | String | 31 |\nsender |")
    assert _differences(SPEC_SNIPPET, extra_row) == [
        "baaship POST /createShipment orderNo: documented body field missing from the spec"
    ]
    assert _differences(SPEC_SNIPPET, BAASHIP_SNIPPET.replace("| String | 30 |", "| String | 31 |")) == [
        "baaship POST /createShipment referenceNo: maxLength is 30, doc length 31"
    ]


def test_unconditional_required_and_a_changed_message_are_reported() -> None:
    """A conditional field made always required and a changed error message are both reported."""
    spec = copy.deepcopy(SPEC_SNIPPET)
    _schema(spec)["required"].append("storeId")
    problems = _differences(spec, BAASHIP_SNIPPET.replace("1001 | Token", "1001 | Bad token"))
    assert problems == [
        "baaship POST /createShipment storeId: only conditionally required, but always required in spec",
        "baaship POST /createShipment error 1001: message 'Token validation error.', "
        "documented 'Bad token validation error.'",
    ]


def test_missing_operation_and_error_code_are_reported() -> None:
    """A doc operation the spec lacks and an undocumented error code are differences."""
    assert _differences(
        SPEC_SNIPPET, BAASHIP_SNIPPET.replace("host:/createShipment", "host:/newShipment")
    ) == ["baaship POST /newShipment: operation missing from the spec"]
    extra = BAASHIP_SNIPPET.replace(
        "1001 | Token validation error. |", "1001 | Token validation error. |\n1009 | Gone. |"
    )
    assert _differences(SPEC_SNIPPET, extra) == [
        "baaship POST /createShipment error 1009: missing from the operation's x-error-codes"
    ]


def test_a_recorded_conflict_is_listed_and_does_not_fail() -> None:
    """A required flag the spec relaxes with an x-doc-conflict saying the doc's 'Required' is a conflict."""
    spec = copy.deepcopy(SPEC_SNIPPET)
    _schema(spec)["required"].remove("referenceNo")
    assert _differences(spec, BAASHIP_SNIPPET) == [
        "baaship POST /createShipment referenceNo: documented as required, not required in the spec"
    ]
    _schema(spec)["properties"]["referenceNo"]["x-doc-conflict"] = {
        "doc_says": "Required.",
        "chosen": "optional",
    }
    _, findings = check_operations(spec, parse_baaship(BAASHIP_SNIPPET))
    assert [(f.status, f.text) for f in findings] == [
        (
            "conflict",
            "baaship POST /createShipment referenceNo: documented as required, optional in the spec "
            "(recorded in x-doc-conflict)",
        )
    ]


def test_a_conflict_about_something_else_does_not_hide_a_difference() -> None:
    """An x-doc-conflict about a field's type does not excuse a dropped required flag."""
    spec = copy.deepcopy(SPEC_SNIPPET)
    _schema(spec)["required"].remove("referenceNo")
    _schema(spec)["properties"]["referenceNo"]["x-doc-conflict"] = {"doc_says": "Number.", "chosen": "string"}
    assert len(_differences(spec, BAASHIP_SNIPPET)) == 1


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


def test_a_parse_error_names_the_line() -> None:
    """parse_doc names the file and the line number of the row the parser could not read."""
    text = BAASHIP_SNIPPET.replace("| Yes | String | 30 |", "| Maybe | String | 30 |")
    with pytest.raises(VendorDocError, match=r"^doc\.md:5: baaship /createShipment referenceNo: unknown Req"):
        parse_doc("baaship", text, "doc.md")


def _write(tmp_path: Path, doc: str, spec: dict[str, Any]) -> list[str]:
    (tmp_path / "doc.md").write_text(doc, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return ["--carrier", "baaship", str(tmp_path / "doc.md"), "--spec", str(tmp_path / "spec.yaml")]


def test_exit_status_0_1_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """doc-check exits 0 when the spec carries every fact, 1 listing differences, 2 on an unparsable doc."""
    assert main(_write(tmp_path, BAASHIP_SNIPPET, SPEC_SNIPPET)) == 0
    assert "0 missing or different" in capsys.readouterr().out

    assert main(_write(tmp_path, BAASHIP_SNIPPET.replace("| 30 |", "| 31 |"), SPEC_SNIPPET)) == 1
    assert "differs   baaship POST /createShipment referenceNo: maxLength is 30" in capsys.readouterr().out

    assert (
        main(_write(tmp_path, BAASHIP_SNIPPET.replace("| Yes | String | 30", "| Maybe | String | 30"), {}))
        == 2
    )
    assert "doc.md:5:" in capsys.readouterr().err


def test_doc_and_spec_need_one_carrier(capsys: pytest.CaptureFixture[str]) -> None:
    """A DOC without --carrier is a usage error (exit 2): which parser reads it is not guessed."""
    assert main(["doc.md"]) == 2
    assert "one --carrier" in capsys.readouterr().err
