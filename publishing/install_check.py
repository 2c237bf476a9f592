"""Prove an index is enough: a fresh environment installs shipspec from it alone and ships a package.

Two environments, as a user has them: one with ``shipspec`` alone (the runtime: it must import without the
sandboxes and their validator), one with ``shipspec-sandbox`` (the test doubles), which runs a Baaship
sandbox the first one ships to over HTTP.

pip is isolated from every local setting that could add a source: ``PIP_CONFIG_FILE`` points at an empty
file (this machine's pip.conf lists extra indexes and find-links) and every ``PIP_*`` variable is dropped,
so ``--index-url`` is the only place a distribution can come from. A missing dependency wheel therefore
fails here instead of being fetched from PyPI behind our back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .credentials import Credentials
from .errors import PublishError
from .index import redact_url
from .release_checks import installed_version_problems

__all__ = ["check_install"]

SMOKE = Path(__file__).resolve().parent / "smoke.py"
STEP_TIMEOUT_SECONDS = 300
SANDBOX_START_SECONDS = 60  # until the sandbox has written its ready file
SANDBOX_LIFETIME_SECONDS = 600  # a bound on the sandbox process should the stop below never come
SANDBOX_DISTRIBUTION = "shipspec-sandbox"


def _run(
    argv: list[str], *, env: Mapping[str, str], cwd: Path, what: str, secret: Credentials | None = None
) -> str:
    try:
        done = subprocess.run(
            argv,
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"{what} took longer than {STEP_TIMEOUT_SECONDS}s") from exc
    if done.returncode != 0:
        output = f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
        raise PublishError(f"{what} failed:\n{secret.mask(output) if secret else output}")
    return done.stdout


def split_credentials(index_url: str, credentials: Credentials | None) -> tuple[str, Credentials | None]:
    """Return ``index_url`` without its user:password part, and the credentials to use for it.

    A password written into INDEX_SIMPLE_URL or --index-url must not reach pip's argv (every user can read
    it in the process list) nor a message; it moves to the netrc file like INDEX_USERNAME / INDEX_PASSWORD.
    """
    parts = urlsplit(index_url)
    if parts.username is None and parts.password is None:
        return index_url, credentials
    from_url = Credentials(unquote(parts.username or ""), unquote(parts.password or ""))
    return redact_url(index_url), credentials or from_url


def _isolated_env(workdir: Path, index_url: str, credentials: Credentials | None) -> dict[str, str]:
    drop = ("PIP_", "PYTHON", "VIRTUAL_ENV", "UV_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    env["PIP_CONFIG_FILE"] = os.devnull
    if credentials is not None:
        # A netrc file rather than user:password in the URL, which pip would show in its process arguments.
        netrc = workdir / "netrc"
        host = urlsplit(index_url).hostname or ""
        descriptor = os.open(netrc, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(f"machine {host} login {credentials.username} password {credentials.password}\n")
        env["NETRC"] = str(netrc)
    return env


def _venv_with(
    requirement: str,
    venv: Path,
    *,
    env: Mapping[str, str],
    workdir: Path,
    index_url: str,
    credentials: Credentials | None,
) -> str:
    """Create ``venv`` and install ``requirement`` from ``index_url`` alone; return its python."""
    _run(
        [sys.executable, "-m", "venv", str(venv)], env=env, cwd=workdir, what="creating a virtual environment"
    )
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", "--no-cache-dir", "--disable-pip-version-check"]
    install += ["--no-input", "--index-url", index_url, requirement]
    _run(
        install,
        env=env,
        cwd=workdir,
        what=f"installing {requirement.replace('==', ' ')} from {redact_url(index_url)} alone",
        secret=credentials,
    )
    return python


def _installed_versions(python: str, *, env: Mapping[str, str], cwd: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json; print(json.dumps({d.metadata['Name']: d.version "
        "for d in m.distributions() if d.metadata['Name'].lower().startswith('shipspec')}))"
    )
    found: dict[str, str] = json.loads(
        _run([python, "-I", "-c", code], env=env, cwd=cwd, what="listing the installed versions")
    )
    return found


class _Sandbox:
    """A Baaship sandbox run by ``shipspec-sandbox``'s own command in its environment; stopped on exit."""

    def __init__(self, python: str, workdir: Path, env: Mapping[str, str]) -> None:
        self.ready = workdir / "sandbox-ready.json"
        self.log = workdir / "sandbox.log"
        argv = [python, "-I", "-m", "shipspec_sandbox", "--carrier", "baaship"]
        argv += ["--ready-file", str(self.ready), "--for-seconds", str(SANDBOX_LIFETIME_SECONDS)]
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                argv, env=dict(env), cwd=workdir, stdout=log, stderr=subprocess.STDOUT
            )

    def url(self) -> str:
        """Wait for the ready file and return the sandbox's URL."""
        deadline = time.monotonic() + SANDBOX_START_SECONDS
        while time.monotonic() < deadline:
            if self.ready.is_file() and self.ready.stat().st_size:
                return str(json.loads(self.ready.read_text(encoding="utf-8"))["baaship"])
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        output = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise PublishError(f"the shipspec-sandbox Baaship sandbox did not start:\n{output}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the command stops its servers and exits
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def check_install(
    index_url: str,
    version: str,
    workdir: Path,
    *,
    credentials: Credentials | None = None,
    body: dict[str, Any] | None = None,
    expected: Mapping[str, str] | None = None,
    sandbox_version: str | None = None,
) -> dict[str, Any]:
    """Install ``shipspec==version`` from ``index_url`` into a new venv; ship one package to a sandbox.

    The sandbox runs from ``shipspec-sandbox`` (``==sandbox_version``, else the newest) installed from the
    same index into a second venv. Returns the smoke report (modules and where they came from, the
    sandbox-only modules found absent, installed versions of both environments, the shipment and the
    sandbox ledger); raises PublishError when any step fails, the runtime environment holds sandbox code,
    the ledger disagrees with the answer, or the installed shipspec distributions differ from ``expected``
    (name → version built).
    """
    index_url, credentials = split_credentials(index_url, credentials)
    workdir.mkdir(parents=True, exist_ok=True)
    env = _isolated_env(workdir, index_url, credentials)

    def venv_with(requirement: str, folder: str) -> str:
        return _venv_with(
            requirement,
            workdir / folder,
            env=env,
            workdir=workdir,
            index_url=index_url,
            credentials=credentials,
        )

    python = venv_with(f"shipspec=={version}", "venv")
    pinned = f"=={sandbox_version}" if sandbox_version else ""
    sandbox_python = venv_with(f"{SANDBOX_DISTRIBUTION}{pinned}", "sandbox-venv")
    sandbox = _Sandbox(sandbox_python, workdir, env)
    try:
        options = json.dumps({"body": body, "url": sandbox.url()})
        output = _run([python, "-I", str(SMOKE), options], env=env, cwd=workdir, what="the smoke run")
    finally:
        sandbox.stop()
    report: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    report["sandbox_versions"] = _installed_versions(sandbox_python, env=env, cwd=workdir)
    if expected is not None:
        # shipspec's requirement ranges decide which carrier versions pip picks: they must be the built ones.
        runtime = {name: v for name, v in expected.items() if name != SANDBOX_DISTRIBUTION}
        problems = installed_version_problems(runtime, report["versions"])
        if SANDBOX_DISTRIBUTION in expected:
            wanted = {SANDBOX_DISTRIBUTION: expected[SANDBOX_DISTRIBUTION]}
            problems += installed_version_problems(wanted, report["sandbox_versions"])
        if problems:
            raise PublishError(
                f"shipspec {version} from {redact_url(index_url)} installed other versions than were built:"
                "\n  " + "\n  ".join(problems)
            )
    shipment = report["shipment"]
    created = [entry for entry in shipment["ledger"] if entry["action"] == "shipment_created"]
    wanted_ledger = [{"action": "shipment_created", "key": shipment["reference"]}]
    if [{"action": e["action"], "key": e["key"]} for e in created] != wanted_ledger or (
        created[0]["result"].get("waybill") != shipment["waybill"]
    ):
        raise PublishError(f"the sandbox ledger does not match the shipment: {shipment}")
    return report
