"""Follow-ups: a message to send the customer later ("Has your parcel arrived?"), scheduled by an
agent, a flow or a specialist, and sent exactly once by whichever worker's timer finds it due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class FollowUpStatus(StrEnum):
    SCHEDULED = "scheduled"
    """Waiting for its time; it can still be cancelled."""
    SENT = "sent"
    """Stored in the conversation as a message (``message_id``)."""
    CANCELLED = "cancelled"
    """Will never be sent: an agent cancelled it, or it no longer made sense when it came due."""


class FollowUpAuthor(StrEnum):
    """Who scheduled it (``created_by``); ``author_id`` names the agent, flow or specialist."""

    AGENT = "agent"
    """A person: the message goes out in their name."""
    FLOW = "flow"
    """A flow (its name in ``author_id``): the message goes out as the AI's."""
    SPECIALIST = "specialist"
    """A specialist (its name in ``author_id``): the message goes out as the AI's."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: str
    workspace_id: str
    conversation_id: str
    due_at: datetime
    text: str
    created_by: FollowUpAuthor
    author_id: str | None
    status: FollowUpStatus
    created_at: datetime
    sent_at: datetime | None = None
    """When it was sent (None while scheduled, and when cancelled)."""
    message_id: str | None = None


class FollowUpRecords(Protocol):
    """Where follow-ups are kept. Every write joins the use case's open transaction."""

    def add_follow_up(self, follow_up: FollowUp) -> None: ...

    def follow_up(self, follow_up_id: str) -> FollowUp | None: ...

    def follow_ups_of(self, conversation_id: str) -> list[FollowUp]:
        """All of a conversation's follow-ups, soonest due first."""
        ...

    def scheduled_count(self, conversation_id: str) -> int: ...

    def due_ids(self, now: datetime, limit: int) -> list[str]:
        """Scheduled follow-ups due at ``now``, the longest overdue first."""
        ...

    def lock_scheduled(self, follow_up_id: str) -> FollowUp | None:
        """The follow-up, held until the transaction ends, while it is still scheduled; None when
        it is not (any more), or another worker holds it now (PostgreSQL skips a locked row)."""
        ...

    def settle(self, follow_up_id: str, status: FollowUpStatus, at: datetime) -> bool:
        """Compare-and-set: ``scheduled`` becomes ``status`` (``sent`` at ``at``); False when it
        was no longer scheduled."""
        ...

    def set_message(self, follow_up_id: str, message_id: str) -> None: ...


class FollowUpScheduler(Protocol):
    """What the turn needs to schedule a follow-up a flow or specialist asked for
    (``services.follow_ups.FollowUpService``)."""

    def schedule(
        self, conversation_id: str, text: object, *, due_in_s: object = None, flow: str | None = None
    ) -> FollowUp: ...
