"""The first escalation policy: an explicit request for a human, or too many AI turns."""

from __future__ import annotations

from relaydesk.domain.models import Message
from relaydesk.domain.signals import ConversationContext, EscalationDecision, FiredRule, TriageResult


class ExplicitOrTurnsPolicy:
    """Escalates when the customer asks for a person (always, at once) or after N AI turns."""

    def __init__(self, max_ai_turns: int = 6) -> None:
        if max_ai_turns < 1:
            raise ValueError(f"max_ai_turns must be at least 1, got {max_ai_turns}")
        self.max_ai_turns = max_ai_turns
        self.version = f"explicit-or-turns-1(max_ai_turns={max_ai_turns})"

    def evaluate(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> EscalationDecision:
        if triage.wants_human:
            rule = FiredRule(
                "explicit_request",
                "explicit",
                "the customer asked for a person",
                {"text": message.text[:200]},
            )
            return EscalationDecision(
                True, "The customer asked for a person.", (rule,), priority=1, version=self.version
            )
        turns = context.conversation.ai_turns
        if turns >= self.max_ai_turns:
            rule = FiredRule(
                "ai_turns",
                "time_turns",
                f"unresolved after {turns} AI turns",
                {"ai_turns": turns, "max_ai_turns": self.max_ai_turns},
            )
            return EscalationDecision(
                True, f"Still unresolved after {turns} AI replies.", (rule,), version=self.version
            )
        return EscalationDecision(False, "No trigger fired.", version=self.version)
