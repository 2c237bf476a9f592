"""Running the pinned external tools, with warnings treated as errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

# Output of these tools is committed source, so their exact versions are part of every lock file.
PINNED_TOOLS = ("openapi-python-client", "datamodel-code-generator", "ruff", "jinja2", "pyyaml")
TOOL_TIMEOUT_SECONDS = 300
# openapi-python-client exits 0 even when it skips an endpoint; these markers in its output mean it did.
WARNING_MARKERS = ("warning", "could not", "will not be generated", "unable to")


class GeneratorError(RuntimeError):
    """A generation step failed; the message says which tool and why."""


def tool_versions() -> dict[str, str]:
    """Return the installed versions of the tools whose output we commit."""
    return {name: metadata.version(name) for name in PINNED_TOOLS}


def venv_bin() -> Path:
    """Return the bin folder of the running interpreter, where the pinned tools live."""
    return Path(sys.executable).parent


def run_tool(argv: Sequence[str], cwd: Path) -> str:
    """Run a pinned tool; raise GeneratorError on failure or on any warning in its output."""
    env = dict(os.environ)
    env["PATH"] = f"{venv_bin()}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    try:
        done = subprocess.run(
            list(argv),
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GeneratorError(f"{argv[0]} timed out after {TOOL_TIMEOUT_SECONDS}s") from exc
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise GeneratorError(f"{argv[0]} failed ({done.returncode}):\n{output}")
    lowered = output.lower()
    if any(marker in lowered for marker in WARNING_MARKERS):
        raise GeneratorError(f"{argv[0]} reported warnings (treated as errors):\n{output}")
    return output
