"""Which language the AI answers in: the customer's message when triage reads it with confidence,
else the conversation's language so far, else the customer's profile, else English."""

from __future__ import annotations

import re

from relaydesk.dialogue.catalogue import DEFAULT, supported
from relaydesk.domain.capability_types import ConversationContext, TriageResult
from relaydesk.triage.language import language_text

MIN_WORDS = 3
"""A message this short ("ok", "thx", "W9549057") says nothing reliable about its language."""
MIN_CONFIDENCE = 0.5
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def message_language(triage: TriageResult | None, text: str) -> str | None:
    """The message's language when it is long enough and read with confidence, else None."""
    if triage is None or not triage.language or len(WORD.findall(language_text(text))) < MIN_WORDS:
        return None  # (an e-mail address or an order number alone is no language)
    if float(triage.extra.get("language_confidence", 1.0)) < MIN_CONFIDENCE:
        return None
    return triage.language


def reply_language(
    context: ConversationContext | None, triage: TriageResult | None = None, text: str = ""
) -> str:
    """The language of the AI's reply (one the catalogue has; English when none fits)."""
    candidates = [message_language(triage, text)]
    if context is not None:
        candidates += [context.conversation.language, getattr(context.customer, "language", None)]
    for language in candidates:
        if supported(language):
            return str(language)
    return DEFAULT


def conversation_language(conversation: object, customer: object | None = None) -> str:
    """The language to tell a customer things in outside a turn (their place in line, who joined):
    the conversation's language so far, else their profile's, else English."""
    for language in (getattr(conversation, "language", None), getattr(customer, "language", None)):
        if supported(language):
            return str(language)
    return DEFAULT
