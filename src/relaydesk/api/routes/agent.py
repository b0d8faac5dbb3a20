"""Agent side: the queue, claim, reply, hand back to the AI, resolve, and the decision log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import Field

from relaydesk.api.deps import CurrentAgent, DeskDep
from relaydesk.api.routes.desk import DeskServiceDep
from relaydesk.api.schemas import (
    AgentOut,
    AgentStatusIn,
    AgentTextIn,
    CaseSearchIn,
    ConversationDetailOut,
    ConversationOut,
    DecisionOut,
    HandoffBriefOut,
    MessageOut,
    NoteIn,
    QueueItemOut,
    SimilarCaseOut,
)
from relaydesk.services.desk import QueueItem
from relaydesk.services.message_pages import MAX_PAGE, agent_transcript_page

router = APIRouter(prefix="/v1/agent", tags=["agent"])
ConversationIdPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/me", response_model=AgentOut)
def me(agent: CurrentAgent) -> AgentOut:
    return AgentOut.of(agent)


@router.put("/me/status", response_model=AgentOut)
def set_status(body: AgentStatusIn, agent: CurrentAgent, desk: DeskDep) -> AgentOut:
    """Go online (take new conversations), away, or offline. Coming online may assign waiting
    conversations at once (routing rules with ``auto_assign``)."""
    return AgentOut.of(desk.set_status(agent, body.status))


class QueueEntryOut(QueueItemOut):
    """A waiting conversation as the console's queue lists it, marked for the agent who asked."""

    fits_you: bool = Field(
        description="The routing rules would give it to you (Take next may); false: see not_for_you"
    )
    not_for_you: str | None = Field(
        None,
        description='Why it does not fit you, in words ("German — not your language"); you may claim it',
    )

    @classmethod
    def of_entry(cls, item: QueueItem) -> QueueEntryOut:
        return cls.model_validate(
            {
                **QueueItemOut.of_item(item).model_dump(),
                "fits_you": item.fits_you,
                "not_for_you": item.not_for_you,
            }
        )


@router.get("/queue", response_model=list[QueueEntryOut])
def queue(agent: CurrentAgent, console: DeskServiceDep) -> list[QueueEntryOut]:
    """Every queued conversation, most urgent first, with the customer's name, their first request
    (masked), how long they have waited, and whether it fits you (``fits_you``, ``not_for_you``):
    you see the whole queue, and Take next gives you only what fits."""
    return [QueueEntryOut.of_entry(item) for item in console.queue_items(agent)]


@router.get("/conversations", response_model=list[QueueItemOut])
def my_conversations(agent: CurrentAgent, console: DeskServiceDep) -> list[QueueItemOut]:
    """The conversations you own, with the customer's name and first request."""
    return _listed(console.my_items(agent))


def _listed(items: list[QueueItem]) -> list[QueueItemOut]:
    """The items as the console lists them; a customer without a name is named by the id the
    site knows them by, when it gave one (read with the names, in the same query)."""
    return [QueueItemOut.of_item(item) for item in items]


class ConversationPageOut(ConversationDetailOut):
    """The conversation and one page of its messages, oldest first."""

    has_earlier: bool = Field(
        description="Earlier messages exist: ask again with ?before= this page's first seq"
    )
    has_later: bool = Field(description="Later messages exist: ask again with ?after= this page's last seq")


MAX_SEQ = 2**63 - 2


@router.get("/conversations/{conversation_id}", response_model=ConversationPageOut)
def conversation_detail(
    conversation_id: ConversationIdPath,
    agent: CurrentAgent,
    console: DeskServiceDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_SEQ, description="Messages before this seq")] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ, description="Messages after this seq")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200,
) -> ConversationPageOut:
    """The conversation and its latest ``limit`` messages (oldest first); page back with
    ``?before=<seq of the first>`` while ``has_earlier``, or forward with ``?after=<seq>``."""
    conversation, page = agent_transcript_page(
        console, agent, conversation_id, before=before, after=after, limit=limit
    )
    return ConversationPageOut(
        conversation=ConversationOut.of(conversation),
        messages=[MessageOut.of(m) for m in page.messages],
        has_earlier=page.has_earlier,
        has_later=page.has_later,
    )


@router.post("/next", response_model=ConversationOut)
def take_next(agent: CurrentAgent, console: DeskServiceDep) -> ConversationOut:
    """Take the queued conversation the routing rules rank first for you (409 when you are at
    capacity). Like a claim, taking one while away or offline puts you online. 404 when none fits,
    saying why in ``detail`` ("2 conversations are waiting, none in a language you speak
    (German)"), with ``reason`` (``queue_empty`` or ``none_fits``) and ``waiting``."""
    return ConversationOut.of(console.take_next(agent))


@router.post("/conversations/{conversation_id}/claim", response_model=ConversationOut)
def claim(conversation_id: ConversationIdPath, agent: CurrentAgent, desk: DeskDep) -> ConversationOut:
    return ConversationOut.of(desk.claim(agent, conversation_id))


@router.post(
    "/conversations/{conversation_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessageOut,
)
def reply(
    conversation_id: ConversationIdPath, body: AgentTextIn, agent: CurrentAgent, desk: DeskDep
) -> MessageOut:
    return MessageOut.of(desk.agent_reply(agent, conversation_id, body.text))


@router.post("/conversations/{conversation_id}/handback", response_model=ConversationOut)
def hand_back(
    conversation_id: ConversationIdPath, agent: CurrentAgent, desk: DeskDep, body: NoteIn | None = None
) -> ConversationOut:
    return ConversationOut.of(desk.hand_back(agent, conversation_id, body.note if body else None))


@router.post("/conversations/{conversation_id}/resolve", response_model=ConversationOut)
def resolve(
    conversation_id: ConversationIdPath, agent: CurrentAgent, desk: DeskDep, body: NoteIn | None = None
) -> ConversationOut:
    return ConversationOut.of(desk.resolve(agent, conversation_id, body.note if body else None))


@router.get("/conversations/{conversation_id}/decisions", response_model=list[DecisionOut])
def decisions(conversation_id: ConversationIdPath, agent: CurrentAgent, desk: DeskDep) -> list[DecisionOut]:
    return [DecisionOut.of(d) for d in desk.decisions(agent, conversation_id)]


@router.get("/conversations/{conversation_id}/brief", response_model=HandoffBriefOut)
def brief(conversation_id: ConversationIdPath, agent: CurrentAgent, desk: DeskDep) -> HandoffBriefOut:
    """The handoff brief: summary, the customer and their earlier conversations, what they asked in
    their own words, order numbers and amounts, frustration, what the AI already said and from which
    articles, why it was escalated and routed, similar resolved cases, and a suggested first reply.
    Personal data is masked."""
    return HandoffBriefOut.of(desk.brief(agent, conversation_id))


@router.get("/conversations/{conversation_id}/similar", response_model=list[SimilarCaseOut])
def similar_cases(
    conversation_id: ConversationIdPath,
    agent: CurrentAgent,
    desk: DeskDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[SimilarCaseOut]:
    """Resolved conversations like this one, most similar first, with how each was resolved.
    Personal data in them is masked."""
    return [SimilarCaseOut.of(c) for c in desk.similar_cases(agent, conversation_id, limit=limit)]


@router.post("/cases/search", response_model=list[SimilarCaseOut])
def search_cases(body: CaseSearchIn, agent: CurrentAgent, desk: DeskDep) -> list[SimilarCaseOut]:
    """Resolved conversations of the agent's workspace about a free-text description."""
    return [SimilarCaseOut.of(c) for c in desk.search_cases(agent, body.text, limit=body.limit)]
