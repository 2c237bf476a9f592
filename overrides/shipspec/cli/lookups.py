"""``shipspec track``, ``label`` and ``cancel``: one call on a carrier's shipper, when it has the capability.

A carrier whose shipper lacks the protocol (``Tracker``, ``Labeler``, ``Canceller``) gets a clear
"<carrier> cannot <verb>" and exit 2, before any setting is read. A carrier's answer that is an error
(unknown waybill, …) is printed redacted with exit 1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from ..config import CARRIERS, build_shipper
from ..errors import ConfigError, InputError, ShipspecError
from ..shipping.registry import CAPABILITIES, has_capability, shipper_class
from .catalog import short_help
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    ConfigProblem,
    Redactor,
    close_quietly,
    config_option,
    out_console,
    settings_from,
)

__all__ = ["cancel_command", "label_command", "track_command"]

carrier_option = click.option(
    "--carrier", required=True, type=click.Choice(CARRIERS), help="The carrier to ask."
)


class CannotDo(click.ClickException):
    exit_code = EXIT_USAGE


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an empty waybill or reference before any setting is read or anything is sent."""
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty", ctx=ctx, param=param)
    return value


def _target(out: Path | None, key: str) -> Path:
    """Where the label goes; a folder that cannot take it is a usage error before anything is fetched."""
    target = out or Path(_file_name(key))
    folder = target.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise click.BadParameter(f"the folder {folder} {problem}", param_hint="'--out'")
    if not os.access(folder, os.W_OK):
        raise click.BadParameter(f"the folder {folder} is not writable", param_hint="'--out'")
    return target


def _shipper(carrier: str, capability: str, verb: str, config: Path | None) -> tuple[Any, Redactor]:
    """The carrier's shipper, checked for the capability first; and a redactor for its credentials."""
    cls = shipper_class(carrier)
    if cls is None:
        raise CannotDo(f"{carrier} cannot {verb}: this shipspec has no shipper for it yet")
    if not has_capability(cls, CAPABILITIES[capability]):
        raise CannotDo(f"{carrier} cannot {verb} (its shipper is not a {capability})")
    settings = settings_from(config)
    redact = Redactor(settings)
    try:
        return build_shipper(carrier, settings.get(carrier, {})), redact
    except ConfigError as error:
        raise ConfigProblem(redact(str(error))) from None


def _failed(error: ShipspecError, redact: Redactor) -> click.ClickException:
    """A carrier's refusal exits 1; input the shipper rejects before sending is a usage problem (2)."""
    if isinstance(error, InputError):
        return click.UsageError(redact(str(error)))
    return click.ClickException(redact(str(error)))


@click.command("track", short_help=short_help("track"))
@click.argument("tracking", callback=_not_blank)
@carrier_option
@config_option
@click.option("--as-json", is_flag=True, help="One JSON TrackingEvent per line instead of the table.")
def track_command(tracking: str, carrier: str, config: Path | None, as_json: bool) -> None:
    """Show the tracking events of TRACKING (a tracking number / waybill), newest first."""
    shipper, redact = _shipper(carrier, "Tracker", "track", config)
    try:
        events = shipper.track(tracking)
    except ShipspecError as error:
        raise _failed(error, redact) from None
    finally:
        close_quietly(shipper)
    if as_json:
        for event in events:
            click.echo(redact(event.model_dump_json(exclude_none=True)))
        return
    if not events:
        click.echo(f"{carrier} has no tracking events for {tracking} yet")
        return
    table = Table(title=f"{carrier} {tracking}")
    for column in ("time", "status", "description", "where"):
        table.add_column(column)
    for event in events:
        when = " ".join(part for part in (event.occurred_at, event.time_zone) if part)
        parts = (event.location, event.city, event.state, event.postal_code, event.country)
        where = ", ".join(dict.fromkeys(part for part in parts if part))  # location often repeats the city
        table.add_row(when, event.status_code or "", redact(event.description or ""), where)
    out_console().print(table)


def _file_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", key) + ".pdf"


@click.command("label", short_help=short_help("label"))
@carrier_option
@click.option("--tracking", callback=_not_blank, help="The shipment's tracking number (waybill).")
@click.option(
    "--reference", callback=_not_blank, help="The shipment's reference (the one it was shipped with)."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the PDF (default: <tracking or reference>.pdf here).",
)
@config_option
def label_command(
    carrier: str, tracking: str | None, reference: str | None, out: Path | None, config: Path | None
) -> None:
    """Download a shipment's label PDF, found by --tracking or by --reference."""
    if (tracking is None) == (reference is None):
        raise click.UsageError("give exactly one of --tracking and --reference")
    target = _target(out, tracking or reference or "label")
    shipper, redact = _shipper(carrier, "Labeler", "fetch labels", config)
    try:
        pdf: bytes = shipper.label_pdf(tracking_number=tracking, reference=reference)
    except ShipspecError as error:
        raise _failed(error, redact) from None
    finally:
        close_quietly(shipper)
    try:
        target.write_bytes(pdf)
    except OSError as error:  # the folder was checked, but a full disk or a race can still refuse it
        raise ConfigProblem(f"cannot write the label to {target}: {error.strerror}") from None
    click.echo(f"saved the {carrier} label of {tracking or reference} to {target} ({len(pdf)} bytes)")


@click.command("cancel", short_help=short_help("cancel"))
@click.argument("tracking", callback=_not_blank)
@carrier_option
@config_option
@click.pass_context
def cancel_command(ctx: click.Context, tracking: str, carrier: str, config: Path | None) -> None:
    """Cancel the shipment with tracking number (waybill) TRACKING."""
    shipper, redact = _shipper(carrier, "Canceller", "cancel", config)
    try:
        result = shipper.cancel(tracking)
    except ShipspecError as error:
        raise _failed(error, redact) from None
    finally:
        close_quietly(shipper)
    # The result's statuses keep their general meaning: shipped = done by this call, already_shipped =
    # done before, pending = sent without an answer (not resent), failed = not done.
    if result.status in ("shipped", "already_shipped"):
        before = " (it was cancelled before)" if result.status == "already_shipped" else ""
        click.echo(f"{carrier} cancelled {tracking}{before}")
        ctx.exit(EXIT_OK)
    why = result.error
    code = f" {why.code}" if why is not None and why.code else ""
    detail = "" if why is None else f" ({why.kind}{code}): {why.message}"
    verdict = "may not have cancelled" if result.status == "pending" else "did not cancel"
    click.echo(redact(f"{carrier} {verdict} {tracking}{detail}"), err=True)
    ctx.exit(EXIT_FAILED)
