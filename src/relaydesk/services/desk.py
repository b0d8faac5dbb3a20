"""The agent console's use cases beyond the core desk: what the queue shows, internal notes,
canned replies, feedback on the co-pilot (stored with the versions that produced it), transfer to
another agent or back to the queue, and reopening a resolved conversation."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.desk_records import (
    AgentNote,
    CannedReply,
    CoPilotFeedback,
    DeskRecords,
    QueueFacts,
)
from relaydesk.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from relaydesk.domain.events import EventType
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    HUMAN_OWNED,
    Agent,
    AgentStatus,
    Conversation,
    ConversationStatus,
    MessageRole,
    utcnow,
)
from relaydesk.services.assignment import assign
from relaydesk.services.payloads import conversation_payload, message_payload
from relaydesk.services.queue_fit import case_fits, nothing_to_take
from relaydesk.triage.pii import mask_pii

if TYPE_CHECKING:
    from relaydesk.services.conversations import SupportDesk
    from relaydesk.services.runtime import Runtime

MAX_NOTE_CHARS = 4000
MAX_REQUEST_CHARS = 160
"""The first request as the queue shows it, cut to this many characters."""
DESK_VERSION = "desk-1"
QUEUE_LIST_LIMIT = 200
"""Waiting conversations the queue list shows at most, most urgent first."""
TRANSFER_NOTICE = "I'm passing you to a colleague who can help best; they'll be with you shortly."


def _not_online(target: Agent) -> str:
    return (
        f"{target.name} is {target.status}: transfer to the queue with the skill it needs instead, "
        "or to someone online"
    )


class FeedbackTarget(StrEnum):
    SUGGESTED_REPLY = "suggested_reply"
    """The brief's suggested first reply."""
    PASSAGE = "passage"
    """A knowledge passage the co-pilot offered."""
    SIMILAR_CASE = "similar_case"
    """A similar resolved conversation the co-pilot offered."""
    AI_REPLY = "ai_reply"
    """A reply the AI sent the customer."""


class FeedbackRating(StrEnum):
    UP = "up"
    """Useful (co-pilot)."""
    DOWN = "down"
    """Not useful (co-pilot)."""
    ACCURATE = "accurate"
    """The AI's reply was right."""
    PARTLY = "partly"
    """The AI's reply was partly right."""
    WRONG = "wrong"
    """The AI's reply was wrong."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A conversation as the console lists it: who, what they first asked (masked), how long
    they have waited."""

    conversation: Conversation
    customer_name: str | None
    first_request: str | None
    waiting_s: float | None
    customer_external_id: str | None = None
    """The id the company's site knows the customer by (None for an anonymous visitor)."""
    fits_you: bool = True
    """Queued: the routing rules would give it to the agent who asked (Take next may)."""
    not_for_you: str | None = None
    """Queued and not for them: why, short ("German — not your language")."""


def desk_service_for(runtime: Runtime) -> DeskService:
    """The console's use cases over the runtime's database."""
    from relaydesk.storage.desk_store import SqlDeskStore

    return DeskService(runtime.desk, SqlDeskStore(runtime.engine))


class DeskService:
    def __init__(self, desk: SupportDesk, records: DeskRecords) -> None:
        self.desk = desk
        self.ctx = desk.ctx
        self.store = desk.store
        self.records = records

    # -- lists --------------------------------------------------------------------------------------
    def queue_items(self, agent: Agent) -> list[QueueItem]:
        """Every waiting conversation, most urgent first, each marked with whether it fits
        ``agent`` and why not (services/queue_fit.py: an agent sees the whole queue)."""
        cases = self.store.queued_cases(agent.workspace_id, limit=QUEUE_LIST_LIMIT)
        fits = case_fits(self.ctx, agent, cases)
        return [
            replace(
                item, fits_you=fits[item.conversation.id].fits, not_for_you=fits[item.conversation.id].words
            )
            for item in self._items([case.conversation for case in cases])
        ]

    def take_next(self, agent: Agent) -> Conversation:
        """The queued conversation the routing rules rank first for ``agent`` (``SupportDesk.take_next``);
        when none fits, NotFound says why in words (``reason``: ``queue_empty`` or ``none_fits``,
        ``waiting``: how many are waiting)."""
        try:
            return self.desk.take_next(agent)
        except NotFound:
            why, waiting = nothing_to_take(self.ctx, agent)
            raise NotFound(why, reason="none_fits" if waiting else "queue_empty", waiting=waiting) from None

    def my_items(self, agent: Agent) -> list[QueueItem]:
        return self._items(self.desk.my_conversations(agent))

    def _items(self, conversations: list[Conversation]) -> list[QueueItem]:
        facts = self.records.queue_facts([c.id for c in conversations])
        now = utcnow()
        items = []
        for c in conversations:
            fact = facts.get(c.id, QueueFacts(None, None))
            first = fact.first_request
            if first is not None:
                first = mask_pii(first).text
                if len(first) > MAX_REQUEST_CHARS:
                    first = first[: MAX_REQUEST_CHARS - 1].rstrip() + "…"
            waiting = (
                round((now - c.queued_at).total_seconds(), 1)
                if c.queued_at and c.status == ConversationStatus.QUEUED
                else None
            )
            name = fact.customer_name or self._verified_name(c)
            items.append(QueueItem(c, name, first, waiting, fact.customer_external_id))
        return items

    def _verified_name(self, conversation: Conversation) -> str | None:
        """For a customer who wrote without a name: the name on the account the AI verified."""
        if not conversation.flow:
            return None
        from relaydesk.services.handoff_brief import verified_account

        account = verified_account(self.store, conversation)
        return account.name if account is not None else None

    # -- notes and canned replies --------------------------------------------------------------------
    def add_note(self, agent: Agent, conversation_id: str, text: str) -> AgentNote:
        """An internal note on a conversation of the agent's workspace (any status)."""
        self.desk.conversation_for_agent(agent, conversation_id)
        clean = (text or "").strip()
        if not clean:
            raise InvalidInput("The note is empty")
        if len(clean) > MAX_NOTE_CHARS:
            raise InvalidInput(f"The note has {len(clean)} characters; at most {MAX_NOTE_CHARS} are kept")
        return self.records.add_note(conversation_id, agent.id, clean)

    def notes(self, agent: Agent, conversation_id: str) -> list[AgentNote]:
        self.desk.conversation_for_agent(agent, conversation_id)
        return self.records.notes(conversation_id)

    def colleagues(self, agent: Agent) -> list[Agent]:
        return self.store.list_agents(agent.workspace_id)

    def canned_replies(self, agent: Agent) -> list[CannedReply]:
        return self.records.canned_replies(agent.workspace_id)

    # -- feedback -------------------------------------------------------------------------------------
    def rate(
        self,
        agent: Agent,
        conversation_id: str,
        *,
        target: FeedbackTarget,
        rating: FeedbackRating,
        target_ref: str | None = None,
        note: str | None = None,
    ) -> CoPilotFeedback:
        """Store the agent's rating with the model, policy and flow versions behind what was rated
        (read from the conversation's decisions and flow state, never from the client)."""
        conversation = self.desk.conversation_for_agent(agent, conversation_id)
        co_pilot = {FeedbackRating.UP, FeedbackRating.DOWN}
        if (target == FeedbackTarget.AI_REPLY) == (rating in co_pilot):
            allowed = "accurate, partly or wrong" if target == FeedbackTarget.AI_REPLY else "up or down"
            raise InvalidInput(f'A rating of "{target}" is {allowed}, not "{rating}"')
        model, policy, flow = self._versions(conversation, target, target_ref)
        feedback = CoPilotFeedback(
            id=new_id("fb"),
            workspace_id=conversation.workspace_id,
            conversation_id=conversation.id,
            agent_id=agent.id,
            target=str(target),
            target_ref=target_ref,
            rating=str(rating),
            note=(note or "").strip() or None,
            model_version=model,
            policy_version=policy,
            flow_version=flow,
            created_at=utcnow(),
        )
        self.records.add_feedback(feedback)
        return feedback

    def feedback(self, agent: Agent, conversation_id: str) -> list[CoPilotFeedback]:
        self.desk.conversation_for_agent(agent, conversation_id)
        return self.records.feedback(conversation_id)

    def _versions(
        self, conversation: Conversation, target: FeedbackTarget, target_ref: str | None
    ) -> tuple[str | None, str | None, str | None]:
        """(model, policy, flow): the latest triage model, the escalation policy (the governance
        policy for an approval-related rating), and the flow the conversation is or was in. A
        rated AI reply takes the versions of the decisions made for that message."""
        latest: dict[str, str] = {}
        if target == FeedbackTarget.AI_REPLY and target_ref:
            # the decisions behind an AI reply are logged on the customer message it answered
            try:
                reply = self.store.get_message(target_ref)
            except NotFound:
                reply = None
            if reply is not None and reply.conversation_id == conversation.id and reply.reply_to_id:
                target_ref = reply.reply_to_id
        for decision in self.store.decisions(conversation.id):
            if (
                target == FeedbackTarget.AI_REPLY
                and target_ref
                and decision.message_id not in (None, target_ref)
            ):
                continue
            latest[str(decision.kind)] = decision.version
        model = latest.get(str(DecisionKind.TRIAGE)) or latest.get(str(DecisionKind.RESPONSE))
        if target == FeedbackTarget.SIMILAR_CASE:
            model = latest.get(str(DecisionKind.TRIAGE)) or model
        policy = latest.get(str(DecisionKind.ESCALATION))
        flow_state = conversation.flow or {}
        active = flow_state.get("active") or (list(flow_state.get("finished") or []) or [None])[-1]
        flow = f"{active.get('name')}@{active.get('version')}" if isinstance(active, dict) else None
        return model, policy, flow

    # -- transfer and reopen ------------------------------------------------------------------------
    def transfer(
        self,
        agent: Agent,
        conversation_id: str,
        *,
        to_agent_id: str | None = None,
        skill: str | None = None,
        note: str | None = None,
    ) -> Conversation:
        """Give a conversation you own to another agent of your workspace (who must be online and
        have room), or put it back in the queue, needing ``skill`` when one is named. A colleague who
        is away or offline is refused (Conflict, ``not_online``) and nothing changes: the customer is
        never told that someone joined who is not there, and the conversation never leaves the queue
        for nobody (docs/routing.md)."""
        if to_agent_id and skill:
            raise InvalidInput("Transfer to an agent or to the queue with a skill, not both")
        with self.store.transaction():
            self.store.lock_agent(agent.id)
            conversation = self._owned(agent, conversation_id)
            started = time.perf_counter()
            target = self._colleague(agent, to_agent_id) if to_agent_id else None
            if target is not None and target.status != AgentStatus.ONLINE:
                raise Conflict(_not_online(target), reason="not_online")
            skills = [skill] if skill else list(conversation.required_skills)
            queued = self.store.transition(
                conversation_id,
                expected=HUMAN_OWNED,
                to=ConversationStatus.QUEUED,
                expected_agent_id=agent.id,
                assigned_agent_id=None,
                assigned_at=None,
                queued_at=utcnow(),
                required_skills=skills,
            )
            self.ctx.decisions.record(
                queued,
                kind=DecisionKind.ROUTE,
                outcome="transferred_to_agent" if target else "transferred_to_queue",
                summary=f"{agent.name} transferred the conversation"
                + (f" to {target.name}" if target else " to the queue")
                + (f" for an agent with {skill}" if skill else "")
                + (f": {note}" if note else "."),
                inputs={"agent_id": agent.id, "to_agent_id": to_agent_id, "skill": skill, "note": note},
                version=DESK_VERSION,
                started=started,
            )
            if target is not None:
                # Refused (and all of it undone) when the colleague is at capacity, or went away
                # since they were read above.
                try:
                    assign(
                        self.ctx,
                        conversation_id,
                        target.id,
                        how="transferred",
                        reason=f"{agent.name} transferred it" + (f": {note}" if note else ""),
                        require_online=True,
                    )
                except Conflict as error:
                    if error.info.get("reason") != "not_online":
                        raise
                    now = self.store.get_agent(target.id)
                    raise Conflict(_not_online(now), reason="not_online") from error
                return self.store.get_conversation(conversation_id)
            self._notice(queued, TRANSFER_NOTICE, "transferred")
            self.ctx.publish(queued, EventType.CONVERSATION_QUEUED, conversation_payload(queued))
            return queued

    def reopen(self, agent: Agent, conversation_id: str, note: str | None = None) -> Conversation:
        """Reopen a resolved conversation: it is assigned to the reopening agent (within their
        capacity), and the customer may write in it again."""
        conversation = self.desk.conversation_for_agent(agent, conversation_id)
        if conversation.status != ConversationStatus.RESOLVED:
            raise Conflict(
                f'Conversation "{conversation_id}" is {conversation.status}; only a resolved conversation '
                "can be reopened",
                reason="not_resolved",
            )
        with self.store.transaction():
            started = time.perf_counter()
            reopened = self.store.assign_agent(
                conversation_id,
                agent.id,
                expected=[ConversationStatus.RESOLVED],
                capacity=agent.capacity,
                resolved_at=None,
                resolution=None,
                queued_at=None,
            )
            self.ctx.decisions.record(
                reopened,
                kind=DecisionKind.ASSIGNMENT,
                outcome="reopened",
                summary=f"{agent.name} reopened the conversation" + (f": {note}" if note else "."),
                inputs={"agent_id": agent.id, "note": note},
                version=DESK_VERSION,
                started=started,
            )
            self._notice(reopened, f"{agent.name} from our team has reopened this conversation.", "reopened")
            self.ctx.publish(
                reopened,
                EventType.CONVERSATION_ASSIGNED,
                {**conversation_payload(reopened), "agent_name": agent.name},
            )
        return reopened

    def _owned(self, agent: Agent, conversation_id: str) -> Conversation:
        conversation = self.desk.conversation_for_agent(agent, conversation_id)
        if conversation.status not in HUMAN_OWNED:
            raise Conflict(f'Conversation "{conversation_id}" is {conversation.status}; claim it first')
        if conversation.assigned_agent_id != agent.id:
            raise Forbidden(f'Conversation "{conversation_id}" is owned by another agent')
        return conversation

    def _colleague(self, agent: Agent, agent_id: str) -> Agent:
        try:
            target = self.store.get_agent(agent_id)
        except NotFound:
            target = None
        if target is None or target.workspace_id != agent.workspace_id:
            raise NotFound(f'No agent with id "{agent_id}" in your workspace')
        if target.id == agent.id:
            raise InvalidInput("You already own this conversation; pick another agent")
        return target

    def _notice(self, conversation: Conversation, text: str, event: str) -> None:
        message, _ = self.store.add_message(
            conversation.id,
            role=MessageRole.SYSTEM,
            text=text,
            channel=conversation.channel,
            metadata={
                "event": "transferred" if conversation.status == ConversationStatus.QUEUED else "reopened"
            },
        )
        self.ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(message))
