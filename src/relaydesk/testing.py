"""Public test doubles and factories for relaydesk's own tests and for integrators' tests.

Only for what cannot run here for real (a remote LLM); everything else in tests is real.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from relaydesk.domain.ids import ConversationId, CustomerId, MessageId, WorkspaceId
from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Message,
    MessageRole,
    Workspace,
)
from relaydesk.domain.signals import ConversationContext

if TYPE_CHECKING:
    from relaydesk.storage.store import SqlStore


@dataclass(frozen=True)
class AgentWithKey:
    """An agent created for a test, with the plain API key (only its digest is stored)."""

    agent: Agent
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def make_workspace(store: SqlStore, slug: str | None = None, name: str = "Test Store") -> Workspace:
    return store.create_workspace(slug or f"ws-{secrets.token_hex(4)}", name)


def make_agent(
    store: SqlStore,
    workspace: Workspace,
    *,
    name: str | None = None,
    skills: dict[str, float] | None = None,
    languages: tuple[str, ...] = ("en",),
    tier: int = 1,
    capacity: int = 5,
    status: AgentStatus = AgentStatus.ONLINE,
) -> AgentWithKey:
    key = f"key-{secrets.token_hex(12)}"
    suffix = secrets.token_hex(3)
    agent = store.create_agent(
        workspace.id,
        name=name or f"Agent {suffix}",
        email=f"agent-{suffix}@example.test",
        api_key=key,
        skills=skills or {"orders": 0.8},
        languages=languages,
        tier=tier,
        capacity=capacity,
        status=status,
    )
    return AgentWithKey(agent, key)


class ScriptedLLM:
    """An ``LLM`` that answers from a script, in order, and records every request.

    ``ScriptedLLM(["first reply", "second reply"])`` or ``llm.enqueue("reply")``; an enqueued
    exception is raised instead of answering (to test fallbacks). Running out of replies raises.
    """

    def __init__(self, replies: list[str | Exception] | None = None, model: str = "scripted") -> None:
        from relaydesk.domain.ports import ChatMessage

        self.model = model
        self._replies: list[str | Exception] = list(replies or [])
        self.calls: list[list[ChatMessage]] = []

    def enqueue(self, reply: str | Exception) -> ScriptedLLM:
        self._replies.append(reply)
        return self

    def complete(self, messages, *, max_tokens: int = 512, temperature: float = 0.0) -> str:  # type: ignore[no-untyped-def]
        self.calls.append(list(messages))
        if not self._replies:
            raise AssertionError("ScriptedLLM has no scripted reply left")
        reply = self._replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


def make_context(
    *turns: tuple[MessageRole, str],
    workspace_id: str = "ws_1",
    customer_name: str | None = None,
    tier: CustomerTier = CustomerTier.STANDARD,
) -> ConversationContext:
    """A conversation context built in memory (no database): a customer and earlier ``turns``."""
    now = datetime.now(UTC)
    conversation = Conversation(
        id=ConversationId("conv_1"),
        workspace_id=WorkspaceId(workspace_id),
        customer_id=CustomerId("cus_1"),
        channel=Channel.WEB,
        status=ConversationStatus.WITH_AI,
        subject=None,
        language="en",
        assigned_agent_id=None,
        priority=0,
        required_skills=(),
        escalation_reason=None,
        ai_turns=0,
        created_at=now,
        updated_at=now,
    )
    customer = Customer(
        id=CustomerId("cus_1"),
        workspace_id=WorkspaceId(workspace_id),
        external_id=None,
        name=customer_name,
        email=None,
        tier=tier,
        language="en",
        attributes={},
        created_at=now,
    )
    history = tuple(
        Message(MessageId(f"msg_{i}"), conversation.id, role, text, Channel.WEB, now)
        for i, (role, text) in enumerate(turns)
    )
    return ConversationContext(conversation=conversation, customer=customer, history=history)
