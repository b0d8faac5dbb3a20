"""Approvals and the audit trail: agents with authority approve or deny held actions; anyone reads why.

``governed_commerce`` builds the demo store's governed tool layer over the database;
``ApprovalService`` lists approval tasks and decides them once: on approval the held action runs
(every rule but the amount limit is checked again), on denial it does not, and either way the
conversation gets a message saying what happened, so it resumes. New tasks are offered to an agent
with the authority through ``ApprovalRouter`` (``services/approval_routing.py``); the assigned
agent or any agent of the approver tier may decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Forbidden, InvalidInput, NotFound
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import Agent, Message, MessageRole
from relaydesk.domain.ports import EventPublisher
from relaydesk.governance.actions import ActionPolicy
from relaydesk.governance.actor import Actor
from relaydesk.governance.approval import Approval, ApprovalStatus
from relaydesk.governance.audit_text import AuditEntry, describe_all
from relaydesk.governance.governed import GovernedTools, ToolOutcome, ToolStatus
from relaydesk.governance.policy import GovernancePolicy, load_policy
from relaydesk.governance.ports import ApprovalQueue
from relaydesk.services.approval_routing import ApprovalRouter
from relaydesk.services.payloads import message_payload
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.storage.approval_store import SqlApprovalStore
    from relaydesk.storage.store import SqlStore

MAX_NOTE = 2000
RECENT_MESSAGES = 6
"""Messages of the transcript an approver sees with an approval task."""
FLOW_CONTEXT = ("name", "version", "step", "slots")
"""What of the conversation's specialist flow an approver sees."""


def governed_commerce(
    store: SqlStore, policy: GovernancePolicy | None = None, approvals: ApprovalQueue | None = None
) -> GovernedTools:
    """The demo store's tools over ``store``'s database, judged by ``policy`` and logged to it;
    ``approvals``: where held calls go (default: stored, offered to nobody in particular)."""
    from relaydesk.commerce.tools import commerce_tools
    from relaydesk.storage.approval_store import SqlApprovalStore
    from relaydesk.storage.commerce_store import SqlCommerceStore

    policy = policy or load_policy()
    return GovernedTools(
        commerce_tools(SqlCommerceStore(store.engine)),
        ActionPolicy(policy.actions, policy.label),
        store,
        approvals or SqlApprovalStore(store.engine),
    )


@dataclass(frozen=True, slots=True)
class ApprovalContext:
    """What an approver decides with: where the conversation's flow stands and what was said last."""

    flow: dict[str, Any] | None = None
    """The conversation's specialist flow: its name, version, step and filled slots."""
    messages: list[Message] = field(default_factory=list)
    """The last messages of the transcript, oldest first."""


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    approval: Approval
    outcome: ToolOutcome | None
    """What the held action did when it was approved (None when denied)."""


class ApprovalService:
    def __init__(
        self,
        store: SqlStore,
        approvals: SqlApprovalStore,
        tools: GovernedTools,
        bus: EventPublisher | None = None,
    ) -> None:
        self.store = store
        self.approvals = approvals
        self.tools = tools
        self.bus = bus

    @classmethod
    def build(
        cls,
        store: SqlStore,
        settings: Settings,
        bus: EventPublisher | None = None,
        *,
        policy: GovernancePolicy | None = None,
        router: ApprovalRouter | None = None,
    ) -> ApprovalService:
        """``policy``: the one already loaded (the runtime passes the escalation policy's, so the
        file is read once); read from the settings' file when not given. ``router``: who new
        approval tasks are offered to (built from the settings when not given)."""
        from relaydesk.storage.approval_store import SqlApprovalStore

        approvals = SqlApprovalStore(store.engine)
        router = router or ApprovalRouter(store, approvals, bus, sla_s=settings.approval_sla_s)
        tools = governed_commerce(store, policy or load_policy(settings.governance_policy), router)
        return cls(store, approvals, tools, bus)

    # -- reads --------------------------------------------------------------------------------------
    def list_approvals(
        self,
        agent: Agent,
        *,
        status: ApprovalStatus | None = ApprovalStatus.PENDING,
        conversation_id: str | None = None,
        mine: bool = False,
    ) -> list[Approval]:
        """The workspace's approval tasks; ``mine``: only those offered to ``agent``."""
        return self.approvals.list(
            agent.workspace_id,
            status=status,
            conversation_id=conversation_id,
            assigned_to=agent.id if mine else None,
        )

    def context(self, approval: Approval) -> ApprovalContext:
        """The conversation's flow and its last messages, for the agent deciding ``approval``."""
        conversation_id = approval.request.conversation_id
        if conversation_id is None:
            return ApprovalContext()
        with self.store.reading():
            conversation = self.store.get_conversation(conversation_id)
            messages = self.store.messages(conversation_id)
        flow = conversation.flow
        return ApprovalContext(
            {k: flow.get(k) for k in FLOW_CONTEXT} if flow else None, messages[-RECENT_MESSAGES:]
        )

    def get(self, agent: Agent, approval_id: str) -> Approval:
        approval = self.approvals.get(approval_id)
        if approval.request.workspace_id != agent.workspace_id:
            raise NotFound(f'No approval with id "{approval_id}"')
        return approval

    def audit_trail(self, agent: Agent, conversation_id: str) -> list[AuditEntry]:
        conversation = self.store.get_conversation(conversation_id)
        if conversation.workspace_id != agent.workspace_id:
            raise NotFound(f'No conversation with id "{conversation_id}"')
        return describe_all(self.store.decisions(conversation_id))

    # -- decisions ----------------------------------------------------------------------------------
    def approve(self, agent: Agent, approval_id: str, note: str | None = None) -> ApprovalDecision:
        approval = self._authorized(agent, approval_id, note)
        approval = self.approvals.claim_decision(
            approval_id, status=ApprovalStatus.APPROVED, agent_id=agent.id, note=note
        )
        outcome = self.tools.run_approved(approval.request, approver=agent.id, approval_id=approval_id)
        status = ApprovalStatus.APPROVED if outcome.status == ToolStatus.EXECUTED else ApprovalStatus.FAILED
        approval = self.approvals.record_result(
            approval_id,
            status=status,
            result={"status": str(outcome.status), "reason": outcome.reason, "rule": outcome.rule},
        )
        if status == ApprovalStatus.APPROVED:
            text = (
                f"Good news: a member of our team approved your request ({_action(self.tools, approval)}), "
                "and it is done."
            )
        else:
            text = (
                f"A member of our team approved your request ({_action(self.tools, approval)}), but it could "
                f"not be completed: {outcome.reason}"
            )
        self._log_and_tell(agent, approval, str(status), text, note)
        return ApprovalDecision(approval, outcome)

    def deny(self, agent: Agent, approval_id: str, note: str | None = None) -> ApprovalDecision:
        self._authorized(agent, approval_id, note)
        approval = self.approvals.claim_decision(
            approval_id, status=ApprovalStatus.DENIED, agent_id=agent.id, note=note
        )
        approval = self.approvals.record_result(
            approval_id, status=ApprovalStatus.DENIED, result={"status": "denied", "reason": note or ""}
        )
        text = (
            f"A member of our team reviewed your request ({_action(self.tools, approval)}) and could not "
            "approve it." + (f" {note}" if note else "")
        )
        self._log_and_tell(agent, approval, "denied", text, note)
        return ApprovalDecision(approval, None)

    def _authorized(self, agent: Agent, approval_id: str, note: str | None) -> Approval:
        if note is not None and len(note) > MAX_NOTE:
            raise InvalidInput(f"A note may have at most {MAX_NOTE} characters, got {len(note)}")
        approval = self.get(agent, approval_id)
        if agent.tier < approval.request.approver_tier:
            raise Forbidden(
                f'Approval "{approval_id}" needs an agent of tier {approval.request.approver_tier} '
                f"or above; {agent.name} is tier {agent.tier}"
            )
        return approval

    def _log_and_tell(
        self, agent: Agent, approval: Approval, outcome: str, text: str, note: str | None
    ) -> None:
        """The decision, the customer's message and its event, in one transaction (the event goes
        through the outbox, so it is sent even if the bus is down at that moment)."""
        with self.store.transaction():
            self._log_and_tell_now(agent, approval, outcome, text, note)

    def _log_and_tell_now(
        self, agent: Agent, approval: Approval, outcome: str, text: str, note: str | None
    ) -> None:
        request = approval.request
        self.store.add_decision(
            workspace_id=request.workspace_id,
            conversation_id=request.conversation_id,
            kind=str(DecisionKind.APPROVAL),
            outcome=outcome,
            summary=f"{agent.name} (tier {agent.tier}) {outcome} {request.tool}, held by rule "
            f"{request.rule}: {request.reason}" + (f" Note: {note}" if note else ""),
            inputs={
                "approval_id": approval.id,
                "tool": request.tool,
                "args": request.args,
                "agent_id": agent.id,
                "amount": request.amount,
                "actor": Actor.agent(agent).to_log(),
            },
            reasons=[{"rule": request.rule, "passed": outcome == "approved", "reason": request.reason}],
            version=request.policy_version,
        )
        if request.conversation_id is None:
            return
        conversation = self.store.get_conversation(request.conversation_id)
        message, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.SYSTEM,
            text=text,
            channel=conversation.channel,
            metadata={"event": "approval", "approval_id": approval.id, "status": outcome},
        )
        if self.bus is not None:
            self.bus.publish(
                ConversationEvent(
                    EventType.MESSAGE_CREATED,
                    conversation.workspace_id,
                    conversation.id,
                    message_payload(message),
                )
            )


def _action(tools: GovernedTools, approval: Approval) -> str:
    tool = tools.tools.get(approval.request.tool)
    what = tool.spec.description.rstrip(".").lower() if tool else approval.request.tool
    target = approval.request.args.get("order_id")
    amount = f", {approval.request.amount:.2f}" if approval.request.amount is not None else ""
    return what + (f" for order {target}" if target else "") + amount


def approval_view(approval: Approval, context: ApprovalContext | None = None) -> dict[str, Any]:
    """Plain data for the API and CLI; with ``context``, the flow and the last messages too."""
    request = approval.request
    return {
        "id": approval.id,
        "status": str(approval.status),
        "conversation_id": request.conversation_id,
        "tool": request.tool,
        "args": request.args,
        "rule": request.rule,
        "reason": request.reason,
        "amount": request.amount,
        "approver_tier": request.approver_tier,
        "policy_version": request.policy_version,
        "created_at": approval.created_at.isoformat(),
        "decided_by": approval.decided_by,
        "decided_at": approval.decided_at.isoformat() if approval.decided_at else None,
        "note": approval.note,
        "result": approval.result,
        "assigned_agent_id": approval.assigned_agent_id,
        "due_at": approval.due_at.isoformat() if approval.due_at else None,
        "flow": context.flow if context else None,
        "recent_messages": [
            {"role": str(m.role), "text": m.text, "created_at": m.created_at.isoformat()}
            for m in (context.messages if context else [])
        ],
    }
