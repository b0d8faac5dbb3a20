"""The one serialiser of conversations and messages: the API's responses (``api/schemas.py``
validates these) and the events WebSocket subscribers receive carry the same fields, the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from relaydesk.domain.capability_types import TriageResult
from relaydesk.domain.models import Conversation, Message


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "role": str(message.role),
        "text": message.text,
        "channel": str(message.channel),
        "author_id": message.author_id,
        "reply_to_id": message.reply_to_id,
        "created_at": _time(message.created_at),
        "metadata": message.metadata,
    }


def conversation_payload(conversation: Conversation) -> dict[str, Any]:
    c = conversation
    return {
        "id": c.id,
        "workspace_id": c.workspace_id,
        "customer_id": c.customer_id,
        "channel": str(c.channel),
        "status": str(c.status),
        "subject": c.subject,
        "language": c.language,
        "assigned_agent_id": c.assigned_agent_id,
        "priority": c.priority,
        "required_skills": list(c.required_skills),
        "preferred_skills": list(c.preferred_skills),
        "escalation_reason": c.escalation_reason,
        "ai_turns": c.ai_turns,
        "created_at": _time(c.created_at),
        "updated_at": _time(c.updated_at),
        "queued_at": _time(c.queued_at),
        "assigned_at": _time(c.assigned_at),
        "resolved_at": _time(c.resolved_at),
        "due_at": _time(c.due_at),
        "resolution": str(c.resolution) if c.resolution else None,
        "topic": c.topic,
    }


def triage_summary(triage: TriageResult) -> str:
    """The decision log's one-line summary of what triage read."""
    parts = [f"intent {triage.intent or 'unknown'} ({triage.confidence:.0%})"]
    if not triage.in_scope:
        parts.append("out of scope")
    if triage.wants_human:
        parts.append("asked for a person")
    if triage.frustration >= 0.5:
        parts.append(f"frustration {triage.frustration:.2f}")
    if triage.urgency >= 0.5:
        parts.append(f"urgency {triage.urgency:.2f}")
    if triage.language:
        parts.append(f"language {triage.language}")
    return "Triage read " + ", ".join(parts) + "."
