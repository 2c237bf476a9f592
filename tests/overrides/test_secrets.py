"""Secret hides its value; redact() and RedactingFilter mask known values and credential-shaped fields."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from shipspec.secrets import MASK, RedactingFilter, Secret, install_record_redaction, redact, redact_logger


def test_secret_never_shows_its_value() -> None:
    """repr, str, f-strings, %-formatting and container reprs all show *** and reveal() gives the value."""
    secret = Secret("app-secret-value")

    @dataclass
    class Holder:
        app_secret: Secret

    shown = [
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        f"{secret:>20}",
        "%s" % secret,  # noqa: UP031 - %-formatting is what logging does
        repr([secret]),
    ]
    shown.append(repr(Holder(secret)))
    assert all("app-secret-value" not in text for text in shown)
    assert str(secret) == repr(secret) == MASK
    assert secret.reveal() == "app-secret-value"


def test_secret_compares_by_value_and_wraps_itself() -> None:
    """Equal values are equal secrets; Secret(Secret(x)) holds x; an empty secret is falsy."""
    assert Secret("a") == Secret(Secret("a"))
    assert Secret("a") != Secret("b")
    assert len({Secret("a"), Secret("a")}) == 1
    assert not Secret("")
    assert Secret("x").__eq__("x") is NotImplemented


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("/fulfillment/202309/packages/ship?app_key=k&sign=0f3a9c&timestamp=1", "0f3a9c"),
        ("GET /product/delivery/send?access_token=AT-123&x=1", "AT-123"),
        ("/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S3CR3T", "S3CR3T"),
        ("/api/v2/token/get?app_secret=e59af819cc&auth_code=AC-9", "e59af819cc"),
        ("/api/v2/token/get?app_secret=e59af819cc&auth_code=AC-9", "AC-9"),
        ('{"access_token": "AT-123", "expires_in": 7200}', "AT-123"),
        ('{"refresh_token":"RT-456"}', "RT-456"),
        ("x-tts-access-token: TTS-789", "TTS-789"),
        ("Authorization: Bearer dft-api-token", "dft-api-token"),
        ("{'token': 'baaship-token', 'accept': '*/*'}", "baaship-token"),
        ("[(b'token', b'baaship-token')]", "baaship-token"),
    ],
)
def test_redact_masks_credential_fields(text: str, hidden: str) -> None:
    """Query, JSON, header, dict and tuple shapes of credential fields lose their values, keep their names."""
    masked = redact(text)
    assert hidden not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "text",
    [
        "The 'sign' query parameter is invalid",
        "Invalid access_token",
        "signature=abc design=1",
        "app_key=29a39d&timestamp=1623812664",
    ],
)
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    """Messages that name a field without a value, and non-secret fields, stay readable."""
    assert redact(text) == text


def test_redact_masks_given_and_live_secret_values_anywhere() -> None:
    """Known values are masked in free text: ones passed in and every Secret still alive."""
    held = Secret("live-token-0001")
    text = "free text live-token-0001 and explicit-0002"
    assert redact(text, ["explicit-0002"]) == "free text *** and ***"
    assert held.reveal() == "live-token-0001"


def test_filter_masks_message_arguments_and_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """A record's %-arguments, exception text and stack are masked before any handler formats them."""
    logger = logging.getLogger("tests.secrets.filter")
    added = RedactingFilter(["extra-0003"])
    added.add(Secret("added-0004"))
    logger.addFilter(added)
    try:
        with caplog.at_level(logging.DEBUG, logger=logger.name):
            try:
                raise ValueError("boom with token=tb-0005 and extra-0003")
            except ValueError:
                logger.exception("url %s and %s", "/x?sign=sg-0006", "added-0004", stack_info=True)
    finally:
        logger.removeFilter(added)
    text = caplog.text
    for value in ("tb-0005", "extra-0003", "sg-0006", "added-0004"):
        assert value not in text
    assert "ValueError" in text


def test_every_record_is_redacted_once_installed_whatever_its_logger() -> None:
    """Importing shipspec installs the redacting record factory once; a record of any logger is masked."""
    factory = logging.getLogRecordFactory()
    install_record_redaction()
    assert logging.getLogRecordFactory() is factory
    record = logging.getLogger("some.library.child").makeRecord(
        "some.library.child", logging.DEBUG, __file__, 1, "GET %s", ("/x?app_secret=abc123456",), None
    )
    assert record.getMessage() == "GET /x?app_secret=***"


def test_redact_logger_is_idempotent() -> None:
    """redact_logger adds one RedactingFilter to a logger and no duplicate."""
    logger = logging.getLogger("shipspec")
    first = redact_logger(logger)
    assert redact_logger("shipspec") is first
    assert sum(isinstance(f, RedactingFilter) for f in logger.filters) == 1


def test_short_live_secret_leaves_ordinary_text_alone() -> None:
    """A one-letter test secret no longer eats every 's' in a line, yet is masked as a field's value."""
    held = Secret("s")
    line = "HTTP Request: GET /cgi-bin/token?appid=wx-test-app&secret=s"
    masked = redact(line)
    assert masked == "HTTP Request: GET /cgi-bin/token?appid=wx-test-app&secret=***"
    assert held.reveal() == "s"


def test_real_length_secret_is_masked_anywhere() -> None:
    """A value of carrier-credential length is masked wherever it stands, with no field name beside it."""
    held = Secret("e59af819cc0f")
    assert redact("path /v1/e59af819cc0f/ship failed") == f"path /v1/{MASK}/ship failed"
    assert held.reveal() == "e59af819cc0f"
