"""Dependencies as Annotated aliases: the runtime, the current agent, the customer's conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from relaydesk.domain.errors import Unauthenticated
from relaydesk.domain.models import Agent, Conversation
from relaydesk.services.conversations import SupportDesk
from relaydesk.services.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_desk(runtime: RuntimeDep) -> SupportDesk:
    return runtime.desk


DeskDep = Annotated[SupportDesk, Depends(get_desk)]


def bearer(value: str | None) -> str | None:
    if value and value.lower().startswith("bearer "):
        return value[7:].strip() or None
    return None


def agent_from_key(runtime: Runtime, key: str | None) -> Agent:
    if not key:
        raise Unauthenticated("An agent API key is required (Authorization: Bearer KEY or X-API-Key)")
    agent = runtime.store.agent_by_api_key(key)
    if agent is None:
        raise Unauthenticated("The API key matches no agent")
    return agent


def current_agent(
    runtime: RuntimeDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Agent:
    return agent_from_key(runtime, x_api_key or bearer(authorization))


CurrentAgent = Annotated[Agent, Depends(current_agent)]


def customer_conversation(
    desk: DeskDep,
    conversation_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    x_conversation_token: Annotated[str | None, Header()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> Conversation:
    return desk.authorize_customer(conversation_id, x_conversation_token or bearer(authorization))


CustomerConversation = Annotated[Conversation, Depends(customer_conversation)]
