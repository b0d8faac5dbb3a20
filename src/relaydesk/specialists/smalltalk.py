"""Replies to a hello or a thank-you that carries no request, so that knowledge is not searched for one.

Without it a greeting reached the knowledge responder, which found no article about "hi" and
abstained with ``missing knowledge``: the orchestrator then queued the customer for a person before
they had asked anything. It answers only when triage is confident the message is a greeting or
thanks and every word of it is social.
"""

from __future__ import annotations

import re

from relaydesk.domain.capability_types import ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.models import Message, MessageRole

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
MIN_CONFIDENCE = 0.6
ASKING_WORDS = frozenset(
    ["help", "question", "something", "assist", "assistance", "problem", "issue", "support"]
)
"""A message made only of social words and one of these ("I need help", "can you help me?", "I have
a question") asks for help without saying with what: the customer is asked, not queued."""
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
        "support",
        "assistance",
    ]
)
"""Words a hello or a thank-you is made of. A message with any other word ("thanks, but my parcel
never came") carries a request and goes on to the responders that can answer it."""
OPENER_WORDS = (
    SOCIAL_WORDS
    | ASKING_WORDS
    | frozenset(
        [
            "got",
            "having",
            "hoping",
            "wondering",
            "if",
            "am",
            "i'm",
            "would",
            "i'd",
            "like",
            "want",
            "to",
            "ask",
        ]
    )
)
"""What an opener may be made of: social words, an ask for help, and the words around it."""
REFERRING = frozenset(["that", "that's", "this", "it"])
"""Words that point back at something already said ("can you help me with that?", "that's a
problem"): such a message is neither a hello nor an opener."""
THANKING = frozenset(["thanks", "thank", "cheers", "ty", "thx", "appreciate", "appreciated"])
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
        words = WORD.findall(message.text.lower().replace("\u2019", "'"))
        if words and self.opener and not triage.wants_human and _is_opener(words, triage, context):
            return ResponderReply(
                text=self.opener,
                responder=self.name,
                resolved=False,
                confidence=1.0,
                reasons=("asks for help without saying with what",),
                version=self.version,
            )
        text = self.replies.get(triage.intent or "")
        if (
            text is None
            or not words
            or not triage.in_scope
            or triage.wants_human
            or triage.confidence < self.min_confidence
            or any(word not in SOCIAL_WORDS for word in words)
            or (triage.intent == "greeting" and REFERRING.intersection(words))
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


def _is_opener(words: list[str], triage: TriageResult, context: ConversationContext) -> bool:
    """A first ask for help that says nothing of what it is about."""
    if (
        triage.intent == "thanks"
        or not ASKING_WORDS.intersection(words)
        or any(word not in OPENER_WORDS for word in words)
        or REFERRING.intersection(words)
        or THANKING.intersection(words)
    ):
        return False
    # Later in a conversation, "I need help" follows an answer that did not help: not a new start.
    return not any(m.role == MessageRole.CUSTOMER for m in context.history)
