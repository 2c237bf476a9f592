"""Interrupted and partial releases: one file per upload in dependency order, resume, baseline, signals."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from publishing import publish as publish_module
from publishing.build import Artifact
from publishing.credentials import Credentials
from publishing.errors import PublishError
from publishing.index import published_files
from publishing.publish import publish, target_of, upload_to
from publishing.server import EmbeddedIndex
from publishing.upload import plan_upload, upload
from tests.publishing.test_upload_plan import artifact, listing_of
from tests.publishing.tiny import tiny_wheel

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[EmbeddedIndex]:
    with EmbeddedIndex(tmp_path / "index", Credentials("publisher", secrets.token_urlsafe(16))) as running:
        yield running


def release(folder: Path, root: str, baaship: str, deftship: str = "1.0.0") -> list[Artifact]:
    return [
        tiny_wheel(folder, "shipspec", root, ("shipspec-baaship>=1", "shipspec-deftship>=1")),
        tiny_wheel(folder, "shipspec-baaship", baaship),
        tiny_wheel(folder, "shipspec-deftship", deftship),
    ]


def listed(index: EmbeddedIndex, name: str) -> list[str]:
    return sorted(published_files(target_of(index), name))


def test_each_file_is_its_own_upload_carriers_first(
    tmp_path: Path, index: EmbeddedIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uv publish reorders the files it is given: one call per file keeps shipspec last."""
    sent: list[list[str]] = []
    real_run = subprocess.run

    def recording_run(argv: list[str], **kwargs: Any) -> Any:
        sent.append([Path(part).name for part in argv if part.endswith(".whl")])
        return real_run(argv, **kwargs)

    monkeypatch.setattr("publishing.upload.subprocess.run", recording_run)
    upload_to(release(tmp_path / "dist", "0.1.0", "1.0.0"), target_of(index))
    assert sent == [
        ["shipspec_baaship-1.0.0-py3-none-any.whl"],
        ["shipspec_deftship-1.0.0-py3-none-any.whl"],
        ["shipspec-0.1.0-py3-none-any.whl"],
    ]


def test_a_failed_carrier_upload_never_leaves_shipspec_listed_and_a_rerun_finishes(
    tmp_path: Path, index: EmbeddedIndex
) -> None:
    """deftship's upload fails (other bytes reached the index after the check): shipspec was not sent; once
    the conflict is gone, the same publish sends the rest and counts baaship's identical files as released."""
    files = release(tmp_path / "dist", "0.1.0", "1.0.0")
    deftship = files[2]
    impostor = tiny_wheel(tmp_path / "other", "shipspec-deftship", "1.0.0", ("anything",))
    shutil.copyfile(impostor.path, index.packages / impostor.path.name)  # lands between check and upload
    with pytest.raises(PublishError, match=r"already has shipspec_deftship-1\.0\.0"):
        upload(plan_upload(files, lambda name: {}, "index").upload, target_of(index))
    assert listed(index, "shipspec") == []
    assert listed(index, "shipspec-baaship") == ["shipspec_baaship-1.0.0-py3-none-any.whl"]
    (index.packages / impostor.path.name).unlink()  # the conflict is resolved by whoever caused it
    plan = upload_to(files, target_of(index))
    assert [item.path.name for item in plan.upload] == [deftship.path.name, files[0].path.name]
    assert plan.already_released == ("shipspec-baaship 1.0.0",)
    assert listed(index, "shipspec") == ["shipspec-0.1.0-py3-none-any.whl"]


def test_shipspec_sent_before_its_carriers_is_resumed_on_request(
    tmp_path: Path, index: EmbeddedIndex
) -> None:
    """The state uv's reordering left: shipspec 0.2.0 on the index, baaship 2.0.0 missing. A plain re-run
    explains --resume; with it, the missing carrier goes up and the step rule is judged against 0.1.0."""
    upload_to(release(tmp_path / "v1", "0.1.0", "1.0.0"), target_of(index))
    files = release(tmp_path / "v2", "1.0.0", "2.0.0")
    upload([files[0]], target_of(index))
    with pytest.raises(PublishError, match=r"already there.*\n  .*publish --resume"):
        upload_to(files, target_of(index))
    plan = upload_to(files, target_of(index), resume=True)
    assert plan.resumed == "shipspec 1.0.0"
    assert [item.path.name for item in plan.upload] == ["shipspec_baaship-2.0.0-py3-none-any.whl"]
    assert plan.already_released == ("shipspec 1.0.0", "shipspec-deftship 1.0.0")


def test_a_resume_still_applies_the_step_rule(tmp_path: Path, index: EmbeddedIndex) -> None:
    """Resuming 0.1.0 → 0.2.0 whose baaship went 1 → 2: a minor shipspec step for a major carrier step."""
    upload_to(release(tmp_path / "v1", "0.1.0", "1.0.0"), target_of(index))
    files = release(tmp_path / "v2", "0.2.0", "2.0.0")
    upload([files[0]], target_of(index))
    with pytest.raises(PublishError, match=r"0\.1\.0 -> 0\.2\.0 is a minor step"):
        upload_to(files, target_of(index), resume=True)


def test_a_shipspec_lower_than_the_latest_is_refused() -> None:
    """0.1.5 after 0.2.0 was released would never be installed (pip takes the highest): refused."""
    index = listing_of(*[artifact("shipspec", "0.2.0", "r1")])
    with pytest.raises(
        PublishError, match=r"shipspec 0\.1\.5 is not higher than 0\.2\.0, the latest released"
    ):
        plan_upload([artifact("shipspec", "0.1.5", "x")], lambda name: index.get(name, {}), "index")


def test_shipspec_missing_a_file_of_its_latest_release_is_completed() -> None:
    """The wheel of 0.2.0 made it, the sdist did not: not a lower version, just the rest of that release."""
    released = [artifact("shipspec", "0.1.0", "a"), artifact("shipspec", "0.2.0", "w")]
    index = listing_of(*released)
    ours = [artifact("shipspec", "0.2.0", "w"), artifact("shipspec", "0.2.0", "s", "sdist")]
    plan = plan_upload(ours, lambda name: index.get(name, {}), "index")
    assert [item.path.name for item in plan.upload] == ["shipspec-0.2.0.tar.gz"]
    assert plan.resumed == "shipspec 0.2.0"


def test_publish_records_the_baseline_when_the_index_already_holds_the_build(
    tmp_path: Path, index: EmbeddedIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upload whose record step never ran, publish uploads nothing, records specs/released/ and
    succeeds; again, it records again (idempotent) instead of refusing."""
    files = release(tmp_path / "dist", "0.1.0", "1.0.0")
    upload_to(files, target_of(index))
    recorded: list[str] = []
    monkeypatch.setattr(publish_module, "require_committed", lambda repo: None)
    monkeypatch.setattr(publish_module, "require_gate", lambda: None)
    monkeypatch.setattr(publish_module, "build_all", lambda found, out: files)

    def record() -> list[str]:
        recorded.append("baaship")
        return ["baaship"]

    monkeypatch.setattr(publish_module, "release", record)
    for attempt in (1, 2):
        report = publish(tmp_path / "dist", target_of(index))
        assert report.uploaded == ()
        assert report.recorded_release == ("baaship",)
        assert recorded == ["baaship"] * attempt


def test_bare_upload_to_a_real_index_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`upload` cannot record the release: with INDEX_URL it points at `publish` (exit 1, no traceback)."""
    tiny_wheel(tmp_path, "shipspec", "0.1.0")
    monkeypatch.setenv("INDEX_URL", "http://127.0.0.1:9/")
    done = subprocess.run(
        [sys.executable, "-m", "publishing", "upload", "--dist", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "run `python -m publishing publish`" in done.stderr
    assert "Traceback" not in done.stderr


DRIVER = """
import sys, time
from pathlib import Path
import publishing.__main__ as cli
from publishing.credentials import Credentials
from publishing.server import EmbeddedIndex

root = Path(sys.argv[1])
cli.embedded_index = lambda found, **kw: EmbeddedIndex(root, Credentials("u", "p"))

def hang(url, version, scratch, **kw):  # the server is up: say so and wait like a slow pip install
    (root / "ready").write_text(url)
    time.sleep(60)

cli.check_install = hang
sys.exit(cli.main(["check-install"]))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_stops_the_embedded_index(tmp_path: Path, signum: int) -> None:
    """check-install killed by SIGTERM or SIGHUP while its pypiserver runs (own session) stops that server."""
    env = {key: value for key, value in os.environ.items() if key not in ("INDEX_URL", "INDEX_SIMPLE_URL")}
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(tmp_path)], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "ready").exists():
            assert driver.poll() is None, "the command ended before its index was up"
            assert time.monotonic() < deadline, "the index did not come up"
            time.sleep(0.05)
        url = (tmp_path / "ready").read_text()
        assert httpx.get(url, timeout=5).status_code == 200
        driver.send_signal(signum)
        assert driver.wait(30) == 128 + signum
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=5)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait(10)
