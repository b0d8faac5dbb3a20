"""An agent reads a conversation's transcript a page at a time, however long it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relaydesk.domain.desk_records import MessagePage
from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import Agent, Conversation

if TYPE_CHECKING:
    from relaydesk.services.desk import DeskService

MAX_PAGE = 1000


def agent_transcript_page(
    console: DeskService,
    agent: Agent,
    conversation_id: str,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = 200,
) -> tuple[Conversation, MessagePage]:
    """The conversation (of the agent's workspace) and ``limit`` of its messages: after position
    ``after``, else the latest ones before position ``before``, else the latest of all."""
    if before is not None and after is not None:
        raise InvalidInput(f"Pass before ({before}) or after ({after}), not both")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit {limit} must be between 1 and {MAX_PAGE}")
    conversation = console.desk.conversation_for_agent(agent, conversation_id)
    page = console.records.message_page(conversation.id, before_seq=before, after_seq=after, limit=limit)
    return conversation, page
