"""Approval tasks go to an online agent who holds the authority, with a service level; the sweep
offers them again when nobody qualified was online, or when they went overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from relaydesk.bus.memory import InProcessBus
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import AgentStatus, Channel, ConversationStatus
from relaydesk.governance.actions import ActionSession
from relaydesk.governance.approval import Approval
from relaydesk.governance.governed import GovernedTools, ToolStatus
from relaydesk.services.approval_routing import ApprovalRouter
from relaydesk.services.approvals import ApprovalService, governed_commerce
from relaydesk.services.outbox import EventOutbox
from relaydesk.storage.approval_store import SqlApprovalStore
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_agent, make_workspace

CANCEL = {"order_id": "#W6247578", "reason": "no longer needed"}  # 53.27 paid: above the 50 limit
SLA_S = 600.0


@dataclass
class Desk:
    store: SqlStore
    router: ApprovalRouter
    tools: GovernedTools
    service: ApprovalService
    workspace_id: str
    conversation_id: str
    events: list[ConversationEvent] = field(default_factory=list)

    def hold(self) -> Approval:
        """The AI verifies the customer and asks to cancel an order above the refund limit."""
        session = ActionSession(self.conversation_id, self.workspace_id)
        assert self.tools.call(
            session, "find_user_id_by_email", {"email": "yusuf.rossi7301@example.com"}
        ).accepted
        self.tools.confirm(session, "cancel_pending_order", CANCEL)
        held = self.tools.call(session, "cancel_pending_order", CANCEL)
        assert held.status == ToolStatus.PENDING_APPROVAL and held.approval_id
        return self.service.approvals.get(held.approval_id)

    def offers(self) -> list[tuple[str, str]]:
        return [
            (e.data["approval_id"], e.data["agent_id"])
            for e in self.events
            if e.type == EventType.APPROVAL_ASSIGNED
        ]


@pytest.fixture
def desk(store: SqlStore) -> Desk:
    SqlCommerceStore(store.engine).load_json()
    workspace = make_workspace(store, slug="shop")
    customer = store.upsert_customer(workspace.id, external_id="yusuf", name="Yusuf Rossi")
    conversation = store.create_conversation(workspace.id, customer.id, token="t", channel=Channel.WEB)
    bus = InProcessBus()
    approvals = SqlApprovalStore(store.engine)
    router = ApprovalRouter(store, approvals, EventOutbox(store, bus), sla_s=SLA_S)
    tools = governed_commerce(store, approvals=router)
    desk = Desk(store, router, tools, ApprovalService(store, approvals, tools), workspace.id, conversation.id)
    bus.subscribe(desk.events.append)
    return desk


def _workspace(desk: Desk):  # type: ignore[no-untyped-def]
    return desk.store.get_workspace(desk.workspace_id)


def test_a_new_approval_goes_to_the_online_agent_with_the_authority_and_the_approvals_skill(
    desk: Desk,
) -> None:
    ws = _workspace(desk)
    make_agent(desk.store, ws, name="June", tier=1, skills={"approvals": 1.0})  # no authority
    make_agent(desk.store, ws, name="Sam", tier=2)  # authority, no approvals skill
    make_agent(desk.store, ws, name="Abe", tier=3, skills={"approvals": 1.0}, status=AgentStatus.AWAY)
    ava = make_agent(desk.store, ws, name="Ava", tier=2, skills={"approvals": 0.6}).agent
    approval = desk.hold()
    assert approval.assigned_agent_id == ava.id
    assert approval.due_at is not None
    assert (
        timedelta(seconds=SLA_S - 60) < approval.due_at - approval.created_at <= timedelta(seconds=SLA_S + 60)
    )
    assert desk.offers() == [(approval.id, ava.id)]
    assert [a.id for a in desk.service.list_approvals(ava, mine=True)] == [approval.id]


def test_between_equally_skilled_approvers_the_less_loaded_one_gets_it(desk: Desk) -> None:
    ws = _workspace(desk)
    busy = make_agent(desk.store, ws, name="Bea", tier=2, skills={"approvals": 0.8}).agent
    free = make_agent(desk.store, ws, name="Zed", tier=2, skills={"approvals": 0.8}).agent
    customer = desk.store.upsert_customer(ws.id, external_id="other", name="Other")
    other = desk.store.create_conversation(ws.id, customer.id, token="u", channel=Channel.WEB)
    desk.store.assign_agent(other.id, busy.id, expected=[ConversationStatus.WITH_AI], capacity=5)
    assert desk.hold().assigned_agent_id == free.id


def test_with_nobody_qualified_online_it_waits_unassigned_and_the_sweep_offers_it_later(desk: Desk) -> None:
    ws = _workspace(desk)
    make_agent(desk.store, ws, name="June", tier=1, skills={"approvals": 1.0})
    lucas = make_agent(
        desk.store, ws, name="Lucas", tier=2, skills={"approvals": 0.9}, status=AgentStatus.OFFLINE
    )
    approval = desk.hold()
    assert approval.assigned_agent_id is None and approval.due_at is None and desk.offers() == []
    assert desk.router.offer_waiting() == 0  # still nobody qualified
    desk.store.set_agent_status(lucas.agent.id, AgentStatus.ONLINE)
    assert desk.router.offer_waiting() == 1
    offered = desk.service.approvals.get(approval.id)
    assert offered.assigned_agent_id == lucas.agent.id and offered.due_at is not None
    assert desk.offers() == [(approval.id, lucas.agent.id)]
    assert desk.router.offer_waiting() == 0  # offered once, not again while within its service level


def test_an_overdue_approval_is_offered_to_another_qualified_agent(desk: Desk) -> None:
    ws = _workspace(desk)
    first = make_agent(desk.store, ws, name="Ava", tier=2, skills={"approvals": 0.9}).agent
    second = make_agent(desk.store, ws, name="Sam", tier=3).agent
    approval = desk.hold()
    assert approval.assigned_agent_id == first.id and approval.due_at is not None
    assert desk.router.offer_waiting(now=approval.due_at - timedelta(seconds=1)) == 0
    later = approval.due_at + timedelta(seconds=1)
    assert desk.router.offer_waiting(now=later) == 1
    reoffered = desk.service.approvals.get(approval.id)
    assert reoffered.assigned_agent_id == second.id
    assert reoffered.due_at == later + timedelta(seconds=SLA_S)
    assert desk.offers() == [(approval.id, first.id), (approval.id, second.id)]


def test_a_decided_approval_is_not_offered_again_and_any_qualified_agent_may_decide(desk: Desk) -> None:
    ws = _workspace(desk)
    make_agent(desk.store, ws, name="Ava", tier=2, skills={"approvals": 0.9})
    sam = make_agent(desk.store, ws, name="Sam", tier=3).agent
    approval = desk.hold()
    decided = desk.service.approve(sam, approval.id)
    assert decided.approval.decided_by == sam.id
    assert approval.due_at is not None
    assert desk.router.offer_waiting(now=approval.due_at + timedelta(hours=1)) == 0
