"""`shipspec --help` loads none of the heavy libraries; every listed command resolves to its real command."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner
from shipspec.cli import main
from shipspec.cli.catalog import COMMANDS

HEAVY = ("httpx", "pydantic", "rich", "shipspec_shipping_models", "shipspec_baaship", "yaml", "openapi_core")
PROBE = (
    "import sys\n"
    "from shipspec.cli import main\n"
    "try:\n"
    "    main(['--help'])\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
)


def test_help_imports_no_heavy_library() -> None:
    """The command list comes from the catalog: no command module (and nothing it needs) is imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert "ship      Ship every row of a CSV or JSONL file." in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_catalog_entry_is_the_command_it_names() -> None:
    """Each entry imports to a click command of that name whose short help is the catalog's line."""
    context = click.Context(main)
    for name, entry in COMMANDS.items():
        command = main.get_command(context, name)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert command.get_short_help_str(limit=200) == entry.short_help


def test_a_command_still_runs_and_shows_its_own_help() -> None:
    """Lazy loading changes nothing a user sees of a command."""
    result = CliRunner().invoke(main, ["ship", "--help"])
    assert result.exit_code == 0
    assert "Ship every row of FILE" in result.output
    assert CliRunner().invoke(main, ["nonsense"]).exit_code == 2
