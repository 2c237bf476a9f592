"""mypy --strict on a user's script calling a generated ``sync``: the success model, no narrowing needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent / "user_script" / "track.py"
MYPY_TIMEOUT_SECONDS = 300


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            "/dev/null",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=MYPY_TIMEOUT_SECONDS,
        check=False,
    )


def test_sync_returns_the_success_model_to_a_strict_user() -> None:
    """`get_tracking.sync(...).data` type-checks under --strict without an isinstance or None check."""
    done = _mypy(SCRIPT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_check_would_catch_a_union(tmp_path: Path) -> None:
    """The same script against the old annotation (error model or None) fails, so the test can fail."""
    script = tmp_path / "old.py"
    script.write_text(
        "from shipspec_baaship.models import ErrorResponse, TrackingResponse\n\n\n"
        "def read(answer: ErrorResponse | TrackingResponse | None) -> object:\n"
        "    return answer.data\n",
        encoding="utf-8",
    )
    done = _mypy(script)
    assert done.returncode == 1
    assert "union-attr" in done.stdout
