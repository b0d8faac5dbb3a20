"""Dependencies as Annotated aliases: the runtime, the current agent, the customer's conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from relaydesk.domain.errors import Unauthenticated
from relaydesk.domain.models import Agent, Conversation
from relaydesk.services.agent_tools import AgentToolService
from relaydesk.services.conversations import SupportDesk
from relaydesk.services.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_desk(runtime: RuntimeDep) -> SupportDesk:
    return runtime.desk


DeskDep = Annotated[SupportDesk, Depends(get_desk)]


def get_agent_tools(runtime: RuntimeDep) -> AgentToolService:
    return runtime.agent_tools


AgentToolsDep = Annotated[AgentToolService, Depends(get_agent_tools)]


def agent_from_key(runtime: Runtime, key: str | None) -> Agent:
    if not key:
        raise Unauthenticated("An agent API key is required (Authorization: Bearer KEY or X-API-Key)")
    agent = runtime.store.agent_by_api_key(key)
    if agent is None:
        raise Unauthenticated("The API key matches no agent")
    return agent


# Declared as security schemes, so /docs has an Authorize button and the OpenAPI document says
# which calls need which credential.
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="Bearer",
    description="An agent's API key, or a customer's conversation token: `Authorization: Bearer ...`",
)
AGENT_KEY = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="AgentKey", description="An agent's API key"
)
CONVERSATION_TOKEN = APIKeyHeader(
    name="X-Conversation-Token",
    auto_error=False,
    scheme_name="ConversationToken",
    description="The token a customer got when starting the conversation",
)


def _bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return (credentials.credentials.strip() or None) if credentials is not None else None


def current_agent(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
    x_api_key: Annotated[str | None, Security(AGENT_KEY)] = None,
) -> Agent:
    return agent_from_key(runtime, x_api_key or _bearer_token(credentials))


CurrentAgent = Annotated[Agent, Depends(current_agent)]


def customer_conversation(
    desk: DeskDep,
    conversation_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    x_conversation_token: Annotated[str | None, Security(CONVERSATION_TOKEN)] = None,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
) -> Conversation:
    return desk.authorize_customer(conversation_id, x_conversation_token or _bearer_token(credentials))


CustomerConversation = Annotated[Conversation, Depends(customer_conversation)]
