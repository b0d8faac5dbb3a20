"""Events published when something happens to a conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from relaydesk.domain.models import utcnow


class EventType(StrEnum):
    MESSAGE_CREATED = "message.created"
    """A message (any role) was stored."""
    CONVERSATION_STARTED = "conversation.started"
    """A customer started a conversation."""
    CONVERSATION_QUEUED = "conversation.queued"
    """Escalated: now waiting for an agent."""
    CONVERSATION_ASSIGNED = "conversation.assigned"
    """An agent took the conversation."""
    CONVERSATION_HANDED_BACK = "conversation.handed_back"
    """An agent gave the conversation back to the AI."""
    CONVERSATION_STATUS = "conversation.status"
    """The status changed for another reason (e.g. waiting on customer)."""
    CONVERSATION_RESOLVED = "conversation.resolved"
    """The conversation was closed."""
    AGENT_TYPING = "agent.typing"
    """The agent who owns the conversation is writing a reply: shown to the customer for a few
    seconds; not stored, and sent only to the sockets of the worker that received it."""
    APPROVAL_ASSIGNED = "approval.assigned"
    """An approval task was offered to an agent with the authority (``data.agent_id``); only that
    agent's stream gets it."""


@dataclass(frozen=True, slots=True)
class ConversationEvent:
    type: EventType
    workspace_id: str
    conversation_id: str
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=utcnow)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": str(self.type),
            "workspace_id": self.workspace_id,
            "conversation_id": self.conversation_id,
            "data": self.data,
            "at": self.at.isoformat(),
        }
