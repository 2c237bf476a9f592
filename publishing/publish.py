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
from .paths import DIST, EMBEDDED_INDEX, REPO
from .projects import Project, projects
from .release_checks import uncommitted_changes
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
    resumed: str | None = None
    uncommitted: tuple[str, ...] = ()  # embedded index only: a real release refuses them


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


def upload_to(
    artifacts: list[Artifact], target: IndexTarget, *, allow_nothing_new: bool = False, resume: bool = False
) -> Plan:
    """Plan against the index's listings (refusing re-releases), then upload what is new."""
    plan = plan_upload(
        artifacts,
        lambda name: published_files(target, name),
        redact_url(target.upload_url),
        allow_nothing_new=allow_nothing_new,
        resume=resume,
    )
    upload(plan.upload, target)
    return plan


def require_committed(repo: Path = REPO) -> None:
    """Refuse a real release of uncommitted or untracked sources: nobody could rebuild it from a commit."""
    changes = uncommitted_changes(repo)
    if changes:
        listed = "\n  ".join(changes[:20]) + ("\n  …" if len(changes) > 20 else "")
        raise PublishError(
            "refusing to publish to a real index: uncommitted changes or untracked files in what is "
            f"packaged (git status --porcelain):\n  {listed}\n"
            "commit or remove them (the embedded index, without INDEX_URL, allows them)"
        )


def publish(
    out: Path = DIST,
    target: IndexTarget | None = None,
    repo: Path = REPO,
    *,
    resume: bool = False,
    index_root: Path = EMBEDDED_INDEX,
) -> PublishReport:
    """Gate, build into ``out``, upload to ``target`` (INDEX_URL's index) or the embedded one.

    Only a real index is a release: its sources must be committed, and once every built file is on it (sent
    now, or already there with the same bytes after an interrupted run or a bare ``upload``) the specs are
    recorded in specs/released/ as the new baseline of the version gate; recording again is harmless. The
    embedded index is a local rehearsal: it takes uncommitted work and records nothing. On either, a build
    that is already entirely there uploads nothing and succeeds (a second ``make publish``). ``resume``: see
    ``plan_upload``. ``index_root``: where the embedded index keeps its uploads.
    """
    target = target or target_from_env()
    if target is not None:
        require_committed(repo)
    require_gate()
    found = projects()
    artifacts = build_all(found, out)
    if target is not None:
        plan = upload_to(artifacts, target, allow_nothing_new=True, resume=resume)
        return PublishReport(
            redact_url(target.upload_url), plan.upload, plan.already_released, tuple(release()), plan.resumed
        )
    uncommitted = tuple(uncommitted_changes(repo))
    with embedded_index(found, index_root) as index:
        try:
            plan = upload_to(artifacts, target_of(index), allow_nothing_new=True, resume=resume)
        except PublishError as exc:
            hint = f"(the embedded index keeps its uploads in {index.packages}: delete it to start afresh)"
            raise PublishError(f"{exc}\n{hint}") from exc
    return PublishReport(index.url, plan.upload, plan.already_released, (), plan.resumed, uncommitted)
