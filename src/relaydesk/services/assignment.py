"""Giving conversations to agents: one assignment (atomic, capacity-safe), an agent's next
conversation by the routing rules, and the hand-out of waiting conversations to everyone with room.

Used by the desk (claims, agent events), by the orchestrator (routing an escalation) and by the
routing timer. See docs/routing.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.language import conversation_language
from relaydesk.domain.capability_types import QueuedCase
from relaydesk.domain.decisions import AssignmentPayload, DecisionKind
from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import EventType
from relaydesk.domain.models import (
    AgentStatus,
    Conversation,
    ConversationStatus,
    Message,
    MessageRole,
    utcnow,
)
from relaydesk.services.payloads import conversation_payload, message_payload

if TYPE_CHECKING:
    from relaydesk.domain.ports import Router
    from relaydesk.services.context import ServiceContext

log = logging.getLogger(__name__)

FIRST_PAGE = 25
QUEUE_PAGE = 800
"""Queued conversations read at a time when looking for one an agent may take (first, at most)."""
MAX_SCAN = 3000
"""Queued conversations an agent's search reads at most before giving up (a request or a timer pass
is never held up by a queue the agent fits nothing in)."""


def assign(
    ctx: ServiceContext,
    conversation_id: str,
    agent_id: str,
    *,
    how: str,
    reason: str,
    version: str = "desk-1",
    require_online: bool = False,
    reply_to_id: str | None = None,
) -> list[Message]:
    """Give the conversation to ``agent_id`` atomically, with its decision, the customer's notice
    and the events in one transaction; raises Conflict if someone else has it, the agent is at
    capacity, or (``require_online``: routing, not an agent's own claim) not online.
    ``reply_to_id``: the customer message whose escalation this answers (its retries show it)."""
    with ctx.store.transaction():
        return _assign(
            ctx,
            conversation_id,
            agent_id,
            how=how,
            reason=reason,
            version=version,
            require_online=require_online,
            reply_to_id=reply_to_id,
        )


def _assign(
    ctx: ServiceContext,
    conversation_id: str,
    agent_id: str,
    *,
    how: str,
    reason: str,
    version: str,
    require_online: bool,
    reply_to_id: str | None = None,
) -> list[Message]:
    store = ctx.store
    started = time.perf_counter()
    agent = store.get_agent(agent_id)
    conversation = store.assign_agent(
        conversation_id,
        agent_id,
        expected=[ConversationStatus.QUEUED, ConversationStatus.WITH_AI],
        capacity=agent.capacity,
        require_online=require_online,
    )
    waited = (
        round((conversation.assigned_at - conversation.queued_at).total_seconds(), 1)
        if conversation.assigned_at and conversation.queued_at
        else None
    )
    ctx.decisions.record(
        conversation,
        kind=DecisionKind.ASSIGNMENT,
        outcome=how,
        summary=f"Assigned to {agent.name}: {reason}.",
        inputs=AssignmentPayload(
            agent_id,
            agent.skills,
            tuple(agent.languages),
            agent.tier,
            waited,
            conversation.due_at.isoformat() if conversation.due_at else None,
            (
                conversation.assigned_at <= conversation.due_at
                if conversation.assigned_at and conversation.due_at
                else None
            ),
        ).inputs(),
        version=version,
        started=started,
    )
    message, _ = store.add_message(
        conversation_id,
        role=MessageRole.SYSTEM,
        text=say(
            "agent.joined",
            conversation_language(conversation, store.get_customer(conversation.customer_id)),
            name=agent.name,
        ),
        channel=conversation.channel,
        reply_to_id=reply_to_id,
        metadata={"event": "assigned", "agent_id": agent_id, "agent_name": agent.name},
    )
    ctx.publish(
        conversation,
        EventType.CONVERSATION_ASSIGNED,
        {**conversation_payload(conversation), "agent_name": agent.name},
    )
    ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(message))
    return [message]


def assign_next(
    ctx: ServiceContext,
    agent_id: str,
    *,
    how: str,
    max_scan: int = MAX_SCAN,
    replying_to: tuple[str, str] | None = None,
    asked: bool = False,
) -> Conversation | None:
    """Give agent ``agent_id`` the first queued conversation the router ranks for them; None when
    none fits (among the first ``max_scan`` in routing order) or they are full or not online.
    Racing agents never get the same conversation: a lost race moves on to the next one.
    ``replying_to``: (conversation, customer message) whose escalation is being routed.
    ``asked``: the agent asked for it themselves (take next), so being away or offline does not
    stop it, as it does not stop a claim; the caller puts them online (``put_online_on_claim``)."""
    store = ctx.store
    load = store.agent_load(agent_id)
    agent = load.agent
    if (agent.status != AgentStatus.ONLINE and not asked) or load.open_conversations >= agent.capacity:
        return None
    router = router_for_team(ctx, agent.workspace_id)
    back = ""
    if agent.status != AgentStatus.ONLINE:  # asked: ranked for them as they are about to be
        back = f" (they were {agent.status}; taking work puts them online)"
        agent = replace(agent, status=AgentStatus.ONLINE)
        load = replace(load, agent=agent)
    now = utcnow()
    explain = getattr(router, "explain", None)
    after: QueuedCase | None = None
    size, scanned = FIRST_PAGE, 0
    while scanned < max_scan:
        # Read the queue in routing order, page after page from where the last one ended (not by
        # offset, which skips rows when others take conversations meanwhile). Most agents fit one
        # near the front, so the first page is small and later ones grow.
        page = store.queued_cases(agent.workspace_id, limit=min(size, max_scan - scanned), after=after)
        for case in router.rank(load, page, now):
            fit = explain(agent, case, now, load.open_conversations) if explain else None
            why = f" ({fit.why})" if fit else ""
            reason = f"the routing rules ranked it first for {agent.name}{why}{back}"
            try:
                assign(
                    ctx,
                    case.conversation.id,
                    agent_id,
                    how=how,
                    reason=reason,
                    version=router.version,
                    require_online=not asked,
                    reply_to_id=(
                        replying_to[1] if replying_to and replying_to[0] == case.conversation.id else None
                    ),
                )
            except Conflict as exc:
                if exc.info.get("reason") in ("at_capacity", "not_online"):
                    return None
                continue  # another agent took it first
            return store.get_conversation(case.conversation.id)
        if len(page) < size:
            return None
        after = page[-1]
        scanned += len(page)
        size = min(size * 4, QUEUE_PAGE)
    return None


def router_for_team(ctx: ServiceContext, workspace_id: str) -> Router:
    """The router, told who is on the workspace's team when it asks (the skill router keeps a
    legal or security case for the people who have its skill, and needs to know whether anyone
    does)."""
    router = ctx.caps.router
    for_team = getattr(router, "for_team", None)
    return for_team(ctx.store.list_agents(workspace_id)) if for_team is not None else router


def hand_out_waiting(ctx: ServiceContext, should_stop: Callable[[], bool] = lambda: False) -> int:
    """Give waiting conversations to online agents with room for them, in every workspace; the
    number assigned. Run on a timer (``RoutingSweep``) so requirements the routing rules widen after
    a wait take effect even when no agent event happens; safe to run on many workers at once. A
    failure in one workspace is logged and the others still get their pass."""
    if not ctx.caps.router.auto_assign:
        return 0
    store = ctx.store
    assigned = 0
    for workspace_id in store.workspaces_with_queue():
        try:
            loads = sorted(
                (x for x in store.agent_loads(workspace_id) if x.agent.status == AgentStatus.ONLINE),
                key=lambda x: (x.open_conversations / max(x.agent.capacity, 1), x.agent.id),
            )
            for load in loads:
                for _ in range(max(load.agent.capacity - load.open_conversations, 0)):
                    if should_stop() or assign_next(ctx, load.agent.id, how="auto") is None:
                        break
                    assigned += 1
                if should_stop():
                    return assigned
        except Exception:
            log.exception("handing out waiting conversations in workspace %s failed", workspace_id)
    return assigned
