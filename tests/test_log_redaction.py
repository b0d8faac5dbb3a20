"""The redacting log filter on its own: messages, arguments, tracebacks, uvicorn's access record,
and the logging configuration ``relaydesk serve`` hands uvicorn (tests/api/test_clean_logs.py runs
the real server)."""

from __future__ import annotations

import io
import logging

import pytest

from relaydesk.log_redaction import RedactSecrets, logging_config, redact

KEY = "rdk_Zm9vYmFyYmF6cXV4cXV1eA"
TOKEN = "Q2hhdC10b2tlbi1mb3ItYS1jdXN0b21lcg_x-9"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /v1/agent/stream?api_key={KEY}&after=3", "GET /v1/agent/stream?api_key=[redacted]&after=3"),
        (f"/v1/conversations/c1/stream?token={TOKEN}", "/v1/conversations/c1/stream?token=[redacted]"),
        ("/v1/knowledge/search?q=where+is+my+parcel&limit=5", "/v1/knowledge/search?q=[redacted]&limit=5"),
        ("/v1/x?contact=jane%40example.com&page=2", "/v1/x?contact=[redacted]&page=2"),
        (f"Authorization: Bearer {TOKEN}", "Authorization: Bearer [redacted]"),
        (f"sent {KEY} to the console", "sent rdk_[redacted] to the console"),
        ('{"x-conversation-token": "abcdEFGH1234"}', '{"x-conversation-token": "[redacted]"}'),
        (
            "card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 and 4111-1111-1111-1111",
            "card [card ending 1111] and [card ending 1111]",
        ),
        ("mail jane.roe@example.com or call +1 (415) 555-2671", "mail [email] or call [phone]"),
        ("GET /v1/customers/jane.roe%40example.com", "GET /v1/customers/[email]"),
        (
            "report from 2026-12-01 to 2026-12-07 took 1234 ms",
            "report from 2026-12-01 to 2026-12-07 took 1234 ms",
        ),
        ('127.0.0.1:5000 - "GET /healthz HTTP/1.1" 200', '127.0.0.1:5000 - "GET /healthz HTTP/1.1" 200'),
    ],
)
def test_secrets_and_personal_data_in_a_line_are_masked_and_the_rest_kept(line: str, expected: str) -> None:
    assert redact(line) == expected


def _handler() -> tuple[logging.Handler, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    handler.addFilter(RedactSecrets())
    return handler, out


def test_arguments_and_tracebacks_are_masked_too() -> None:
    handler, out = _handler()
    log = logging.getLogger("relaydesk.test_redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("customer %s wrote %s", "jane.roe@example.com", "4111 1111 1111 1111")
        try:
            raise ValueError(f"bad key {KEY} for jane.roe@example.com")
        except ValueError:
            log.exception("handling failed for token=%s", TOKEN)
    finally:
        log.removeHandler(handler)
    text = out.getvalue()
    assert "customer [email] wrote [card ending 1111]" in text
    assert "ValueError: bad key rdk_[redacted] for [email]" in text  # the traceback
    assert "token=[redacted]" in text
    assert KEY not in text and TOKEN not in text and "jane.roe" not in text and "4111 1111" not in text


def test_uvicorns_access_record_keeps_its_five_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/v1/agent/stream?api_key={KEY}", "1.1", 101),
        None,
    )
    assert RedactSecrets().filter(record)
    assert record.args == ("127.0.0.1:5000", "GET", "/v1/agent/stream?api_key=[redacted]", "1.1", 101)


def test_every_handler_of_the_served_configuration_redacts() -> None:
    config = logging_config("warning")
    assert config["root"] == {"handlers": ["relaydesk"], "level": "WARNING"}
    assert {"default", "access", "relaydesk"} <= set(config["handlers"])
    assert all(h["filters"] == ["redact_secrets"] for h in config["handlers"].values())
