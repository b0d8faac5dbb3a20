"""Replies to a hello or a thank-you that carries no request, so that knowledge is not searched for one.

Without it a greeting reached the knowledge responder, which found no article about "hi" and
abstained with ``missing knowledge``: the orchestrator then queued the customer for a person before
they had asked anything. It answers only when triage is confident the message is a greeting or
thanks and every word of it is social.
"""

from __future__ import annotations

import re

from relaydesk.domain.models import Message
from relaydesk.domain.signals import ConversationContext, ResponderReply, TriageResult

GREETING_TEXT = (
    "Hi! I can help with orders, deliveries, returns and refunds, payments and your account. "
    "What can I do for you?"
)
THANKS_TEXT = "You're welcome! Is there anything else I can help you with?"
REPLIES = {"greeting": GREETING_TEXT, "thanks": THANKS_TEXT}
MIN_CONFIDENCE = 0.6
SOCIAL_WORDS = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "hiya",
        "yo",
        "greetings",
        "good",
        "morning",
        "afternoon",
        "evening",
        "day",
        "there",
        "team",
        "everyone",
        "anyone",
        "all",
        "folks",
        "guys",
        "thanks",
        "thank",
        "you",
        "so",
        "much",
        "very",
        "a",
        "lot",
        "many",
        "cheers",
        "ty",
        "thx",
        "appreciate",
        "appreciated",
        "it",
        "that",
        "that's",
        "this",
        "was",
        "is",
        "are",
        "great",
        "perfect",
        "awesome",
        "brilliant",
        "helpful",
        "lovely",
        "nice",
        "for",
        "your",
        "the",
        "help",
        "ok",
        "okay",
        "bye",
        "goodbye",
        "see",
        "have",
        "can",
        "could",
        "me",
        "with",
        "something",
        "question",
        "i",
        "i've",
        "we",
        "need",
        "some",
        "please",
        "an",
        "quick",
        "again",
    ]
)
"""Words a hello or a thank-you is made of. A message with any other word ("thanks, but my parcel
never came") carries a request and goes on to the responders that can answer it."""
WORD = re.compile(r"[a-z']+")


class SmallTalkResponder:
    name = "smalltalk"
    version = "smalltalk-1"

    def __init__(
        self, replies: dict[str, str] | None = None, *, min_confidence: float = MIN_CONFIDENCE
    ) -> None:
        self.replies = dict(REPLIES if replies is None else replies)
        self.min_confidence = min_confidence

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        text = self.replies.get(triage.intent or "")
        if (
            text is None
            or not triage.in_scope
            or triage.wants_human
            or triage.confidence < self.min_confidence
            or any(word not in SOCIAL_WORDS for word in WORD.findall(message.text.lower()))
        ):
            return ResponderReply(
                text=None,
                responder=self.name,
                abstain_reason="not small talk",
                reasons=(f"intent {triage.intent} at {triage.confidence:.2f}",),
                version=self.version,
            )
        return ResponderReply(
            text=text,
            responder=self.name,
            resolved=False,
            confidence=triage.confidence,
            reasons=(f"{triage.intent} at {triage.confidence:.2f}",),
            version=self.version,
        )
