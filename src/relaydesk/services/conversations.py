"""Conversation use cases for both sides: start, post, read, claim, reply, hand back, resolve."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.language import conversation_language
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Conflict, Forbidden, NotFound
from relaydesk.domain.events import EventType
from relaydesk.domain.models import (
    HUMAN_OWNED,
    OPEN_STATUSES,
    Agent,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Message,
    MessageRole,
    Resolution,
    utcnow,
)
from relaydesk.domain.ports import AgentLoad
from relaydesk.services.access import authorize_customer, check_may_resolve, put_online_on_claim
from relaydesk.services.assignment import assign, assign_next
from relaydesk.services.context import ServiceContext
from relaydesk.services.handoff_brief import brief_for
from relaydesk.services.message_input import (
    checked_idempotency_key,
    message_text,
    require_unicode,
    stored_free_text,
)
from relaydesk.services.orchestrator import Orchestrator
from relaydesk.services.outcomes import Outcomes
from relaydesk.services.payloads import conversation_payload, message_payload
from relaydesk.services.recovery import finish_message
from relaydesk.triage.pii import redact_card_numbers

if TYPE_CHECKING:
    from relaydesk.cases.similar import SimilarCase, SimilarCaseFinder
    from relaydesk.domain.ports import SupportStore
    from relaydesk.handoff.brief import HandoffBrief

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StartedConversation:
    conversation: Conversation
    customer: Customer
    token: str
    """The customer's secret for this conversation; shown once, stored only as a digest."""


@dataclass(frozen=True, slots=True)
class PostedMessage:
    message: Message
    replies: list[Message]
    conversation: Conversation
    created: bool
    """False when the idempotency key had been used: nothing new was stored."""
    answer_pending: bool = False
    """True when the message is stored but its answer is still being worked out (the AI failed for
    the moment, or another worker is handling it): the answer follows on the stream."""


REOPENABLE = (ConversationStatus.RESOLVED, ConversationStatus.WITH_AI)  # locked first: the timer closes these


class SupportDesk:
    """The use cases behind the API and CLI. Interfaces parse, call one method, and render."""

    def __init__(
        self,
        context: ServiceContext,
        orchestrator: Orchestrator,
        *,
        max_message_chars: int = 8000,
        redact_card_numbers: bool = True,
        cases: SimilarCaseFinder | None = None,
        worker: str = "local",
        lease_s: float = 10.0,
        replay_wait_s: float = 10.0,
        outcomes: Outcomes | None = None,
        customer_token_ttl_s: float = 30 * 86400,
    ) -> None:
        self.ctx = context
        self.outcomes = outcomes or Outcomes(context)
        self.store: SupportStore = context.store
        self.orchestrator = orchestrator
        self.cases = cases
        self.max_message_chars = max_message_chars
        self.redact_card_numbers = redact_card_numbers
        self.worker = worker
        self.lease_s = lease_s
        self.replay_wait_s = replay_wait_s
        self.customer_token_ttl_s = customer_token_ttl_s

    # -- customer side ----------------------------------------------------------------------------
    def start_conversation(
        self,
        workspace_slug: str,
        *,
        channel: Channel = Channel.WEB,
        subject: str | None = None,
        external_id: str | None = None,
        name: str | None = None,
        email: str | None = None,
        tier: CustomerTier = CustomerTier.STANDARD,
        language: str = "en",
        attributes: dict[str, Any] | None = None,
        keep_existing: bool = False,
    ) -> StartedConversation:
        for value, what in (
            (workspace_slug, "The workspace"),
            (subject, "The subject"),
            (external_id, "The customer's external_id"),
            (name, "The customer's name"),
            (email, "The customer's email"),
            (language, "The customer's language"),
            (attributes, "The customer's attributes"),
        ):
            require_unicode(value, what)
        workspace = self.store.workspace_by_slug(workspace_slug)
        token = secrets.token_urlsafe(32)
        with self.store.transaction():
            customer = self.store.upsert_customer(
                workspace.id,
                external_id=external_id,
                name=name,
                email=email,
                tier=tier,
                language=language,
                attributes=attributes,
                keep_existing=keep_existing,
            )
            conversation = self.store.create_conversation(
                workspace.id,
                customer.id,
                token=token,
                channel=channel,
                subject=self._redact(subject),
            )
            self._publish(conversation, EventType.CONVERSATION_STARTED, conversation_payload(conversation))
        return StartedConversation(conversation, customer, token)

    def authorize_customer(self, conversation_id: str, token: str | None) -> Conversation:
        """The conversation, for the holder of its fresh token (services/access.py)."""
        return authorize_customer(self.store, conversation_id, token, ttl_s=self.customer_token_ttl_s)

    def post_customer_message(
        self,
        conversation_id: str,
        text: object,
        *,
        idempotency_key: object = None,
        channel: Channel | None = None,
    ) -> PostedMessage:
        """Store the message (acknowledged only once stored), then run the orchestrator on it."""
        clean = self._clean_text(text)
        cards = 0
        if self.redact_card_numbers:
            masked = redact_card_numbers(clean)
            clean, cards = masked.text, len(masked.spans)
        return self._post(conversation_id, clean, checked_idempotency_key(idempotency_key), channel, cards)

    def _post(
        self,
        conversation_id: str,
        text: str,
        idempotency_key: str | None,
        channel: Channel | None,
        cards_redacted: int = 0,
    ) -> PostedMessage:
        # Stored (with its event and any notice) before anything else happens, and leased to this
        # worker: if it dies, the lease runs out and another worker answers (services/recovery.py).
        with self.store.transaction():
            conversation = self.store.get_conversation(conversation_id)
            existing = (
                self.store.message_by_idempotency_key(conversation_id, idempotency_key)
                if idempotency_key is not None
                else None
            )
            if existing is None and conversation.status in REOPENABLE:
                # locked against the outcome timer; a message in a closed one reopens it (outcomes.py)
                conversation = self.outcomes.reopen(self.store.lock_conversation(conversation_id))
            if existing is None and conversation.assigned_agent_id and conversation.status in HUMAN_OWNED:
                # Agent before conversation, as every transaction that takes both does (a card
                # notice changes the assigned conversation twice, which checks the agent's row).
                self.store.lock_agent(conversation.assigned_agent_id)
            notices = []
            if existing is None:
                try:
                    message, created = self.store.add_message(
                        conversation_id,
                        role=MessageRole.CUSTOMER,
                        text=text,
                        channel=channel or conversation.channel,
                        idempotency_key=idempotency_key,
                        author_id=conversation.customer_id,
                        handled=False,
                        metadata={"redacted": {"card": cards_redacted}} if cards_redacted else None,
                        lease_owner=self.worker,
                        lease_s=self.lease_s,
                        only_if=OPEN_STATUSES,  # resolved meanwhile: refused, not stored unanswered
                    )
                except Conflict:  # resolved since it was read (it was not locked: a person had it)
                    raise Conflict(f'Conversation "{conversation_id}" is resolved; write again') from None
                if not created:  # the same key, stored by a racing request since we looked
                    existing = message
            if existing is None:
                self._publish(conversation, EventType.MESSAGE_CREATED, message_payload(message))
                if cards_redacted:
                    event = "card_number_redacted"
                    notices.append(
                        self._system_message(conversation, "card_notice", event, reply_to_id=message.id)
                    )
        if existing is not None:
            return self._replay(existing, text)
        try:
            turn = self.orchestrator.run_turn(message)
        except Exception:
            # The message is stored and acknowledged; its answer follows when the lease runs out
            # and the recovery loop handles it again. A stored message never turns into an error.
            log.exception("handling message %s failed; it is retried when its lease ends", message.id)
            return PostedMessage(message, notices, self.store.get_conversation(conversation_id), True, True)
        told = {m.id for m in notices}  # a turn another worker ran returns the notices too
        return PostedMessage(
            message, notices + [m for m in turn.replies if m.id not in told], turn.conversation, True
        )

    def _replay(self, existing: Message, text: str) -> PostedMessage:
        """A retried post: the first handling's replies. A message whose worker died is handled now;
        one another worker is handling is waited for (up to ``replay_wait_s``)."""
        if existing.text != text:
            raise Conflict(
                f'Idempotency key "{existing.idempotency_key}" was already used for a different message'
            )
        pending = False
        if existing.role == MessageRole.CUSTOMER and not self.store.message_handled(existing.id):
            pending = not self._finish(existing)
        return PostedMessage(
            existing,
            self.store.replies_to(existing.id),
            self.store.get_conversation(existing.conversation_id),
            False,
            pending,
        )

    def _finish(self, message: Message) -> bool:
        return finish_message(
            self.orchestrator, message, owner=self.worker, lease_s=self.lease_s, wait_s=self.replay_wait_s
        )

    def history(self, conversation_id: str, *, after_seq: int = 0) -> list[Message]:
        return self.store.messages(conversation_id, after_seq=after_seq)

    # -- agent side -------------------------------------------------------------------------------
    def conversation_for_agent(self, agent: Agent, conversation_id: str) -> Conversation:
        """The conversation, if it belongs to the agent's workspace (otherwise it does not exist)."""
        conversation = self.store.get_conversation(conversation_id)
        if conversation.workspace_id != agent.workspace_id:
            raise NotFound(f'No conversation with id "{conversation_id}"')
        return conversation

    def queue(self, agent: Agent) -> list[Conversation]:
        return self.store.queue(agent.workspace_id)

    def my_conversations(self, agent: Agent) -> list[Conversation]:
        return self.store.list_conversations(agent.workspace_id, statuses=HUMAN_OWNED, agent_id=agent.id)

    def claim(self, agent: Agent, conversation_id: str) -> Conversation:
        """Take a queued (or AI-owned) conversation. Exactly one of many racing agents wins, and an
        agent at capacity is refused. The agent's own judgment overrides the routing rules."""
        conversation = self.conversation_for_agent(agent, conversation_id)
        if conversation.assigned_agent_id == agent.id and conversation.status in HUMAN_OWNED:
            raise Conflict(f'You already own conversation "{conversation_id}"')
        was = self.store.get_agent(agent.id).status
        back = "" if was == AgentStatus.ONLINE else f" (they were {was}; claiming puts them online)"
        assign(
            self.ctx,
            conversation_id,
            agent.id,
            how="claimed",
            reason=f"{agent.name} claimed it from the queue{back}",
        )
        put_online_on_claim(self.store, agent.id)
        return self.store.get_conversation(conversation_id)

    def take_next(self, agent: Agent) -> Conversation:
        """Give ``agent`` the queued conversation the router ranks first for them. An agent who is
        away or offline may ask too: like a claim, taking work puts them online (only when they got
        a conversation)."""
        agent = self.store.get_agent(agent.id)
        load = self._load(agent)
        if load.open_conversations >= agent.capacity:
            raise Conflict(
                f"You are at capacity ({load.open_conversations} of {agent.capacity} open conversations)",
                reason="at_capacity",
            )
        conversation = assign_next(self.ctx, agent.id, how="next", asked=True)
        if conversation is None:
            if self._load(agent).open_conversations >= agent.capacity:  # filled up in a race
                raise Conflict(
                    f"You are at capacity ({agent.capacity} open conversations)", reason="at_capacity"
                )
            raise NotFound("Nothing in the queue that you can take now")
        put_online_on_claim(self.store, agent.id)
        return conversation

    def set_status(self, agent: Agent, status: AgentStatus) -> Agent:
        """Go online, away or offline; coming online picks up waiting conversations at once when the
        routing rules assign automatically."""
        updated = self.store.set_agent_status(agent.id, status)
        if status == AgentStatus.ONLINE:
            self._fill(updated)
        return updated

    def _fill(self, agent: Agent) -> None:
        """Assign queued conversations to ``agent`` until they are full or none fits (auto-assign)."""
        try:
            if not self.ctx.caps.router.auto_assign:
                return
            for _ in range(max(agent.capacity, 0)):
                if assign_next(self.ctx, agent.id, how="auto") is None:
                    return
        except Exception:
            # The agent's own action (resolve, hand back, status) is already committed and must
            # not fail for this; the routing timer retries the hand-out.
            log.exception("handing waiting conversations to agent %s failed", agent.id)

    def _load(self, agent: Agent) -> AgentLoad:
        return self.store.agent_load(agent.id)

    def agent_reply(self, agent: Agent, conversation_id: str, text: str) -> Message:
        text = self._redact(self._clean_text(text)) or ""
        with self.store.transaction():
            return self._agent_reply(agent, conversation_id, text)

    def _agent_reply(self, agent: Agent, conversation_id: str, text: str) -> Message:
        self.store.lock_agent(agent.id)  # agent before conversation, as assignment does
        self.store.lock_conversation(conversation_id)  # its status read below is current
        conversation = self._owned(agent, conversation_id)
        message, _ = self.store.add_message(
            conversation_id,
            role=MessageRole.AGENT,
            text=text,
            channel=conversation.channel,
            author_id=agent.id,
        )
        self._publish(conversation, EventType.MESSAGE_CREATED, message_payload(message))
        if conversation.status == ConversationStatus.ASSIGNED:
            try:
                updated = self.store.transition(
                    conversation_id,
                    expected=[ConversationStatus.ASSIGNED],
                    to=ConversationStatus.WAITING_ON_CUSTOMER,
                    expected_agent_id=agent.id,
                )
                self._publish(updated, EventType.CONVERSATION_STATUS, conversation_payload(updated))
            except Conflict:
                pass  # the customer wrote at the same moment; it stays assigned
        return message

    def hand_back(self, agent: Agent, conversation_id: str, note: str | None = None) -> Conversation:
        """Give the conversation back to the AI (the agent judged the rest routine)."""
        note = self._redact(note)
        with self.store.transaction():
            conversation = self._hand_back(agent, conversation_id, note)
        self._fill(self.store.get_agent(agent.id))
        return conversation

    def _hand_back(self, agent: Agent, conversation_id: str, note: str | None) -> Conversation:
        self.store.lock_agent(agent.id)  # agent before conversation, as assignment does
        self.store.lock_conversation(conversation_id)  # its status read below is current
        self._owned(agent, conversation_id)
        started = time.perf_counter()
        conversation = self.store.transition(
            conversation_id,
            expected=HUMAN_OWNED,
            to=ConversationStatus.WITH_AI,
            expected_agent_id=agent.id,
            assigned_agent_id=None,
            ai_turns=0,
            queued_at=None,
            due_at=None,
            # The escalation is over: its reason, urgency and needs no longer describe the
            # conversation (a later escalation sets them afresh).
            escalation_reason=None,
            priority=0,
            required_skills=[],
            preferred_skills=[],
        )
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.HANDBACK,
            outcome="with_ai",
            summary=f"{agent.name} handed the conversation back to the AI" + (f": {note}" if note else "."),
            inputs={"agent_id": agent.id, "note": note},
            version="desk-1",
            started=started,
        )
        self._system_message(conversation, "handed_back", "handed_back")
        self._publish(conversation, EventType.CONVERSATION_HANDED_BACK, conversation_payload(conversation))
        return conversation

    def resolve(self, agent: Agent, conversation_id: str, note: str | None = None) -> Conversation:
        note = self._redact(note)
        with self.store.transaction():
            conversation = self._resolve(agent, conversation_id, note)
        self._fill(self.store.get_agent(agent.id))
        return conversation

    def _resolve(self, agent: Agent, conversation_id: str, note: str | None) -> Conversation:
        self.store.lock_agent(agent.id)  # agent before conversation, as assignment does
        self.store.lock_conversation(conversation_id)  # its status read below is current
        conversation = self.conversation_for_agent(agent, conversation_id)
        owner = check_may_resolve(agent, conversation)
        started = time.perf_counter()
        conversation = self.store.transition(
            conversation_id,
            expected=OPEN_STATUSES,
            to=ConversationStatus.RESOLVED,
            resolved_at=utcnow(),
            resolution=str(Resolution.AGENT),
        )
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.RESOLUTION,
            outcome="resolved",
            summary=f"{agent.name} resolved the conversation" + (f": {note}" if note else "."),
            inputs={"agent_id": agent.id, "note": note, "by": "agent" if owner else str(agent.role)},
            version="desk-1",
            started=started,
        )
        self._system_message(conversation, "closed", "resolved")
        self._publish(conversation, EventType.CONVERSATION_RESOLVED, conversation_payload(conversation))
        return conversation

    def brief(self, agent: Agent, conversation_id: str) -> HandoffBrief:
        """The handoff brief for a conversation of the agent's workspace (see handoff/brief.py)."""
        return brief_for(self.store, self.cases, agent, self.conversation_for_agent(agent, conversation_id))

    def similar_cases(self, agent: Agent, conversation_id: str, *, limit: int = 5) -> list[SimilarCase]:
        """Resolved conversations like this one, with how they were resolved (personal data masked)."""
        conversation = self.conversation_for_agent(agent, conversation_id)
        return self.cases.for_conversation(conversation, limit=limit) if self.cases else []

    def search_cases(self, agent: Agent, text: str, *, limit: int = 5) -> list[SimilarCase]:
        """Resolved conversations of the agent's workspace about ``text``."""
        return self.cases.for_text(agent.workspace_id, text, limit=limit) if self.cases else []

    def decisions(self, agent: Agent, conversation_id: str) -> list[Any]:
        self.conversation_for_agent(agent, conversation_id)
        return self.store.decisions(conversation_id)

    # -- helpers ----------------------------------------------------------------------------------
    def _owned(self, agent: Agent, conversation_id: str) -> Conversation:
        conversation = self.conversation_for_agent(agent, conversation_id)
        if conversation.status not in HUMAN_OWNED:
            raise Conflict(f'Conversation "{conversation_id}" is {conversation.status}; claim it first')
        if conversation.assigned_agent_id != agent.id:
            raise Forbidden(f'Conversation "{conversation_id}" is owned by another agent')
        return conversation

    def _redact(self, text: str | None) -> str | None:
        return stored_free_text(text, redact_cards=self.redact_card_numbers)

    def _clean_text(self, text: object) -> str:
        return message_text(text, self.max_message_chars)

    def _system_message(
        self, conversation: Conversation, key: str, event: str, *, reply_to_id: str | None = None
    ) -> Message:
        """A notice to the customer (``key`` in dialogue/catalogue.py), in their language."""
        language = conversation_language(conversation, self.store.get_customer(conversation.customer_id))
        message, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.SYSTEM,
            text=say(key, language),
            channel=conversation.channel,
            reply_to_id=reply_to_id,
            metadata={"event": event},
        )
        self._publish(conversation, EventType.MESSAGE_CREATED, message_payload(message))
        return message

    def _publish(self, conversation: Conversation, kind: EventType, data: dict[str, Any]) -> None:
        self.ctx.publish(conversation, kind, data)
