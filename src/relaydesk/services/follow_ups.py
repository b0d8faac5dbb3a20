"""Follow-ups on a durable timer: an agent, a flow or a specialist schedules a message for later
("Has your parcel arrived?"); the sweep sends each due one exactly once, into the conversation even
when it is resolved, and the customer's answer reopens the thread.

The ``follow_ups`` table is the timer, so nothing is lost when a process dies: ``send_due`` claims
a due row with a compare-and-set on its status in the same transaction that stores the message and
the decision, so with any number of workers sweeping at once each follow-up goes out once."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from relaydesk.dialogue.acts import social_act
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.events import EventType
from relaydesk.domain.follow_ups import FollowUp, FollowUpAuthor, FollowUpRecords, FollowUpStatus
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import HUMAN_OWNED, Agent, Conversation, ConversationStatus, MessageRole, utcnow
from relaydesk.services.context import ServiceContext
from relaydesk.services.message_input import require_unicode, stored_free_text
from relaydesk.services.payloads import message_payload

if TYPE_CHECKING:
    from sqlalchemy import Engine


log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2000
MIN_AHEAD_S = 60
"""A follow-up is for later: due at least a minute ahead."""
MAX_AHEAD = timedelta(days=90)
MAX_SCHEDULED = 10
"""Scheduled (not yet sent) follow-ups one conversation may have."""
MAX_AUTHOR_CHARS = 100
VERSION = "follow-ups-1"

__all__ = [
    "FollowUp",
    "FollowUpAuthor",
    "FollowUpService",
    "FollowUpStatus",
    "checked_due_at",
    "checked_text",
]


def checked_text(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"text must be the message to send, not {type(text).__name__}")
    if "\x00" in text:
        raise InvalidInput("text must not contain NUL characters")
    require_unicode(text, "text")
    clean = text.strip()
    if not clean:
        raise InvalidInput("text is empty; write the message the customer should get")
    if len(clean) > MAX_TEXT_CHARS:
        raise InvalidInput(f"text has {len(clean)} characters; a follow-up has at most {MAX_TEXT_CHARS}")
    return clean


def checked_due_at(due_at: object, due_in_s: object, now: datetime) -> datetime:
    """When it is due, in UTC: ``due_at`` (ISO 8601 with a zone, or an aware datetime) or
    ``due_in_s`` (whole seconds from now), exactly one of them, between a minute and 90 days ahead."""
    if (due_at is None) == (due_in_s is None):
        raise InvalidInput("Say when to send it: give due_at or due_in_s (exactly one of them)")
    if due_in_s is not None:
        if isinstance(due_in_s, bool) or not isinstance(due_in_s, int):
            raise InvalidInput(f"due_in_s must be a whole number of seconds, not {due_in_s!r}")
        ahead: float = due_in_s
        what, when = f"due_in_s {due_in_s}", None
    else:
        when = _parsed_time(due_at)
        what = f'due_at "{when.isoformat()}"'
        try:
            ahead = (when - now).total_seconds()
        except OverflowError:
            raise InvalidInput(f"{what} is out of range") from None
    if ahead < MIN_AHEAD_S:
        past = "is in the past" if ahead <= 0 else "is less than a minute ahead"
        raise InvalidInput(f"{what} {past}; a follow-up is due at least {MIN_AHEAD_S} seconds from now")
    if ahead > MAX_AHEAD.total_seconds():
        raise InvalidInput(f"{what} is too far ahead; a follow-up is due within {MAX_AHEAD.days} days")
    return (when or now + timedelta(seconds=ahead)).astimezone(UTC)


def _parsed_time(value: object) -> datetime:
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                f'due_at "{value[:40]}" is not an ISO 8601 time such as 2026-12-08T09:00:00+01:00'
            ) from None
    elif isinstance(value, datetime):
        when = value
    else:
        raise InvalidInput(f"due_at must be an ISO 8601 time, not {type(value).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInput(
            f'due_at "{when.isoformat()}" has no time zone; add one (Z, +01:00) so it means one moment'
        )
    return when


def _author_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        raise InvalidInput(f"The {what}'s name must be non-empty text")
    if len(name.strip()) > MAX_AUTHOR_CHARS:
        raise InvalidInput(f"The {what}'s name has more than {MAX_AUTHOR_CHARS} characters")
    return name.strip()


def _gist(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class FollowUpService:
    """Schedule, list, cancel and send follow-ups. Build with ``FollowUpService(context, records)``
    or ``FollowUpService.on(context, engine)``; call ``send_due()`` from a timer."""

    def __init__(
        self, context: ServiceContext, records: FollowUpRecords, *, redact_card_numbers: bool = True
    ) -> None:
        self.ctx = context
        self.store = context.store
        self.records = records
        self.redact_card_numbers = redact_card_numbers

    @classmethod
    def on(
        cls, context: ServiceContext, engine: Engine, *, redact_card_numbers: bool = True
    ) -> FollowUpService:
        from relaydesk.storage.follow_up_store import SqlFollowUpStore

        return cls(context, SqlFollowUpStore(engine), redact_card_numbers=redact_card_numbers)

    # -- schedule, list, cancel ---------------------------------------------------------------------
    def schedule(
        self,
        conversation_id: str,
        text: object,
        *,
        due_at: object = None,
        due_in_s: object = None,
        agent: Agent | None = None,
        flow: str | None = None,
        specialist: str | None = None,
    ) -> FollowUp:
        """Schedule ``text`` for the customer of ``conversation_id``, by exactly one of ``agent``
        (who must be of the conversation's workspace), ``flow`` or ``specialist`` (their names).
        Any status will do: following up after a conversation closed is the usual case."""
        if sum(x is not None for x in (agent, flow, specialist)) != 1:
            raise InvalidInput("A follow-up is scheduled by one agent, flow or specialist")
        started = time.perf_counter()
        now = utcnow()
        clean = stored_free_text(checked_text(text), redact_cards=self.redact_card_numbers) or ""
        when = checked_due_at(due_at, due_in_s, now)
        if agent is not None:
            created_by, author = FollowUpAuthor.AGENT, str(agent.id)
        elif flow is not None:
            created_by, author = FollowUpAuthor.FLOW, _author_name(flow, "flow")
        else:
            created_by, author = FollowUpAuthor.SPECIALIST, _author_name(specialist, "specialist")
        with self.store.transaction():
            conversation = self._conversation(conversation_id, agent)
            scheduled = self.records.scheduled_count(conversation.id)
            if scheduled >= MAX_SCHEDULED:
                raise Conflict(
                    f'Conversation "{conversation.id}" already has {scheduled} follow-ups scheduled; '
                    f"cancel one first (at most {MAX_SCHEDULED})",
                    reason="too_many_follow_ups",
                )
            follow_up = FollowUp(
                id=new_id("fup"),
                workspace_id=conversation.workspace_id,
                conversation_id=conversation.id,
                due_at=when,
                text=clean,
                created_by=created_by,
                author_id=author,
                status=FollowUpStatus.SCHEDULED,
                created_at=now,
            )
            self.records.add_follow_up(follow_up)
            who = agent.name if agent is not None else f"The {created_by} {author}"
            self._record(
                conversation,
                follow_up,
                "scheduled",
                f"{who} scheduled a follow-up for {when:%Y-%m-%d %H:%M} UTC: {_gist(clean)}",
                started,
            )
        return follow_up

    def for_conversation(self, conversation_id: str, *, agent: Agent | None = None) -> list[FollowUp]:
        """The conversation's follow-ups (scheduled, sent and cancelled), soonest due first."""
        conversation = self._conversation(conversation_id, agent)
        return self.records.follow_ups_of(conversation.id)

    def cancel(self, follow_up_id: str, *, agent: Agent | None = None, reason: str | None = None) -> FollowUp:
        """Cancel a scheduled follow-up (an agent of its workspace, or the system when ``agent`` is
        None). Conflict when it was already sent or cancelled."""
        started = time.perf_counter()
        with self.store.transaction():
            follow_up = self.records.follow_up(follow_up_id)
            if follow_up is None or (agent is not None and follow_up.workspace_id != agent.workspace_id):
                raise NotFound(f'No follow-up with id "{follow_up_id}"')
            if follow_up.status != FollowUpStatus.SCHEDULED or not self.records.settle(
                follow_up.id, FollowUpStatus.CANCELLED, utcnow()
            ):
                current = self.records.follow_up(follow_up.id) or follow_up
                raise Conflict(
                    f'Follow-up "{follow_up_id}" was already {current.status}; only a scheduled one '
                    "can be cancelled",
                    reason=f"already_{current.status}",
                )
            cancelled = replace(follow_up, status=FollowUpStatus.CANCELLED)
            conversation = self.store.get_conversation(follow_up.conversation_id)
            by = agent.name if agent is not None else "The system"
            self._record(
                conversation,
                cancelled,
                "cancelled",
                f"{by} cancelled the follow-up" + (f": {reason}" if reason else "."),
                started,
                cancelled_by=agent.id if agent is not None else "system",
                reason=reason,
            )
        return cancelled

    # -- the timer -----------------------------------------------------------------------------------
    def send_due(self, now: datetime | None = None, limit: int = 100) -> int:
        """Send the follow-ups due at ``now`` (up to ``limit``), each in a transaction of its own;
        returns how many this call sent. Safe to run on every worker at once, and again after a
        crash: a follow-up goes out once. One that fails stays scheduled for the next sweep."""
        now = now or utcnow()
        sent = 0
        for follow_up_id in self.records.due_ids(now, limit):
            try:
                sent += self._send(follow_up_id, now)
            except Exception:
                log.exception("sending follow-up %s failed; the next sweep tries again", follow_up_id)
        return sent

    def _send(self, follow_up_id: str, now: datetime) -> int:
        started = time.perf_counter()
        with self.store.transaction():
            follow_up = self.records.lock_scheduled(follow_up_id)
            if follow_up is None:  # sent or cancelled meanwhile, or another worker has it now
                return 0
            try:
                conversation = self.store.get_conversation(follow_up.conversation_id)
            except NotFound:
                self.records.settle(follow_up.id, FollowUpStatus.CANCELLED, now)
                log.warning("follow-up %s cancelled: its conversation is gone", follow_up.id)
                return 0
            if conversation.workspace_id != follow_up.workspace_id:  # never into another workspace
                self.records.settle(follow_up.id, FollowUpStatus.CANCELLED, now)
                log.warning("follow-up %s cancelled: its conversation is of another workspace", follow_up.id)
                return 0
            why_not = self._reason_not_to_send(follow_up, conversation)
            if why_not is not None:
                if self.records.settle(follow_up.id, FollowUpStatus.CANCELLED, now):
                    cancelled = replace(follow_up, status=FollowUpStatus.CANCELLED)
                    self._record(
                        conversation,
                        cancelled,
                        "cancelled",
                        f"The follow-up was not sent: {why_not}.",
                        started,
                        cancelled_by="system",
                        reason=why_not,
                    )
                return 0
            if not self.records.settle(follow_up.id, FollowUpStatus.SENT, now):
                return 0  # another worker won the compare-and-set
            by_agent = follow_up.created_by == FollowUpAuthor.AGENT
            message, _ = self.store.add_message(
                conversation.id,
                role=MessageRole.AGENT if by_agent else MessageRole.AI,
                text=follow_up.text,
                channel=conversation.channel,
                author_id=follow_up.author_id if by_agent else None,
                idempotency_key=f"follow-up:{follow_up.id}",
                metadata={"follow_up": follow_up.id}
                | (
                    {}
                    if by_agent
                    else {"created_by": str(follow_up.created_by), "author": follow_up.author_id}
                ),
                # no ``only_if``: a follow-up goes into a resolved conversation too
            )
            self.records.set_message(follow_up.id, message.id)
            sent = replace(follow_up, status=FollowUpStatus.SENT, sent_at=now, message_id=message.id)
            self._record(
                conversation,
                sent,
                "sent",
                f"Follow-up sent ({conversation.status}): {_gist(follow_up.text)}",
                started,
                message_id=message.id,
            )
            self.ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(message))
        return 1

    def _reason_not_to_send(self, follow_up: FollowUp, conversation: Conversation) -> str | None:
        """Why a due follow-up should not go out after all, or None to send it."""
        if follow_up.created_by == FollowUpAuthor.AGENT:
            try:
                author = self.store.get_agent(follow_up.author_id or "")
            except NotFound:
                author = None
            if author is None or author.workspace_id != conversation.workspace_id:
                return "the agent who scheduled it is no longer on this desk"
            return None
        # The AI never talks over a person, and does not ask what the customer already answered.
        if conversation.status in HUMAN_OWNED or conversation.status == ConversationStatus.QUEUED:
            return f"the conversation is {conversation.status} (with or waiting for a person)"
        for message in self.store.recent_messages(conversation.id):
            if message.role != MessageRole.CUSTOMER or message.created_at <= follow_up.created_at:
                continue
            closing = conversation.status == ConversationStatus.RESOLVED and social_act(message.text)
            if not closing:  # a thank-you that closed the conversation says nothing about it
                return "the customer wrote since it was scheduled"
        return None

    # -- helpers ------------------------------------------------------------------------------------------
    @staticmethod
    def _message_metadata(follow_up: FollowUp) -> dict[str, object]:
        if follow_up.created_by == FollowUpAuthor.AGENT:
            return {"follow_up": follow_up.id}
        return {
            "follow_up": follow_up.id,
            "created_by": str(follow_up.created_by),
            "author": follow_up.author_id,
        }

    def _conversation(self, conversation_id: str, agent: Agent | None) -> Conversation:
        conversation = self.store.get_conversation(conversation_id)
        if agent is not None and conversation.workspace_id != agent.workspace_id:
            raise NotFound(f'No conversation with id "{conversation_id}"')
        return conversation

    def _record(
        self,
        conversation: Conversation,
        follow_up: FollowUp,
        outcome: str,
        summary: str,
        started: float,
        *,
        message_id: str | None = None,
        **extra: object,
    ) -> None:
        self.ctx.decisions.record(
            conversation,
            kind=DecisionKind.FOLLOW_UP,
            outcome=outcome,
            summary=summary,
            message_id=message_id,
            inputs={
                "follow_up_id": follow_up.id,
                "created_by": str(follow_up.created_by),
                "author": follow_up.author_id,
                "due_at": follow_up.due_at.isoformat(),
                **extra,
            },
            version=VERSION,
            started=started,
        )
