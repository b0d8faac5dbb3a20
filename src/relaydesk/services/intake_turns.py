"""Intake while a customer waits for a person (specialists/intake.py does the asking): the turn's
part of it, inside the turn's transaction. After an escalation the intake flow for the case's
topics asks its first question; while the conversation is queued each customer message goes to it;
the answers are kept in the flow state, where the handoff brief reads them."""

from __future__ import annotations

from typing import Any

from relaydesk.dialogue.language import conversation_language
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.events import EventType
from relaydesk.domain.models import Conversation, ConversationStatus, Message, MessageRole
from relaydesk.services.context import ServiceContext
from relaydesk.services.payloads import message_payload


class IntakeTurns:
    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    @property
    def store(self) -> Any:
        return self.ctx.store

    @property
    def caps(self) -> Any:
        return self.ctx.caps

    def begin(self, conversation: Conversation, message: Message, topics: set[str]) -> list[Message]:
        """After an escalation: the intake flow for these topics asks its first question (if the
        conversation is queued and the customer has not said it all already)."""
        intake = self.caps.intake
        if intake is None or not topics:
            return []
        from relaydesk.specialists.state import FlowState

        now = self.store.get_conversation(conversation.id)
        if now.status != ConversationStatus.QUEUED:
            return []
        state = FlowState.from_json(now.flow)
        question = intake.begin(
            now.workspace_id, state, topics, self._customer_texts(now, message), self._language(now)
        )
        return self._reply(now, message, state, question)

    def answer(self, conversation: Conversation, message: Message) -> list[Message]:
        """A customer message while the conversation is queued: the intake flow takes it."""
        intake = self.caps.intake
        if intake is None:
            return []
        from relaydesk.specialists.state import FlowState

        state = FlowState.from_json(conversation.flow)
        earlier = self._customer_texts(conversation, message)[1:]
        text = intake.answer(
            conversation.workspace_id, state, message.text, earlier, self._language(conversation)
        )
        return self._reply(conversation, message, state, text)

    def _reply(
        self, conversation: Conversation, message: Message, state: Any, text: str | None
    ) -> list[Message]:
        if not text:
            return []
        self.store.update_conversation(conversation.id, flow=state.to_json())
        stored, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.AI,
            text=text,
            channel=conversation.channel,
            reply_to_id=message.id,
            author_id="intake",
            metadata={"intake": True, "flow": state.intake.get("_flow"), "asks": state.intake.get("_asked")},
        )
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.RESPONSE,
            outcome="intake",
            message_id=message.id,
            summary="While the customer waits for a person, the AI gathers what the person will need.",
            inputs={"asks": state.intake.get("_asked"), "done": bool(state.intake.get("_done"))},
            version=str(state.intake.get("_flow") or "intake"),
        )
        self.ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
        return [stored]

    def _language(self, conversation: Conversation) -> str:
        return conversation_language(conversation, self.store.get_customer(conversation.customer_id))

    def _customer_texts(self, conversation: Conversation, message: Message) -> list[str]:
        """This message's text, then the customer's earlier ones, newest first."""
        earlier = [
            m.text
            for m in self.store.recent_messages(conversation.id)
            if m.role == MessageRole.CUSTOMER and m.id != message.id and m.seq < message.seq
        ]
        return [message.text, *reversed(earlier)]
