"""What the commands share: settings (never echoed), the redactor, consoles and exit codes.

Exit codes: 0 = everything done; 1 = a carrier or a row failed (or is pending); 2 = a usage or
configuration problem (click's own usage errors exit 2 as well); 3 = a carrier refused the credentials, so
its rows were not sent; 130 = stopped by Ctrl-C or SIGTERM (the shell's code for SIGINT).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from ..config import CARRIERS, SECRET_SETTINGS, load_settings
from ..errors import ConfigError
from ..secrets import redact

__all__ = [
    "CARRIERS",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_STOPPED",
    "EXIT_USAGE",
    "ConfigProblem",
    "JournalProblem",
    "Redactor",
    "close_quietly",
    "config_option",
    "err_console",
    "out_console",
    "settings_from",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STOPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
PIPE_WIDTH = 120  # tables sent to a pipe or file keep their columns (rich would assume 80)

config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML settings file, one table per carrier; SHIPSPEC_<CARRIER>_<SETTING> variables win over it.",
)


class ConfigProblem(click.ClickException):
    """A settings problem: printed as ``Error: …`` and exit code 2, like a usage error."""

    exit_code = EXIT_USAGE


class JournalProblem(click.ClickException):
    """The journal failed during a run: printed as ``Error: …`` and exit code 1. The run stopped before
    sending anything more; what was sent has its line in the results file."""

    exit_code = EXIT_FAILED

    AFTER_SHIP = (
        "The run stopped: rows with no line in the results file (and rows failed with this error) were not "
        "sent; once the journal is back, run the file again, and `shipspec recover` for the outcomes it may "
        "not have recorded"
    )
    AFTER_RECOVER = (
        "The recovery stopped: every shipment not settled above keeps its state in the journal; run "
        "`shipspec recover` again once the journal is back"
    )

    def __init__(self, error: object, after: str = AFTER_SHIP) -> None:
        super().__init__(f"{error}. {after}")


class Redactor:
    """Masks the configured credentials (and credential-shaped text) in anything shown or written."""

    def __init__(self, settings: Mapping[str, Mapping[str, str]]) -> None:
        self._secrets = sorted(
            {
                value
                for values in settings.values()
                for name, value in values.items()
                if name in SECRET_SETTINGS and value
            }
        )

    def __call__(self, text: str) -> str:
        return redact(text, self._secrets) if text else text


def settings_from(config: Path | None) -> dict[str, dict[str, str]]:
    """Settings per carrier from ``--config`` and the environment; a problem exits 2 (no values shown)."""
    try:
        return load_settings(config)
    except ConfigError as error:
        raise ConfigProblem(str(error)) from None


def err_console() -> Console:
    """Messages and progress, on stderr (never markup-interpreted: carrier text may hold brackets)."""
    return Console(stderr=True, highlight=False, markup=False, soft_wrap=True)


def out_console() -> Console:
    """The command's answer (tables), on stdout."""
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


def close_quietly(shipper: Any) -> None:
    """Close a shipper's connections when it has a ``close()`` (not part of the protocols)."""
    close = getattr(shipper, "close", None)
    if callable(close):
        with contextlib.suppress(Exception):
            close()
