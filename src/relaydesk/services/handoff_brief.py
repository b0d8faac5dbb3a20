"""The handoff brief an agent reads before the first reply, assembled from the store and case
memory (the brief itself is built by ``handoff/brief.py``)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from relaydesk.domain.models import HUMAN_OWNED, Agent, Conversation

if TYPE_CHECKING:
    from relaydesk.cases.similar import SimilarCaseFinder
    from relaydesk.domain.ports import SupportStore
    from relaydesk.handoff.brief import HandoffBrief, VerifiedAccount

log = logging.getLogger(__name__)


def brief_for(
    store: SupportStore, cases: SimilarCaseFinder | None, agent: Agent, conversation: Conversation
) -> HandoffBrief:
    """The brief of ``conversation`` for ``agent`` (or for its owner, when a person owns it)."""
    from relaydesk.handoff.brief import build_brief

    owner = (
        store.get_agent(conversation.assigned_agent_id)
        if conversation.assigned_agent_id and conversation.status in HUMAN_OWNED
        else agent
    )
    try:
        similar = cases.for_conversation(conversation, limit=3) if cases else []
    except Exception:  # the brief is still useful without them
        log.exception("similar cases for the brief of %s failed", conversation.id)
        similar = []
    brief = build_brief(
        conversation,
        store.get_customer(conversation.customer_id),
        store.recent_messages(conversation.id),
        store.decisions(conversation.id),
        agent=owner,
        past=store.customer_conversations(conversation.customer_id, limit=6),
        similar=similar,
        account=verified_account(store, conversation),
    )
    page = page_context(store, conversation)
    return replace(brief, page=page) if page else brief


def page_context(store: SupportStore, conversation: Conversation) -> dict[str, Any]:
    """What the embedding page passed when the conversation started (none in memory)."""
    engine = getattr(store, "engine", None)
    if engine is None:
        return {}
    from relaydesk.services.csat import CsatService

    try:
        return CsatService.on(engine).page_context(conversation.id) or {}
    except Exception:  # the brief is still useful without it
        log.exception("page context for the brief of %s failed", conversation.id)
        return {}


def verified_account(store: SupportStore, conversation: Conversation) -> VerifiedAccount | None:
    """The demo store's record of the customer the AI verified in ``conversation`` (its name and
    e-mail), read through the store's port; None when nobody was verified or there is no store."""
    from relaydesk.handoff.brief import VerifiedAccount
    from relaydesk.handoff.flow_section import verified_user_id

    user_id = verified_user_id(conversation.flow)
    engine = getattr(store, "engine", None)  # the demo store shares the SQL database (none in memory)
    if user_id is None or engine is None:
        return None
    from relaydesk.storage.commerce_store import SqlCommerceStore

    try:
        user = SqlCommerceStore(engine).user(user_id)
    except Exception:  # the brief is still useful without it
        log.exception("reading store account %s for the brief of %s failed", user_id, conversation.id)
        return None
    if user is None:
        return None
    name = f"{user.first_name} {user.last_name}".strip()
    return VerifiedAccount(user.id, name or None, user.email or None)
