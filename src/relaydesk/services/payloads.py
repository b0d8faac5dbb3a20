"""Plain-data views of domain objects for events (what WebSocket subscribers receive)."""

from __future__ import annotations

from typing import Any

from relaydesk.domain.models import Conversation, Message


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "role": str(message.role),
        "text": message.text,
        "channel": str(message.channel),
        "author_id": message.author_id,
        "reply_to_id": message.reply_to_id,
        "created_at": message.created_at.isoformat(),
        "metadata": message.metadata,
    }


def conversation_payload(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "status": str(conversation.status),
        "assigned_agent_id": conversation.assigned_agent_id,
        "priority": conversation.priority,
        "required_skills": list(conversation.required_skills),
        "escalation_reason": conversation.escalation_reason,
    }
