"""What an approver sees of the flow that asked for an approval, and the amounts the customer reads."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from relaydesk.domain.models import Channel, MessageRole
from relaydesk.governance.actor import Actor
from relaydesk.governance.governed import GovernedTools
from relaydesk.services.approvals import ApprovalService, approval_view, governed_commerce
from relaydesk.services.flow_catalogue import store_tool_names
from relaydesk.specialists.engine import FlowEngine
from relaydesk.specialists.flow_spec import bundled_library
from relaydesk.specialists.state import FlowState
from relaydesk.specialists.toolbox import Toolbox
from relaydesk.storage.approval_store import SqlApprovalStore
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.store import SqlStore
from relaydesk.testing import AgentWithKey, make_agent, make_workspace


@dataclass
class Shop:
    store: SqlStore
    tools: GovernedTools
    service: ApprovalService
    engine: FlowEngine
    approver: AgentWithKey
    workspace_id: str


@pytest.fixture
def shop(store: SqlStore) -> Shop:
    SqlCommerceStore(store.engine).load_json()
    workspace = make_workspace(store, slug="shop")
    tools = governed_commerce(store)
    return Shop(
        store,
        tools,
        ApprovalService(store, SqlApprovalStore(store.engine), tools),
        FlowEngine(bundled_library(store_tool_names())),
        make_agent(store, workspace, name="Sam", tier=2),
        workspace.id,
    )


def chat(shop: Shop, *texts: str) -> str:
    """A customer's conversation played through the flow engine over the governed tools, one
    message a turn, with the flow state stored on the conversation as the responder stores it."""
    customer = shop.store.upsert_customer(shop.workspace_id, external_id="c1")
    conversation = shop.store.create_conversation(
        shop.workspace_id, customer.id, token="t", channel=Channel.WEB
    )
    for text in texts:
        state = FlowState.from_json(shop.store.get_conversation(conversation.id).flow)
        session = shop.tools.restore_session(
            shop.store.decisions(conversation.id),
            conversation_id=conversation.id,
            workspace_id=shop.workspace_id,
        )
        shop.engine.turn(text, state, Toolbox(shop.tools, session, state, message_id=None))
        shop.store.update_conversation(conversation.id, flow=state.to_json())
    return conversation.id


def test_the_approver_sees_the_flow_that_asked_with_its_slots(shop: Shop) -> None:
    # T-Shirt, 53.27 paid by card: above the 50 refund limit
    conversation_id = chat(
        shop, "please cancel order #W6247578", "yusuf.rossi7301@example.com", "no longer needed", "yes"
    )
    [approval] = shop.service.list_approvals(shop.approver.agent)
    view = approval_view(approval, shop.service.context(approval))
    assert view["conversation_id"] == conversation_id
    flow = view["flow"]
    assert (flow["name"], flow["version"], flow["outcome"]) == ("cancel_order", "1", "awaiting_approval")
    assert flow["step"] == "act"
    slots = flow["slots"]
    assert slots["order_id"] == "#W6247578" and slots["reason"] == "no longer needed"
    assert slots["items"].startswith("T-Shirt (")
    assert slots["payment"] == "Mastercard card ending in 2478"  # the refund goes back to it
    assert slots["refund_amount"] == "$53.27"
    assert not [k for k in slots if k.startswith("_")]


def test_an_agents_approval_shows_the_flow_in_progress(shop: Shop) -> None:
    conversation_id = chat(shop, "please cancel order #W6247578", "yusuf.rossi7301@example.com")
    june = Actor.agent(make_agent(shop.store, shop.store.get_workspace(shop.workspace_id), name="June").agent)
    session = shop.tools.restore_session(
        shop.store.decisions(conversation_id),
        conversation_id=conversation_id,
        workspace_id=shop.workspace_id,
        actor=june,
    )
    args = {"order_id": "#W6247578", "reason": "no longer needed"}
    shop.tools.confirm(session, "cancel_pending_order", args)
    held = shop.tools.call(session, "cancel_pending_order", args, actor=june)  # tier 1: held
    assert held.approval_id
    approval = shop.service.get(shop.approver.agent, held.approval_id)
    assert approval_view(approval, shop.service.context(approval))["flow"] == {
        "name": "cancel_order",
        "version": "1",
        "step": "step 3",  # the flow waits for the reason
        "outcome": None,
        "slots": {"user_id": "yusuf_rossi_9620", "order_id": "#W6247578"},
    }

    shop.store.update_conversation(conversation_id, flow=None)  # no flow at all
    assert approval_view(approval, shop.service.context(approval))["flow"] is None


def test_amounts_in_approval_messages_read_as_money(shop: Shop) -> None:
    # four items, 1,463.70 paid
    chat(shop, "please cancel order #W5918442", "sofia.rossi2645@example.com", "ordered by mistake", "yes")
    [approval] = shop.service.list_approvals(shop.approver.agent)
    assert (
        approval.request.reason
        == "Refunds above $50.00 need a team member's approval; this one is $1,463.70."
    )
    decided = shop.service.approve(shop.approver.agent, approval.id)
    told = [
        m.text
        for m in shop.store.messages(approval.request.conversation_id or "")
        if m.role == MessageRole.SYSTEM
    ]
    assert decided.outcome is not None
    assert "order #W5918442 ($1,463.70)" in told[-1]
