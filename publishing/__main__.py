"""Command line: ``python -m publishing build|serve|upload|publish|check-install``."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from packaging.version import Version

from .build import Artifact, artifacts_in, build_all
from .credentials import credentials_from_env
from .demo import demo_install
from .errors import PublishError
from .gate import require_gate
from .index import redact_url, target_from_env
from .install_check import check_install
from .paths import DIST
from .projects import ROOT_NAME, SANDBOX_NAME, check_names, projects
from .publish import embedded_index, publish, target_of, upload_to


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m publishing",
        description="Publish shipspec to INDEX_URL (credentials INDEX_USERNAME / INDEX_PASSWORD) or, when "
        "INDEX_URL is unset, to an embedded pypiserver on 127.0.0.1 (PORT or a free port).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="run the version gate, then build every wheel and sdist")
    build.add_argument("--out", type=Path, default=DIST)
    serve = commands.add_parser("serve", help="serve the embedded index in the foreground until Ctrl-C")
    serve.add_argument("--port", type=int, default=None, help="default: PORT, else a free port")
    upload = commands.add_parser("upload", help="upload already built files (refuses re-releases)")
    upload.add_argument("--dist", type=Path, default=DIST)
    publish_cmd = commands.add_parser("publish", help="gate, build and upload (what `make publish` runs)")
    publish_cmd.add_argument("--out", type=Path, default=DIST)
    publish_cmd.add_argument(
        "--resume",
        action="store_true",
        help="shipspec's version is on the index with our bytes but carrier versions are missing: an earlier "
        "publish stopped part-way; upload the rest",
    )
    check = commands.add_parser(
        "check-install",
        help="install shipspec from the index alone, ship a package to a sandbox run from shipspec-sandbox",
    )
    check.add_argument("--index-url", help="a PEP 503 index URL; default: INDEX_URL's, else the embedded one")
    check.add_argument("--version", help="the shipspec version to install; default: pyproject.toml's")
    demo = commands.add_parser(
        "demo-install", help="publish to a fresh embedded index, install shipspec from it into a new venv"
    )
    demo.add_argument("--into", type=Path, required=True, help="the venv folder to (re)create")
    return parser.parse_args(argv)


def _print_files(files: Sequence[Artifact]) -> None:
    for artifact in files:
        print(f"  {artifact.sha256}  {artifact.path.name}")


def _build(out: Path) -> int:
    require_gate()
    started = time.perf_counter()
    built = build_all(projects(), out)
    print(f"built {len(built)} files into {out} in {time.perf_counter() - started:.1f}s (sha256):")
    _print_files(built)
    return 0


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # the same clean stop as Ctrl-C


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    # The embedded pypiserver runs in its own session, so a signal to our process group misses it: unwind
    # through the `with` blocks (EmbeddedIndex.__exit__ stops it; subprocess.run kills uv or pip), once.
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def install_stop_handlers() -> None:
    """Make SIGTERM and SIGHUP stop any command cleanly, like Ctrl-C."""
    for number in STOP_SIGNALS:
        signal.signal(number, _stop_on_signal)


def _serve(port: int | None) -> int:
    with embedded_index(projects(), port=port) as index:
        print(f"serving {index.simple_url} (uploads: {index.url}, password-protected)")
        print(f"  install: pip install --index-url {index.simple_url} shipspec")
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopping")
    return 0


def _upload(dist: Path) -> int:
    files = artifacts_in(dist)
    if not files:
        raise PublishError(f"no wheels or sdists in {dist}: run `python -m publishing build` first")
    check_names([artifact.name for artifact in files])
    if target_from_env() is not None:
        # A bare upload cannot record specs/released/ (it does not know the files came from these specs) nor
        # check the tree they were built from: a real release goes through `publish`, which rebuilds the same
        # bytes, resumes a partial upload and records the release.
        raise PublishError(
            "`upload` only serves the embedded index; with INDEX_URL set run `python -m publishing publish`, "
            "which uploads what is missing and records specs/released/"
        )
    with embedded_index(projects()) as index:
        plan = upload_to(files, target_of(index))
    print(
        f"uploaded {len(plan.upload)} files; already released: {', '.join(plan.already_released) or 'none'}"
    )
    _print_files(plan.upload)
    return 0


def _publish(out: Path, resume: bool) -> int:
    started = time.perf_counter()
    report = publish(out, resume=resume)
    if report.resumed:
        print(f"resuming the partly uploaded release of {report.resumed}: sending what is missing")
    if report.uncommitted:
        print(
            f"embedded index: published {len(report.uncommitted)} uncommitted or untracked paths "
            "(a real index refuses them)"
        )
    if report.uploaded:
        print(f"published to {report.index} in {time.perf_counter() - started:.1f}s:")
    else:
        print(f"nothing new to publish to {report.index}: every version is there with identical bytes")
    _print_files(report.uploaded)
    if report.already_released:
        print(f"already released with identical bytes: {', '.join(report.already_released)}")
    if report.recorded_release:
        print(
            f"recorded specs/released/ for {', '.join(report.recorded_release)}: commit it with the release"
        )
    else:
        print("embedded index: nothing recorded as released; `python -m publishing serve` serves it again")
    return 0


def _check_install(index_url: str | None, version: str | None) -> int:
    found = projects()
    current = next(p.version for p in found if p.name == ROOT_NAME)
    wanted = version or current
    # The carrier versions this tree builds; another shipspec version was built from other sources.
    expected = {p.name: p.version for p in found} if Version(wanted) == Version(current) else None
    sandbox_version = (expected or {}).get(SANDBOX_NAME)
    env_target = target_from_env()
    url = index_url or (env_target.simple_url if env_target else None)
    with tempfile.TemporaryDirectory(prefix="shipspec-install-") as scratch:
        if url is not None:
            credentials = credentials_from_env()
            report = check_install(
                url,
                wanted,
                Path(scratch),
                credentials=credentials,
                expected=expected,
                sandbox_version=sandbox_version,
            )
            where = redact_url(url)
        else:
            with embedded_index(found) as index:
                report = check_install(
                    index.simple_url,
                    wanted,
                    Path(scratch),
                    expected=expected,
                    sandbox_version=sandbox_version,
                )
                where = index.simple_url
    shipment = report["shipment"]
    versions = ", ".join(f"{name} {version}" for name, version in sorted(report["versions"].items()))
    print(f"installed from {where} alone: {versions}")
    if expected is not None:
        print("every installed shipspec distribution has the version this tree builds")
    print(
        f"imported {len(report['modules'])} modules from the fresh environment; not installed there: "
        f"{', '.join(report['absent'])}"
    )
    sandbox = ", ".join(f"{name} {version}" for name, version in sorted(report["sandbox_versions"].items()))
    print(
        f"shipped {shipment['reference']} to a Baaship sandbox run from another environment ({sandbox}): "
        f"waybill {shipment['waybill']}, ledger ok"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise here
    options = _parse(sys.argv[1:] if argv is None else argv)
    install_stop_handlers()
    try:
        if options.command == "build":
            return _build(options.out)
        if options.command == "serve":
            return _serve(options.port)
        if options.command == "upload":
            return _upload(options.dist)
        if options.command == "publish":
            return _publish(options.out, options.resume)
        if options.command == "demo-install":
            started = time.perf_counter()
            command = demo_install(options.into)
            print(
                f"installed shipspec from a fresh local index alone in {time.perf_counter() - started:.1f}s"
            )
            print(command)  # the last line: the installed command, for scripts
            return 0
        return _check_install(options.index_url, options.version)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the embedded index (if any) was stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
