"""The first, trivial triage: spots an explicit request for a human and nothing else."""

from __future__ import annotations

import re

from relaydesk.domain.signals import ConversationContext, TriageResult

EXPLICIT_HUMAN = re.compile(
    r"\b(human|real person|a person|live agent|an agent|your agent|representative|operator|"
    r"(speak|talk|chat) (to|with) (someone|somebody|a person|a human|an agent|staff|support staff))\b",
    re.IGNORECASE,
)


class KeywordTriage:
    """Flags explicit requests for a human; every other field is neutral."""

    version = "keyword-triage-1"

    def analyze(self, text: str, context: ConversationContext) -> TriageResult:
        wants_human = bool(EXPLICIT_HUMAN.search(text or ""))
        return TriageResult(
            intent="human_handoff" if wants_human else None,
            confidence=1.0 if wants_human else 0.0,
            in_scope=True,
            frustration=0.0,
            urgency=0.0,
            language=None,
            wants_human=wants_human,
            reasons=("asked for a human",) if wants_human else (),
            version=self.version,
        )
