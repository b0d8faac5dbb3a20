"""How conversations end, and what a customer's return means (docs/outcomes.md).

- **Resolved by the AI, confirmed**: the AI's latest answer settled the request (a knowledge answer
  or a flow that finished its work: the reply carries ``resolved``), and the customer then thanks
  or says goodbye, or tells a finished flow there is nothing more. Closed in the same turn.
- **Resolved by the AI, quiet**: the AI's latest answer settled the request, and the customer has
  written nothing for ``settle_after_s``. Closed by the timer (``settle_quiet``).
- **Abandoned**: the customer went quiet for ``settle_after_s`` while nothing was settled (the AI
  had asked a question, found no answer, or offered a person): closed, but not counted as resolved.
- **Waiting for an approval**: a conversation whose action waits for a person's decision (the
  customer was told they need do nothing until then) is not closed by the timer, however quiet;
  the decision's message starts the quiet time again.
- **Reopened**: a customer who writes in a closed conversation within ``reopen_window_s`` of its
  closing opens it again (with the AI, which reads the whole history; an abandoned conversation's
  flow goes on from the question it was waiting on); later, they are asked to start a new one.
- **Topic**: the first intent triage reads with confidence, in scope, that is a request (not a
  greeting or thanks); it says what the conversation is about for repeat contacts and reports.
- **Repeat after a handover** (handoff friction): a customer message written after the first
  handover that says again what the customer said before it (``dialogue/repeats.py``) is logged as
  a ``repeat`` decision, with how much was repeated but not the words (they may be personal data).

Every closing and reopening is a decision in the log; the KPIs read them (``analytics``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from relaydesk.cases.similar import INTENT_CONFIDENCE, NOT_A_REQUEST
from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.language import conversation_language
from relaydesk.dialogue.repeats import repeats
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import EventType
from relaydesk.domain.models import (
    Conversation,
    ConversationStatus,
    Message,
    MessageRole,
    Resolution,
    utcnow,
)
from relaydesk.services.payloads import conversation_payload, message_payload

if TYPE_CHECKING:
    from relaydesk.domain.capability_types import ResponderReply
    from relaydesk.domain.ports import SupportStore
    from relaydesk.services.context import ServiceContext
    from relaydesk.triage.message_triage import TriageResult

log = logging.getLogger(__name__)

VERSION = "outcomes-1"
SMALL_TALK = "smalltalk"
CONFIRMING_ACTS = frozenset({"thanks", "farewell"})
"""Small-talk replies that mean the customer is content: a thank-you, a goodbye, a "no thanks,
that's all" (answered with a farewell)."""
CLOSING_FLOW = "close"
"""The flow label of "nothing more" said to a finished flow's "anything else?"."""
HANDOVER_DECISIONS = frozenset({DecisionKind.ESCALATION, DecisionKind.RECOVERY, DecisionKind.ASSIGNMENT})


@dataclass(frozen=True, slots=True)
class OutcomeSettings:
    settle_after_s: float = 1800.0
    """Quiet time after which a conversation the AI holds closes: resolved when the AI's latest
    answer settled the request, abandoned otherwise."""
    reopen_window_s: float = 7 * 86400.0
    """How long after closing a customer's message reopens a conversation."""


def settled(history: Sequence[Message]) -> bool:
    """Whether the latest answer in ``history`` settled the customer's request: the AI's latest
    reply that is not small talk, an offer of a person or a waiting notice carries ``resolved``, or
    a person handed the conversation back after working on it."""
    for m in reversed(history):
        meta = m.metadata or {}
        if m.role == MessageRole.SYSTEM and meta.get("event") == "handed_back":
            return True
        if m.role == MessageRole.AGENT:
            return False  # a person is talking: their own resolution closes it
        if m.role != MessageRole.AI:
            continue
        if meta.get("responder") == SMALL_TALK or meta.get("escalation_offer") or meta.get("event"):
            continue
        return bool(meta.get("resolved"))
    return False


def awaits_approval(conversation: Conversation, history: Sequence[Message]) -> bool:
    """Whether an action of the conversation's flows waits for a person's approval that nobody has
    decided yet (the customer was told to wait for the decision): a finished flow's record that
    is ``awaiting_approval`` with no decision message (``event: approval``) for its approval in
    ``history``. A withdrawn one is recorded as such by the flow."""
    finished = (conversation.flow or {}).get("finished") or []
    held = {
        str(r["approval_id"])
        for r in finished
        if r.get("approval_id") and r.get("outcome") == "awaiting_approval"
    }
    if not held:
        return False
    decided = {
        str((m.metadata or {}).get("approval_id"))
        for m in history
        if m.role == MessageRole.SYSTEM and (m.metadata or {}).get("event") == "approval"
    }
    return bool(held - decided)


def note_topic(ctx: ServiceContext, conversation: Conversation, triage: TriageResult) -> Conversation:
    """Keep the conversation's first confident request intent as its topic."""
    if conversation.topic or not triage.intent or not triage.in_scope or triage.wants_human:
        return conversation
    if triage.confidence < INTENT_CONFIDENCE or triage.intent in NOT_A_REQUEST:
        return conversation
    return ctx.store.update_conversation(conversation.id, topic=triage.intent[:100])


def confirms(reply: ResponderReply, history: Sequence[Message]) -> bool:
    """Whether ``reply`` answers the customer's confirmation of a settled request (see the module)."""
    if reply.flow == CLOSING_FLOW and reply.resolved:
        return True
    return reply.responder == SMALL_TALK and reply.act in CONFIRMING_ACTS and settled(history)


def closing_reply(reply: ResponderReply, history: Sequence[Message], language: str | None) -> ResponderReply:
    """The thank-you that closes the conversation says so instead of asking "anything else?"."""
    if reply.responder == SMALL_TALK and reply.act == "thanks" and confirms(reply, history):
        return replace(reply, text=say("thanks.closing", language))
    return reply


def confirm_resolution(
    ctx: ServiceContext,
    conversation: Conversation,
    message: Message,
    reply: ResponderReply,
    history: Sequence[Message],
) -> list[Message]:
    """Close the conversation as resolved by the AI when ``reply`` answers the customer's
    confirmation of a settled request (see the module); the closing notice, or nothing. In the
    turn's transaction."""
    if conversation.status != ConversationStatus.WITH_AI or not confirms(reply, history):
        return []
    return [
        close(
            ctx,
            conversation,
            Resolution.AI_CONFIRMED,
            by="ai",
            evidence="confirmed",
            summary="The AI's answer settled the request and the customer confirmed it "
            f'("{reply.act or reply.flow}"), so the AI resolved the conversation.',
            message_id=message.id,
        )
    ]


def note_repeat(ctx: ServiceContext, conversation: Conversation, message: Message) -> bool:
    """Log a ``repeat`` decision when ``message``, written after the first handover, says again
    what the customer said before it. Returns whether it did."""
    handover_at = _first_handover(ctx.store, conversation.id)
    if handover_at is None or message.created_at <= handover_at:
        return False
    earlier = [
        m
        for m in ctx.store.messages(conversation.id)
        if m.role == MessageRole.CUSTOMER and m.created_at <= handover_at and m.id != message.id
    ]
    found = repeats(message.text, [m.text for m in earlier]) if earlier else None
    if found is None:
        return False
    before = earlier[found.earlier_index]
    ctx.decisions.record(
        conversation,
        kind=DecisionKind.REPEAT,
        outcome="repeated",
        message_id=message.id,
        summary=f"After the handover the customer said again what they wrote in message {before.seq} "
        f"({len(found.shared)} words or numbers in common).",
        inputs={"earlier_message_id": before.id, "shared": len(found.shared), "overlap": found.overlap},
        version=VERSION,
    )
    return True


def _first_handover(store: SupportStore, conversation_id: str) -> datetime | None:
    for d in store.decisions(conversation_id):
        if d.kind not in HANDOVER_DECISIONS:
            continue
        if d.kind == DecisionKind.ESCALATION and d.outcome != "escalate":
            continue
        return d.created_at
    return None


def close(
    ctx: ServiceContext,
    conversation: Conversation,
    resolution: Resolution,
    *,
    by: str,
    evidence: str,
    summary: str,
    message_id: str | None = None,
) -> Message:
    started = time.perf_counter()
    closed = ctx.store.transition(
        conversation.id,
        expected=[ConversationStatus.WITH_AI],
        to=ConversationStatus.RESOLVED,
        resolved_at=utcnow(),
        resolution=str(resolution),
        ai_turns=0,
        # an abandoned conversation keeps where its flow stood: the customer's reply picks it up
        **({} if resolution == Resolution.ABANDONED else {"flow": None}),
    )
    inputs: dict[str, Any] = {"by": by, "evidence": evidence, "resolution": str(resolution)}
    ctx.decisions.record(
        closed,
        kind=DecisionKind.RESOLUTION,
        outcome="abandoned" if resolution == Resolution.ABANDONED else "resolved_by_ai",
        message_id=message_id,
        summary=summary,
        inputs=inputs,
        version=VERSION,
        started=started,
    )
    key = {
        Resolution.AI_CONFIRMED: "resolved.confirmed",
        Resolution.AI_QUIET: "resolved.quiet",
    }.get(resolution, "closed.idle")
    language = conversation_language(closed, ctx.store.get_customer(closed.customer_id))
    notice, _ = ctx.store.add_message(
        closed.id,
        role=MessageRole.SYSTEM,
        text=say(key, language),
        channel=closed.channel,
        reply_to_id=message_id,
        metadata={"event": "resolved", "resolution": str(resolution)},
    )
    ctx.publish(closed, EventType.MESSAGE_CREATED, message_payload(notice))
    ctx.publish(closed, EventType.CONVERSATION_RESOLVED, conversation_payload(closed))
    return notice


class Outcomes:
    def __init__(self, context: ServiceContext, settings: OutcomeSettings | None = None) -> None:
        self.ctx = context
        self.settings = settings or OutcomeSettings()

    @property
    def store(self) -> SupportStore:
        return self.ctx.store

    def reopen(self, conversation: Conversation, now: datetime | None = None) -> Conversation:
        """A closed conversation the customer writes in again: open with the AI again, within
        the reopen window (the caller holds the transaction and the conversation's lock)."""
        if conversation.status != ConversationStatus.RESOLVED:
            return conversation
        now = now or utcnow()
        closed = conversation.resolved_at or conversation.updated_at
        if now - closed > timedelta(seconds=self.settings.reopen_window_s):
            days = self.settings.reopen_window_s / 86400
            raise Conflict(
                f'Conversation "{conversation.id}" closed more than {days:g} days ago; start a new '
                "conversation",
                reason="closed",
            )
        started = time.perf_counter()
        reopened = self.store.transition(
            conversation.id,
            expected=[ConversationStatus.RESOLVED],
            to=ConversationStatus.WITH_AI,
            resolved_at=None,
            resolution=None,
            assigned_agent_id=None,
            ai_turns=0,
            # only an abandoned conversation's flow was left waiting for this reply
            **({} if conversation.resolution == Resolution.ABANDONED else {"flow": None}),
            queued_at=None,
            due_at=None,
            priority=0,
            escalation_reason=None,
            required_skills=[],
            preferred_skills=[],
        )
        previous = str(conversation.resolution) if conversation.resolution else None
        self.ctx.decisions.record(
            reopened,
            kind=DecisionKind.REOPEN,
            outcome="reopened",
            summary="The customer wrote again in the closed conversation, so it is open again with the AI"
            + (f" (it had closed as {previous})." if previous else "."),
            inputs={"by": "customer", "previous": previous, "closed_at": closed.isoformat()},
            version=VERSION,
            started=started,
        )
        self.ctx.publish(reopened, EventType.CONVERSATION_STATUS, conversation_payload(reopened))
        return reopened

    # -- the timer -------------------------------------------------------------------------------
    def settle_quiet(self, now: datetime | None = None, limit: int = 200) -> int:
        """Close the conversations the AI holds where the customer has been quiet for
        ``settle_after_s``; returns how many closed. Safe on many workers (compare-and-set)."""
        now = now or utcnow()
        cutoff = now - timedelta(seconds=self.settings.settle_after_s)
        closed = 0
        for conversation_id in self.store.quiet_conversations(cutoff, limit=limit):
            try:
                with self.store.transaction():
                    conversation = self.store.lock_conversation(conversation_id)
                    if conversation.status != ConversationStatus.WITH_AI or conversation.updated_at > cutoff:
                        continue  # the customer wrote meanwhile
                    closed += self._close_quiet(conversation)
            except Conflict:
                continue  # changed under us: the next pass looks again
        return closed

    def _close_quiet(self, conversation: Conversation) -> int:
        history = self.store.recent_messages(conversation.id)
        if awaits_approval(conversation, history):
            return 0  # the customer waits for a person's decision: not quiet, not to be closed
        minutes = self.settings.settle_after_s / 60
        if settled(history):
            close(
                self.ctx,
                conversation,
                Resolution.AI_QUIET,
                by="ai",
                evidence="quiet",
                summary=f"The AI's answer settled the request and the customer asked for nothing more "
                f"in {minutes:g} minutes, so the AI resolved the conversation.",
            )
        else:
            close(
                self.ctx,
                conversation,
                Resolution.ABANDONED,
                by="timer",
                evidence="quiet",
                summary=f"The customer went quiet for {minutes:g} minutes before anything was settled: "
                "closed as abandoned, not resolved.",
            )
        return 1
