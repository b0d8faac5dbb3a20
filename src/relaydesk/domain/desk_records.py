"""Records of the people's side of the desk, and the ports that keep them: customers' ratings and
the widget's page context (``storage/csat_store.py``), agents' notes, canned replies, feedback on
the co-pilot and the facts a queue lists (``storage/desk_store.py``). The services use them
(``services/csat.py``, ``services/desk.py``); storage implements the ports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from relaydesk.domain.errors import Conflict
from relaydesk.domain.models import Message


@dataclass(frozen=True, slots=True)
class CsatRating:
    """A customer's rating of one conversation; there is at most one per conversation."""

    conversation_id: str
    workspace_id: str
    score: int
    """1 (very poor) to 5 (excellent)."""
    comment: str | None
    created_at: datetime


class CsatRecords(Protocol):
    """Where ratings and page contexts are kept (``storage/csat_store.py``)."""

    def add_rating(self, rating: CsatRating) -> None:
        """Store ``rating``; raise ``AlreadyRated`` when the conversation has one."""

    def rating(self, conversation_id: str) -> CsatRating | None: ...

    def set_page_context(self, conversation_id: str, context: dict[str, Any]) -> None: ...

    def page_context(self, conversation_id: str) -> dict[str, Any] | None: ...


class AlreadyRated(Conflict):
    """The conversation has its rating; a rating is given once."""

    def __init__(self, conversation_id: str, score: int) -> None:
        super().__init__(
            f'Conversation "{conversation_id}" was already rated ({score} of 5); '
            "a conversation is rated once",
            conversation_id=conversation_id,
            score=score,
        )


@dataclass(frozen=True, slots=True)
class AgentNote:
    """An internal note: agents see it, the customer never does."""

    id: str
    conversation_id: str
    agent_id: str
    agent_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CannedReply:
    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class CoPilotFeedback:
    """An agent's rating of something the AI proposed, with the versions that produced it."""

    id: str
    workspace_id: str
    conversation_id: str
    agent_id: str
    target: str
    target_ref: str | None
    rating: str
    note: str | None
    model_version: str | None
    policy_version: str | None
    flow_version: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QueueFacts:
    customer_name: str | None
    first_request: str | None
    customer_external_id: str | None = None
    """The id the company's site knows the customer by (None for an anonymous visitor)."""


@dataclass(frozen=True, slots=True)
class MessagePage:
    """A run of a conversation's messages, oldest first, and whether more lie on either side."""

    messages: list[Message]
    has_earlier: bool
    """Messages before the first one here: ask again with ``before`` = its ``seq``."""
    has_later: bool
    """Messages after the last one here: ask again with ``after`` = its ``seq``."""


class DeskRecords(Protocol):
    def add_note(self, conversation_id: str, agent_id: str, text: str) -> AgentNote: ...
    def notes(self, conversation_id: str) -> list[AgentNote]: ...
    def add_canned_reply(self, workspace_id: str, title: str, text: str) -> CannedReply: ...
    def canned_replies(self, workspace_id: str) -> list[CannedReply]: ...
    def add_feedback(self, feedback: CoPilotFeedback) -> None: ...
    def feedback(self, conversation_id: str) -> list[CoPilotFeedback]: ...
    def queue_facts(self, conversation_ids: Sequence[str]) -> dict[str, QueueFacts]: ...
    def message_page(
        self, conversation_id: str, *, before_seq: int | None, after_seq: int | None, limit: int
    ) -> MessagePage:
        """``limit`` messages after ``after_seq``, else the latest ones before ``before_seq`` (or
        the latest of all)."""
        ...
