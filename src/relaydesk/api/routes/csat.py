"""Customer satisfaction: the customer rates a resolved conversation once (conversation token)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field, StrictInt

from relaydesk.api.deps import CustomerConversation, RuntimeDep
from relaydesk.api.schemas import Strict
from relaydesk.services.csat import MAX_COMMENT_CHARS, MAX_SCORE, MIN_SCORE, CsatRating, CsatService

router = APIRouter(prefix="/v1/conversations", tags=["customer"])


def get_csat(runtime: RuntimeDep) -> CsatService:
    return CsatService.on(runtime.engine)


CsatDep = Annotated[CsatService, Depends(get_csat)]


class CsatIn(Strict):
    score: StrictInt = Field(..., ge=MIN_SCORE, le=MAX_SCORE, description="1 (very poor) to 5 (excellent)")
    comment: str | None = Field(
        None, max_length=MAX_COMMENT_CHARS, description="Optional, in the customer's words"
    )


class CsatOut(BaseModel):
    conversation_id: str
    score: int
    comment: str | None
    created_at: datetime

    @classmethod
    def of(cls, rating: CsatRating) -> CsatOut:
        return cls(
            conversation_id=rating.conversation_id,
            score=rating.score,
            comment=rating.comment,
            created_at=rating.created_at,
        )


@router.post(
    "/{conversation_id}/csat",
    status_code=status.HTTP_201_CREATED,
    response_model=CsatOut,
    responses={409: {"description": "Already rated, or not resolved yet"}},
)
def rate_conversation(body: CsatIn, conversation: CustomerConversation, csat: CsatDep) -> CsatOut:
    """Rate a resolved conversation, once."""
    return CsatOut.of(csat.rate(conversation, body.score, body.comment))


@router.get(
    "/{conversation_id}/csat",
    response_model=CsatOut | None,
    responses={200: {"description": "The rating, or null while the conversation has none"}},
)
def read_rating(conversation: CustomerConversation, csat: CsatDep) -> CsatOut | None:
    """The customer's rating of the conversation; ``null`` (200) while it has none: not rated yet is
    an answer, not a missing resource, so a chat that asks whether to show the rating form gets no
    error."""
    rating = csat.rating(conversation)
    return CsatOut.of(rating) if rating is not None else None
