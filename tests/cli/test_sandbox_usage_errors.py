"""``shipspec sandbox`` and ``sandbox ledger``: a bad option exits 2 naming it, before anything starts."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec_sandbox import start_sandboxes

from ..support.http_server import Reply, ScriptedServer, scripted_server


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, ["sandbox", *args])


def assert_usage_error(result: Any, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for word in words:
        assert word in result.stderr


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from scripted_server()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--port", "baaship=99999"), "a port is 1 to 65535"),
        (("--port", "baaship=0"), "a port is 1 to 65535"),
        (("--port", "baaship"), "give CARRIER=PORT"),
        (("--port", "fedex=8080"), "give CARRIER=PORT"),
        (("--port", "baaship=8080", "--port", "baaship=8081"), "baaship has a port already"),
        (("--port", "baaship=8080", "--port", "deftship=8080"), "two sandboxes cannot share a port"),
        (("--carrier", "deftship", "--port", "baaship=8080"), "the baaship sandbox is not started"),
        (("--fault-share", "1.5"), "'--fault-share': 1.5 is not in the range 0<=x<=1"),
        (("--fault-share", "-1"), "'--fault-share'"),
        (("--fault-share", "nan"), "'--fault-share': must be a finite number"),
        (("--fault-share", "0.3", "--fault-kinds", ","), "'--fault-kinds': names no fault kind"),
        (("--fault-kinds", "reset,explode"), "'--fault-kinds': unknown fault kinds ['explode']"),
        (("--for-seconds", "inf"), "'--for-seconds': must be a finite number"),
        (("--for-seconds", "-1"), "'--for-seconds'"),
        (("--latency-ms", "-5"), "'--latency-ms'"),
        (("--latency-ms", "inf"), "'--latency-ms': must be a finite number"),
    ],
)
def test_a_bad_option_value_exits_2(args: tuple[str, ...], words: str) -> None:
    """Ports out of range or twice, shares outside 0..1, nan and inf are refused before any sandbox starts."""
    assert_usage_error(
        invoke(*args, "--for-seconds", "0") if "--for-seconds" not in args else invoke(*args), words
    )


def test_a_port_in_use_exits_2() -> None:
    """A port something else listens on is a clear error naming the option, not an OSError traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("--carrier", "baaship", "--port", f"baaship={port}", "--for-seconds", "0")
    assert_usage_error(result, "Address already in use", f"--port baaship={port}")


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        ("rules:\n  - kind: explode\n    probability: 0.1\n", "rules[0].kind: must be one of"),
        ("rules:\n  - kind: reset\n    probability: 0.1\n    bogus: 1\n", "rules[0]: unknown keys ['bogus']"),
        ("rules: [\n", "not valid YAML"),
    ],
)
def test_a_bad_fault_plan_file_names_the_file_and_the_entry(tmp_path: Path, plan: str, words: str) -> None:
    """Unknown kinds and keys and broken YAML in --faults are usage errors naming the file and entry."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    assert_usage_error(invoke("--faults", str(path), "--for-seconds", "0"), "'--faults'", f"{path}: ", words)


def test_a_fault_plan_file_beside_a_fault_share_exits_2(tmp_path: Path) -> None:
    """The plan file would silently win over --fault-share: giving both is refused."""
    path = tmp_path / "plan.yaml"
    path.write_text("rules: []\n", encoding="utf-8")
    result = invoke("--faults", str(path), "--fault-share", "0.2", "--for-seconds", "0")
    assert_usage_error(result, "give --faults or --fault-share, not both")


@pytest.mark.parametrize("option", ["--ready-file", "--env-file", "--db"])
def test_an_output_file_in_a_missing_folder_exits_2(tmp_path: Path, option: str) -> None:
    """The folder is checked before the sandboxes start, not when the file is written afterwards."""
    target = tmp_path / "nowhere" / "file"
    result = invoke(option, str(target), "--for-seconds", "0")
    assert_usage_error(result, f"'{option}': the folder {target.parent} does not exist")


def test_a_seed_file_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    """A UTF-16 seed file is a usage error naming --seed-data, not a UnicodeDecodeError."""
    path = tmp_path / "seed.yaml"
    path.write_bytes("tiktok_shop: {}\n".encode("utf-16"))
    assert_usage_error(
        invoke("--seed-data", str(path), "--for-seconds", "0"), "'--seed-data'", "not UTF-8 text"
    )


@pytest.mark.parametrize("command", [("ledger",), ()], ids=["ledger", "sandbox"])
@pytest.mark.parametrize(
    "content",
    [b"", b"reference,carrier\nA-1,baaship\n", "sqlite-no-docs"],
    ids=["empty", "csv", "other-sqlite"],
)
def test_a_db_that_is_not_a_sandbox_database_is_refused_and_left_alone(
    tmp_path: Path, command: tuple[str, ...], content: bytes | str
) -> None:
    """An existing file that is not a sandbox database is never turned into one (it keeps its bytes)."""
    path = tmp_path / "data.csv"
    if content == "sqlite-no-docs":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE other (x)")
        db.close()
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    before = path.read_bytes()
    result = invoke(*command, "--db", str(path), *(("--for-seconds", "0") if not command else ()))
    assert_usage_error(result, "'--db'", str(path))
    assert "not a sandbox" in result.stderr or "not an SQLite database" in result.stderr
    assert path.read_bytes() == before
    assert sorted(item.name for item in tmp_path.iterdir()) == ["data.csv"]


def test_ledger_reads_a_sandbox_database(tmp_path: Path) -> None:
    """The check accepts what a sandbox wrote, and reading it leaves no -wal/-shm files behind."""
    path = tmp_path / "s.db"
    with start_sandboxes(("baaship",), db=path) as running:
        running.ledger.record("baaship", "shipment_created", "REF-1", waybill="T1")
    result = invoke("ledger", "--db", str(path), "--as-json")
    assert result.exit_code == 0, result.output
    assert '"key": "REF-1"' in result.stdout
    assert sorted(item.name for item in tmp_path.iterdir()) == ["s.db"]


def test_ledger_at_a_url_where_nothing_listens_exits_2() -> None:
    """A refused connection is a usage error naming --url and the URL."""
    with socket.socket() as bound:  # bound, never listening: connecting to it is refused
        bound.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{bound.getsockname()[1]}"
        result = invoke("ledger", "--url", url)
    assert_usage_error(result, "'--url'", f"no sandbox answers at {url}")


@pytest.mark.parametrize("url", ["foo", "http://", "ftp://127.0.0.1/"])
def test_ledger_with_a_url_that_is_not_http_exits_2(url: str) -> None:
    """A malformed URL or another scheme is named in the message."""
    assert_usage_error(invoke("ledger", "--url", url), "'--url'", f"{url!r} is not an http:// URL")


@pytest.mark.parametrize(
    "reply",
    [Reply(status=404, body={"message": "no"}), Reply(body="<html>proxy</html>"), Reply(body={"items": []})],
    ids=["404", "html", "other-json"],
)
def test_ledger_at_a_url_that_is_not_a_sandbox_exits_2(server: ScriptedServer, reply: Reply) -> None:
    """A server that does not answer like a sandbox is a usage error, not a KeyError or HTTPStatusError."""
    server.script(reply)
    result = invoke("ledger", "--url", server.url)
    assert_usage_error(result, "'--url'", f"{server.url} is not a shipspec sandbox")
    assert [request.path for request in server.requests] == ["/__sandbox/ledger"]
