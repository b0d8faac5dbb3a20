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
OPENER_TEXT = (
    "Of course. What do you need help with? I can help with orders, deliveries, returns and refunds, "
    "payments and your account, and bring in someone from our team when needed."
)
REPLIES = {"greeting": GREETING_TEXT, "thanks": THANKS_TEXT}
ASKING_WORDS = frozenset(
    ["help", "question", "something", "assist", "assistance", "problem", "issue", "support"]
)
"""A message made only of social words and one of these ("I need help", "can you help me?", "I have
a question") asks for help without saying with what: the customer is asked, not queued."""
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
        "assist",
        "assistance",
        "problem",
        "issue",
        "support",
        "got",
        "having",
        "hoping",
        "wondering",
        "if",
        "am",
        "i'm",
        "would",
        "like",
        "want",
        "to",
        "ask",
    ]
)
"""Words a hello or a thank-you is made of. A message with any other word ("thanks, but my parcel
never came") carries a request and goes on to the responders that can answer it."""
WORD = re.compile(r"[a-z']+")


class SmallTalkResponder:
    name = "smalltalk"
    version = "smalltalk-1"

    def __init__(
        self,
        replies: dict[str, str] | None = None,
        *,
        min_confidence: float = MIN_CONFIDENCE,
        opener: str | None = OPENER_TEXT,
    ) -> None:
        self.replies = dict(REPLIES if replies is None else replies)
        self.opener = opener
        self.min_confidence = min_confidence

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        words = WORD.findall(message.text.lower())
        social = bool(words) and all(word in SOCIAL_WORDS for word in words) and not triage.wants_human
        if social and ASKING_WORDS.intersection(words) and self.opener:
            return ResponderReply(
                text=self.opener,
                responder=self.name,
                resolved=False,
                confidence=1.0,
                reasons=("asks for help without saying with what",),
                version=self.version,
            )
        text = self.replies.get(triage.intent or "")
        if text is None or not triage.in_scope or triage.confidence < self.min_confidence or not social:
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
