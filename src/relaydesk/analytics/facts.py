"""What the KPIs are computed from: the stored facts of one conversation, and the port that reads them.

The cohort of a period is every conversation of the workspace **started** in ``[since, until)``
(its ``created_at``) that holds at least one customer message: a chat opened and never written in
is no contact. Every figure of the period is computed over that one cohort, so the figures of one
period add up (containment + escalation rate = 100%).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, Protocol

from relaydesk.domain.capability_types import FiredRule


class HandoverKind(StrEnum):
    """How a person was brought into a conversation."""

    ESCALATION = "escalation"
    """An ``escalation`` decision with the outcome ``escalate`` (its fired rules are the reasons)."""
    RECOVERY = "recovery"
    """A ``recovery`` decision: a message the AI kept failing to handle went to a person."""
    CLAIM = "claim"
    """An ``assignment`` decision with no escalation before it: an agent took the conversation
    from the AI on their own judgment."""
    TRANSFER = "transfer"
    """A ``route`` decision ``transferred_to_agent`` or ``transferred_to_queue``: a person passed it
    on (never a first handover; counted for handoff friction)."""


class Handover(NamedTuple):
    """One moment a person was brought in (the decision's time)."""

    at: datetime
    kind: HandoverKind
    rules: tuple[FiredRule, ...] = ()


class OwnershipChange(StrEnum):
    """A decision that starts or ends a person's ownership of a conversation."""

    ASSIGNED = "assigned"
    """An ``assignment`` decision: an agent owns it from now (a second one is a transfer)."""
    HANDED_BACK = "handed_back"
    """A ``handback`` decision: the agent gave it back to the AI."""
    RESOLVED = "resolved"
    """A ``resolution`` decision: closed."""


class OwnershipEvent(NamedTuple):
    at: datetime
    change: OwnershipChange


class ConversationFacts(NamedTuple):
    """One conversation of the cohort, as the KPIs read it. Tuples, not dataclasses: a large period
    has a hundred thousand of them, and a tuple is built several times faster."""

    id: str
    customer_id: str
    channel: str
    status: str
    created_at: datetime
    resolved_at: datetime | None
    first_customer_message_at: datetime
    first_ai_message_at: datetime | None
    """The AI's first message (role ``ai``); system notices are not the AI speaking."""
    handovers: tuple[Handover, ...] = ()
    """Oldest first."""
    ownership: tuple[OwnershipEvent, ...] = ()
    """Assignment, hand-back and resolution decisions, oldest first."""
    csat: int | None = None
    """The customer's rating (1 to 5), if they gave one."""
    next_contact_at: datetime | None = None
    """When the same customer next started a conversation (with a message) in the workspace."""
    next_same_topic_at: datetime | None = None
    """The same, counting only conversations on the same topic (or where either topic is unknown)."""
    topic: str | None = None
    """``conversations.topic``: the first confident request intent."""
    resolution: str | None = None
    """``conversations.resolution``: how it closed (``ai_confirmed``, ``ai_quiet``, ``agent``,
    ``abandoned``), None while open."""
    ai_messages: int = 0
    """Messages the AI wrote (role ``ai``)."""
    reopens: int = 0
    """``reopen`` decisions."""
    repeats: int = 0
    """``repeat`` decisions: customer messages that said again after a handover what they said before."""
    follow_ups: int = 0
    """Follow-ups scheduled (``follow_up`` decisions with the outcome ``scheduled``)."""
    feedback: tuple[tuple[str, str], ...] = ()
    """Agents' feedback on what the AI proposed here: (target, rating) pairs."""


class ReportSource(Protocol):
    """Reads the stored facts the KPIs need (``storage/report_queries.py``)."""

    def conversation_facts(
        self, workspace_id: str, since: datetime, until: datetime
    ) -> list[ConversationFacts]: ...
