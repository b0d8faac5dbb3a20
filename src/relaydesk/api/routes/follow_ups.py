"""Follow-ups: an agent schedules a message for the customer later ("Has your parcel arrived?"),
lists a conversation's follow-ups, and cancels one not yet sent. Agents only (their API key)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field, StrictInt, StrictStr

from relaydesk.api.deps import CurrentAgent, RuntimeDep
from relaydesk.api.schemas import Strict
from relaydesk.services.follow_ups import (
    MAX_TEXT_CHARS,
    FollowUp,
    FollowUpAuthor,
    FollowUpService,
    FollowUpStatus,
)

router = APIRouter(prefix="/v1/agent", tags=["agent console"])
IdPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def get_follow_ups(runtime: RuntimeDep) -> FollowUpService:
    """The follow-ups' use cases, built once per runtime over its database."""
    return runtime.follow_ups


FollowUpsDep = Annotated[FollowUpService, Depends(get_follow_ups)]


class FollowUpIn(Strict):
    text: StrictStr = Field(description=f"The message for the customer (at most {MAX_TEXT_CHARS} characters)")
    due_in_s: StrictInt | None = Field(None, description="Seconds from now (60 s to 90 days); or due_at")
    due_at: StrictStr | None = Field(
        None, description="An ISO 8601 time with its zone, e.g. 2026-12-08T09:00:00+01:00; or due_in_s"
    )


class FollowUpOut(BaseModel):
    id: str
    conversation_id: str
    text: str
    due_at: datetime
    status: FollowUpStatus
    created_by: FollowUpAuthor
    author_id: str | None = Field(description="The agent's id, or the flow's or specialist's name")
    created_at: datetime
    sent_at: datetime | None
    message_id: str | None = Field(description="The message it became, once sent")

    @classmethod
    def of(cls, follow_up: FollowUp) -> FollowUpOut:
        return cls(**{name: getattr(follow_up, name) for name in cls.model_fields})


@router.post(
    "/conversations/{conversation_id}/follow-ups",
    status_code=status.HTTP_201_CREATED,
    response_model=FollowUpOut,
    responses={
        404: {"description": "No such conversation in your workspace"},
        409: {"description": "The conversation has too many follow-ups scheduled"},
        422: {"description": "No text, text too long, or a time in the past or too far ahead"},
    },
)
def schedule(
    conversation_id: IdPath, body: FollowUpIn, agent: CurrentAgent, follow_ups: FollowUpsDep
) -> FollowUpOut:
    """Schedule a message to the customer: in ``due_in_s`` seconds or at ``due_at`` (exactly one),
    between a minute and 90 days ahead. It is sent once, in your name, even when the conversation
    is resolved by then; the customer's answer reopens it."""
    return FollowUpOut.of(
        follow_ups.schedule(
            conversation_id, body.text, due_at=body.due_at, due_in_s=body.due_in_s, agent=agent
        )
    )


@router.get("/conversations/{conversation_id}/follow-ups", response_model=list[FollowUpOut])
def list_follow_ups(
    conversation_id: IdPath, agent: CurrentAgent, follow_ups: FollowUpsDep
) -> list[FollowUpOut]:
    """The conversation's follow-ups (scheduled, sent and cancelled), soonest due first."""
    return [FollowUpOut.of(f) for f in follow_ups.for_conversation(conversation_id, agent=agent)]


@router.delete(
    "/follow-ups/{follow_up_id}",
    response_model=FollowUpOut,
    responses={
        404: {"description": "No such follow-up in your workspace"},
        409: {"description": "It was already sent or cancelled"},
    },
)
def cancel(follow_up_id: IdPath, agent: CurrentAgent, follow_ups: FollowUpsDep) -> FollowUpOut:
    """Cancel a scheduled follow-up (any agent of the workspace); it is never sent."""
    return FollowUpOut.of(follow_ups.cancel(follow_up_id, agent=agent))
