"""Approvals and the audit trail: agents with authority approve or deny held actions; anyone reads why.

``governed_commerce`` builds the demo store's governed tool layer over the database;
``ApprovalService`` lists approval tasks and decides them once: on approval the held action runs
(every rule but the amount limit is checked again), on denial it does not, and either way the
conversation gets a message saying what happened, so it resumes. New tasks are offered to an agent
with the authority through ``ApprovalRouter`` (``services/approval_routing.py``); the assigned
agent or any agent of the approver tier may decide.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from relaydesk.dialogue.language import conversation_language
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Forbidden, InvalidInput, NotFound
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import Agent, Decision, Message, MessageRole
from relaydesk.domain.ports import EventPublisher
from relaydesk.governance.actions import ActionPolicy, money
from relaydesk.governance.actor import Actor
from relaydesk.governance.approval import Approval, ApprovalStatus
from relaydesk.governance.audit_text import AuditEntry, describe_all
from relaydesk.governance.governed import GovernedTools, ToolOutcome, ToolStatus
from relaydesk.governance.policy import GovernancePolicy, load_policy
from relaydesk.governance.ports import ApprovalQueue
from relaydesk.handoff.flow_section import public_slots, step_kinds, step_name
from relaydesk.services.approval_routing import ApprovalRouter
from relaydesk.services.approval_texts import decision_text
from relaydesk.services.payloads import message_payload
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.commerce.ports import CommerceRepository
    from relaydesk.storage.approval_store import SqlApprovalStore
    from relaydesk.storage.store import SqlStore

log = logging.getLogger(__name__)

MAX_NOTE = 2000
RECENT_MESSAGES = 6
"""Messages of the transcript an approver sees with an approval task."""
MONEY_FACTS = ("refund_amount", "charge_amount", "price_difference")
"""Amounts of a held call's facts an approver sees with the flow's slots."""


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
    """The specialist flow that asked for the approval (or, for an agent's call, the one in
    progress): its name, version, the step it stands at, how it ended (``outcome``) and the slots
    it filled; None when there is none (``approval_flow``)."""
    messages: list[Message] = field(default_factory=list)
    """The last messages of the transcript, oldest first."""
    customer: dict[str, str | None] = field(default_factory=dict)
    """Who the conversation is with: ``name`` (the name they gave, the site's id for them, or the
    name on the store account the AI verified) and ``email`` (given, or the verified account's);
    empty for an anonymous customer. Agents may see both (docs/security.md)."""
    requested_by: dict[str, Any] | None = None
    """Who asked for the action: ``{"kind": "ai"}`` or an agent's ``{"kind": "agent", "name": ...}``
    (from the held call's decision); None when the log does not say."""
    related: list[dict[str, Any]] = field(default_factory=list)
    """Other pending approvals of the same order (another conversation asking for the same thing
    looks alike): id, conversation, customer name, tool, amount, when requested."""
    earlier: dict[str, Any] | None = None
    """For an approval that failed: the earlier approval of the same order that ran (``result.earlier``,
    with its customer's name read now)."""


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
        records: CommerceRepository | None = None,
    ) -> None:
        """``records``: the store's records an approver's view describes items and payment methods
        from (the demo store on ``store``'s database when not given)."""
        from relaydesk.storage.commerce_store import SqlCommerceStore

        self.store = store
        self.approvals = approvals
        self.tools = tools
        self.bus = bus
        self.records: CommerceRepository = records or SqlCommerceStore(store.engine)

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

    def context(self, approval: Approval, pending: Sequence[Approval] | None = None) -> ApprovalContext:
        """The conversation's flow, its last messages, the customer, who asked and the other
        pending approvals of the same order, for the agent deciding ``approval``. ``pending``: the
        workspace's pending approvals when the caller has them (read here otherwise)."""
        conversation_id = approval.request.conversation_id
        if pending is None:
            pending = self.approvals.list(approval.request.workspace_id)
        related = [self._related(a) for a in pending if a.id != approval.id and _same_order(a, approval)]
        earlier = self._earlier(approval)
        if conversation_id is None:
            return ApprovalContext(related=related, earlier=earlier)
        with self.store.reading():
            conversation = self.store.get_conversation(conversation_id)
            messages = self.store.recent_messages(conversation_id)
            decisions = self.store.decisions(conversation_id)
        try:
            flow = approval_flow(conversation.flow, approval, self.records, decisions)
        except Exception:  # the task is still decidable without it
            log.exception("the flow of approval %s could not be described", approval.id)
            flow = None
        return ApprovalContext(
            flow,
            messages[-RECENT_MESSAGES:],
            self._customer(conversation_id),
            requested_by(approval, decisions),
            related,
            earlier,
        )

    def contexts(self, approvals: Sequence[Approval]) -> list[ApprovalContext]:
        """``context`` of each, reading the workspace's pending approvals once."""
        pending = {w: self.approvals.list(w) for w in {a.request.workspace_id for a in approvals}}
        return [self.context(a, pending[a.request.workspace_id]) for a in approvals]

    def _customer(self, conversation_id: str) -> dict[str, str | None]:
        from relaydesk.services.handoff_brief import verified_account

        conversation = self.store.get_conversation(conversation_id)
        customer = self.store.get_customer(conversation.customer_id)
        name, email = customer.name or customer.external_id, customer.email
        if not (name and email):
            account = verified_account(self.store, conversation)
            if account is not None:
                name, email = name or account.name, email or account.email
        return {"name": name, "email": email} if name or email else {}

    def _related(self, approval: Approval) -> dict[str, Any]:
        request = approval.request
        customer = self._customer(request.conversation_id) if request.conversation_id else {}
        return {
            "id": approval.id,
            "conversation_id": request.conversation_id,
            "customer_name": customer.get("name"),
            "tool": request.tool,
            "args": request.args,
            "amount": request.amount,
            "created_at": approval.created_at.isoformat(),
        }

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
        result: dict[str, Any] = {
            "status": str(outcome.status),
            "reason": outcome.reason,
            "rule": outcome.rule,
        }
        if status == ApprovalStatus.FAILED:
            result["earlier"] = self._approved_before(approval)
        approval = self.approvals.record_result(approval_id, status=status, result=result)
        self._log_and_tell(agent, approval, str(status), outcome.reason, note)
        return ApprovalDecision(approval, outcome)

    def deny(self, agent: Agent, approval_id: str, note: str | None = None) -> ApprovalDecision:
        self._authorized(agent, approval_id, note)
        approval = self.approvals.claim_decision(
            approval_id, status=ApprovalStatus.DENIED, agent_id=agent.id, note=note
        )
        approval = self.approvals.record_result(
            approval_id, status=ApprovalStatus.DENIED, result={"status": "denied", "reason": note or ""}
        )
        self._log_and_tell(agent, approval, "denied", note, note)
        return ApprovalDecision(approval, None)

    def _approved_before(self, approval: Approval) -> dict[str, Any] | None:
        """The latest other approval of the same order that ran (what changed the order under a
        second request for the same thing, the usual reason one fails): for the approver only."""
        done = [
            a
            for a in self.approvals.list(
                approval.request.workspace_id, status=ApprovalStatus.APPROVED, limit=1000
            )
            if a.id != approval.id and _same_order(a, approval) and a.decided_at is not None
        ]
        if not done:
            return None
        latest = max(done, key=lambda a: a.decided_at or a.created_at)
        by = self.store.get_agent(latest.decided_by) if latest.decided_by else None
        return {  # no customer's name or e-mail is stored with it (erasure finds those where they live)
            "id": latest.id,
            "conversation_id": latest.request.conversation_id,
            "created_at": latest.created_at.isoformat(),
            "decided_at": latest.decided_at.isoformat() if latest.decided_at else None,
            "decided_by": by.name if by else None,
        }

    def _earlier(self, approval: Approval) -> dict[str, Any] | None:
        """The stored ``result.earlier`` with its customer's name as it is now."""
        earlier = approval.result.get("earlier")
        if not isinstance(earlier, dict):
            return None
        conversation_id = earlier.get("conversation_id")
        customer = self._customer(conversation_id) if conversation_id else {}
        return {**earlier, "customer_name": customer.get("name")}

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
        self, agent: Agent, approval: Approval, outcome: str, detail: str | None, note: str | None
    ) -> None:
        """The decision, the customer's message (``detail``: the failure's reason or the denial's
        note, services/approval_texts.py) and its event, in one transaction (the event goes through
        the outbox, so it is sent even if the bus is down at that moment)."""
        with self.store.transaction():
            self._log_and_tell_now(agent, approval, outcome, detail, note)

    def _log_and_tell_now(
        self, agent: Agent, approval: Approval, outcome: str, detail: str | None, note: str | None
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
        language = conversation_language(conversation, self.store.get_customer(conversation.customer_id))
        text = decision_text(outcome, request.tool, request.args, request.amount, language, detail)
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


def _same_order(one: Approval, other: Approval) -> bool:
    order = one.request.args.get("order_id")
    return order is not None and order == other.request.args.get("order_id")


def requested_by(approval: Approval, decisions: Sequence[Decision]) -> dict[str, Any] | None:
    """Who asked for ``approval``: the held call's decision names an agent, or nobody (the AI)."""
    for decision in decisions:
        if decision.kind == DecisionKind.TOOL_CALL and decision.inputs.get("approval_id") == approval.id:
            actor = decision.inputs.get("actor")
            if isinstance(actor, dict) and actor.get("kind") == "agent":
                return {"kind": "agent", "name": actor.get("name")}
            return {"kind": "ai"}
    return None


def approval_flow(
    state: dict[str, Any] | None,
    approval: Approval,
    records: CommerceRepository | None = None,
    decisions: Sequence[Decision] = (),
) -> dict[str, Any] | None:
    """The specialist flow an approver sees with ``approval``, from the conversation's flow state.

    The flow that asked for it: its frame, or (as the engine leaves it) the ended flow's record
    with the approval's id and the held tool call; its slots are read back from the held call (an
    ended flow keeps none): the arguments, the items and payment method they name, and the
    amounts. For an approval the flow did not ask for (an agent's own call), the flow in progress.
    Each as its name and version, the step (``step 3 (reason)``; ``act`` for the call the flow
    made) and how it ended (``outcome``), and its slots without the flow's own (``_``) keys. None
    when there is no flow."""
    state = state or {}
    frames = [state.get("active"), *(state.get("suspended") or [])]
    frame = next((f for f in frames if f and f.get("approval_id") == approval.id), None)
    record = next((r for r in state.get("finished") or [] if r.get("approval_id") == approval.id), None)
    call = next((c for c in state.get("tool_calls") or [] if c.get("approval_id") == approval.id), None)
    if frame is None and (record is not None or call is not None):
        name, _, version = str((call or {}).get("flow") or "").partition("@")
        return {
            "name": (record or {}).get("flow") or name or None,
            "version": version or None,
            "step": "act",
            "outcome": (record or {}).get("outcome") or "awaiting_approval",
            "slots": public_slots((record or {}).get("slots")) or held_slots(approval, records),
        }
    asked = frame is not None
    frame = frame or state.get("active")
    if not frame:
        return None
    slots = public_slots(frame.get("slots"))
    return {
        "name": frame.get("name"),
        "version": frame.get("version"),
        "step": step_name(
            frame.get("step", 0), step_kinds(decisions).get(f"{frame.get('name')}@{frame.get('version')}")
        ),
        "outcome": None,
        "slots": (slots or held_slots(approval, records)) if asked else slots,
    }


def held_slots(approval: Approval, records: CommerceRepository | None = None) -> dict[str, Any]:
    """The slots a held call was made from: its arguments, the items and the payment method in
    words (read from ``records``), and the amounts governance judged."""
    from relaydesk.specialists.extract import describe_method, describe_options

    request = approval.request
    slots: dict[str, Any] = dict(request.args)
    order = records.order(str(request.args["order_id"])) if records and request.args.get("order_id") else None
    if order is not None:
        wanted = [str(i) for i in request.args.get("item_ids") or [i.item_id for i in order.items]]
        items = [i for i in order.items if i.item_id in wanted]
        slots["items"] = ", ".join(f"{i.name} ({describe_options(i.options)})" for i in items)
        new = []
        for item_id in request.args.get("new_item_ids") or []:
            product = records.product_of_item(str(item_id)) if records else None
            variant = product.variants.get(str(item_id)) if product else None
            if product and variant:
                new.append(f"{product.name} ({describe_options(variant.options)})")
        if new:
            slots["new_items"] = ", ".join(new)
        method_id = request.args.get("payment_method_id") or next(
            (p.payment_method_id for p in order.payments if str(p.kind) == "payment"), None
        )
        user = records.user(order.user_id) if records and method_id else None
        method = user.payment_method(str(method_id)) if user else None
        if method is not None:
            slots["payment"] = describe_method(method.to_json())
    for fact in MONEY_FACTS:
        if isinstance(request.facts.get(fact), int | float):
            slots[fact] = money(float(request.facts[fact]))
    return slots


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
        "result": {**approval.result, "earlier": context.earlier}
        if context and context.earlier
        else approval.result,
        "assigned_agent_id": approval.assigned_agent_id,
        "due_at": approval.due_at.isoformat() if approval.due_at else None,
        "flow": context.flow if context else None,
        "customer": context.customer if context else {},
        "requested_by": context.requested_by if context else None,
        "related": context.related if context else [],
        "recent_messages": [
            {"role": str(m.role), "text": m.text, "created_at": m.created_at.isoformat()}
            for m in (context.messages if context else [])
        ],
    }
