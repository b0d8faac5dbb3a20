"""Approval tasks go to an agent who holds the authority, with their own service level.

``ApprovalRouter`` is the approval queue governance writes to (the ``ApprovalQueue`` port): a new
approval task is stored and offered to one online agent whose tier reaches its approver tier
(``routing/approvers.py`` picks who), with a due time ``approval_sla_s`` ahead, and that agent's
stream gets an ``approval.assigned`` event, all in one transaction. When nobody qualified is
online it stays unassigned (any qualified agent may still decide it); the routing sweep calls
``offer_waiting`` to offer those, and the overdue ones, again once someone qualified is online.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import AgentStatus, utcnow
from relaydesk.governance.approval import Approval
from relaydesk.governance.ports import ApprovalRequest
from relaydesk.routing.approvers import ApproverCandidate, choose_approver

if TYPE_CHECKING:
    from relaydesk.domain.models import Agent
    from relaydesk.domain.ports import EventPublisher, SupportStore
    from relaydesk.storage.approval_store import SqlApprovalStore

log = logging.getLogger(__name__)


class ApprovalRouter:
    def __init__(
        self,
        store: SupportStore,
        approvals: SqlApprovalStore,
        events: EventPublisher | None = None,
        *,
        sla_s: float = 600.0,
    ) -> None:
        self.store = store
        self.approvals = approvals
        self.events = events
        self.sla_s = sla_s

    # -- the ApprovalQueue port -----------------------------------------------------------------
    def create_approval(self, request: ApprovalRequest) -> str:
        """Store the approval task and offer it to a qualified online agent, in one transaction."""
        with self.store.transaction():
            approval_id = self.approvals.create_approval(request)
            self.offer(self.approvals.get(approval_id))
        return approval_id

    def approval_status(self, approval_id: str) -> str:
        return self.approvals.approval_status(approval_id)

    def pending_duplicate(self, request: ApprovalRequest) -> str | None:
        return self.approvals.pending_duplicate(request)

    def withdraw_approval(self, approval_id: str, note: str) -> str:
        return self.approvals.withdraw_approval(approval_id, note)

    # -- offering -------------------------------------------------------------------------------
    def offer(self, approval: Approval, *, now: datetime | None = None) -> Agent | None:
        """Offer ``approval`` to the best qualified online agent (not the one who let it go
        overdue); the agent, or None when nobody qualified is online or another worker offered
        it first."""
        now = now or utcnow()
        request = approval.request
        exclude = {approval.assigned_agent_id} if approval.assigned_agent_id else set()
        with self.store.transaction():
            pending = self.approvals.pending_per_agent(request.workspace_id)
            candidates = [
                ApproverCandidate(x.agent, pending.get(x.agent.id, 0) + x.open_conversations)
                for x in self.store.agent_loads(request.workspace_id)
                if x.agent.status == AgentStatus.ONLINE
            ]
            agent = choose_approver(candidates, request.approver_tier, exclude=exclude)
            if agent is None:
                return None
            due_at = now + timedelta(seconds=self.sla_s)
            if not self.approvals.assign(
                approval.id, agent_id=agent.id, due_at=due_at, expected_agent_id=approval.assigned_agent_id
            ):
                return None
            if self.events is not None:
                self.events.publish(
                    ConversationEvent(
                        EventType.APPROVAL_ASSIGNED,
                        request.workspace_id,
                        request.conversation_id or "",
                        {
                            "approval_id": approval.id,
                            "agent_id": agent.id,
                            "agent_name": agent.name,
                            "tool": request.tool,
                            "rule": request.rule,
                            "reason": request.reason,
                            "amount": request.amount,
                            "approver_tier": request.approver_tier,
                            "due_at": due_at.isoformat(),
                            "reoffered_from": approval.assigned_agent_id,
                        },
                    )
                )
        return agent

    def offer_waiting(self, *, now: datetime | None = None) -> int:
        """Offer again the pending approvals nobody qualified could take when they were created,
        and those whose approver let the service level pass; how many found an agent. Safe on
        many workers at once (each offer is a compare-and-set)."""
        now = now or utcnow()
        offered = 0
        for approval in self.approvals.waiting_for_an_approver(now):
            try:
                if self.offer(approval, now=now) is not None:
                    offered += 1
            except Exception:  # one bad row must not stop the others; the next pass retries it
                log.exception("offering approval %s again failed", approval.id)
        return offered
