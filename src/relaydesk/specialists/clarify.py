"""After the help center had nothing: a vague problem gets one clarifying question, and a question
outside the business is declined politely, instead of either being queued for a person.

It runs after the knowledge responder abstained and before the fallback. "I have a problem with my
thing" or "it's broken" says too little to answer or to route: the customer is asked what it is
about (once; a second vague message goes on to the fallback and the policy). "Say something rude
about your customers" is not about the shop at all (dialogue/topics.py): it is declined, saying
what the AI can do. Either reply carries its ``act``, so the policy does not treat the knowledge
gap behind it as a reason to bring in a person.
"""

from __future__ import annotations

import re

from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.feedback import HARSH, NOT_HELPED
from relaydesk.dialogue.language import reply_language
from relaydesk.dialogue.topics import DEFAULT_READER, TopicReader
from relaydesk.domain.capability_types import ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.models import Message, MessageRole

VAGUE = re.compile(
    r"\b(problem|issue|trouble|broken|broke|not working|doesn'?t work|does not work|isn'?t working|"
    r"something'?s (wrong|not right|off)|something (is )?(wrong|not right)|went wrong|not right|help|"
    r"my thing|it'?s broken|its broken|"
    r"problema|kaputt|probl[eè]me|cass[ée]|funktioniert nicht|não funciona|nao funciona|no funciona)\b",
    re.IGNORECASE,
)
MAX_VAGUE_WORDS = 9
MAX_FOLLOW_UP_WORDS = 15
WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


class ClarifyResponder:
    name = "clarify"
    version = "clarify-1"

    def __init__(self, topics: TopicReader | None = None) -> None:
        self.topics = topics or DEFAULT_READER

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        text = message.text
        language = reply_language(context, triage, text)
        words = WORD.findall(text)
        if (
            not triage.wants_human
            and len(words) <= MAX_VAGUE_WORDS
            and VAGUE.search(text)
            and not triage.entities
            and not _asked_before(context)
        ):
            return self._reply(
                say("clarify", language), "clarify", "a problem named without what it is about"
            )
        gloss = str(triage.extra.get("gloss") or "")
        if (
            not triage.wants_human
            and not set(triage.reasons) & {NOT_HELPED, HARSH}  # about the help they are getting
            and self.topics.off_topic(text, triage)
            and not (gloss and self.topics.about_the_business(gloss))
            and not _follows_an_answer(text, context)
        ):
            return self._reply(say("off_topic", language), "off_topic", "nothing in it is about the shop")
        return ResponderReply(
            text=None, responder=self.name, abstain_reason="nothing to clarify", version=self.version
        )

    def _reply(self, text: str, act: str, reason: str) -> ResponderReply:
        return ResponderReply(
            text=text, responder=self.name, confidence=1.0, reasons=(reason,), version=self.version, act=act
        )


def _asked_before(context: ConversationContext) -> bool:
    return any(
        m.role == MessageRole.AI and (m.metadata or {}).get("act") == "clarify" for m in context.history
    )


def _follows_an_answer(text: str, context: ConversationContext) -> bool:
    """A short message pointing back at the AI's last answer ("and what does it cover?") is about
    that answer, not off-topic."""
    last = context.history[-1] if context.history else None
    return bool(
        last is not None
        and last.role == MessageRole.AI
        and len(WORD.findall(text)) <= MAX_FOLLOW_UP_WORDS
        and re.search(r"\b(it|that|this|they|them|those|these)\b", text, re.IGNORECASE)
    )
