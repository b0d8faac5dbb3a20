"""A customer's messages while a person is coming or already has the conversation.

Each message is triaged again (and logged like any other triage), so a customer who starts
shouting, says something urgent or raises a legal threat while waiting rises in the queue, and the
agent who owns the conversation sees its priority change; the policy's own rules decide by how much
(an anger rule that fires again does not keep raising it: once per wait).

While the conversation is queued the AI also answers the customer, briefly and in their language,
like a front-line person keeping an eye on the queue; every line goes to the brief either way:

- the first line after the notice is acknowledged once ("I've added that for the person who will
  help you") with their place in line;
- "hello?", "still waiting..." (a nudge) gets their place in line as it is now, said differently
  when it moved ("Good news: you've moved up"); "how long?" gets the wait as far as it is known;
- a new question ("also where is my order W2611340?") is added to the case, and said so; one the
  help center answers ("how long do refunds take?") is answered from it at once, like any other
  turn (same threshold, never the same passage twice), and the customer keeps their place; one
  about their own order ("where is W2611340?") is left to the person;
- a raised priority is said.

Within a burst (``BURST_S`` since the AI's last word while waiting) a line that would only repeat
what was just said is not answered: the customer is told again when something changed or after a
while, not on every line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from relaydesk.dialogue.catalogue import say, supported
from relaydesk.dialogue.language import conversation_language, message_language
from relaydesk.domain.capability_types import ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import EventType
from relaydesk.domain.models import Conversation, ConversationStatus, Message, MessageRole, utcnow
from relaydesk.services.context import ServiceContext
from relaydesk.services.escalation import place_in_line
from relaydesk.services.outcomes import note_repeat, note_topic
from relaydesk.services.payloads import conversation_payload, message_payload, triage_summary

VERSION = "waiting-1"
MAX_RAISED_PRIORITY = 3
"""How far an angry customer's own messages can lift the priority (a policy rule may go higher)."""
ASKS_HOW_LONG = re.compile(
    r"(\bhow much longer|^\W*how long\W*$|\bwait(ing)? time|\bhow long (will (this|it|that) (take|be)|until|"
    r"till|do i (have to )?wait|must i wait|is the wait|the wait|'?s the wait|am i|is this going|"
    r"before (someone|somebody|anyone|a person))|\bwhen (will|does|do|can) (someone|somebody|anyone|"
    r"a person|an agent|you|they)\b|"
    r"cu[aá]nto (m[aá]s|falta|tiempo (falta|m[aá]s|tengo|hay|de espera|tardan))|cu[aá]ndo me (atiende|toca)|"
    r"combien de temps (encore|je (vais|dois)|dois-je|faut-il|d'attente|avant)|quand (est-ce qu'on|"
    r"est-ce que quelqu'un|quelqu'un)|"
    r"wie lange (noch|muss ich|dauert (das|es)\b)|wann (bin ich dran|kommt jemand|meldet sich)|"
    r"quanto tempo (falta|mais|vou|tenho|de espera)|quando (algu[eé]m|vou ser atendid))",
    re.IGNORECASE,
)
"""A question about the wait: answered with the wait as far as it is known."""
NUDGES = re.compile(
    r"(\bstill (there|here|waiting)|any(one|body)\b|\bhel+o+\W*$|^\W*hi+\W*$|^\W*\?+\W*$|"
    r"where are you|are you there|you there|\bwaiting\b|"
    r"hay alguien|sigues ah[ií]|alguien\b|sigo esperando|"
    r"il y a quelqu'un|toujours l[aà]|j'attends|"
    r"noch da|ist da jemand|jemand da|warte (immer )?noch|"
    r"tem algu[eé]m|algu[eé]m a[ií]|ainda a[ií]|ainda estou [aà] espera)",
    re.IGNORECASE,
)
"""A nudge ("hello?", "still waiting..."): answered with the place in line as it is now."""
QUESTION = re.compile(
    r"\?|^\W*(also|and|oh and|btw)?\W*(where|what|when|why|how|can|could|do|does|is|are|will|"
    r"d[oó]nde|qu[eé]|cu[aá]ndo|c[oó]mo|puedo|puedes|o[uù]|quoi|comment|est-ce|pouvez|"
    r"wo|was|wie|warum|kann|k[oö]nnen|onde|porqu[eê]|posso|pode)\b",
    re.IGNORECASE,
)
"""A line that asks something (a new question while waiting is added to the case, and said so)."""
MIN_QUESTION_WORDS = 3
MAX_NUDGE_WORDS = 6
"""A longer line that says 'waiting' or 'anyone' says more than a nudge."""
BURST_S = 60.0
"""Seconds after the AI's last word while waiting in which a line that would only repeat it gets
no answer (a customer writing several lines at once is answered once)."""
ANGER_RULE_FAMILY = "implicit"
ACK_EVENT = "waiting_ack"
KNOWLEDGE = "knowledge"
CASE_ENTITIES = frozenset({"order_id", "amount", "email", "tracking_number"})
"""A question naming one of these is about the customer's own case, for the person who is coming."""


@dataclass(frozen=True, slots=True)
class LastWord:
    """What the customer was last told while waiting: the reply's kind, the place in line it gave
    (or the queue notice's), and when."""

    kind: str | None
    """``noted``, ``status``, ``wait``, ``added``, ``raised``; None for the queue notice itself."""
    position: int | None
    at: datetime | None
    estimated_wait_s: float | None
    queued_at: datetime | None


def record_triage(
    ctx: ServiceContext,
    conversation: Conversation,
    message: Message,
    triage: TriageResult,
    inputs: dict[str, Any] | None = None,
    latency_ms: float | None = None,
) -> None:
    """The decision log's record of a message's triage (whoever has the conversation)."""
    ctx.decisions.record(
        conversation,
        kind=DecisionKind.TRIAGE,
        outcome=triage.intent or "unknown",
        message_id=message.id,
        summary=triage_summary(triage),
        inputs={"text_chars": len(message.text), **(inputs or {})},
        reasons=[triage.to_log()],
        version=triage.version,
        **({"latency_ms": latency_ms} if latency_ms is not None else {}),
    )
    note_topic(ctx, conversation, triage)


class WaitingTurns:
    def __init__(self, context: ServiceContext, clock: Callable[[], datetime] = utcnow) -> None:
        self.ctx = context
        self.clock = clock
        """Now (a test moves it on to play a customer writing again after a while)."""

    @property
    def store(self) -> Any:
        return self.ctx.store

    def retriage(
        self, conversation: Conversation, message: Message, triage: TriageResult, context: ConversationContext
    ) -> tuple[Conversation, str | None]:
        """Log the message's triage and raise the priority when the policy says so; returns the
        conversation as it is now and the reason the priority rose (None when it did not)."""
        record_triage(self.ctx, conversation, message, triage, {"while": str(conversation.status)})
        note_repeat(self.ctx, conversation, message)
        spoken = message_language(triage, message.text)
        if spoken and supported(spoken) and spoken != conversation.language:
            conversation = self.store.update_conversation(conversation.id, language=spoken)
            self.ctx.publish(conversation, EventType.CONVERSATION_STATUS, conversation_payload(conversation))
        decision = self.ctx.caps.escalation.evaluate(message, triage, context)
        fired = [f for f in decision.fired if f.rule != "accepted_offer"] if decision.escalate else []
        if not fired:
            return conversation, None
        wanted = decision.priority
        angry = [
            f
            for f in fired
            if f.family == ANGER_RULE_FAMILY and "frustration" in f.values and not decision.offer_only
        ]
        if angry and wanted <= conversation.priority and not self._raised_for_anger(conversation):
            wanted = min(conversation.priority + 1, MAX_RAISED_PRIORITY)
        if wanted <= conversation.priority:
            return conversation, None
        # for the agent: the rules that raised it, in words ("harsh words, legal or security"), not
        # the doubts about triage that also fired; the decision log keeps every reason
        why = (
            ", ".join(
                dict.fromkeys(f.rule.replace("_", " ") for f in fired if not f.values.get("triage_doubt"))
            )
            or "the customer's new message"
        )
        before = conversation.priority
        conversation = self.store.update_conversation(conversation.id, priority=wanted)
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.ESCALATION,
            outcome="priority_raised",
            message_id=message.id,
            summary=f"Priority raised from {before} to {wanted} while the customer waits for a person: "
            + "; ".join(f"{f.reason} (rule {f.rule})" for f in fired)
            + ".",
            inputs={
                "before": before,
                "after": wanted,
                "anger": bool(angry),
                "status": str(conversation.status),
            },
            reasons=[{"rule": f.rule, "family": f.family, "reason": f.reason} for f in fired],
            version=VERSION,
        )
        self.ctx.publish(
            conversation,
            EventType.CONVERSATION_STATUS,
            {**conversation_payload(conversation), "priority_raised": {"from": before, "why": why}},
        )
        return conversation, why

    def look_up(
        self, message: Message, triage: TriageResult, context: ConversationContext, responders: Any
    ) -> ResponderReply | None:
        """The help center's answer to a question asked while queued (read before the turn's
        transaction, like a plan), or None: not queued, not a question, or nothing that answers it."""
        if context.conversation.status != ConversationStatus.QUEUED or not asks_something(message.text):
            return None
        if ASKS_HOW_LONG.search(message.text):
            return None  # the wait, not the help center
        if any(e.kind in CASE_ENTITIES for e in triage.entities):
            return None  # about their own order or payment: the person's, not an article's
        knowledge = next((r for r in responders if getattr(r, "name", None) == KNOWLEDGE), None)
        if knowledge is None:
            return None
        reply: ResponderReply = knowledge.respond(message, triage, context)
        return reply if reply.text and reply.citations else None

    def acknowledge(
        self,
        conversation: Conversation,
        message: Message,
        triage: TriageResult,
        raised: str | None,
        answer: ResponderReply | None = None,
    ) -> list[Message]:
        """While queued, with nothing else said this turn: the help center's ``answer`` to the
        question with the place in line, or a short word back (see the module)."""
        if conversation.status != ConversationStatus.QUEUED:
            return []
        language = message_language(triage, message.text)
        if not supported(language):
            language = conversation_language(conversation, self.store.get_customer(conversation.customer_id))
        assert language is not None
        position = self.store.queue_position(conversation)
        metadata: dict[str, Any] = {"event": ACK_EVENT, "position": position}
        if answer is not None and answer.text:
            kind, author = "answered", KNOWLEDGE
            text = f"{answer.text}\n\n{say('queue.answered', language)} {place_in_line(position, language)}"
            metadata.update(
                confidence=round(answer.confidence, 4), citations=[asdict(c) for c in answer.citations]
            )
        else:
            reply = self._reply(
                message.text, position, self._last_word(conversation, message), raised, language
            )
            if reply is None:
                return []
            (kind, text), author = reply, "waiting"
        try:
            stored, _ = self.store.add_message(
                conversation.id,
                role=MessageRole.AI,
                text=text,
                channel=conversation.channel,
                reply_to_id=message.id,
                author_id=author,
                metadata={**metadata, "reply": kind},
                only_if=[ConversationStatus.QUEUED],
            )
        except Conflict:
            return []  # a person took it meanwhile: they answer now
        if answer is not None and kind == "answered":
            self.ctx.decisions.record(
                conversation,
                kind=DecisionKind.RESPONSE,
                outcome=KNOWLEDGE,
                message_id=message.id,
                summary="While the customer waits for a person, the AI answered their question from the "
                "help center; the conversation stays in the queue.",
                inputs={"confidence": round(answer.confidence, 4), "status": str(conversation.status)},
                reasons=list(answer.reasons) + [asdict(c) for c in answer.citations],
                version=answer.version,
            )
        self.ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
        return [stored]

    def _reply(
        self, text: str, position: int, last: LastWord, raised: str | None, language: str
    ) -> tuple[str, str] | None:
        """The kind and text of the word back, or None when it would only repeat the last one."""
        place = place_in_line(position, language)
        if raised:
            return "raised", f"{say('queue.raised', language)} {place}"
        moved = last.position is not None and position < last.position
        recent = last.at is not None and (self.clock() - last.at).total_seconds() < BURST_S
        if ASKS_HOW_LONG.search(text):
            if recent and last.kind == "wait" and not moved:
                return None  # just answered
            opening = say("queue.moved_up", language) + " " if moved else ""
            return "wait", f"{opening}{place} {self._wait(last, language)}"
        if NUDGES.search(text) and len(text.split()) <= MAX_NUDGE_WORDS:
            if last.kind is not None and recent and not moved:
                return None  # the customer was answered a moment ago
            if moved:
                opening = "queue.moved_up"
            elif last.kind in ("status", "wait", "raised"):
                opening = "queue.patience"
            else:
                opening = "queue.still_here"
            return "status", f"{say(opening, language)} {place}"
        if last.kind is None:
            return "noted", f"{say('queue.noted', language)} {place}"
        if asks_something(text) and not (recent and last.kind in ("noted", "added")):
            return "added", f"{say('queue.added', language)} {place}"
        if tells_something(text) and not (recent and last.kind == "added"):
            # "mi pedido es W3638028 y el producto llegó roto": new facts for the person, said so
            return "added", f"{say('queue.added', language)} {place}"
        return None

    def _wait(self, last: LastWord, language: str) -> str:
        """The wait as far as it is known: what is left of the estimate the customer was given, an
        apology when that has passed, or no promise when there was none."""
        if last.estimated_wait_s is None or last.queued_at is None:
            return say("queue.no_estimate", language)
        left = last.estimated_wait_s - (self.clock() - last.queued_at).total_seconds()
        if left < 60:
            return f"{say('queue.longer', language)} {say('queue.no_estimate', language)}"
        minutes = max(1, round(left / 60))
        if minutes == 1:
            return say("queue.wait_one", language)
        return say("queue.wait", language, minutes=minutes)

    def _last_word(self, conversation: Conversation, message: Message) -> LastWord:
        """What the AI last told the customer since they were queued (see ``LastWord``)."""
        kind: str | None = None
        position: int | None = None
        at: datetime | None = None
        for earlier in reversed(self.store.recent_messages(conversation.id)):
            if earlier.seq >= message.seq:
                continue
            if earlier.role == MessageRole.SYSTEM and earlier.metadata.get("event") == "queued":
                told = earlier.metadata.get("position")
                return LastWord(
                    kind,
                    position if position is not None else (told if isinstance(told, int) else None),
                    at,
                    earlier.metadata.get("estimated_wait_s"),
                    earlier.created_at,
                )
            if earlier.role == MessageRole.AI and at is None:
                at = earlier.created_at
                if earlier.metadata.get("event") == ACK_EVENT:
                    kind = str(earlier.metadata.get("reply") or "noted")
                    told = earlier.metadata.get("position")
                    position = told if isinstance(told, int) else None
                else:
                    kind = "noted"  # the intake's question, or another word from the AI
        return LastWord(kind, position, at, None, conversation.queued_at)

    def _raised_for_anger(self, conversation: Conversation) -> bool:
        return any(
            d.outcome == "priority_raised" and d.inputs.get("anger")
            for d in self.store.decisions(conversation.id)
            if d.kind == DecisionKind.ESCALATION
        )


DETAILS = re.compile(r"\b[wW]\s?\d{7}\b|#\s?\d{4,}|[\w.+-]+@[\w-]+\.[\w.]+")
"""An order number or an e-mail: details the person who is coming will use."""
MIN_STATEMENT_WORDS = 6


def tells_something(text: str) -> bool:
    """Whether a line gives the person something to work with: an order number or an e-mail, or a
    statement of some length ("the lens was already cracked in the box")."""
    return bool(DETAILS.search(text)) or len(text.split()) >= MIN_STATEMENT_WORDS


def asks_something(text: str) -> bool:
    """Whether a line asks something (not "ok", not "thanks")."""
    return bool(QUESTION.search(text)) and len(text.split()) >= MIN_QUESTION_WORDS
