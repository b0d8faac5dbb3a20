"""Escalation: queue a conversation for a person, route it, and tell the customer.

The escalation policy decides *that* a person is needed; this decides *who* and *when*, with the
router's rules (docs/routing.md): plan the conversation's preferred skills and due time, queue it,
score the agents, offer it to those who fit (without jumping older, more urgent conversations),
and store every notice to the customer only while the conversation is still queued.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING

from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.language import conversation_language
from relaydesk.domain.capability_types import (
    EscalationDecision,
    RouteDecision,
    RoutePlan,
    RouteRequest,
    TriageResult,
)
from relaydesk.domain.decisions import DecisionKind, RoutePayload
from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import EventType
from relaydesk.domain.models import (
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Message,
    MessageRole,
    utcnow,
)
from relaydesk.domain.ports import Router
from relaydesk.services.assignment import assign, assign_next
from relaydesk.services.context import ServiceContext
from relaydesk.services.payloads import conversation_payload, message_payload

if TYPE_CHECKING:
    from relaydesk.domain.ports import SupportStore
    from relaydesk.services.audit import DecisionRecorder
    from relaydesk.services.wiring import Capabilities

log = logging.getLogger(__name__)

MAX_CANDIDATES = 3
"""Agents, best first, offered a new escalation before it waits for the routing timer."""
MAX_TAKES_PER_AGENT = 10
"""How many more urgent queued conversations one agent may take while a new escalation is routed
(their free seats bound it first)."""


ESCALATION_NOTICES = ("queued", "assigned")
"""The ``event`` of the system messages an escalation tells the customer."""


class Escalation:
    """The escalation use case. ``escalate`` runs inside the caller's transaction (the turn's):
    the conversation is queued, routed and the customer told, all or nothing. Offering it to
    agents follows the commit, in short transactions of its own, so a turn never holds agents'
    rows locked (racing escalations cannot deadlock on them) and a crash in between leaves a
    queued conversation that the routing timer hands out."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    @property
    def store(self) -> SupportStore:
        return self.ctx.store

    @property
    def caps(self) -> Capabilities:
        return self.ctx.caps

    @property
    def decisions(self) -> DecisionRecorder:
        return self.ctx.decisions

    def _publish(self, conversation: Conversation, kind: EventType, data: dict) -> None:  # type: ignore[type-arg]
        self.ctx.publish(conversation, kind, data)

    def escalate(
        self,
        conversation: Conversation,
        decision: EscalationDecision,
        *,
        message: Message | None = None,
        triage: TriageResult | None = None,
    ) -> list[Message]:
        """Queue the conversation for a human; the agents who fit are offered it once the caller's
        transaction commits. Returns the notices stored for the customer now."""
        started = time.perf_counter()
        customer = self.store.get_customer(conversation.customer_id)
        required = tuple(dict.fromkeys(decision.required_skills))
        priority = max(conversation.priority, decision.priority)
        now = utcnow()
        router = self.caps.router
        plan = self._plan(router, conversation, triage, customer.tier, priority, now)
        try:
            conversation = self.store.transition(
                conversation.id,
                expected=[ConversationStatus.WITH_AI],
                to=ConversationStatus.QUEUED,
                queued_at=now,
                priority=priority,
                required_skills=list(required),
                preferred_skills=list(plan.preferred_skills),
                due_at=plan.due_at,
                escalation_reason=decision.reason,
            )
        except Conflict:
            return []  # someone else escalated or took it first
        try:
            with self.store.savepoint():  # a failure here undoes only the routing, not the queueing
                route = self._route_queued(conversation, customer, required, plan, decision, message, started)
        except Exception:
            # The conversation is queued and stays so; the routing timer hands it out. The customer
            # still learns a person is coming.
            log.exception("routing escalated conversation %s failed; it waits in the queue", conversation.id)
            self._queue_message(
                conversation, _queue_notice(1, None, True, self._language(conversation)), message, decision, 1
            )
            return []
        if router.auto_assign and route.candidates:
            offer = lambda: self._offer_and_report(conversation, route, message, decision)  # noqa: E731
            uow = self.store.current_transaction()
            if uow is not None:
                uow.after_commit(offer)
            else:
                offer()
        return []

    def _route_queued(
        self,
        conversation: Conversation,
        customer: Customer,
        required: tuple[str, ...],
        plan: RoutePlan,
        decision: EscalationDecision,
        message: Message | None,
        started: float,
    ) -> RouteDecision:
        router = self.caps.router
        priority = conversation.priority
        position = self._queue_position(conversation)
        request = RouteRequest(
            conversation,
            customer,
            required,
            conversation.language or customer.language,
            priority,
            decision.reason,
            preferred_skills=plan.preferred_skills,
            queued_ahead=position - 1,
            handle_time_s=self.store.median_handle_time_s(conversation.workspace_id),
        )
        route = router.route(request, self.store.agent_loads(conversation.workspace_id))
        self.decisions.record(
            conversation,
            kind=DecisionKind.ROUTE,
            outcome=f"offered:{route.agent.id}" if route.agent else f"queued:{route.queue}",
            message_id=message.id if message else None,
            summary=(
                f"Routed to {route.agent.name}: {route.reason}."
                if route.agent
                else f"Queued for a person at position {position}: {route.reason}."
            ),
            inputs=RoutePayload(
                required,
                plan.preferred_skills,
                conversation.priority,
                request.language,
                str(customer.tier),
                plan.due_at.isoformat() if plan.due_at else None,
                position - 1,
            ).inputs(),
            reasons=[{"scores": route.scores, "estimated_wait_s": route.estimated_wait_s}],
            version=route.version,
            started=started,
        )
        offering = bool(router.auto_assign and route.candidates)
        # With someone to offer it to, the customer is told a person is coming (no place in line).
        # Every notice is stored only while the conversation is still queued: when an agent event
        # assigned it meanwhile, "X has joined" is already there and a queue notice would follow it.
        self._queue_message(
            conversation,
            _queue_notice(
                position,
                route.estimated_wait_s,
                offering,
                self._language(conversation),
                sales="sales" in (conversation.required_skills or ()),
                no_answer=_for_want_of_an_answer(decision),
                sorry=_upset(decision),
            ),
            message,
            decision,
            position,
            estimated_wait_s=route.estimated_wait_s,
        )
        return route

    def _offer_and_report(
        self,
        conversation: Conversation,
        route: RouteDecision,
        message: Message | None,
        decision: EscalationDecision,
    ) -> None:
        """After the escalation committed: offer it to the agents who fit; if none took it, log
        that and tell the customer their place in line."""
        try:
            self._offer(conversation, route, message.id if message else None)
        except Exception:  # the conversation is queued; the routing timer hands it out
            log.exception("routing escalated conversation %s failed; it waits in the queue", conversation.id)
        with self.store.transaction():
            waiting = self.store.get_conversation(conversation.id)
            if waiting.status != ConversationStatus.QUEUED:
                return
            position = self._queue_position(waiting)
            self.decisions.record(
                waiting,
                kind=DecisionKind.ROUTE,
                outcome=f"queued:{route.queue}",
                message_id=message.id if message else None,
                summary=(
                    f"Queued at position {position}: the agents who fit filled up, went away or took "
                    "more urgent conversations first."
                ),
                inputs=RoutePayload(queued_ahead=position - 1, candidates=tuple(route.candidates)).inputs(),
                version=route.version,
                started=time.perf_counter(),
            )
            self._queue_message(
                waiting,
                _still_waiting_notice(position, self._language(waiting)),
                message,
                decision,
                position,
                announce=False,
            )

    def _offer(self, conversation: Conversation, route: RouteDecision, message_id: str | None) -> None:
        """Give the new conversation to the agents who may take it, best first.

        The first few each take what the rules rank first for them: usually this conversation, or
        an older, more urgent one they may now take (a new escalation does not jump the queue). Any
        other agent who fits is then offered this conversation alone. An agent who filled up or
        went away meanwhile is skipped."""
        for agent_id in route.candidates[:MAX_CANDIDATES]:
            for _ in range(MAX_TAKES_PER_AGENT):
                taken = assign_next(
                    self.ctx,
                    agent_id,
                    how="routed",
                    replying_to=(conversation.id, message_id) if message_id else None,
                )
                if taken is None:
                    break
                if taken.id == conversation.id:
                    return
        for agent_id in route.candidates[MAX_CANDIDATES:]:
            try:
                assign(
                    self.ctx,
                    conversation.id,
                    agent_id,
                    how="routed",
                    reason="the routing rules' next best agent for it",
                    version=route.version,
                    require_online=True,
                    reply_to_id=message_id,
                )
                return
            except Conflict as exc:
                if exc.info.get("reason") not in ("at_capacity", "not_online"):
                    return  # someone else has it now

    def _queue_message(
        self,
        conversation: Conversation,
        text: str,
        message: Message | None,
        decision: EscalationDecision,
        position: int,
        *,
        announce: bool = True,
        estimated_wait_s: float | None = None,
    ) -> None:
        """Store a queue notice while the conversation is still queued, and publish it (with the
        ``conversation.queued`` event when ``announce``)."""
        try:
            stored, _ = self.store.add_message(
                conversation.id,
                role=MessageRole.SYSTEM,
                text=text,
                channel=conversation.channel,
                reply_to_id=message.id if message else None,
                metadata={
                    "event": "queued",
                    "position": position,
                    "estimated_wait_s": estimated_wait_s,
                    "reason": decision.reason,
                },
                only_if=[ConversationStatus.QUEUED],
            )
        except Conflict:
            return  # assigned (or closed) meanwhile: the customer already has the newer news
        if announce:
            self._publish(
                conversation,
                EventType.CONVERSATION_QUEUED,
                {**conversation_payload(conversation), "position": position},
            )
        self._publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))

    def _plan(
        self,
        router: Router,
        conversation: Conversation,
        triage: TriageResult | None,
        tier: CustomerTier,
        priority: int,
        now: datetime,
    ) -> RoutePlan:
        """The router's plan, for what the customer asked about: this message's intent, or when it
        says nothing about the request ("yes please", "a person please"), the latest earlier one
        the rules map to skills."""
        intents = [triage.intent] if triage and triage.in_scope and triage.intent else []
        intents += [
            d.outcome
            for d in reversed(self.store.decisions(conversation.id))
            if d.kind == DecisionKind.TRIAGE and d.outcome and d.outcome != "unknown"
        ]
        plan = router.plan(intent=None, tier=tier, priority=priority, now=now)
        for intent in dict.fromkeys(intents):
            candidate = router.plan(intent=intent, tier=tier, priority=priority, now=now)
            if candidate.preferred_skills:
                return candidate
        return plan

    def _language(self, conversation: Conversation) -> str:
        return conversation_language(conversation, self.store.get_customer(conversation.customer_id))

    def _queue_position(self, conversation: Conversation) -> int:
        return self.store.queue_position(conversation)


def _for_want_of_an_answer(decision: EscalationDecision) -> bool:
    """Whether the only reason to bring in a person is that the AI had no answer."""
    rules = {fired.rule for fired in decision.fired}
    return rules == {"missing_knowledge"}


def _upset(decision: EscalationDecision) -> bool:
    """Whether a frustration rule brought the person in (the customer is upset, not only asking)."""
    return any("frustration" in fired.values for fired in decision.fired)


def place_in_line(position: int, language: str) -> str:
    return (
        say("queue.next", language) if position <= 1 else say("queue.position", language, position=position)
    )


def _still_waiting_notice(position: int, language: str = "en") -> str:
    return f"{say('queue.busy', language)} {place_in_line(position, language)}"


def _queue_notice(
    position: int,
    estimated_wait_s: float | None,
    assigned_now: bool = False,
    language: str = "en",
    *,
    sales: bool = False,
    no_answer: bool = False,
    sorry: bool = False,
) -> str:
    text = say("queue.bringing_sales" if sales else "queue.bringing", language)
    if no_answer:  # the customer hears why, not only that a person is coming
        text = f"{say('queue.no_answer', language)} {text}"
    if sorry:  # an upset customer hears it was noticed before being told who comes
        text = f"{say('queue.sorry', language)} {text}"
    if assigned_now:
        return text
    text += " " + place_in_line(position, language)
    if estimated_wait_s is not None:
        minutes = max(1, round(estimated_wait_s / 60))
        text += " " + (
            say("queue.wait_one", language) if minutes == 1 else say("queue.wait", language, minutes=minutes)
        )
    return text
