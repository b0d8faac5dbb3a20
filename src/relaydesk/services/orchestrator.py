"""The message path: triage, decide, reply or escalate, publish events, log every decision."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from typing import TYPE_CHECKING

from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import (
    HUMAN_OWNED,
    Conversation,
    ConversationStatus,
    Message,
    MessageRole,
)
from relaydesk.domain.ports import EventBus
from relaydesk.domain.signals import (
    ConversationContext,
    EscalationDecision,
    FiredRule,
    ResponderReply,
    TriageResult,
)
from relaydesk.services.audit import DecisionRecorder
from relaydesk.services.escalation import Escalation
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
        self.escalation = Escalation(self)

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
        """Queue the conversation for a person and route it (services/escalation.py)."""
        return self.escalation.escalate(conversation, decision, message=message, triage=triage)

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
