"""A results file that cannot be written where --out asks stops the run (exit 2) before anything ships."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from shipspec.cli import main
from shipspec.cli.output import ResultsNotWritable
from shipspec.cli.ship import ship_file

from .support import BAASHIP_ROW, FakeShipper, write_csv


def _writable(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@contextlib.contextmanager
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can create files in: read-only mode, and immutable too when running as root."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if _writable(folder):  # root ignores the mode: the immutable attribute stops it too
        subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True, timeout=30)
        immutable = True
    try:
        assert not _writable(folder), "could not make a folder unwritable on this machine"
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True, capture_output=True, timeout=30)
        folder.chmod(0o755)


def test_the_command_exits_2_naming_the_folder(tmp_path: Path) -> None:
    """No traceback: a usage error on --out, before settings are read."""
    orders = write_csv(tmp_path / "o.csv", [BAASHIP_ROW])
    with unwritable_folder(tmp_path) as folder:
        result = CliRunner().invoke(
            main, ["ship", str(orders), "--out", str(folder / "r.csv"), "--no-progress"]
        )
    assert result.exit_code == 2, result.output
    assert "--out" in result.output
    assert "not writable" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_ship_file_refuses_before_anything_ships(tmp_path: Path) -> None:
    """Called from Python (no folder check first), opening the file fails with a typed error, nothing sent."""
    orders = write_csv(tmp_path / "o.csv", [BAASHIP_ROW])
    fake = FakeShipper("baaship")
    with unwritable_folder(tmp_path) as folder, pytest.raises(ResultsNotWritable, match="cannot write"):
        ship_file(orders, out=folder / "r.csv", shippers={"baaship": fake}, settings={})
    assert fake.shipped == []
