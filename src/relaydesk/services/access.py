"""Who may do what to a conversation, beyond the API's role rules (relaydesk.api.access).

A customer reads and writes a conversation with its token, while it is fresh. The token is shown
once, when the conversation starts, and only its hash is stored. It stops working
``customer_token_ttl_s`` after the conversation's last activity, so a token left in a browser or
leaked from one does not open the conversation for good.
"""

from __future__ import annotations

from datetime import datetime

from relaydesk.domain.errors import Forbidden, Unauthenticated
from relaydesk.domain.models import HUMAN_OWNED, REPORT_ROLES, Agent, AgentStatus, Conversation, utcnow
from relaydesk.domain.ports import SupportStore


def authorize_customer(
    store: SupportStore,
    conversation_id: str,
    token: str | None,
    *,
    ttl_s: float,
    now: datetime | None = None,
) -> Conversation:
    """The conversation, if ``token`` is its token and still fresh (401 / 403 / 404 otherwise)."""
    if not token:
        raise Unauthenticated("A conversation token is required (header X-Conversation-Token)")
    conversation = store.get_conversation(conversation_id)
    if not store.conversation_token_matches(conversation_id, token):
        raise Forbidden(f'The token does not grant access to conversation "{conversation_id}"')
    idle_s = ((now or utcnow()) - conversation.updated_at).total_seconds()
    if idle_s > ttl_s:
        raise Unauthenticated(
            f'The token of conversation "{conversation_id}" expired after {_days(ttl_s)} without '
            "activity; start a new conversation"
        )
    return conversation


def _days(seconds: float) -> str:
    if seconds >= 86400:
        days = seconds / 86400
        return f"{days:g} day" + ("s" if days != 1 else "")
    return f"{seconds:g} s"


def check_may_resolve(agent: Agent, conversation: Conversation) -> bool:
    """Whether ``agent`` owns ``conversation``; raises Forbidden if they may not resolve it. An agent
    resolves what they own; a supervisor or admin may close any (spam, duplicates) unclaimed."""
    owner = conversation.status in HUMAN_OWNED and conversation.assigned_agent_id == agent.id
    if owner or agent.role in REPORT_ROLES:
        return owner
    if conversation.status in HUMAN_OWNED:
        raise Forbidden(f'Conversation "{conversation.id}" is owned by another agent')
    raise Forbidden(
        f'Conversation "{conversation.id}" is {conversation.status}: claim it before resolving it '
        "(a supervisor or admin may resolve it without claiming)"
    )


def put_online_on_claim(store: SupportStore, agent_id: str) -> AgentStatus | None:
    """After agent ``agent_id`` claimed a conversation by hand: set them online if they were away
    or offline, and return the status they had (None when they were online already).

    Away means "give me nothing automatically" (a break, a meeting, catching up on notes): routing
    assigns an away agent nothing. An agent who picks a conversation from the queue themselves is
    plainly back at work, and a team expects the desk to show it: a supervisor reading "away"
    beside someone talking to a customer would staff the queue wrongly, and the auto-assignment
    that picks up their free seats would never start. So the claim goes through and their status
    becomes online, as if they had set it, recorded on the assignment; an agent who wants to stay
    out of the rotation sets away again after it."""
    agent = store.get_agent(agent_id)
    if agent.status == AgentStatus.ONLINE:
        return None
    store.set_agent_status(agent_id, AgentStatus.ONLINE)
    return agent.status
