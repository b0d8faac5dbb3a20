"""Whose word a conversation's governance memory keeps: the AI relies only on the verifications and
confirmations it got itself; an agent relies on the whole log (``GovernedTools.restore_session``)."""

from __future__ import annotations

import pytest

from relaydesk.domain.models import Channel
from relaydesk.governance.actions import ActionSession, action_key
from relaydesk.governance.actor import AI, Actor, ActorKind
from relaydesk.governance.governed import GovernedTools, ToolStatus
from relaydesk.storage.approval_store import SqlApprovalStore
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.store import SqlStore
from tests.commerce.conftest import YUSUF, YUSUF_EMAIL

MAYA = Actor(ActorKind.AGENT, "Maya Okafor", "agt_maya", 1)
SWAP = {  # modify_pending_order_items: once per order
    "order_id": "#W4776164",
    "item_ids": ["8349118980"],
    "new_item_ids": ["9647292434"],
    "payment_method_id": "credit_card_9513926",
}
BIG_CANCEL = {"order_id": "#W6247578", "reason": "no longer needed"}  # 53.27: above the 50 limit


@pytest.fixture
def conversation(session: ActionSession, demo_store: SqlStore) -> ActionSession:
    """A fresh session of a stored conversation (approvals refer to it)."""
    customer = demo_store.upsert_customer(session.workspace_id, external_id="yusuf", name="Yusuf Rossi")
    stored = demo_store.create_conversation(session.workspace_id, customer.id, token="t", channel=Channel.WEB)
    return ActionSession(stored.id, session.workspace_id)


def restored(governed: GovernedTools, store: SqlStore, session: ActionSession, actor: Actor) -> ActionSession:
    return governed.restore_session(
        store.decisions(session.conversation_id or ""),
        conversation_id=session.conversation_id,
        workspace_id=session.workspace_id,
        actor=actor,
    )


def test_a_customer_an_agent_verified_is_not_verified_for_the_ai(
    governed: GovernedTools, conversation: ActionSession, demo_store: SqlStore
) -> None:
    agents = conversation
    assert governed.call(agents, "find_user_id_by_email", {"email": YUSUF_EMAIL}, actor=MAYA).accepted
    governed.confirm(agents, "modify_pending_order_items", SWAP, actor=MAYA)
    assert governed.call(agents, "get_order_details", {"order_id": "#W4776164"}, actor=MAYA).accepted

    for_ai = restored(governed, demo_store, conversation, AI)
    assert for_ai.authenticated_user_id is None and for_ai.confirmed == set()
    refused = governed.call(for_ai, "get_order_details", {"order_id": "#W4776164"})
    assert refused.status == ToolStatus.REFUSED and refused.rule == "authentication_required"

    for_maya = restored(governed, demo_store, conversation, MAYA)
    assert for_maya.authenticated_user_id == YUSUF
    assert for_maya.confirmed == {action_key("modify_pending_order_items", SWAP)}
    # the look-up stays in the log, under her name
    assert demo_store.decisions(conversation.conversation_id or "")[0].summary.startswith(
        "Maya Okafor verified the customer"
    )


def test_an_agents_change_does_not_verify_the_customer_for_the_ai_but_counts_as_done(
    governed: GovernedTools, conversation: ActionSession, demo_store: SqlStore, repo: SqlCommerceStore
) -> None:
    agents = conversation
    assert governed.call(agents, "find_user_id_by_email", {"email": YUSUF_EMAIL}, actor=MAYA).accepted
    governed.confirm(agents, "modify_pending_order_items", SWAP, actor=MAYA)
    assert governed.call(agents, "modify_pending_order_items", SWAP, actor=MAYA).accepted

    for_ai = restored(governed, demo_store, conversation, AI)
    assert for_ai.authenticated_user_id is None
    assert for_ai.done == {"modify_pending_order_items:#W4776164"}  # the record changed, whoever did it


def test_an_approved_call_an_agent_asked_for_does_not_verify_the_customer_for_the_ai(
    governed: GovernedTools, conversation: ActionSession, demo_store: SqlStore, repo: SqlCommerceStore
) -> None:
    agents = conversation
    assert governed.call(agents, "find_user_id_by_email", {"email": YUSUF_EMAIL}, actor=MAYA).accepted
    governed.confirm(agents, "cancel_pending_order", BIG_CANCEL, actor=MAYA)
    held = governed.call(agents, "cancel_pending_order", BIG_CANCEL, actor=MAYA)
    assert held.status == ToolStatus.PENDING_APPROVAL and held.approval_id
    request = SqlApprovalStore(demo_store.engine).get(held.approval_id).request
    ran = governed.run_approved(request, approver="agt_sam", approval_id=held.approval_id)
    assert ran.accepted and repo.order("#W6247578").status == "cancelled"  # type: ignore[union-attr]

    assert restored(governed, demo_store, conversation, AI).authenticated_user_id is None
    assert restored(governed, demo_store, conversation, MAYA).authenticated_user_id == YUSUF


def test_the_ai_keeps_its_own_verification_and_confirmations(
    governed: GovernedTools, conversation: ActionSession, demo_store: SqlStore
) -> None:
    ais = conversation
    assert governed.call(ais, "find_user_id_by_email", {"email": YUSUF_EMAIL}).accepted
    governed.confirm(ais, "modify_pending_order_items", SWAP)
    assert governed.call(ais, "calculate", {"expression": "1+1"}, actor=MAYA).accepted

    for_ai = restored(governed, demo_store, conversation, AI)
    assert for_ai.authenticated_user_id == YUSUF
    assert for_ai.confirmed == {action_key("modify_pending_order_items", SWAP)}
