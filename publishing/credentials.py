"""Upload credentials: from INDEX_USERNAME / INDEX_PASSWORD, or generated for the embedded index.

The password is never printed: it is excluded from the repr, handed to uv through its environment (not
its argv, which other users can read in the process list) and masked in any tool output we relay.
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PublishError

with warnings.catch_warnings():
    # passlib 1.7.4 imports the stdlib `crypt` module, deprecated since Python 3.11; harmless here.
    warnings.simplefilter("ignore", DeprecationWarning)
    from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

__all__ = ["Credentials", "credentials_from_env", "embedded_credentials", "write_htpasswd"]

EMBEDDED_USER = "shipspec-publisher"
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class Credentials:
    """A user name and a password that no repr, log line or error message shows."""

    username: str
    password: str = field(repr=False)

    def mask(self, text: str) -> str:
        """Return ``text`` with the password replaced by ``***`` (for relaying tool output)."""
        return text.replace(self.password, "***") if self.password else text


def credentials_from_env() -> Credentials | None:
    """Return INDEX_USERNAME / INDEX_PASSWORD, None when neither is set; refuse when only one is."""
    username, password = os.environ.get("INDEX_USERNAME"), os.environ.get("INDEX_PASSWORD")
    if username is None and password is None:
        return None
    if not username or not password:
        raise PublishError("set both INDEX_USERNAME and INDEX_PASSWORD, or neither")
    return Credentials(username, password)


def embedded_credentials(folder: Path) -> Credentials:
    """Return the environment's credentials, else the embedded index's (made on first use)."""
    from_env = credentials_from_env()
    if from_env is not None:
        return from_env
    saved = folder / "credentials.json"
    if saved.is_file():
        data = json.loads(saved.read_text(encoding="utf-8"))
        return Credentials(data["username"], data["password"])
    made = Credentials(EMBEDDED_USER, secrets.token_urlsafe(24))
    folder.mkdir(parents=True, exist_ok=True)
    _write_private(saved, json.dumps({"username": made.username, "password": made.password}) + "\n")
    return made


def write_htpasswd(path: Path, credentials: Credentials) -> None:
    """Write an htpasswd file holding only a hash of the password, readable by its owner only."""
    # apr1 (Apache's own htpasswd default) rather than bcrypt: passlib's bcrypt support breaks with current
    # bcrypt releases, and sha-crypt falls back to a pure-Python loop that costs seconds per upload checked.
    # The index listens on 127.0.0.1 only and the password is random per machine.
    htpasswd = HtpasswdFile(default_scheme="apr_md5_crypt")
    htpasswd.set_password(credentials.username, credentials.password)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, htpasswd.to_string().decode())


def _write_private(path: Path, text: str) -> None:
    # Created with the final mode, so the secret is never readable by others even for an instant.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, PRIVATE_FILE_MODE)  # an existing file keeps its old mode through O_CREAT
