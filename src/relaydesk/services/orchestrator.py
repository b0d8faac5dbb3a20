"""The message path: triage, decide, reply or escalate, publish events, log every decision."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import (
    HUMAN_OWNED,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Message,
    MessageRole,
    utcnow,
)
from relaydesk.domain.ports import EventBus, Router
from relaydesk.domain.signals import (
    ConversationContext,
    EscalationDecision,
    FiredRule,
    ResponderReply,
    RouteDecision,
    RoutePlan,
    RouteRequest,
    TriageResult,
)
from relaydesk.services.audit import DecisionRecorder
from relaydesk.services.payloads import conversation_payload, message_payload
from relaydesk.services.wiring import Capabilities

if TYPE_CHECKING:
    from relaydesk.handoff.similar_cases import SimilarCaseFinder
    from relaydesk.storage.store import SqlStore

log = logging.getLogger(__name__)
MISSING_KNOWLEDGE = "missing knowledge"
FALLBACK = "fallback"
OFFER_TEXT = (
    "I'm sorry this is taking a while. Would you like me to bring in someone from our support team? "
    "Just say yes, or tell me more and I'll keep trying."
)
OUT_OF_SCOPE_OFFER_TEXT = (
    "That is outside what I can help with on my own. Would you like me to bring in someone from our "
    "support team? Just say yes, or ask me something else."
)


MAX_CANDIDATES = 3
"""Agents, best first, offered a new escalation before it waits for the routing timer."""
MAX_TAKES_PER_AGENT = 10
"""How many more urgent queued conversations one agent may take while a new escalation is routed
(their free seats bound it first)."""


def offer_text(rules: list[str]) -> str:
    """The offer's wording: a request the AI does not cover is not a conversation that dragged on."""
    return OUT_OF_SCOPE_OFFER_TEXT if rules and set(rules) == {"out_of_scope"} else OFFER_TEXT


class Orchestrator:
    """Handles one stored customer message at a time: ``handle(message)``."""

    def __init__(
        self,
        store: SqlStore,
        capabilities: Capabilities,
        bus: EventBus,
        *,
        escalate_on_missing_knowledge: bool = True,
        cases: SimilarCaseFinder | None = None,
    ) -> None:
        self.store = store
        self.cases = cases
        self.caps = capabilities
        self.bus = bus
        self.decisions = DecisionRecorder(store)
        self.escalate_on_missing_knowledge = escalate_on_missing_knowledge

    # -- entry point ------------------------------------------------------------------------------
    def handle(self, message: Message) -> list[Message]:
        """Run the path for a customer message that is already stored; returns what was said back."""
        conversation = self.store.get_conversation(message.conversation_id)
        if conversation.status in HUMAN_OWNED:
            replies = self._deliver_to_agent(conversation, message)
        elif conversation.status == ConversationStatus.QUEUED:
            replies = []  # a human is coming; the AI does not talk over the handoff
        elif conversation.status == ConversationStatus.RESOLVED:
            replies = []
        else:
            replies = self._handle_with_ai(conversation, message)
        self.store.mark_handled(message.id)
        return replies

    def recover_unhandled(self) -> int:
        """Handle customer messages stored before a crash but never handled. Returns how many."""
        count = 0
        for message in self.store.unhandled_customer_messages():
            try:
                self.handle(message)
                count += 1
            except Exception:
                log.exception("could not recover message %s", message.id)
        return count

    def _place_case(self, conversation: Conversation, message: Message, triage: TriageResult) -> None:
        """Add the message's vector to similar-case search. The index is derived data that
        ``relaydesk cases reindex`` can rebuild, so a failure here is logged, never raised."""
        if self.cases is None:
            return
        try:
            self.cases.record(conversation, message, triage)
        except Exception:
            log.exception("could not add message %s to similar-case search", message.id)

    # -- human owns it ----------------------------------------------------------------------------
    def _deliver_to_agent(self, conversation: Conversation, message: Message) -> list[Message]:
        if conversation.status == ConversationStatus.WAITING_ON_CUSTOMER:
            try:
                conversation = self.store.transition(
                    conversation.id,
                    expected=[ConversationStatus.WAITING_ON_CUSTOMER],
                    to=ConversationStatus.ASSIGNED,
                )
                self._publish(conversation, EventType.CONVERSATION_STATUS, conversation_payload(conversation))
            except Conflict:
                pass  # the agent resolved or handed back meanwhile; the message is stored either way
        self.decisions.record(
            conversation,
            kind="delivery",
            outcome="to_agent",
            message_id=message.id,
            summary="A person owns this conversation, so the message went to them and the AI stayed quiet.",
            inputs={"agent_id": conversation.assigned_agent_id},
            version="orchestrator-1",
        )
        return []

    # -- AI owns it -------------------------------------------------------------------------------
    def _handle_with_ai(self, conversation: Conversation, message: Message) -> list[Message]:
        context = self._context(conversation, message)
        started = time.perf_counter()
        triage = self.caps.triage.analyze(message.text, context)
        self.decisions.record(
            conversation,
            kind="triage",
            outcome=triage.intent or "unknown",
            message_id=message.id,
            summary=_triage_summary(triage),
            inputs={"text_chars": len(message.text)},
            reasons=[triage.to_log()],
            version=triage.version,
            started=started,
        )
        self._place_case(conversation, message, triage)
        if triage.language and not conversation.language:
            conversation = self.store.update_conversation(conversation.id, language=triage.language)
            context = self._context(conversation, message)

        started = time.perf_counter()
        decision = self.caps.escalation.evaluate(message, triage, context)
        self._record_escalation(conversation, message, decision, started)
        if decision.escalate and not decision.offer_only:
            return self.escalate(conversation, decision, message=message, triage=triage)
        # A soft trigger (offer_only) still lets the AI try: a good answer is sent with the offer,
        # a knowledge gap escalates, and a reply of last resort is replaced by the offer itself.
        offer = decision if decision.escalate else None

        started = time.perf_counter()
        reply, abstained = self._first_reply(message, triage, context)
        if abstained and self.escalate_on_missing_knowledge and not reply.resolved:
            reasons = [a for a in abstained if a.abstain_reason == MISSING_KNOWLEDGE]
            if reasons:
                rule = FiredRule(
                    "missing_knowledge",
                    "policy",
                    "the knowledge base does not cover this",
                    {
                        "responders": [a.responder for a in reasons],
                        "confidence": max(a.confidence for a in reasons),
                    },
                )
                missing = EscalationDecision(
                    True,
                    "The AI has no knowledge that answers this.",
                    (rule, *(offer.fired if offer else ())),
                    priority=offer.priority if offer else 0,
                    required_skills=offer.required_skills if offer else (),
                    version="orchestrator-1",
                )
                self._record_escalation(conversation, message, missing, started)
                return self.escalate(conversation, missing, message=message, triage=triage)
        if offer is not None and reply.responder == FALLBACK:
            return [self._offer_a_person(conversation, message, offer)]
        replies = [self._send_ai_reply(conversation, message, reply, abstained, started)]
        if offer is not None and reply.resolved and _only_triage_doubt(offer):
            # Triage doubted the request, but a responder answered it from knowledge or tools: the
            # answer settles the doubt, and "that is outside what I can help with" would contradict it.
            self.decisions.record(
                conversation,
                kind="escalation",
                outcome="offer_withdrawn",
                message_id=message.id,
                summary=f"No person offered: the {reply.responder} responder answered what triage doubted.",
                inputs={"rules": [rule.rule for rule in offer.fired]},
                reasons=[offer.reason],
                version="orchestrator-1",
                started=started,
            )
            offer = None
        if offer is not None:
            conversation = self.store.get_conversation(conversation.id)
            replies.append(self._offer_a_person(conversation, message, offer))
        return replies

    def _first_reply(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> tuple[ResponderReply, list[ResponderReply]]:
        abstained: list[ResponderReply] = []
        for responder in self.caps.responders:
            reply = responder.respond(message, triage, context)
            if reply.text:
                return reply, abstained
            abstained.append(reply)
        from relaydesk.specialists.fallback import FallbackResponder

        return FallbackResponder().respond(message, triage, context), abstained

    def _send_ai_reply(
        self,
        conversation: Conversation,
        message: Message,
        reply: ResponderReply,
        abstained: list[ResponderReply],
        started: float,
    ) -> Message:
        assert reply.text is not None
        metadata = {
            "responder": reply.responder,
            "resolved": reply.resolved,
            "confidence": round(reply.confidence, 4),
            "citations": [asdict(c) for c in reply.citations],
        }
        stored, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.AI,
            text=reply.text,
            channel=conversation.channel,
            reply_to_id=message.id,
            metadata=metadata,
            author_id=reply.responder,
        )
        self.store.increment_ai_turns(conversation.id)
        self.decisions.record(
            conversation,
            kind="response",
            outcome=reply.responder,
            message_id=message.id,
            summary=f"The AI answered with the {reply.responder} responder"
            + (" and considers the question resolved." if reply.resolved else "."),
            inputs={
                "confidence": reply.confidence,
                "abstained": [
                    {"responder": a.responder, "reason": a.abstain_reason, "confidence": a.confidence}
                    for a in abstained
                ],
            },
            reasons=list(reply.reasons) + [asdict(c) for c in reply.citations],
            version=reply.version,
            started=started,
        )
        self._publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
        return stored

    # -- escalation -------------------------------------------------------------------------------
    def _offer_a_person(
        self, conversation: Conversation, message: Message, decision: EscalationDecision
    ) -> Message:
        """Ask the customer whether they want a person (a soft trigger); their answer decides."""
        rules = [rule.rule for rule in decision.fired]
        stored, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.AI,
            text=offer_text(rules),
            channel=conversation.channel,
            reply_to_id=message.id,
            author_id="orchestrator",
            metadata={"escalation_offer": True, "reason": decision.reason, "rules": rules},
        )
        self.store.increment_ai_turns(conversation.id)
        self._publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
        return stored

    def escalate(
        self,
        conversation: Conversation,
        decision: EscalationDecision,
        *,
        message: Message | None = None,
        triage: TriageResult | None = None,
    ) -> list[Message]:
        """Queue the conversation for a human (and assign at once when the router picks someone)."""
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
            self._route_queued(conversation, customer, required, plan, decision, message, started)
        except Exception:
            # The conversation is queued and stays so; the routing timer hands it out. The customer
            # still learns a person is coming.
            log.exception("routing escalated conversation %s failed; it waits in the queue", conversation.id)
            self._queue_message(conversation, _queue_notice(1, None, True), message, decision, 1)
        if message is None:
            return []
        # This escalation's own notices and assignment, not other messages stored meanwhile (the
        # card notice the desk already returns, a customer's next message).
        return [
            m
            for m in self.store.messages(conversation.id, after_seq=message.seq)
            if m.role == MessageRole.SYSTEM and m.metadata.get("event") in ("queued", "assigned")
        ]

    def _route_queued(
        self,
        conversation: Conversation,
        customer: Customer,
        required: tuple[str, ...],
        plan: RoutePlan,
        decision: EscalationDecision,
        message: Message | None,
        started: float,
    ) -> None:
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
            kind="route",
            outcome=f"offered:{route.agent.id}" if route.agent else f"queued:{route.queue}",
            message_id=message.id if message else None,
            summary=(
                f"Routed to {route.agent.name}: {route.reason}."
                if route.agent
                else f"Queued for a person at position {position}: {route.reason}."
            ),
            inputs={
                "required_skills": list(required),
                "preferred_skills": list(plan.preferred_skills),
                "priority": conversation.priority,
                "language": request.language,
                "tier": str(customer.tier),
                "due_at": plan.due_at.isoformat() if plan.due_at else None,
                "queued_ahead": position - 1,
            },
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
            _queue_notice(position, route.estimated_wait_s, offering),
            message,
            decision,
            position,
        )
        if offering:
            try:
                self._offer(conversation, route)
            except Exception:  # the conversation is queued; the routing timer hands it out
                log.exception(
                    "routing escalated conversation %s failed; it waits in the queue", conversation.id
                )
            waiting = self.store.get_conversation(conversation.id)
            if waiting.status == ConversationStatus.QUEUED:
                position = self._queue_position(waiting)
                self.decisions.record(
                    waiting,
                    kind="route",
                    outcome=f"queued:{route.queue}",
                    message_id=message.id if message else None,
                    summary=(
                        f"Queued at position {position}: the agents who fit filled up, went away or took "
                        "more urgent conversations first."
                    ),
                    inputs={"candidates": list(route.candidates), "queued_ahead": position - 1},
                    version=route.version,
                    started=time.perf_counter(),
                )
                self._queue_message(
                    waiting, _still_waiting_notice(position), message, decision, position, announce=False
                )

    def _offer(self, conversation: Conversation, route: RouteDecision) -> None:
        """Give the new conversation to the agents who may take it, best first.

        The first few each take what the rules rank first for them: usually this conversation, or
        an older, more urgent one they may now take (a new escalation does not jump the queue). Any
        other agent who fits is then offered this conversation alone. An agent who filled up or
        went away meanwhile is skipped."""
        from relaydesk.services.conversations import assign, assign_next  # local: avoids an import cycle

        for agent_id in route.candidates[:MAX_CANDIDATES]:
            for _ in range(MAX_TAKES_PER_AGENT):
                taken = assign_next(self, agent_id, how="routed")
                if taken is None:
                    break
                if taken.id == conversation.id:
                    return
        for agent_id in route.candidates[MAX_CANDIDATES:]:
            try:
                assign(
                    self,
                    conversation.id,
                    agent_id,
                    how="routed",
                    reason="the routing rules' next best agent for it",
                    version=route.version,
                    require_online=True,
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
                metadata={"event": "queued", "position": position, "reason": decision.reason},
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
            if d.kind == "triage" and d.outcome and d.outcome != "unknown"
        ]
        plan = router.plan(intent=None, tier=tier, priority=priority, now=now)
        for intent in dict.fromkeys(intents):
            candidate = router.plan(intent=intent, tier=tier, priority=priority, now=now)
            if candidate.preferred_skills:
                return candidate
        return plan

    def _queue_position(self, conversation: Conversation) -> int:
        return self.store.queue_position(conversation)

    def _record_escalation(
        self, conversation: Conversation, message: Message, decision: EscalationDecision, started: float
    ) -> None:
        self.decisions.record(
            conversation,
            kind="escalation",
            outcome="escalate" if decision.escalate else "stay_with_ai",
            message_id=message.id,
            summary=decision.reason,
            inputs={
                "ai_turns": conversation.ai_turns,
                "priority": decision.priority,
                "mode": str(decision.mode),
                "required_skills": list(decision.required_skills),
            },
            reasons=[asdict(rule) for rule in decision.fired],
            version=decision.version,
            started=started,
        )

    # -- helpers ----------------------------------------------------------------------------------
    def _context(self, conversation: Conversation, message: Message) -> ConversationContext:
        history = tuple(m for m in self.store.messages(conversation.id) if m.id != message.id)
        customer = self.store.get_customer(conversation.customer_id)
        return ConversationContext(conversation, customer, history, now_ts=time.time())

    def _publish(self, conversation: Conversation, kind: EventType, data: dict) -> None:  # type: ignore[type-arg]
        self.bus.publish(ConversationEvent(kind, conversation.workspace_id, conversation.id, data))


def _only_triage_doubt(decision: EscalationDecision) -> bool:
    """True when every rule behind an offer only doubted triage (out of scope, low confidence)."""
    return bool(decision.fired) and all(rule.values.get("triage_doubt") for rule in decision.fired)


def _triage_summary(triage: TriageResult) -> str:
    parts = [f"intent {triage.intent or 'unknown'} ({triage.confidence:.0%})"]
    if not triage.in_scope:
        parts.append("out of scope")
    if triage.wants_human:
        parts.append("asked for a person")
    if triage.frustration >= 0.5:
        parts.append(f"frustration {triage.frustration:.2f}")
    if triage.urgency >= 0.5:
        parts.append(f"urgency {triage.urgency:.2f}")
    if triage.language:
        parts.append(f"language {triage.language}")
    return "Triage read " + ", ".join(parts) + "."


def _still_waiting_notice(position: int) -> str:
    return "Everyone who can help with this is busy for the moment. " + (
        "You're next in line." if position <= 1 else f"You're number {position} in line."
    )


def _queue_notice(position: int, estimated_wait_s: float | None, assigned_now: bool = False) -> str:
    text = "I'm bringing in a member of our support team, who will see everything we've discussed so far. "
    if assigned_now:
        return text.rstrip()
    if position <= 1:
        text += "You're next in line."
    else:
        text += f"You're number {position} in line."
    if estimated_wait_s is not None:
        minutes = max(1, round(estimated_wait_s / 60))
        text += f" The wait should be about {minutes} minute{'s' if minutes != 1 else ''}."
    return text
