"""The reply of last resort: says honestly that the AI cannot answer and offers a person."""

from __future__ import annotations

from relaydesk.domain.capability_types import ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.models import Message

FALLBACK_TEXT = (
    "I'm not able to answer that one myself yet. Could you tell me a little more, "
    'or say "talk to a person" and I will bring in someone from the team?'
)


class FallbackResponder:
    name = "fallback"
    version = "fallback-1"

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        return ResponderReply(
            text=FALLBACK_TEXT,
            responder=self.name,
            resolved=False,
            confidence=0.0,
            reasons=("no responder could answer",),
            version=self.version,
        )
