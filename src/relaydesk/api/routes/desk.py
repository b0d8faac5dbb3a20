"""The agent console's additions: internal notes, canned replies, feedback on the co-pilot,
transfer and reopen. Every endpoint is for agents (their API key)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, Field, StrictStr

from relaydesk.api.deps import CurrentAgent, RuntimeDep
from relaydesk.api.schemas import AgentOut, ConversationOut, NoteIn, Strict
from relaydesk.services.desk import (
    AgentNote,
    CannedReply,
    CoPilotFeedback,
    DeskService,
    FeedbackRating,
    FeedbackTarget,
    desk_service_for,
)

router = APIRouter(prefix="/v1/agent", tags=["agent console"])
ConversationIdPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def get_desk_service(request: Request, runtime: RuntimeDep) -> DeskService:
    """The console's use cases, built once per app (the runtime does not hold them yet)."""
    service: DeskService | None = getattr(request.app.state, "desk_service", None)
    if service is None or service.desk is not runtime.desk:
        service = desk_service_for(runtime)
        request.app.state.desk_service = service
    return service


DeskServiceDep = Annotated[DeskService, Depends(get_desk_service)]


class NoteTextIn(Strict):
    text: StrictStr = Field(..., min_length=1, max_length=4000)


class AgentNoteOut(BaseModel):
    id: str
    conversation_id: str
    agent_id: str
    agent_name: str
    text: str
    created_at: datetime

    @classmethod
    def of(cls, note: AgentNote) -> AgentNoteOut:
        return cls(**{name: getattr(note, name) for name in cls.model_fields})


class CannedReplyOut(BaseModel):
    id: str
    title: str
    text: str

    @classmethod
    def of(cls, reply: CannedReply) -> CannedReplyOut:
        return cls(id=reply.id, title=reply.title, text=reply.text)


class FeedbackIn(Strict):
    target: FeedbackTarget
    target_ref: str | None = Field(
        None, max_length=200, description="Which passage, case or message (its URL, id or title)"
    )
    rating: FeedbackRating = Field(
        ..., description="up or down for the co-pilot; accurate, partly or wrong for an AI reply"
    )
    note: str | None = Field(None, max_length=2000)


class FeedbackOut(BaseModel):
    id: str
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

    @classmethod
    def of(cls, feedback: CoPilotFeedback) -> FeedbackOut:
        return cls(**{name: getattr(feedback, name) for name in cls.model_fields})


class TransferIn(Strict):
    to_agent_id: str | None = Field(None, max_length=64, description="A colleague of your workspace")
    skill: str | None = Field(
        None, min_length=1, max_length=64, description="Back to the queue, for an agent with this skill"
    )
    note: str | None = Field(None, max_length=2000)


@router.get("/conversations/{conversation_id}/notes", response_model=list[AgentNoteOut])
def list_notes(
    conversation_id: ConversationIdPath, agent: CurrentAgent, console: DeskServiceDep
) -> list[AgentNoteOut]:
    """Internal notes, oldest first. Agents only: the customer never sees them."""
    return [AgentNoteOut.of(n) for n in console.notes(agent, conversation_id)]


@router.post(
    "/conversations/{conversation_id}/notes", status_code=status.HTTP_201_CREATED, response_model=AgentNoteOut
)
def add_note(
    conversation_id: ConversationIdPath, body: NoteTextIn, agent: CurrentAgent, console: DeskServiceDep
) -> AgentNoteOut:
    """Add an internal note to a conversation of your workspace (any status, owned or not)."""
    return AgentNoteOut.of(console.add_note(agent, conversation_id, body.text))


@router.get("/colleagues", response_model=list[AgentOut])
def colleagues(agent: CurrentAgent, console: DeskServiceDep) -> list[AgentOut]:
    """The agents of your workspace (to transfer a conversation to), by name."""
    return [AgentOut.of(a) for a in console.colleagues(agent)]


@router.get("/canned", response_model=list[CannedReplyOut])
def canned_replies(agent: CurrentAgent, console: DeskServiceDep) -> list[CannedReplyOut]:
    """The workspace's canned replies, by title."""
    return [CannedReplyOut.of(r) for r in console.canned_replies(agent)]


@router.post(
    "/conversations/{conversation_id}/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackOut,
)
def rate(
    conversation_id: ConversationIdPath, body: FeedbackIn, agent: CurrentAgent, console: DeskServiceDep
) -> FeedbackOut:
    """Rate a co-pilot suggestion (up or down) or an AI reply (accurate, partly, wrong). The model,
    policy and flow versions are filled in from the conversation's decisions, not taken from you."""
    return FeedbackOut.of(
        console.rate(
            agent,
            conversation_id,
            target=body.target,
            rating=body.rating,
            target_ref=body.target_ref,
            note=body.note,
        )
    )


@router.get("/conversations/{conversation_id}/feedback", response_model=list[FeedbackOut])
def list_feedback(
    conversation_id: ConversationIdPath, agent: CurrentAgent, console: DeskServiceDep
) -> list[FeedbackOut]:
    return [FeedbackOut.of(f) for f in console.feedback(agent, conversation_id)]


@router.post(
    "/conversations/{conversation_id}/transfer",
    response_model=ConversationOut,
    responses={
        403: {"description": "The conversation is owned by another agent"},
        404: {"description": "No such conversation, or no such agent in your workspace"},
        409: {
            "description": "You do not own it (claim it first), or the colleague is away or offline, "
            "or at capacity; nothing changes"
        },
    },
)
def transfer(
    conversation_id: ConversationIdPath, body: TransferIn, agent: CurrentAgent, console: DeskServiceDep
) -> ConversationOut:
    """Give a conversation you own to a colleague (``to_agent_id``; they must be online and have
    room), or put it back in the queue (``skill``: for an agent with that skill; neither: the skills
    it needed)."""
    return ConversationOut.of(
        console.transfer(
            agent, conversation_id, to_agent_id=body.to_agent_id, skill=body.skill, note=body.note
        )
    )


@router.post(
    "/conversations/{conversation_id}/reopen",
    response_model=ConversationOut,
    responses={409: {"description": "The conversation is not resolved, or you are at capacity"}},
)
def reopen(
    conversation_id: ConversationIdPath,
    agent: CurrentAgent,
    console: DeskServiceDep,
    body: NoteIn | None = None,
) -> ConversationOut:
    """Reopen a resolved conversation: it is assigned to you (within your capacity) and the
    customer can write in it again."""
    return ConversationOut.of(console.reopen(agent, conversation_id, body.note if body else None))


@router.post("/conversations/{conversation_id}/typing", status_code=status.HTTP_204_NO_CONTENT)
def typing(conversation_id: ConversationIdPath, agent: CurrentAgent, runtime: RuntimeDep) -> None:
    """Tell the customer you are writing (their chat shows "<name> is typing…" for a few seconds).
    Only the agent the conversation is assigned to; 409 otherwise."""
    from relaydesk.domain.errors import Conflict
    from relaydesk.domain.events import ConversationEvent, EventType
    from relaydesk.domain.models import HUMAN_OWNED

    conversation = runtime.desk.conversation_for_agent(agent, conversation_id)
    if conversation.assigned_agent_id != agent.id or conversation.status not in HUMAN_OWNED:
        raise Conflict(
            f'Conversation "{conversation_id}" is not assigned to you; only its agent is shown typing'
        )
    runtime.bus.publish(
        ConversationEvent(
            EventType.AGENT_TYPING,
            conversation.workspace_id,
            conversation.id,
            {"agent_name": agent.name.split()[0] if agent.name else "Your agent"},
        )
    )
