"""The desk right now: the queue by priority with each conversation's service-level timer, and
every agent's status and load.

- **Wait**: seconds since the conversation was queued (``queued_at``), at ``now``.
- **Due in**: seconds until ``due_at`` (when a person should have taken it, by the routing rules'
  service level); negative once overdue. ``None`` when the rules set no due time.
- **Load**: open conversations an agent owns (assigned or waiting on the customer) / capacity.
- **Customer**: the name they gave (or the site's id for them), else the e-mail address they gave:
  on their record, else the first one they wrote in the chat (``email_in``). A supervisor may
  read the transcript, so the address is no more than they may see there (docs/security.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from relaydesk.domain.ports import AgentLoad

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def email_in(text: str | None) -> str | None:
    """The first e-mail address in ``text`` (a customer's message), or None."""
    found = EMAIL.search(text or "")
    return found.group(0) if found else None


@dataclass(frozen=True, slots=True)
class QueuedConversation:
    """A queued conversation as the queue query reads it."""

    id: str
    customer_name: str | None
    first_message: str | None
    priority: int
    escalation_reason: str | None
    queued_at: datetime | None
    due_at: datetime | None
    verified_user_id: str | None = None
    """The store account the AI verified the customer as (its name names an unnamed customer)."""
    customer_email: str | None = None
    """The e-mail address the customer gave (on their record, or written in the chat)."""


@dataclass(frozen=True, slots=True)
class QueueTimer:
    conversation: QueuedConversation
    wait_s: float | None
    due_in_s: float | None

    @property
    def overdue(self) -> bool:
        return self.due_in_s is not None and self.due_in_s < 0


@dataclass(frozen=True, slots=True)
class PriorityQueue:
    priority: int
    conversations: tuple[QueueTimer, ...]
    overdue: int


@dataclass(frozen=True, slots=True)
class AgentLoadNow:
    agent_id: str
    name: str
    status: str
    open_conversations: int
    capacity: int

    @property
    def load(self) -> float:
        return self.open_conversations / self.capacity if self.capacity else 1.0


@dataclass(frozen=True, slots=True)
class LiveDesk:
    now: datetime
    queues: tuple[PriorityQueue, ...]
    """Most urgent first."""
    agents: tuple[AgentLoadNow, ...]
    """Online first, then away, then offline; by name."""


STATUS_ORDER = {"online": 0, "away": 1, "offline": 2}


def live_desk(queued: list[QueuedConversation], loads: list[AgentLoad], now: datetime) -> LiveDesk:
    timers = [
        QueueTimer(
            q,
            (now - q.queued_at).total_seconds() if q.queued_at else None,
            (q.due_at - now).total_seconds() if q.due_at else None,
        )
        for q in queued
    ]
    queues = []
    for priority in sorted({t.conversation.priority for t in timers}, reverse=True):
        of_priority = sorted(
            (t for t in timers if t.conversation.priority == priority),
            key=lambda t: (t.due_in_s if t.due_in_s is not None else float("inf"), -(t.wait_s or 0.0)),
        )
        queues.append(PriorityQueue(priority, tuple(of_priority), sum(1 for t in of_priority if t.overdue)))
    agents = sorted(
        (
            AgentLoadNow(
                a.agent.id,
                a.agent.name,
                str(a.agent.status),
                a.open_conversations,
                a.agent.capacity,
            )
            for a in loads
        ),
        key=lambda a: (STATUS_ORDER.get(a.status, 3), a.name.lower()),
    )
    return LiveDesk(now, tuple(queues), tuple(agents))


@dataclass(frozen=True, slots=True)
class ConversationLine:
    """A conversation as the supervisor's picker lists it."""

    id: str
    customer_name: str | None
    first_message: str | None
    status: str
    channel: str
    assigned_agent_id: str | None
    created_at: datetime
    updated_at: datetime
    verified_user_id: str | None = None
    """The store account the AI verified the customer as (its name names an unnamed customer)."""
    customer_email: str | None = None
    """The e-mail address the customer gave (on their record, or written in the chat)."""
