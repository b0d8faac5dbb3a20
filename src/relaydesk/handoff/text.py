"""Text as the brief shows it: personal data masked, long text cut to an excerpt."""

from __future__ import annotations

from relaydesk.triage.pii import mask_pii

MAX_EXCERPT = 300


def masked(text: str) -> str:
    return mask_pii(text).text


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
