"""Customer side: start a conversation, post messages (idempotent), read the history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from relaydesk.api.deps import CustomerConversation, DeskDep
from relaydesk.api.schemas import (
    ConversationOut,
    MessageIn,
    MessageOut,
    PostedMessageOut,
    StartConversationIn,
    StartedConversationOut,
)
from relaydesk.domain.errors import InvalidInput

router = APIRouter(prefix="/v1/conversations", tags=["customer"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StartedConversationOut)
def start_conversation(body: StartConversationIn, desk: DeskDep) -> StartedConversationOut:
    c = body.customer
    started = desk.start_conversation(
        body.workspace,
        channel=body.channel,
        subject=body.subject,
        external_id=c.external_id,
        name=c.name,
        email=c.email,
        tier=c.tier,
        language=c.language,
        attributes=c.attributes,
    )
    return StartedConversationOut(
        conversation=ConversationOut.of(started.conversation),
        token=started.token,
        stream_url=f"/v1/conversations/{started.conversation.id}/stream",
    )


@router.get("/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation: CustomerConversation) -> ConversationOut:
    return ConversationOut.of(conversation)


@router.get("/{conversation_id}/messages", response_model=list[MessageOut])
def read_history(
    conversation: CustomerConversation,
    desk: DeskDep,
    after: Annotated[int, Query(ge=0, description="Only messages after this position")] = 0,
) -> list[MessageOut]:
    return [MessageOut.of(m) for m in desk.history(conversation.id, after_seq=after)]


@router.post(
    "/{conversation_id}/messages", status_code=status.HTTP_201_CREATED, response_model=PostedMessageOut
)
def post_message(
    body: MessageIn,
    conversation: CustomerConversation,
    desk: DeskDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> PostedMessageOut:
    if idempotency_key and body.idempotency_key and idempotency_key != body.idempotency_key:
        raise InvalidInput("The Idempotency-Key header and the idempotency_key field disagree")
    posted = desk.post_customer_message(
        conversation.id,
        body.text,
        idempotency_key=idempotency_key or body.idempotency_key,
    )
    if not posted.created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return PostedMessageOut(
        message=MessageOut.of(posted.message),
        replies=[MessageOut.of(m) for m in posted.replies],
        conversation=ConversationOut.of(posted.conversation),
        replayed=not posted.created,
        answer_pending=posted.answer_pending,
    )
