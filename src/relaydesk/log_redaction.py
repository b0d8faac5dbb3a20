"""No key, token, card number, e-mail or phone number in a log line.

``RedactSecrets`` is a logging filter that rewrites each record before it is written:

- the values of sensitive query-string parameters (``api_key``, ``token``, ``ticket``, ``q``, ...)
  become ``[redacted]``, and so does any query value whose decoded text holds personal data;
- agent API keys (``rdk_...``), ``Bearer``/``Basic`` credentials and ``token=...``-style pairs
  anywhere in a line are cut the same way;
- card numbers (also written digit by digit), e-mails and phone numbers anywhere in the line are
  masked with the detectors of ``triage/pii.py``, percent-encoded ones included.

``logging_config()`` is the uvicorn ``log_config`` relaydesk serves with: uvicorn's own formats,
with the filter on every handler (uvicorn's access and error logs, and a root handler that every
other logger, relaydesk's own included, propagates to). ``configure_logging()`` applies it to the
running process. See docs/privacy.md.
"""

from __future__ import annotations

import copy
import logging
import logging.config
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from relaydesk.triage.pii import find_pii

REDACTED = "[redacted]"
SENSITIVE_PARAMS = frozenset(
    {
        "api_key",
        "apikey",
        "key",
        "token",
        "access_token",
        "refresh_token",
        "ticket",
        "signature",
        "sig",
        "secret",
        "password",
        "code",
        "q",
        "query",
        "email",
        "phone",
        "name",
        "external_id",
    }
)
"""Query parameters whose values are never logged: credentials, and free text a person typed."""
QUERY_PARAM = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&;#\s\"'?]+)=(?P<value>[^&;#\s\"']*)")
API_KEY = re.compile(r"\brdk_[A-Za-z0-9_\-]{6,}")
CREDENTIAL = re.compile(r"(?i)\b(?P<scheme>bearer|basic)\s+[\w.~+/=\-]{6,}")
NAMED_SECRET = re.compile(
    r"(?i)(?P<name>\b(?:x-)?(?:api[_-]?key|(?:access[_-]|conversation[_-])?token|ticket|secret|password|"
    r"signature|authorization))(?P<sep>[\"']?\s*[:=]\s*[\"']?)"
    r"(?P<value>(?!\[redacted\]|(?i:bearer|basic)\b)[^\s\"'&,;)}\]]{4,})"
)
PERCENT_ENCODED = re.compile(r"[^\s\"']*%[0-9A-Fa-f]{2}[^\s\"']*")
DATE_OR_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}:\d{2}")
LOGGED_PII = frozenset({"email", "phone", "card", "address"})


def redact(text: str) -> str:
    """``text`` with secrets and personal data masked (see the module's docstring)."""
    if not text:
        return text
    text = QUERY_PARAM.sub(_query_value, text)
    text = API_KEY.sub("rdk_" + REDACTED, text)
    text = CREDENTIAL.sub(lambda m: f"{m['scheme']} {REDACTED}", text)
    text = NAMED_SECRET.sub(_named_secret, text)
    if "%" in text:
        text = PERCENT_ENCODED.sub(_percent_encoded, text)
    return _mask_personal_data(text)


def _query_value(m: re.Match[str]) -> str:
    name, value = m["name"], m["value"]
    if value and (
        name.lower() in SENSITIVE_PARAMS or _mask_personal_data(unquote_plus(value)) != unquote_plus(value)
    ):
        value = REDACTED
    return f"{m['lead']}{name}={value}"


def _named_secret(m: re.Match[str]) -> str:
    return m["name"] + m["sep"] + REDACTED


def _percent_encoded(m: re.Match[str]) -> str:
    decoded = unquote_plus(m.group())
    masked = _mask_personal_data(decoded)
    return masked if masked != decoded else m.group()


def _has_personal_data(text: str) -> bool:
    return _mask_personal_data(text) != text


def _mask_personal_data(text: str) -> str:
    if not any(ch.isdigit() for ch in text) and "@" not in text:
        return text  # nothing find_pii could report: the common log line costs one scan
    out, last = [], 0
    for span in find_pii(text):
        if span.kind not in LOGGED_PII:
            continue
        if span.kind == "phone" and DATE_OR_TIME.match(text[span.start : span.end]):
            continue  # "2026-12-07 09": a date in a log line, not a phone number
        out.append(text[last : span.start])
        out.append(span.mask)
        last = span.end
    out.append(text[last:])
    return "".join(out)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message, arguments, traceback and stack so none of them holds a secret or
    personal data; never drops a record. Safe to attach to several handlers (works once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "relaydesk_redacted", False):
            return True
        redact_record(record)
        record.relaydesk_redacted = True
        return True


def redact_record(record: logging.LogRecord) -> None:
    if record.name == "uvicorn.access" and isinstance(record.args, tuple):
        # uvicorn's access formatter reads its five arguments (client, method, path, version,
        # status), so they keep their places; the path is where secrets are.
        record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
    else:
        try:
            message = record.getMessage()
        except Exception:  # a format that does not match its arguments: logging reports it
            message = None
        if message is not None:
            record.msg, record.args = redact(message), ()
        else:
            record.msg = redact(str(record.msg))
            record.args = _redacted_args(record.args)
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _redacted_args(args: Any) -> Any:
    if isinstance(args, Mapping):
        return {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
    if isinstance(args, tuple):
        return tuple(redact(a) if isinstance(a, str) else a for a in args)
    return args


def logging_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging config with ``RedactSecrets`` on every handler, and a root handler (stderr)
    for every other logger at ``level``. Pass it to ``uvicorn.run(log_config=...)``: each worker
    process applies it too."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_secrets": {"()": f"{__name__}.RedactSecrets"}}
    config["formatters"]["plain"] = {"format": "%(levelname)s:%(name)s:%(message)s"}
    config["handlers"]["relaydesk"] = {
        "formatter": "plain",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
    }
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_secrets"]
    config["root"] = {"handlers": ["relaydesk"], "level": level.upper()}
    for name in ("uvicorn", "uvicorn.access"):
        config["loggers"][name]["level"] = level.upper()
    return config


def configure_logging(level: str = "info") -> dict[str, Any]:
    """Apply ``logging_config(level)`` to this process (before migrations log) and return it."""
    config = logging_config(level)
    logging.config.dictConfig(config)
    return config
