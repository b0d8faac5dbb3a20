"""Customer side: start a conversation, post messages (idempotent), read the history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import Field

from relaydesk.api.deps import CustomerConversation, DeskDep, RuntimeDep
from relaydesk.api.schemas import (
    CustomerConversationOut,
    CustomerMessageOut,
    MessageIn,
    PostedMessageOut,
    StartConversationIn,
    StartedConversationOut,
)
from relaydesk.domain.errors import InvalidInput
from relaydesk.services.csat import MAX_PAGE_CONTEXT_BYTES, CsatService, checked_page_context
from relaydesk.services.customer_identity import checked_external_id, refuse_company_fields, site_key
from relaydesk.services.payloads import place_in_line

router = APIRouter(prefix="/v1/conversations", tags=["customer"])

MAX_SEQ = 2**31 - 1
"""The largest position the database's integer column holds; ``?after=`` beyond it is refused
with a 422 naming the parameter (not a database error)."""


class StartWithContextIn(StartConversationIn):
    page_context: dict[str, Any] | None = Field(
        None,
        description="Where the customer is (the widget sends it): page_url, page_title and the "
        "site's attributes (flat text values; stored as unverified), "
        f"at most {MAX_PAGE_CONTEXT_BYTES} bytes as JSON",
    )


class ConversationWithContextOut(CustomerConversationOut):
    page_context: dict[str, Any] | None = None
    """What the widget told on start (``verified`` false: the site's attributes are not signed)."""


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StartedConversationOut)
def start_conversation(
    body: StartWithContextIn, desk: DeskDep, runtime: RuntimeDep
) -> StartedConversationOut:
    secret = site_key(runtime.settings.widget_signing_secret, body.workspace)
    context = checked_page_context(body.page_context, secret) if body.page_context is not None else None
    c = body.customer
    refuse_company_fields(c.model_fields_set)
    started = desk.start_conversation(
        body.workspace,
        channel=body.channel,
        subject=body.subject,
        external_id=checked_external_id(c.external_id, c.signature, secret),
        name=c.name,
        email=c.email,
        language=c.language,
        keep_existing=True,  # the chat's claim never rewrites a known customer's record
    )
    if context is not None:
        CsatService.on(runtime.engine).set_page_context(started.conversation.id, context)
    return StartedConversationOut(
        conversation=CustomerConversationOut.of(started.conversation),
        token=started.token,
        stream_url=f"/v1/conversations/{started.conversation.id}/stream",
    )


@router.get("/{conversation_id}", response_model=ConversationWithContextOut)
def get_conversation(conversation: CustomerConversation, runtime: RuntimeDep) -> ConversationWithContextOut:
    out = CustomerConversationOut.of(conversation, place_in_line(runtime.store, conversation)).model_dump()
    return ConversationWithContextOut(
        **out, page_context=CsatService.on(runtime.engine).page_context(conversation.id)
    )


@router.get("/{conversation_id}/messages", response_model=list[CustomerMessageOut])
def read_history(
    conversation: CustomerConversation,
    desk: DeskDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_SEQ, description="Only messages after this position (a message's seq)")
    ] = 0,
) -> list[CustomerMessageOut]:
    return [CustomerMessageOut.of(m) for m in desk.history(conversation.id, after_seq=after)]


@router.post(
    "/{conversation_id}/messages", status_code=status.HTTP_201_CREATED, response_model=PostedMessageOut
)
def post_message(
    body: MessageIn,
    conversation: CustomerConversation,
    desk: DeskDep,
    runtime: RuntimeDep,
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
        message=CustomerMessageOut.of(posted.message),
        replies=[CustomerMessageOut.of(m) for m in posted.replies],
        conversation=CustomerConversationOut.of(
            posted.conversation, place_in_line(runtime.store, posted.conversation)
        ),
        replayed=not posted.created,
        answer_pending=posted.answer_pending,
    )
