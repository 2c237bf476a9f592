"""Bad settings files and lookup options exit 2 naming the file, key or option, never a value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec.config import load_settings
from shipspec.errors import ConfigError

from .support import BAASHIP_ROW, write_csv

SECRET = "supersecret-value-7"


def invoke(*args: str) -> Any:
    # No SHIPSPEC_* variables: what the commands see comes from the arguments alone.
    return CliRunner().invoke(main, list(args), env={"SHIPSPEC_BAASHIP_TOKEN": ""})


def ship_with(tmp_path: Path, config: Path) -> Any:
    orders = write_csv(tmp_path / "o.csv", [BAASHIP_ROW])
    return invoke("ship", str(orders), "--config", str(config), "--no-progress")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (f'baaship = "{SECRET}"\n'.encode(), "baaship must be a table ([baaship]), not a string"),
        (f'token = "{SECRET}"\n'.encode(), "'token' is outside any carrier table"),
        (f'[baaship]\ntoken = ["{SECRET}"]\n'.encode(), "baaship.token must be text, a number or true/false"),
        (
            f'[baaship.token]\nvalue = "{SECRET}"\n'.encode(),
            "baaship.token must be text, a number or true/false",
        ),
        (f'[baaship]\ntoken = "{SECRET}"x\n'.encode(), "not valid TOML: Expected newline"),
        # tomllib quotes the offending character: here it is one of the credential's.
        (
            f'[baaship]\ntoken = "{SECRET[:5]}\x01{SECRET[5:]}"\n'.encode(),
            "not valid TOML: Illegal character (at",
        ),
        (f'[baaship]\ntoken = "{SECRET}"\n'.encode("utf-16"), "not UTF-8 text (line 1)"),
        (f'[fedex]\ntoken = "{SECRET}"\n'.encode(), "unknown carrier table [fedex]"),
    ],
)
def test_a_config_file_that_cannot_be_used_exits_2(tmp_path: Path, content: bytes, words: str) -> None:
    """Each shape of bad TOML is a usage error naming the file and the key; the credential is never shown."""
    config = tmp_path / "shipspec.toml"
    config.write_bytes(content)
    result = ship_with(tmp_path, config)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{config}: {words}" in result.stderr
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    assert "supersecret" not in result.output


def test_numbers_and_booleans_are_read_as_their_text(tmp_path: Path) -> None:
    """TOML integers, floats and booleans become the text an environment variable would hold."""
    config = tmp_path / "shipspec.toml"
    config.write_text(
        '[baaship]\ntoken = "t"\nconcurrency = 3\n'
        "[wechat_shop]\nuse_classic_token = true\n"
        "[deftship]\npoll_seconds = 0.25\n",
        encoding="utf-8",
    )
    settings = load_settings(config, env={})
    assert settings["baaship"] == {"token": "t", "concurrency": "3"}
    assert settings["wechat_shop"] == {"use_classic_token": "true"}
    assert settings["deftship"] == {"poll_seconds": "0.25"}


def test_load_settings_raises_config_error_for_a_non_table(tmp_path: Path) -> None:
    """The library function raises ConfigError (not AttributeError) for a carrier given a plain value."""
    config = tmp_path / "shipspec.toml"
    config.write_text(f'deftship = "{SECRET}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"deftship must be a table") as caught:
        load_settings(config, env={})
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("missing", [True, False], ids=["no-such-folder", "a-file-as-folder"])
def test_label_out_in_a_folder_that_cannot_hold_it_exits_2(tmp_path: Path, missing: bool) -> None:
    """--out is checked before settings are read or anything is fetched (here no token is even set)."""
    folder = tmp_path / "nowhere"
    if not missing:
        folder.write_text("a file, not a folder", encoding="utf-8")
    out = folder / "label.pdf"
    result = invoke("label", "--carrier", "baaship", "--reference", "BAA-30001", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "'--out'" in result.stderr
    assert f"the folder {folder} {'does not exist' if missing else 'is not a folder'}" in result.stderr
    assert "token" not in result.stderr  # refused before the settings were looked at
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("track", " ", "--carrier", "baaship"),
        ("cancel", "", "--carrier", "baaship"),
        ("label", "--carrier", "baaship", "--tracking", ""),
        ("label", "--carrier", "baaship", "--reference", "  "),
    ],
)
def test_an_empty_waybill_or_reference_exits_2(args: tuple[str, ...]) -> None:
    """An empty value is a usage error before any setting is read (cancel used to answer exit 1)."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "must not be empty" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [("o.csv", "reference,carrier\n", "only a header"), ("o.jsonl", "\n", "no line with a shipment")],
)
def test_a_file_without_rows_says_so_and_exits_0(tmp_path: Path, name: str, content: str, what: str) -> None:
    """Nothing to ship is not an error (an empty export is normal), but it is said, not silent."""
    orders = tmp_path / name
    orders.write_text(content, encoding="utf-8")
    result = invoke("ship", str(orders), "--no-progress")
    assert result.exit_code == 0, result.output
    assert f"{name}: no rows to ship ({what}); nothing was sent" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "soon", "3601"])
def test_a_bad_deadline_setting_exits_2_naming_it(tmp_path: Path, value: str) -> None:
    config = tmp_path / "shipspec.toml"
    config.write_text(f'[baaship]\ntoken = "{SECRET}"\ndeadline_seconds = "{value}"\n', encoding="utf-8")
    result = ship_with(tmp_path, config)
    assert result.exit_code == 2, result.output
    assert "baaship: setting 'deadline_seconds' must be" in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize("value", ["0", "-2", "3601", "soon"])
def test_a_bad_deadline_option_exits_2(tmp_path: Path, value: str) -> None:
    orders = write_csv(tmp_path / "o.csv", [BAASHIP_ROW])
    result = invoke("ship", str(orders), "--deadline", value, "--no-progress")
    assert result.exit_code == 2, result.output
    assert "--deadline" in result.output
