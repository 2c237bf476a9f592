"""An index we publish to: its upload URL, its PEP 503 listing, its credentials.

INDEX_URL is the upload (legacy) endpoint; INDEX_SIMPLE_URL the listing pip reads, which defaults to
INDEX_URL + ``simple/`` (pypiserver's layout; devpi and Artifactory need it set). Before uploading we read
the listing: a file's name and its ``#sha256=`` fragment tell us whether a version is already there and
whether it holds the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from .credentials import Credentials, credentials_from_env
from .errors import PublishError

__all__ = ["IndexTarget", "parse_listing", "published_files", "redact_url", "target_from_env"]

LISTING_TIMEOUT = httpx.Timeout(30.0)


@dataclass(frozen=True)
class IndexTarget:
    """Where to upload and where to look; credentials for both."""

    upload_url: str
    simple_url: str
    credentials: Credentials | None


def redact_url(url: str) -> str:
    """Return ``url`` without any user:password part, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def target_from_env() -> IndexTarget | None:
    """Return the index named by INDEX_URL (and INDEX_SIMPLE_URL), or None to use the embedded one."""
    upload = os.environ.get("INDEX_URL")
    if not upload:
        return None
    if urlsplit(upload).password:
        raise PublishError("INDEX_URL must not carry a password: use INDEX_USERNAME / INDEX_PASSWORD")
    simple = os.environ.get("INDEX_SIMPLE_URL") or f"{upload.rstrip('/')}/simple/"
    return IndexTarget(upload, simple, credentials_from_env())


class _Links(HTMLParser):
    """Collect ``href`` values of anchors: a PEP 503 page is a list of links to files."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def parse_listing(html: str) -> dict[str, str | None]:
    """Return file name → sha256 (None when the index gives no sha256 fragment) of a PEP 503 page."""
    parser = _Links()
    parser.feed(html)
    files: dict[str, str | None] = {}
    for href in parser.hrefs:
        location, _, fragment = href.partition("#")
        algorithm, _, digest = fragment.partition("=")
        files[unquote(location.rsplit("/", 1)[-1])] = digest.lower() if algorithm == "sha256" else None
    return files


def published_files(target: IndexTarget, name: str) -> dict[str, str | None]:
    """Return the files the index holds for distribution ``name`` (canonical), empty if it holds none."""
    auth = (target.credentials.username, target.credentials.password) if target.credentials else None
    url = f"{target.simple_url.rstrip('/')}/{name}/"
    try:
        response = httpx.get(url, auth=auth, timeout=LISTING_TIMEOUT, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise PublishError(f"cannot read {redact_url(url)}: {exc}") from exc
    if response.status_code == 404:
        return {}
    if response.status_code != 200:
        raise PublishError(
            f"cannot read {redact_url(url)}: HTTP {response.status_code}; refusing to upload without "
            "knowing which versions exist"
        )
    return parse_listing(response.text)
