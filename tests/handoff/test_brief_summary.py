"""The brief's summary is the sentence the agent reads: the language by name, what the customer
asked about in words, why a person was brought in and how frustrated the customer was, without
scores, thresholds or rule ids, and nothing said twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.models import (
    Channel,
    Conversation,
    ConversationId,
    ConversationStatus,
    Customer,
    CustomerId,
    CustomerTier,
    Decision,
    Message,
    MessageId,
    MessageRole,
    WorkspaceId,
)
from relaydesk.handoff.brief import HandoffBrief, build_brief

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
WORKSPACE = WorkspaceId("ws")
CONVERSATION = ConversationId("c1")
SCORE = re.compile(r"\d\.\d")

# What the desk records when a frustrated customer asks for a person (for the decision log).
FRUSTRATED_AND_ASKED = (
    "The customer asked for a person, which is always honored at once. Also: frustration 0.86 is at "
    "or above 0.75 (rule frustrated_customer); the customer's words: harsh words (frustration 0.86) "
    "(rule harsh_words); frustration 0.86 is at or above 0.30 (rule mildly_frustrated)."
)
BILLING_DISPUTE = "the customer disputes a charge (rule billing_dispute)"


def _triage(n: int, intent: str, frustration: float) -> Decision:
    reading: dict[str, Any] = {
        "intent": intent,
        "confidence": 0.92,
        "in_scope": True,
        "frustration": frustration,
        "urgency": 0.4,
        "language": "es",
        "wants_human": intent == "human_handoff",
        "reasons": ["harsh words"] if frustration >= 0.5 else [],
    }
    return Decision(
        id=f"d{n}",
        workspace_id=WORKSPACE,
        conversation_id=CONVERSATION,
        message_id=MessageId(f"m{n}"),
        kind=DecisionKind.TRIAGE,
        outcome=intent,
        summary=f"triage read {intent}",
        inputs={},
        reasons=[reading],
        version="test",
        latency_ms=1.0,
        created_at=NOW,
    )


def _brief(escalation_reason: str) -> HandoffBrief:
    conversation = Conversation(
        id=CONVERSATION,
        workspace_id=WORKSPACE,
        customer_id=CustomerId("ana"),
        channel=Channel.WEB,
        status=ConversationStatus.QUEUED,
        subject=None,
        language="es",
        assigned_agent_id=None,
        priority=1,
        required_skills=(),
        escalation_reason=escalation_reason,
        ai_turns=1,
        created_at=NOW,
        updated_at=NOW,
    )
    customer = Customer(
        id=CustomerId("ana"),
        workspace_id=WORKSPACE,
        external_id=None,
        name="Ana López",
        email=None,
        tier=CustomerTier.STANDARD,
        language="es",
        attributes={},
        created_at=NOW,
    )
    texts = [
        "Me cobraron dos veces este mes, ¿por qué?",
        "¡Esto es ridículo! Quiero hablar con una persona YA",
    ]
    messages = [
        Message(MessageId(f"m{n}"), CONVERSATION, MessageRole.CUSTOMER, text, Channel.WEB, NOW)
        for n, text in enumerate(texts, 1)
    ]
    decisions = [_triage(1, "billing_question", 0.35), _triage(2, "human_handoff", 0.86)]
    return build_brief(conversation, customer, messages, decisions)


def test_a_frustrated_spanish_speaker_with_a_billing_question_reads_in_words() -> None:
    brief = _brief(FRUSTRATED_AND_ASKED)
    summary = brief.summary
    assert summary.startswith("Ana López (standard, writes in Spanish) asked about a charge: "), summary
    assert "Escalated because the customer is very frustrated and asked for a person." in summary
    assert not SCORE.search(summary), summary  # no scores
    for internal in ("writes in es", "billing_question", "billing question", "(rule ", "at or above"):
        assert internal not in summary, internal
    assert "frustrated" in summary and summary.count("frustrated") == 1  # said once
    # the structured fields API consumers read are unchanged
    assert brief.customer["language"] == "es" and brief.topics == ("billing_question",)
    assert brief.frustration["peak"] == 0.86 and brief.escalation_reason == FRUSTRATED_AND_ASKED


def test_the_peak_frustration_is_said_in_words_when_the_reason_does_not_say_it() -> None:
    summary = _brief(BILLING_DISPUTE).summary
    assert "Escalated because the customer disputes a charge. At the worst, they were very frustrated." in (
        summary
    )
    assert not SCORE.search(summary), summary
