"""The SQL behind the reports: the facts of a period's conversations (``analytics.facts``), the
queue with customers' names, and the conversations a supervisor picks from.

A period's facts take six set-based queries (no query per conversation): the cohort, the first
customer and AI messages with the AI's count, the decisions that hand over, change ownership,
reopen, repeat or schedule a follow-up, the ratings, agents' feedback, and each customer's next
contact (any, and on the same topic)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from relaydesk.analytics.facts import (
    ConversationFacts,
    Handover,
    HandoverKind,
    OwnershipChange,
    OwnershipEvent,
)
from relaydesk.analytics.live import ConversationLine, QueuedConversation
from relaydesk.domain.capability_types import FiredRule
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.models import ConversationStatus, MessageRole
from relaydesk.storage.convert import aware
from relaydesk.storage.desk_tables import CsatRow, FeedbackRow
from relaydesk.storage.routing_queries import QUEUE_ORDER
from relaydesk.storage.store import SqlStore
from relaydesk.storage.tables import ConversationRow, CustomerRow, DecisionRow, MessageRow

FIRST_MESSAGE_CHARS = 200
COUNTED = (
    str(DecisionKind.RESOLUTION),
    str(DecisionKind.REOPEN),
    str(DecisionKind.REPEAT),
    str(DecisionKind.FOLLOW_UP),
)
"""Decisions counted per conversation (closings, reopens, repeats, follow-ups scheduled)."""
TRANSFERRED = "transferred_"
"""The outcome prefix of a ``route`` decision that is an agent's transfer."""
OWNERSHIP = {
    str(DecisionKind.ASSIGNMENT): OwnershipChange.ASSIGNED,
    str(DecisionKind.HANDBACK): OwnershipChange.HANDED_BACK,
    str(DecisionKind.RESOLUTION): OwnershipChange.RESOLVED,
}


def _at(value: datetime) -> datetime:
    return aware(value) or value


def _has_customer_message(conversation: Any) -> Any:
    return exists().where(
        MessageRow.conversation_id == conversation.id, MessageRow.role == str(MessageRole.CUSTOMER)
    )


def _first_message_text() -> Any:
    """The text of the conversation's first customer message (a correlated scalar subquery)."""
    return (
        select(func.substr(MessageRow.text, 1, FIRST_MESSAGE_CHARS))
        .where(
            MessageRow.conversation_id == ConversationRow.id,
            MessageRow.role == str(MessageRole.CUSTOMER),
        )
        .order_by(MessageRow.seq)
        .limit(1)
        .scalar_subquery()
    )


class SqlReportQueries:
    """Reads for ``analytics`` (implements ``analytics.facts.ReportSource``)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def _session(self) -> Session:
        return self._store.session()

    # -- KPIs -------------------------------------------------------------------------------------
    def conversation_facts(
        self, workspace_id: str, since: datetime, until: datetime
    ) -> list[ConversationFacts]:
        c = ConversationRow
        cohort = select(c.id).where(
            c.workspace_id == workspace_id,
            c.created_at >= since,
            c.created_at < until,
            _has_customer_message(c),
        )
        with self._store.reading(), self._session() as s:
            rows = s.execute(
                select(
                    c.id,
                    c.customer_id,
                    c.channel,
                    c.status,
                    c.created_at,
                    c.resolved_at,
                    c.topic,
                    c.resolution,
                ).where(c.id.in_(cohort))
            ).all()
            firsts, ai_counts = self._first_messages(s, cohort)
            handovers, ownership, counts = self._decisions(s, cohort)
            rated = select(CsatRow.conversation_id, CsatRow.score).where(CsatRow.conversation_id.in_(cohort))
            ratings: dict[str, int] = {cid: score for cid, score in s.execute(rated)}
            feedback: dict[str, list[tuple[str, str]]] = defaultdict(list)
            f = FeedbackRow
            for cid, target, rating in s.execute(
                select(f.conversation_id, f.target, f.rating).where(f.conversation_id.in_(cohort))
            ):
                feedback[cid].append((target, rating))
            next_contacts = self._next_contacts(s, workspace_id, cohort)
        facts = []
        for r in sorted(rows, key=lambda row: (_at(row.created_at), row.id)):
            first = firsts.get(r.id, {})
            n = counts.get(r.id, Counter())
            next_any, next_same = next_contacts.get(r.id, (None, None))
            facts.append(
                ConversationFacts(
                    id=r.id,
                    customer_id=r.customer_id,
                    channel=r.channel,
                    status=r.status,
                    created_at=_at(r.created_at),
                    resolved_at=aware(r.resolved_at),
                    first_customer_message_at=first.get(str(MessageRole.CUSTOMER)) or _at(r.created_at),
                    first_ai_message_at=first.get(str(MessageRole.AI)),
                    handovers=tuple(handovers.get(r.id, ())),
                    ownership=tuple(ownership.get(r.id, ())),
                    csat=ratings.get(r.id),
                    next_contact_at=next_any,
                    next_same_topic_at=next_same,
                    topic=r.topic,
                    resolution=r.resolution,
                    ai_messages=ai_counts.get(r.id, 0),
                    closings=n[DecisionKind.RESOLUTION],
                    reopens=n[DecisionKind.REOPEN],
                    repeats=n[DecisionKind.REPEAT],
                    follow_ups=n[DecisionKind.FOLLOW_UP],
                    feedback=tuple(feedback.get(r.id, ())),
                )
            )
        return facts

    @staticmethod
    def _first_messages(
        s: Session, cohort: Select[Any]
    ) -> tuple[dict[str, dict[str, datetime]], dict[str, int]]:
        m = MessageRow
        query = (
            select(m.conversation_id, m.role, func.min(m.created_at), func.count())
            .where(
                m.conversation_id.in_(cohort),
                m.role.in_([str(MessageRole.CUSTOMER), str(MessageRole.AI)]),
            )
            .group_by(m.conversation_id, m.role)
        )
        firsts: dict[str, dict[str, datetime]] = defaultdict(dict)
        ai_counts: dict[str, int] = {}
        for conversation_id, role, at, count in s.execute(query):
            firsts[conversation_id][role] = _at(at)
            if role == MessageRole.AI:
                ai_counts[conversation_id] = int(count)
        return firsts, ai_counts

    @staticmethod
    def _decisions(
        s: Session, cohort: Select[Any]
    ) -> tuple[dict[str, list[Handover]], dict[str, list[OwnershipEvent]], dict[str, Counter[str]]]:
        d = DecisionRow
        kinds = [str(DecisionKind.ESCALATION), str(DecisionKind.RECOVERY), *OWNERSHIP, *COUNTED]
        query = (
            select(d.conversation_id, d.kind, d.outcome, d.reasons, d.created_at)
            .where(
                d.conversation_id.in_(cohort),
                or_(
                    d.kind.in_(kinds),
                    and_(d.kind == str(DecisionKind.ROUTE), d.outcome.like(f"{TRANSFERRED}%")),
                ),
            )
            .order_by(d.conversation_id, d.created_at, d.id)
        )
        handovers: dict[str, list[Handover]] = defaultdict(list)
        ownership: dict[str, list[OwnershipEvent]] = defaultdict(list)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for conversation_id, kind, outcome, reasons, created_at in s.execute(query):
            at = _at(created_at)
            if kind in COUNTED and (kind != DecisionKind.FOLLOW_UP or outcome == "scheduled"):
                counts[conversation_id][kind] += 1
            if kind == DecisionKind.ESCALATION and outcome == "escalate":
                handovers[conversation_id].append(Handover(at, HandoverKind.ESCALATION, _rules(reasons)))
            elif kind == DecisionKind.RECOVERY:
                handovers[conversation_id].append(Handover(at, HandoverKind.RECOVERY))
            elif kind == DecisionKind.ROUTE:
                handovers[conversation_id].append(Handover(at, HandoverKind.TRANSFER))
            elif kind in OWNERSHIP:
                if kind == DecisionKind.ASSIGNMENT and not handovers[conversation_id]:
                    handovers[conversation_id].append(Handover(at, HandoverKind.CLAIM))
                ownership[conversation_id].append(OwnershipEvent(at, OWNERSHIP[kind]))
        return handovers, ownership, counts

    @staticmethod
    def _next_contacts(
        s: Session, workspace_id: str, cohort: Select[Any]
    ) -> dict[str, tuple[datetime | None, datetime | None]]:
        """Each cohort conversation's customer's next conversation (with a message): any, and on the
        same topic (equal topics, or either unknown)."""
        this = aliased(ConversationRow)
        other = aliased(ConversationRow)
        same_topic = or_(other.topic == this.topic, other.topic.is_(None), this.topic.is_(None))
        query = (
            select(this.id, func.min(other.created_at), func.min(case((same_topic, other.created_at))))
            .join(
                other,
                and_(
                    other.workspace_id == workspace_id,
                    other.customer_id == this.customer_id,
                    other.created_at > this.created_at,
                    other.id != this.id,
                ),
            )
            .where(this.id.in_(cohort), _has_customer_message(other))
            .group_by(this.id)
        )
        return {
            cid: (_at(first), _at(same) if same is not None else None)
            for cid, first, same in s.execute(query)
        }

    # -- the live desk ----------------------------------------------------------------------------
    def queued_conversations(self, workspace_id: str, limit: int = 500) -> list[QueuedConversation]:
        c = ConversationRow
        query = (
            select(c, CustomerRow.name, _first_message_text())
            .join(CustomerRow, CustomerRow.id == c.customer_id)
            .where(c.workspace_id == workspace_id, c.status == str(ConversationStatus.QUEUED))
            .order_by(*QUEUE_ORDER)
            .limit(limit)
        )
        with self._session() as s:
            return [
                QueuedConversation(
                    id=row.id,
                    customer_name=name,
                    first_message=first,
                    priority=row.priority,
                    escalation_reason=row.escalation_reason,
                    queued_at=aware(row.queued_at),
                    due_at=aware(row.due_at),
                )
                for row, name, first in s.execute(query)
            ]

    def conversation_lines(self, workspace_id: str, status: str | None, limit: int) -> list[ConversationLine]:
        c = ConversationRow
        query = (
            select(c, CustomerRow.name, _first_message_text())
            .join(CustomerRow, CustomerRow.id == c.customer_id)
            .where(c.workspace_id == workspace_id)
            .order_by(c.updated_at.desc(), c.id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(c.status == status)
        with self._session() as s:
            return [
                ConversationLine(
                    id=row.id,
                    customer_name=name,
                    first_message=first,
                    status=row.status,
                    channel=row.channel,
                    assigned_agent_id=row.assigned_agent_id,
                    created_at=_at(row.created_at),
                    updated_at=_at(row.updated_at),
                )
                for row, name, first in s.execute(query)
            ]


def _rules(reasons: Any) -> tuple[FiredRule, ...]:
    return tuple(
        FiredRule(str(r.get("rule") or ""), str(r.get("family") or ""), str(r.get("reason") or ""))
        for r in reasons or ()
        if isinstance(r, dict) and r.get("rule")
    )
