"""The turn: one stored customer message, handled and committed as one transaction.

``Orchestrator.handle(message)`` first *thinks* without holding any lock: it reads the conversation
once, runs triage, the escalation policy and the specialists, and plans what to say. Then it
*commits*: in one transaction it locks the conversation, checks that nobody handled the message
meanwhile and that the conversation is still the AI's, and writes the decisions, the reply (or the
escalation), the events to publish (outbox rows) and the handled mark together. Either all of it
is stored or none of it is, so a crash never leaves a message answered twice or half-handled, and
an answer the AI prepared for a conversation a person took meanwhile is dropped and logged.

Events go out after the commit (services/outbox.py); an escalation is offered to agents after the
commit too, in short transactions of its own (services/escalation.py).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from relaydesk.dialogue.catalogue import supported
from relaydesk.dialogue.language import message_language, reply_language
from relaydesk.dialogue.questions import responders_in_order
from relaydesk.domain.capability_types import (
    ConversationContext,
    EscalationDecision,
    FiredRule,
    ReplyAction,
    ResponderReply,
    TriageResult,
)
from relaydesk.domain.decisions import Abstention, DecisionKind, DeliveryPayload, ResponsePayload
from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import EventType
from relaydesk.domain.models import HUMAN_OWNED, Conversation, ConversationStatus, Message, MessageRole
from relaydesk.governance.conversation_signals import offers_made
from relaydesk.services.context import ServiceContext
from relaydesk.services.escalation import ESCALATION_NOTICES, Escalation
from relaydesk.services.intake_turns import IntakeTurns
from relaydesk.services.offers import offer_a_person
from relaydesk.services.outcomes import closing_reply, confirm_resolution
from relaydesk.services.payloads import conversation_payload, message_payload
from relaydesk.services.waiting_turns import WaitingTurns, record_triage
from relaydesk.triage.entities import canonical_order_ids

if TYPE_CHECKING:
    from relaydesk.cases.similar import SimilarCaseFinder
    from relaydesk.domain.ports import SupportStore
    from relaydesk.services.wiring import Capabilities

log = logging.getLogger(__name__)
VERSION = "turn-2"
ESCALATED = "turn.escalated"
MAX_REPLANS = 3
"""Times a turn thinks again outside the lock when the conversation changed meanwhile."""
SMALL_TALK = "smalltalk"


@dataclass
class TurnPlan:
    """What the AI would do with a message, worked out before the transaction opens."""

    conversation: Conversation
    """The conversation as the plan saw it; the commit re-plans if it changed."""
    context: ConversationContext
    triage: TriageResult
    triage_ms: float
    decision: EscalationDecision
    decision_ms: float
    reply: ResponderReply | None = None
    """The first specialist reply that did not abstain (None when escalating at once)."""
    abstained: list[ResponderReply] = field(default_factory=list)
    reply_ms: float = 0.0


@dataclass
class WaitingRead:
    """A message to a conversation a person has or is coming to: triage only, read before the
    transaction like a plan (services/waiting_turns.py)."""

    context: ConversationContext
    triage: TriageResult
    answer: ResponderReply | None = None  # the help center's, to a question asked while queued


@dataclass(frozen=True, slots=True)
class TurnResult:
    replies: list[Message]
    """What was said back to the customer in this turn (or in the first handling, on a retry)."""
    conversation: Conversation
    """The conversation as the turn left it."""


INTAKE_MIN_CONFIDENCE = 0.6
"""Triage confidence from which the escalating message's intent chooses the intake flow."""


def _same_state(seen: Conversation, now: Conversation) -> bool:
    """Whether a plan made on ``seen`` still fits: what the policy and the reply depend on is the
    same (a later message arriving meanwhile changes nothing the plan read: the history is the
    messages before this one)."""
    keys = ("status", "assigned_agent_id", "ai_turns", "language", "priority", "escalation_reason", "flow")
    return all(getattr(seen, k) == getattr(now, k) for k in keys)


class Orchestrator:
    """Handles one stored customer message at a time: ``handle(message)``."""

    def __init__(self, context: ServiceContext, *, cases: SimilarCaseFinder | None = None) -> None:
        self.ctx = context
        self.cases = cases
        self.escalation = Escalation(context)
        self.intake = IntakeTurns(context)
        self.waiting = WaitingTurns(context)
        self.ai_replies_dropped = 0

    @property
    def store(self) -> SupportStore:
        return self.ctx.store

    @property
    def caps(self) -> Capabilities:
        return self.ctx.caps

    # -- entry point ------------------------------------------------------------------------------
    def handle(self, message: Message) -> list[Message]:
        """Run the turn for a customer message that is already stored; returns what was said back.
        Safe to call twice or from two workers at once: the second finds the message handled and
        returns the first handling's replies."""
        return self.run_turn(message).replies

    def run_turn(self, message: Message) -> TurnResult:
        """``handle``, with the conversation as the turn left it."""
        caps = self.caps  # wait for the models first, holding no connection meanwhile
        for _attempt in range(MAX_REPLANS):
            plan = self._plan(message, caps)
            outcome = self._commit(message, plan, think_under_lock=False)
            if outcome is not None:
                return outcome
        # The conversation kept changing while the AI thought (a burst of messages): this time the
        # thinking happens under the lock, so the answer fits the conversation as it is.
        outcome = self._commit(message, None, think_under_lock=True)
        assert outcome is not None
        return outcome

    def _plan(self, message: Message, caps: Capabilities) -> TurnPlan | WaitingRead | None:
        with self.store.reading():  # one short read snapshot: the conversation and its history
            seen = self.store.get_conversation(message.conversation_id)
            if seen.status == ConversationStatus.RESOLVED:
                return None
            context = self._context(seen, message)
        if seen.status != ConversationStatus.WITH_AI:
            return self._read_waiting(message, context)
        return self._think(seen, message, context)  # no connection held while the models run

    def _read_waiting(self, message: Message, context: ConversationContext) -> WaitingRead:
        triage = self.caps.triage.analyze(canonical_order_ids(message.text), context)
        return WaitingRead(
            context, triage, self.waiting.look_up(message, triage, context, self.caps.responders)
        )

    def _commit(
        self, message: Message, plan: TurnPlan | WaitingRead | None, *, think_under_lock: bool
    ) -> TurnResult | None:
        """The turn's transaction; None (nothing written) when the conversation changed since the
        plan was made and ``think_under_lock`` is off, so the caller thinks again outside the lock."""
        replies: list[Message] = []
        with self.store.transaction() as uow:
            conversation = self.store.lock_conversation(message.conversation_id)
            if self.store.message_handled(message.id):
                replies = self.store.replies_to(message.id)  # handled before: its replies, nothing new
            else:
                if conversation.status == ConversationStatus.WITH_AI:
                    if not isinstance(plan, TurnPlan) or not _same_state(plan.conversation, conversation):
                        if not think_under_lock:
                            return None  # changed meanwhile; nothing was written
                        plan = self._think(conversation, message, self._context(conversation, message))
                    replies = self._apply(plan, conversation, message)
                elif conversation.status in HUMAN_OWNED or conversation.status == ConversationStatus.QUEUED:
                    read = plan if isinstance(plan, WaitingRead) else None
                    if read is None:  # the AI had planned an answer: a person took it meanwhile
                        read = self._read_waiting(message, self._context(conversation, message))
                    conversation, raised = self.waiting.retriage(
                        conversation, message, read.triage, read.context
                    )
                    if conversation.status == ConversationStatus.QUEUED:
                        replies = self.intake.answer(conversation, message)
                        replies = replies or self.waiting.acknowledge(
                            conversation, message, read.triage, raised, read.answer
                        )
                    else:
                        dropped = plan if isinstance(plan, TurnPlan) else None
                        replies = self._deliver_to_agent(conversation, message, dropped=dropped)
                # QUEUED: a person is coming; the AI only gathers what they will need. RESOLVED: closed.
                self.store.mark_handled(message.id)
            after = self.store.get_conversation(message.conversation_id)
        if uow.state.get(ESCALATED):  # offered to agents after the commit: read what that changed
            with self.store.reading():
                return TurnResult(
                    self._escalation_notices(message), self.store.get_conversation(message.conversation_id)
                )
        return TurnResult(replies, after)

    def give_up(self, message: Message, attempts: int) -> None:
        """The AI kept failing on this message (a model or a data error): hand the conversation to a
        person instead of trying forever, and mark the message handled."""
        with self.store.transaction():
            conversation = self.store.lock_conversation(message.conversation_id)
            if self.store.message_handled(message.id):
                return
            self.ctx.decisions.record(
                conversation,
                kind=DecisionKind.RECOVERY,
                outcome="to_person",
                message_id=message.id,
                summary=f"The AI failed to handle this message {attempts} times, so a person takes it.",
                inputs={"attempts": attempts},
                version=VERSION,
            )
            if conversation.status == ConversationStatus.WITH_AI:
                rule = FiredRule(
                    "processing_failed",
                    "policy",
                    "the AI could not handle the message",
                    {"attempts": attempts},
                )
                decision = EscalationDecision(
                    True, "The AI could not handle the customer's message.", (rule,), version=VERSION
                )
                self.escalation.escalate(conversation, decision, message=message)
            self.store.mark_handled(message.id)

    # -- thinking (no transaction, no writes) ------------------------------------------------------
    def _think(self, conversation: Conversation, message: Message, context: ConversationContext) -> TurnPlan:
        # order ids as the store writes them ("w 954 9057" is #W9549057) for triage and the flows
        message = replace(message, text=canonical_order_ids(message.text))
        started = time.perf_counter()
        triage = self.caps.triage.analyze(message.text, context)
        triage_ms = (time.perf_counter() - started) * 1000.0
        if triage.language and not conversation.language:
            context = replace(context, conversation=replace(conversation, language=triage.language))
        started = time.perf_counter()
        decision = self.caps.escalation.evaluate(message, triage, context)
        plan = TurnPlan(
            conversation, context, triage, triage_ms, decision, (time.perf_counter() - started) * 1000.0
        )
        if decision.escalate and not decision.offer_only:
            return plan
        started = time.perf_counter()
        plan.reply, plan.abstained = self._first_reply(message, triage, context)
        plan.reply_ms = (time.perf_counter() - started) * 1000.0
        return plan

    def _first_reply(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> tuple[ResponderReply, list[ResponderReply]]:
        abstained: list[ResponderReply] = []
        for responder in responders_in_order(message.text, context, self.caps.responders):
            reply = responder.respond(message, triage, context)
            if reply.text:
                return reply, abstained
            abstained.append(reply)
        from relaydesk.specialists.fallback import FallbackResponder

        return FallbackResponder().respond(message, triage, context), abstained

    # -- committing (inside the turn's transaction) -----------------------------------------------
    def _apply(self, plan: TurnPlan, conversation: Conversation, message: Message) -> list[Message]:
        triage = plan.triage
        record_triage(self.ctx, conversation, message, triage, latency_ms=plan.triage_ms)
        self._place_case(conversation, message, triage)
        spoken = message_language(triage, message.text)
        if (spoken and supported(spoken) and spoken != conversation.language) or (
            triage.language and not conversation.language
        ):
            conversation = self.store.update_conversation(conversation.id, language=spoken or triage.language)
            # the chat page speaks the customer's language too: it learns it from this event
            self.ctx.publish(conversation, EventType.CONVERSATION_STATUS, conversation_payload(conversation))
        language = reply_language(plan.context, triage, message.text)
        decision = plan.decision
        self._record_escalation(conversation, message, decision, plan.decision_ms)
        if decision.escalate and not decision.offer_only:
            return self._escalate(conversation, decision, message, triage)
        reply = plan.reply
        assert reply is not None
        verdict = self.caps.escalation.review_reply(decision, reply, plan.abstained)
        if verdict.action == ReplyAction.ESCALATE and verdict.escalation is not None:
            self._record_escalation(conversation, message, verdict.escalation, plan.reply_ms)
            return self._escalate(conversation, verdict.escalation, message, triage)
        offer_instead = verdict.action == ReplyAction.OFFER_INSTEAD and verdict.offer is not None
        if offer_instead and not offers_made(plan.context.history):  # offered once, never again
            assert verdict.offer is not None
            return [offer_a_person(self.ctx, conversation, message, verdict.offer, language)]
        reply = closing_reply(reply, plan.context.history, language)  # no "anything else?" as it closes
        replies = [self._send_ai_reply(conversation, message, reply, plan.abstained, plan.reply_ms)]
        if reply.handoff_reason:  # a flow that could not finish: a person takes it from where it stopped
            handoff = EscalationDecision(
                True,
                f"A person finishes what the AI started: {reply.handoff_reason}",
                (FiredRule("flow_exit", "policy", reply.handoff_reason, {"flow": reply.flow}),),
                priority=max(decision.priority, 1),
                required_skills=decision.required_skills,
                version=reply.version,
            )
            self._record_escalation(conversation, message, handoff, 0.0)
            return replies + self._escalate(conversation, handoff, message, triage)
        if verdict.withdrawn is not None:
            self.ctx.decisions.record(
                conversation,
                kind=DecisionKind.ESCALATION,
                outcome="offer_withdrawn",
                message_id=message.id,
                summary=f"No person offered: the {reply.responder} responder answered what triage doubted.",
                inputs={"rules": [rule.rule for rule in verdict.withdrawn.fired]},
                reasons=[verdict.withdrawn.reason],
                version=verdict.withdrawn.version,
                latency_ms=0.0,
            )
        if verdict.offer is not None:
            replies.append(offer_a_person(self.ctx, conversation, message, verdict.offer, language))
            return replies
        return replies + confirm_resolution(self.ctx, conversation, message, reply, plan.context.history)

    def _escalate(
        self, conversation: Conversation, decision: EscalationDecision, message: Message, triage: TriageResult
    ) -> list[Message]:
        uow = self.store.current_transaction()
        if uow is not None:
            uow.state[ESCALATED] = True
        notices = self.escalation.escalate(conversation, decision, message=message, triage=triage)
        # an unsure intent reading is no topic: intake would ask about the wrong thing
        intent = triage.intent if triage.confidence >= INTAKE_MIN_CONFIDENCE else None
        topics = {intent, *decision.required_skills} - {None}
        return notices + self.intake.begin(conversation, message, {str(t) for t in topics})

    # -- intake while the customer waits (specialists/intake.py) ---------------------------------
    def _escalation_notices(self, message: Message) -> list[Message]:
        """This escalation's own notices and assignment, and the AI's replies to the message (a
        flow that hands over says so first, intake asks its first question), not other messages
        stored meanwhile (the card notice the desk already returns, a customer's next message)."""
        return [
            m
            for m in self.store.messages(message.conversation_id, after_seq=message.seq)
            if m.role == MessageRole.SYSTEM
            and m.metadata.get("event") in ESCALATION_NOTICES
            or m.role == MessageRole.AI
            and m.reply_to_id == message.id
        ]

    def _place_case(self, conversation: Conversation, message: Message, triage: TriageResult) -> None:
        """Add the message's vector to similar-case search. The index is derived data that
        ``relaydesk cases reindex`` can rebuild, so a failure here is logged, never raised (it is
        written in a savepoint, so a failure does not spoil the turn's transaction)."""
        if self.cases is None:
            return
        try:
            with self.store.savepoint():
                self.cases.record(conversation, message, triage)
        except Exception:
            log.exception("could not add message %s to similar-case search", message.id)

    def _deliver_to_agent(
        self, conversation: Conversation, message: Message, *, dropped: TurnPlan | None
    ) -> list[Message]:
        if conversation.status == ConversationStatus.WAITING_ON_CUSTOMER:
            try:
                conversation = self.store.transition(
                    conversation.id,
                    expected=[ConversationStatus.WAITING_ON_CUSTOMER],
                    to=ConversationStatus.ASSIGNED,
                )
                self.ctx.publish(
                    conversation, EventType.CONVERSATION_STATUS, conversation_payload(conversation)
                )
            except Conflict:
                pass  # the agent resolved or handed back meanwhile; the message is stored either way
        summary = "A person owns this conversation, so the message went to them and the AI stayed quiet."
        if dropped is not None:
            self.ai_replies_dropped += 1
            summary = (
                "A person took the conversation while the AI was preparing its answer: the answer was "
                "dropped and the message went to them."
            )
            log.info("dropped the AI's answer to %s: a person took the conversation", message.id)
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.DELIVERY,
            outcome="to_agent",
            message_id=message.id,
            summary=summary,
            inputs=DeliveryPayload(conversation.assigned_agent_id, dropped is not None).inputs(),
            version=VERSION,
        )
        return []

    def _send_ai_reply(
        self,
        conversation: Conversation,
        message: Message,
        reply: ResponderReply,
        abstained: list[ResponderReply],
        latency_ms: float,
    ) -> Message:
        assert reply.text is not None
        metadata = {
            "responder": reply.responder,
            "resolved": reply.resolved,
            "confidence": round(reply.confidence, 4),
            "citations": [asdict(c) for c in reply.citations],
        }
        if reply.flow:
            metadata.update(flow=reply.flow, asks=reply.asks)
        if reply.act:
            metadata["act"] = reply.act
        stored, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.AI,
            text=reply.text,
            channel=conversation.channel,
            reply_to_id=message.id,
            metadata=metadata,
            author_id=reply.responder,
        )
        # ai_turns counts the AI's replies that have not settled anything yet (the turn limit's
        # "still unresolved after N replies"): an answer that resolved the need starts it afresh,
        # small talk (a greeting, a thank-you) does not count.
        # A flow that moves on (asks for the next thing, confirms) is making headway either way.
        if reply.flow_state is not None:
            self.store.update_conversation(conversation.id, flow=reply.flow_state)
        if reply.follow_up and self.ctx.follow_ups is not None:  # "has your parcel arrived?"
            self.ctx.follow_ups.schedule(
                conversation.id, reply.follow_up[0], due_in_s=reply.follow_up[1], flow=reply.flow
            )
        if reply.resolved:
            self.store.update_conversation(conversation.id, ai_turns=0)
        elif reply.responder != SMALL_TALK and not reply.progressed:
            self.store.increment_ai_turns(conversation.id)
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.RESPONSE,
            outcome=reply.responder,
            message_id=message.id,
            summary=f"The AI answered with the {reply.responder} responder"
            + (" and considers the question resolved." if reply.resolved else "."),
            inputs=ResponsePayload(
                reply.confidence,
                tuple(Abstention(a.responder, a.abstain_reason, a.confidence) for a in abstained),
            ).inputs(),
            reasons=list(reply.reasons) + [asdict(c) for c in reply.citations],
            version=reply.version,
            latency_ms=latency_ms,
        )
        self.ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
        return stored

    def escalate(
        self,
        conversation: Conversation,
        decision: EscalationDecision,
        *,
        message: Message | None = None,
        triage: TriageResult | None = None,
    ) -> list[Message]:
        """Queue the conversation for a person and route it, as one transaction (the offer to agents
        follows it); returns this escalation's notices when ``message`` is given."""
        with self.store.transaction():
            self.escalation.escalate(conversation, decision, message=message, triage=triage)
        return self._escalation_notices(message) if message is not None else []

    def _record_escalation(
        self, conversation: Conversation, message: Message, decision: EscalationDecision, latency_ms: float
    ) -> None:
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.ESCALATION,
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
            latency_ms=latency_ms,
        )

    # -- helpers ----------------------------------------------------------------------------------
    def _context(self, conversation: Conversation, message: Message) -> ConversationContext:
        recent = self.store.recent_messages(conversation.id)
        history = tuple(m for m in recent if m.id != message.id and m.seq < message.seq)
        customer = self.store.get_customer(conversation.customer_id)
        return ConversationContext(conversation, customer, history, now_ts=time.time())
