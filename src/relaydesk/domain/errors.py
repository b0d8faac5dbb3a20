"""The one error tree of relaydesk. Interfaces translate these in one place each."""

from __future__ import annotations

from typing import Any


class RelaydeskError(Exception):
    """Root of every error relaydesk raises on purpose."""

    title = "Request failed"

    def __init__(self, detail: str, **info: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.info = info


class InvalidInput(RelaydeskError):
    """The caller sent something malformed or out of range."""

    title = "Invalid input"


class NotFound(RelaydeskError):
    """The named thing does not exist (or is not visible to the caller)."""

    title = "Not found"


class Conflict(RelaydeskError):
    """The request is valid but the current state does not allow it."""

    title = "Conflict"


class Unauthenticated(RelaydeskError):
    """No credential, or a credential that matches nobody."""

    title = "Unauthenticated"


class Forbidden(RelaydeskError):
    """A known caller that may not do this."""

    title = "Forbidden"


class RoleRequired(Forbidden):
    """A known caller whose role does not allow this (docs/security.md lists what each role may do)."""

    title = "Role required"


class PayloadTooLarge(RelaydeskError):
    """The body or a field is larger than the configured limit."""

    title = "Payload too large"


class PolicyDenied(RelaydeskError):
    """Governance refused an action; the reason can be told to the customer."""

    title = "Refused by policy"


class ConfigurationError(RelaydeskError):
    """A settings value, policy file or model artifact is unusable."""

    title = "Configuration error"


class NotReady(RelaydeskError):
    """The server is still starting (loading its models); try again in a moment."""

    title = "Starting"

    def __init__(self, detail: str, *, retry_after_s: int = 2, **info: Any) -> None:
        super().__init__(detail, **info)
        self.retry_after_s = retry_after_s


class LLMUnavailable(RelaydeskError):
    """The language model could not be reached or its answer could not be read; callers fall back
    to what works without a model."""

    title = "Language model unavailable"
