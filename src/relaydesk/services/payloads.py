"""The one serialiser of conversations and messages: the API's responses (``api/schemas.py``
validates these) and the events WebSocket subscribers receive carry the same fields, the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from relaydesk.domain.capability_types import TriageResult
from relaydesk.domain.models import Conversation, ConversationStatus, Message


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


# -- what a customer sees -------------------------------------------------------------------------
# Customers see their messages and the conversation's public state (status, who has it, place in
# line), never the desk's internals: escalation reasons and rules, priority, skills, frustration
# and confidence scores, the topic triage read.
PUBLIC_CONVERSATION_KEYS = frozenset(
    {
        "id",
        "workspace_id",
        "customer_id",  # their own record
        "channel",
        "status",
        "subject",
        "language",
        "assigned_agent_id",
        "created_at",
        "updated_at",
        "resolved_at",
        "resolution",
        "position",  # place in line (queued events)
        "estimated_wait_s",
        "agent_name",  # who took it (assigned events)
    }
)
PUBLIC_METADATA_KEYS = frozenset(
    {
        "event",  # queued, assigned, resolved, ... (system messages)
        "position",
        "estimated_wait_s",
        "agent_id",
        "agent_name",
        "resolution",
        "status",  # an approval's outcome
        "escalation_offer",  # the widget offers yes / no buttons
        "asks",  # what the AI's question wants (confirm: yes / no buttons)
        "flow",  # which routine the AI is running (order status, returns, ...)
        "act",
        "citations",  # the help-center articles an answer quotes
        "redacted",  # how many card numbers were masked in the customer's message
        "follow_up",
    }
)


def place_in_line(store: Any, conversation: Conversation) -> int | None:
    """The conversation's place in line as its customer may see it: while it is queued, the
    current one (1: next); None otherwise."""
    if conversation.status != ConversationStatus.QUEUED:
        return None
    return int(store.queue_position(conversation))


def public_conversation(payload: dict[str, Any]) -> dict[str, Any]:
    """A conversation payload as its customer may see it."""
    return {k: v for k, v in payload.items() if k in PUBLIC_CONVERSATION_KEYS}


def public_message(payload: dict[str, Any]) -> dict[str, Any]:
    """A message payload as the conversation's customer may see it (public metadata only)."""
    metadata = payload.get("metadata") or {}
    return {**payload, "metadata": {k: v for k, v in metadata.items() if k in PUBLIC_METADATA_KEYS}}


def public_event_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event's data as the conversation's customer may see it."""
    if event_type == "message.created":
        return public_message(data)
    if event_type.startswith("conversation."):
        return public_conversation(data)
    if event_type == "agent.typing":
        return {k: v for k, v in data.items() if k in ("agent_id", "agent_name")}
    return {}
