"""Building messages, triage results and conversations for escalation tests (plain domain objects)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from relaydesk.domain.capability_types import ConversationContext, Entity, TriageResult
from relaydesk.domain.ids import ConversationId, CustomerId, MessageId, WorkspaceId
from relaydesk.domain.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Message,
    MessageRole,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def msg(text: str, role: MessageRole = MessageRole.CUSTOMER, minutes: float = 0, **metadata: Any) -> Message:
    return Message(
        MessageId(f"m{abs(hash((text, role, minutes)))}"),
        ConversationId("c1"),
        role,
        text,
        Channel.WEB,
        T0 + timedelta(minutes=minutes),
        metadata=dict(metadata),
    )


def ai(text: str = "Here is what I found.", minutes: float = 0, **metadata: Any) -> Message:
    return msg(text, MessageRole.AI, minutes, **{"responder": "knowledge", **metadata})


def triage(**changes: Any) -> TriageResult:
    base = TriageResult(
        intent="order_status", confidence=0.9, in_scope=True, frustration=0.0, urgency=0.0, language="en"
    )
    return replace(base, **changes)


def amount(value: float) -> Entity:
    return Entity("amount", f"${value}", 0, 5, value)


def context(
    history: list[Message] | None = None,
    *,
    tier: CustomerTier = CustomerTier.STANDARD,
    ai_turns: int = 0,
    now_minutes: float = 1,
) -> ConversationContext:
    conversation = Conversation(
        ConversationId("c1"),
        WorkspaceId("w1"),
        CustomerId("u1"),
        Channel.WEB,
        ConversationStatus.WITH_AI,
        None,
        "en",
        None,
        0,
        (),
        None,
        ai_turns,
        T0,
        T0,
    )
    customer = Customer(CustomerId("u1"), WorkspaceId("w1"), None, "Ann", None, tier, "en", {}, T0)
    now = (T0 + timedelta(minutes=now_minutes)).timestamp()
    return ConversationContext(conversation, customer, tuple(history or ()), now_ts=now)
