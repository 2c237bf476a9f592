"""shipspec without shipspec-sandbox: no sandbox code at run time; `shipspec sandbox` says what to install.

Each check runs in a fresh interpreter: which modules an import pulls in is a property of a new process, and
hiding the installed shipspec-sandbox (``sys.modules["shipspec_sandbox"] = None``) must not leak into other
tests.
"""

from __future__ import annotations

import subprocess
import sys

HIDE_SANDBOX = "import sys; sys.modules['shipspec_sandbox'] = None\n"
RUNTIME = "shipspec, shipspec.carriers.baaship, shipspec.carriers.deftship, shipspec.carriers.tiktok_shop"
SANDBOX_ONLY = ("openapi_core", "jsonschema", "shipspec_sandbox")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_runtime_imports_no_sandbox_code() -> None:
    """Importing shipspec and its carriers loads neither the sandboxes nor their validator."""
    code = f"import sys, {RUNTIME}, shipspec.carriers.wechat_shop\n"
    code += f"print(sorted(m for m in {SANDBOX_ONLY!r} if m in sys.modules))"
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_shipspec_sandbox_without_the_distribution_names_the_install() -> None:
    """Without shipspec-sandbox the command exits 2 with the pip line; the other commands still work."""
    run = "from shipspec.cli import main\nmain([{args}], prog_name='shipspec')"
    missing = _python(HIDE_SANDBOX + run.format(args="'sandbox', '--carrier', 'baaship'"))
    assert missing.returncode == 2, missing.stderr
    assert "pip install shipspec-sandbox" in missing.stderr
    assert "Traceback" not in missing.stderr
    listed = _python(HIDE_SANDBOX + run.format(args="'--help'"))
    assert listed.returncode == 0, listed.stderr
    assert "sandbox" in listed.stdout


def test_shipspec_sandbox_with_the_distribution_is_the_real_command() -> None:
    """With shipspec-sandbox installed, `shipspec sandbox --help` is the sandboxes' own command."""
    done = _python("from shipspec.cli import main\nmain(['sandbox', '--help'], prog_name='shipspec')")
    assert done.returncode == 0, done.stderr
    assert "--fault-share" in done.stdout
