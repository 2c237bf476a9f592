"""Supply-chain guards: our namespace only, pinned backends, secrets kept out of output."""

from __future__ import annotations

from pathlib import Path

import pytest
from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

from publishing.build import check_backend_pins
from publishing.credentials import Credentials, write_htpasswd
from publishing.errors import PublishError
from publishing.index import parse_listing, redact_url
from publishing.projects import Project, check_names, is_ours, projects
from publishing.upload import explain_refusal


def test_every_project_is_in_the_shipspec_namespace() -> None:
    """The root, shipspec-sandbox and every generated package are shipspec or shipspec-*; the sandbox comes
    after the shipspec it requires."""
    found = projects()
    assert [project.name for project in found[-2:]] == ["shipspec", "shipspec-sandbox"]
    assert all(is_ours(project.name) for project in found)


@pytest.mark.parametrize("name", ["requests", "shipspecx", "ship-spec-baaship", "baaship"])
def test_names_outside_the_namespace_are_refused(name: str) -> None:
    """A distribution named outside shipspec / shipspec-* is never published."""
    with pytest.raises(PublishError, match="dependency confusion"):
        check_names(["shipspec", name])


def test_spellings_that_normalize_into_the_namespace_are_ours() -> None:
    """Case, dots and underscores normalize (PEP 503) before the check."""
    assert all(is_ours(name) for name in ["Shipspec", "shipspec_baaship", "SHIPSPEC.deftship"])


def test_the_repository_build_backends_are_pinned() -> None:
    """Every [build-system] requirement has an exact pin inside its declared range."""
    check_backend_pins(projects())


def test_a_backend_pinned_outside_a_project_range_is_refused(tmp_path: Path) -> None:
    """uv_build pinned at 0.12.24 does not fit a project asking for >=0.13."""
    project = Project("shipspec-x", "1.0.0", tmp_path, ("uv_build>=0.13,<0.14", "extra-backend"), ())
    with pytest.raises(PublishError) as caught:
        check_backend_pins([project])
    assert "uv_build>=0.13,<0.14; build-constraints.txt pins 0.12.24" in str(caught.value)
    assert "extra-backend; build-constraints.txt pins nothing" in str(caught.value)


def test_credentials_never_show_the_password(tmp_path: Path) -> None:
    """repr hides the password, mask() scrubs it, the htpasswd file holds only a hash and is private."""
    credentials = Credentials("publisher", "s3cret-value")
    assert "s3cret-value" not in repr(credentials)
    assert credentials.mask("uv said s3cret-value") == "uv said ***"
    path = tmp_path / "htpasswd"
    write_htpasswd(path, credentials)
    assert "s3cret-value" not in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600
    assert HtpasswdFile(str(path)).check_password("publisher", "s3cret-value")


def test_listing_parses_names_and_sha256() -> None:
    """A PEP 503 page gives file names (URL-decoded) and their sha256 fragment, or None without one."""
    page = (
        '<a href="/packages/shipspec-1.0.0.tar.gz#sha256=ABC">x</a>'
        '<a href="../f/shipspec%2D1.0.0-py3-none-any.whl">y</a>'
    )
    assert parse_listing(page) == {"shipspec-1.0.0.tar.gz": "abc", "shipspec-1.0.0-py3-none-any.whl": None}


def test_urls_in_messages_lose_their_password() -> None:
    """user:password in a URL never reaches a message."""
    assert redact_url("https://me:pw@index.example:8443/simple/") == "https://index.example:8443/simple/"


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            "Failed to publish `/d/a-1.0-py3-none-any.whl`\n cause: status code 409 Conflict",
            "already has a-1.0",
        ),
        (
            "Failed to publish `/d/a-1.0.tar.gz`\n status code 400 Bad Request: File already exists",
            "(HTTP 400)",
        ),
        ("Failed to publish `/d/a-1.0.tar.gz`\n status code 403 Forbidden", "check INDEX_USERNAME"),
    ],
)
def test_index_refusals_are_explained(output: str, expected: str) -> None:
    """409, 400 'already exists' and 401/403 become messages that say what to do."""
    assert expected in explain_refusal(output, "index")
