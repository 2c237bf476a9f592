"""``shipspec sandbox`` without the shipspec-sandbox distribution: say how to install it.

The sandboxes and their request validator are test doubles, shipped apart from the runtime so that
``pip install shipspec`` carries only what shipping needs. The command stays listed, and any use of it
exits 2 with the one line that fixes it.
"""

from __future__ import annotations

import click

INSTALL_HINT = (
    "the local carrier sandboxes are a separate distribution: `pip install shipspec-sandbox` "
    "(same index as shipspec), then run `shipspec sandbox` again"
)

__all__ = ["INSTALL_HINT", "sandbox"]


@click.command(
    "sandbox",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
def sandbox() -> None:
    """Run local carrier sandboxes (needs the shipspec-sandbox distribution)."""
    raise click.UsageError(INSTALL_HINT)
