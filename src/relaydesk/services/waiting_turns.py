"""A customer's messages while a person is coming or already has the conversation.

Each message is triaged again (and logged like any other triage), so a customer who starts
shouting, says something urgent or raises a legal threat while waiting rises in the queue, and the
agent who owns the conversation sees its priority change; the policy's own rules decide by how much
(an anger rule that fires again does not keep raising it: once per wait).

While the conversation is queued the AI also answers the customer, briefly and in their language:
the first line after the notice is acknowledged ("I've added that for the person who will help
you") with their place in line, a question about the wait is answered each time, and a raised
priority is said; other lines are not answered one by one.
"""

from __future__ import annotations

import re
from typing import Any

from relaydesk.dialogue.catalogue import say, supported
from relaydesk.dialogue.language import conversation_language, message_language
from relaydesk.domain.capability_types import ConversationContext, TriageResult
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Conflict
from relaydesk.domain.events import EventType
from relaydesk.domain.models import Conversation, ConversationStatus, Message, MessageRole
from relaydesk.services.context import ServiceContext
from relaydesk.services.outcomes import note_repeat, note_topic
from relaydesk.services.payloads import conversation_payload, message_payload, triage_summary

VERSION = "waiting-1"
MAX_RAISED_PRIORITY = 3
"""How far an angry customer's own messages can lift the priority (a policy rule may go higher)."""
ASKS_ABOUT_WAIT = re.compile(
    r"\b(how long|how much longer|still there|any(one|body) (there|here)|hello\W*$|"
    r"when will|wait(ing)? time|estimated|where are you|are you there|"
    r"cu[aá]nto (tiempo|falta|tarda)|hay alguien|sigues ah[ií]|"
    r"combien de temps|il y a quelqu'un|toujours l[aà]|"
    r"wie lange|noch da|ist da jemand|"
    r"quanto tempo|tem algu[eé]m|ainda a[ií])",
    re.IGNORECASE,
)
ANGER_RULE_FAMILY = "implicit"
ACK_EVENT = "waiting_ack"


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
    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

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

    def acknowledge(
        self, conversation: Conversation, message: Message, triage: TriageResult, raised: str | None
    ) -> list[Message]:
        """While queued, with nothing else said this turn: a short word back (see the module)."""
        if conversation.status != ConversationStatus.QUEUED:
            return []
        language = message_language(triage, message.text)
        if not supported(language):
            language = conversation_language(conversation, self.store.get_customer(conversation.customer_id))
        assert language is not None
        position = self.store.queue_position(conversation)
        line = (
            say("queue.next", language)
            if position <= 1
            else say("queue.position", language, position=position)
        )
        if raised:
            text = f"{say('queue.raised', language)} {line}"
        elif ASKS_ABOUT_WAIT.search(message.text):
            text = f"{say('queue.still_here', language)} {line}"
        elif not self._acknowledged(conversation, message):
            text = f"{say('queue.noted', language)} {line}"
        else:
            return []
        try:
            stored, _ = self.store.add_message(
                conversation.id,
                role=MessageRole.AI,
                text=text,
                channel=conversation.channel,
                reply_to_id=message.id,
                author_id="waiting",
                metadata={"event": ACK_EVENT, "position": position},
                only_if=[ConversationStatus.QUEUED],
            )
        except Conflict:
            return []  # a person took it meanwhile: they answer now
        self.ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
        return [stored]

    def _acknowledged(self, conversation: Conversation, message: Message) -> bool:
        """Whether the AI already said something to the customer since they were queued."""
        for earlier in reversed(self.store.recent_messages(conversation.id)):
            if earlier.seq >= message.seq:
                continue
            if earlier.role == MessageRole.SYSTEM and earlier.metadata.get("event") == "queued":
                return False
            if earlier.role == MessageRole.AI:
                return True
        return False

    def _raised_for_anger(self, conversation: Conversation) -> bool:
        return any(
            d.outcome == "priority_raised" and d.inputs.get("anger")
            for d in self.store.decisions(conversation.id)
            if d.kind == DecisionKind.ESCALATION
        )
