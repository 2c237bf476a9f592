"""Decide what to upload, refuse re-releases, then upload with ``uv publish``.

A released version is immutable. Before anything is sent, every distribution's listing is read:

- version absent → upload it;
- version present with exactly our bytes (same file names and sha256: builds are reproducible) → it is
  already released, nothing to do; files missing from an interrupted earlier upload are sent;
- version present with other bytes → refuse the whole publish, naming what to bump.

The index's own refusal (409 from pypiserver, 400 "already exists" from PyPI-like indexes) is the second
line of defence, for a file uploaded by someone else between our check and our upload.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

import httpx
from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from .build import Artifact, uv
from .errors import PublishError
from .index import IndexTarget, redact_url
from .projects import ROOT_NAME, publish_rank
from .versioning import latest_version, shipspec_version_problems

__all__ = ["BUMP_HELP", "Plan", "credentials_refused", "explain_refusal", "plan_upload", "upload"]

UPLOAD_TIMEOUT_SECONDS = 600
PROBE_TIMEOUT_SECONDS = 15.0
# uv's words when the connection broke while it sent the file (no answer read): an index that refuses the
# credentials may answer 401 and close before it has read the upload (pypiserver does under load).
BROKEN_UPLOAD = re.compile(
    r"Broken pipe|error writing a body|connection reset|connection closed", re.IGNORECASE
)
BUMP_HELP = (
    "a released version is never replaced: bump it (a carrier package: info.version in "
    "specs/<carrier>.yaml as the breaking-change report asks, then `make generate`; "
    "shipspec: `version` in pyproject.toml)"
)


@dataclass(frozen=True)
class Plan:
    """The files to send, the releases already on the index with identical bytes, a release being resumed."""

    upload: tuple[Artifact, ...]
    already_released: tuple[str, ...]
    resumed: str | None = None


def _version_of(file_name: str) -> Version | None:
    try:
        if file_name.endswith(".whl"):
            return parse_wheel_filename(file_name)[1]
        return parse_sdist_filename(file_name)[1] if file_name.endswith(".tar.gz") else None
    except (ValueError, InvalidVersion):
        return None  # a file we did not make (or an odd legacy name): not one of our versions


def plan_upload(
    artifacts: Sequence[Artifact],
    listing: Callable[[str], Mapping[str, str | None]],
    index_name: str,
    *,
    allow_nothing_new: bool = False,
    resume: bool = False,
) -> Plan:
    """Compare the built files with the index's listings; raise PublishError on any re-release.

    A partly uploaded release is resumed: when shipspec's version is the latest on the index, holds our exact
    bytes and lacks some of its own files, the files still missing are that release's remainder, and
    shipspec's version rules are judged against the shipspec version below it. With every shipspec file there
    but carrier versions missing (uv used to send shipspec first), the index cannot tell that state from a
    carrier bumped without shipspec (refused): ``resume`` says the publish of that shipspec stopped part-way.
    ``allow_nothing_new`` returns an empty plan instead of refusing when every version is already released.
    """
    send: list[Artifact] = []
    same: list[str] = []
    partial: set[str] = set()
    conflicts: list[str] = []
    new: dict[str, Version] = {}
    latest: dict[str, Version | None] = {}
    identical: dict[str, Version] = {}
    listed: dict[str, list[str]] = {}
    ordered = sorted(artifacts, key=lambda artifact: (artifact.name, artifact.version))
    for (name, version), group in groupby(ordered, key=lambda artifact: (artifact.name, artifact.version)):
        files = list(group)
        published = listing(name)
        listed[name] = list(published)
        latest[name] = latest_version(listed[name])
        existing = {
            file: digest for file, digest in published.items() if _version_of(file) == Version(version)
        }
        ours = {artifact.path.name: artifact.sha256 for artifact in files}
        if not existing:
            send += files
            new[name] = Version(version)
        elif all(ours.get(file) == digest for file, digest in existing.items()):
            identical[name] = Version(version)
            missing = [artifact for artifact in files if artifact.path.name not in existing]
            send += missing
            if missing:
                partial.add(name)
            else:
                same.append(f"{name} {version}")
        else:
            conflicts.append(f"{name} {version} (on the index: {', '.join(sorted(existing))})")
    if conflicts:
        raise PublishError(
            f"refusing to publish: already on {index_name} with different content:\n  "
            + "\n  ".join(conflicts)
            + f"\n{BUMP_HELP}"
        )
    resumed = None
    root = identical.get(ROOT_NAME)
    carriers_new = any(name != ROOT_NAME for name in new)
    resumable = root is not None and root == latest[ROOT_NAME]
    if root is not None and resumable and (ROOT_NAME in partial or (resume and carriers_new)):
        # An earlier publish of this shipspec stopped part-way: finish it.
        new[ROOT_NAME] = root
        latest[ROOT_NAME] = latest_version(listed[ROOT_NAME], below=root)
        resumed = f"{ROOT_NAME} {root}"
    problems = shipspec_version_problems(new, latest)
    if problems:
        if resumable and carriers_new and not resume:
            problems.append(
                f"if an earlier publish of {ROOT_NAME} {root} stopped after sending shipspec but before "
                "these carrier files, run `python -m publishing publish --resume` to upload the rest"
            )
        raise PublishError("refusing to publish: " + "\n  ".join(problems))
    if not send and not allow_nothing_new:
        raise PublishError(
            f"nothing to publish: every version is already on {index_name} ({', '.join(same)}); {BUMP_HELP}"
        )
    # Our carrier packages before shipspec and shipspec before shipspec-sandbox, so the index never lists a
    # package without its dependencies.
    send.sort(key=lambda artifact: (publish_rank(artifact.name), artifact.path.name))
    return Plan(tuple(send), tuple(same), resumed)


def upload(files: Sequence[Artifact], target: IndexTarget) -> None:
    """Upload ``files`` one at a time, in order; translate the index's refusals into PublishError.

    One ``uv publish`` per file: given several, uv chooses its own order (it sent shipspec before the
    carriers), and a failure part-way would leave shipspec listed without the dependencies it needs.
    """
    for artifact in files:
        _upload_one(artifact, target)


def _upload_one(artifact: Artifact, target: IndexTarget) -> None:
    argv = [uv(), "publish", "--no-config", "--trusted-publishing", "never"]
    argv += ["--publish-url", target.upload_url, str(artifact.path)]
    # Credentials travel in uv's environment, never in argv (visible to every user in the process list).
    env = {key: value for key, value in os.environ.items() if not key.startswith("UV_PUBLISH_")}
    if target.credentials is not None:
        env["UV_PUBLISH_USERNAME"] = target.credentials.username
        env["UV_PUBLISH_PASSWORD"] = target.credentials.password
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=UPLOAD_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PublishError(
            f"uploading {artifact.path.name} took longer than {UPLOAD_TIMEOUT_SECONDS}s"
        ) from exc
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if target.credentials is not None:
            output = target.credentials.mask(output)
        index_name = redact_url(target.upload_url)
        if "status code" not in output and BROKEN_UPLOAD.search(output):
            code = credentials_refused(target)
            if code is not None:
                output += f"\n(the index answers status code {code} to these credentials)"
        raise PublishError(explain_refusal(output, index_name))


def credentials_refused(target: IndexTarget) -> int | None:
    """The index's 401 or 403 to an upload form without a file, sent with ``target``'s credentials; None
    when it answers otherwise (a valid login gets 400, no file) or cannot be asked.

    Asked only after an upload broke off unanswered, to tell a refused login from a network failure. An
    index checks the login before it looks at the form (pypiserver, the legacy upload API), so nothing is
    uploaded."""
    auth = None if target.credentials is None else (target.credentials.username, target.credentials.password)
    try:
        answer = httpx.post(
            target.upload_url,
            data={":action": "file_upload"},
            auth=auth,
            timeout=PROBE_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.HTTPError:
        return None
    return answer.status_code if answer.status_code in (401, 403) else None


def explain_refusal(output: str, index_name: str) -> str:
    """Turn ``uv publish``'s failure output into a message that says what happened and what to do."""
    failed = re.search(r"Failed to publish `([^`]+)`", output)
    status = re.search(r"status code (\d{3})", output)
    file_name = os.path.basename(failed.group(1)) if failed else "a file"
    code = int(status.group(1)) if status else None
    if code == 409 or (code == 400 and "already exist" in output.lower()):
        return f"{index_name} already has {file_name} (HTTP {code}): {BUMP_HELP}"
    if code in (401, 403):
        credentials = "check INDEX_USERNAME / INDEX_PASSWORD"
        return f"{index_name} refused the upload of {file_name} (HTTP {code}): {credentials}"
    return f"uploading {file_name} to {index_name} failed:\n{output[-3000:]}"
