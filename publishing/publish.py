"""The whole publish: gate, build, upload; the embedded index when no INDEX_URL is given."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.versions import release

from .build import Artifact, build_all
from .credentials import embedded_credentials
from .errors import PublishError
from .gate import require_gate
from .index import IndexTarget, published_files, redact_url, target_from_env
from .paths import DIST, EMBEDDED_INDEX
from .projects import Project, projects
from .server import EmbeddedIndex
from .upload import Plan, plan_upload, upload

__all__ = ["PublishReport", "embedded_index", "publish", "target_of", "upload_to"]


@dataclass(frozen=True)
class PublishReport:
    """What a publish did."""

    index: str
    uploaded: tuple[Artifact, ...]
    already_released: tuple[str, ...]
    recorded_release: tuple[str, ...]


def embedded_index(
    found: list[Project], root: Path = EMBEDDED_INDEX, port: int | None = None
) -> EmbeddedIndex:
    """The default index: uploads kept in ``root/packages``, dependency wheels seeded, PORT or a free port."""
    from .deps import ensure_dependency_wheels  # imported here: only the embedded index needs pip download

    chosen = port if port is not None else int(os.environ.get("PORT") or 0)
    return EmbeddedIndex(
        root, embedded_credentials(root), extra=(ensure_dependency_wheels(found),), port=chosen
    )


def target_of(index: EmbeddedIndex) -> IndexTarget:
    """The upload target of a running embedded index."""
    return IndexTarget(index.url, index.simple_url, index.credentials)


def upload_to(artifacts: list[Artifact], target: IndexTarget) -> Plan:
    """Plan against the index's listings (refusing re-releases), then upload what is new."""
    plan = plan_upload(artifacts, lambda name: published_files(target, name), redact_url(target.upload_url))
    upload(plan.upload, target)
    return plan


def publish(out: Path = DIST, target: IndexTarget | None = None) -> PublishReport:
    """Gate, build into ``out``, upload to ``target`` (INDEX_URL's index) or the embedded one.

    Only a real index is a release: after uploading there, the specs are recorded in specs/released/ as the
    new baseline of the version gate. The embedded index is a local rehearsal and records nothing.
    """
    require_gate()
    found = projects()
    artifacts = build_all(found, out)
    target = target or target_from_env()
    if target is not None:
        plan = upload_to(artifacts, target)
        return PublishReport(
            redact_url(target.upload_url), plan.upload, plan.already_released, tuple(release())
        )
    with embedded_index(found) as index:
        try:
            plan = upload_to(artifacts, target_of(index))
        except PublishError as exc:
            hint = f"(the embedded index keeps its uploads in {index.packages}: delete it to start afresh)"
            raise PublishError(f"{exc}\n{hint}") from exc
    return PublishReport(index.url, plan.upload, plan.already_released, ())
