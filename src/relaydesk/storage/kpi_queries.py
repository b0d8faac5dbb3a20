"""The facts of a period's conversations (``analytics.facts``), in five set-based queries: the
cohort (with the counters the message store keeps on each conversation), the decisions that hand
over, change ownership, reopen, repeat or schedule a follow-up, the ratings, agents' feedback, and
the customers' later contacts. No query per conversation, no scan of the messages.

Written for a million messages in under two seconds on PostgreSQL (``benchmarks/kpi_speed.py``):
rows are read as plain tuples on the session's connection, only escalations' reasons are decoded
(and only the first handover's), and a customer's next contact is found in Python from one sorted
list per customer instead of a self-join.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, case, cast, or_, select
from sqlalchemy.engine import Connection

from relaydesk.analytics.facts import (
    ConversationFacts,
    Handover,
    HandoverKind,
    OwnershipChange,
    OwnershipEvent,
)
from relaydesk.domain.capability_types import FiredRule
from relaydesk.domain.decisions import DecisionKind, fired_rules
from relaydesk.domain.models import REPEAT_CONTACT_WINDOW
from relaydesk.storage.convert import aware
from relaydesk.storage.desk_tables import CsatRow, FeedbackRow
from relaydesk.storage.tables import ConversationRow, DecisionRow

OWNERSHIP = {
    str(DecisionKind.ASSIGNMENT): OwnershipChange.ASSIGNED,
    str(DecisionKind.HANDBACK): OwnershipChange.HANDED_BACK,
    str(DecisionKind.RESOLUTION): OwnershipChange.RESOLVED,
}
ESCALATION = str(DecisionKind.ESCALATION)
RECOVERY = str(DecisionKind.RECOVERY)
ROUTE = str(DecisionKind.ROUTE)
RESOLUTION = str(DecisionKind.RESOLUTION)
REOPEN = str(DecisionKind.REOPEN)
REPEAT = str(DecisionKind.REPEAT)
FOLLOW_UP = str(DecisionKind.FOLLOW_UP)
ASSIGNMENT = str(DecisionKind.ASSIGNMENT)
HANDBACK = str(DecisionKind.HANDBACK)
TRANSFERRED = "transferred_"
NO_CONTACT: tuple[datetime | None, datetime | None] = (None, None)
"""The outcome prefix of a ``route`` decision that is an agent's transfer."""


def _at(value: datetime) -> datetime:
    return value if value.tzinfo is not None else aware(value) or value


def _maybe(value: datetime | None) -> datetime | None:
    return None if value is None else _at(value)


class _Events:
    """One conversation's decisions as the KPIs read them."""

    __slots__ = ("follow_ups", "handovers", "ownership", "reopens", "repeats")

    def __init__(self) -> None:
        self.handovers: list[Handover] = []
        self.ownership: list[OwnershipEvent] = []
        self.reopens = 0
        self.repeats = 0
        self.follow_ups = 0


def _rows(conn: Connection, query: Any) -> Sequence[Any]:
    """The query's rows as tuples. On PostgreSQL straight from psycopg's cursor, in the session's
    transaction (SQLAlchemy's result rows cost about a microsecond each, and a large period has
    hundreds of thousands); elsewhere through SQLAlchemy, which also converts SQLite's text times."""
    if conn.dialect.name == "postgresql":
        compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(str(compiled), compiled.params)
            return cursor.fetchall()  # type: ignore[no-any-return]
    return conn.execute(query).all()


def conversation_facts(
    conn: Connection, workspace_id: str, since: datetime, until: datetime
) -> list[ConversationFacts]:
    if conn.dialect.name == "postgresql":
        # for this read only: sorts of a large period stay in memory, and compiling the plans to
        # machine code (JIT) costs more than it saves on queries this short
        conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
        conn.exec_driver_sql("SET LOCAL jit = off")
    c = ConversationRow
    contact = and_(c.workspace_id == workspace_id, c.first_customer_message_at.is_not(None))
    in_cohort = and_(contact, c.created_at >= since, c.created_at < until)
    cohort_ids = select(c.id).where(in_cohort)
    rows = _rows(
        conn,
        select(
            c.id,
            c.customer_id,
            c.channel,
            c.status,
            c.created_at,
            c.resolved_at,
            c.topic,
            c.resolution,
            c.first_customer_message_at,
            c.first_ai_message_at,
            c.ai_messages,
        )
        .where(in_cohort)
        .order_by(c.created_at, c.id),
    )
    if not rows:
        return []
    if conn.dialect.name != "postgresql":  # SQLite gives times without their zone (stored as UTC)
        rows = [(*r[:4], _at(r[4]), _maybe(r[5]), *r[6:8], _maybe(r[8]), _maybe(r[9]), r[10]) for r in rows]
    events = _decisions(conn, cohort_ids)
    ratings: dict[str, int] = dict(
        _rows(
            conn,
            select(CsatRow.conversation_id, CsatRow.score).where(CsatRow.conversation_id.in_(cohort_ids)),
        )
    )
    feedback: dict[str, list[tuple[str, str]]] = defaultdict(list)
    f = FeedbackRow
    for cid, target, rating in _rows(
        conn, select(f.conversation_id, f.target, f.rating).where(f.conversation_id.in_(cohort_ids))
    ):
        feedback[cid].append((target, rating))
    next_contacts = _next_contacts(_contacts(conn, workspace_id, until, rows))
    facts = []
    none = _Events()
    for r in rows:
        (cid, customer_id, channel, status, created, resolved, topic, resolution, first_c, first_ai, ai_n) = r
        e = events.get(cid, none)
        next_any, next_same = next_contacts.get(cid, NO_CONTACT)
        facts.append(
            ConversationFacts(  # positional (a keyword call costs a third more on a large period)
                cid,
                customer_id,
                channel,
                status,
                created,
                resolved,
                first_c or created,  # first_customer_message_at
                first_ai,
                tuple(e.handovers),
                tuple(e.ownership),
                ratings.get(cid),  # csat
                next_any,
                next_same,
                topic,
                resolution,
                ai_n or 0,
                e.reopens,
                e.repeats,
                e.follow_ups,
                tuple(feedback.get(cid, ())),
            )
        )
    return facts


def _decisions(conn: Connection, cohort_ids: Any) -> dict[str, _Events]:
    d = DecisionRow
    wanted = or_(
        and_(d.kind == ESCALATION, d.outcome == "escalate"),
        d.kind.in_([RECOVERY, REOPEN, REPEAT, ASSIGNMENT, HANDBACK]),
        # only a person's resolution can close the time a person owned it (the AI resolves a
        # conversation it holds, and "closed at least once" is read from the status and reopens)
        and_(d.kind == RESOLUTION, d.outcome == "resolved"),
        and_(d.kind == FOLLOW_UP, d.outcome == "scheduled"),
        and_(d.kind == ROUTE, d.outcome.like(f"{TRANSFERRED}%")),
    )
    # reasons as text, decoded only for a conversation's first handover (the escalation reasons)
    reasons = case((d.kind == ESCALATION, cast(d.reasons, Text)), else_=None)
    query = (
        select(d.conversation_id, d.kind, d.created_at, reasons)
        .where(d.conversation_id.in_(cohort_ids), wanted)
        .order_by(d.conversation_id, d.created_at, d.id)
    )
    events: dict[str, _Events] = {}
    for cid, kind, created, raw_reasons in _rows(conn, query):
        e = events.get(cid)
        if e is None:
            e = events[cid] = _Events()
        at = _at(created)
        if kind == ESCALATION:
            rules = _rules(raw_reasons) if not e.handovers else ()
            e.handovers.append(Handover(at, HandoverKind.ESCALATION, rules))
        elif kind == RECOVERY:
            e.handovers.append(Handover(at, HandoverKind.RECOVERY))
        elif kind == ROUTE:
            e.handovers.append(Handover(at, HandoverKind.TRANSFER))
        elif kind == REOPEN:
            e.reopens += 1
        elif kind == REPEAT:
            e.repeats += 1
        elif kind == FOLLOW_UP:
            e.follow_ups += 1
        else:  # ownership
            if kind == ASSIGNMENT and not e.handovers:
                e.handovers.append(Handover(at, HandoverKind.CLAIM))
            e.ownership.append(OwnershipEvent(at, OWNERSHIP[kind]))
    return events


def _contacts(
    conn: Connection, workspace_id: str, until: datetime, rows: Sequence[Any]
) -> dict[str, list[tuple[datetime, str, str | None]]]:
    """Every contact (a conversation with a customer message) of the cohort's customers, from the
    cohort itself and from after the period until the last resolution could still be followed by a
    repeat contact; per customer, oldest first, as (started, id, topic)."""
    found: dict[str, list[tuple[datetime, str, str | None]]] = defaultdict(list)
    for r in rows:  # oldest first
        found[r[1]].append((r[4], r[0], r[6]))
    bound = max([r[4] for r in rows] + [r[5] for r in rows if r[5] is not None]) + REPEAT_CONTACT_WINDOW
    c = ConversationRow
    after = (
        select(c.customer_id, c.created_at, c.id, c.topic)
        .where(
            c.workspace_id == workspace_id,
            c.first_customer_message_at.is_not(None),
            c.created_at >= until,
            c.created_at <= bound,
        )
        .order_by(c.created_at, c.id)
    )
    for customer_id, created, cid, topic in _rows(conn, after):
        mine = found.get(customer_id)
        if mine is not None:
            mine.append((_at(created), cid, topic))
    return found


def _next_contacts(
    contacts: dict[str, list[tuple[datetime, str, str | None]]],
) -> dict[str, tuple[datetime | None, datetime | None]]:
    """For each contact, the customer's next contact started strictly later: any, and on the same
    topic (equal topics, or either unknown). One pass per customer, newest first."""
    found: dict[str, tuple[datetime | None, datetime | None]] = {}
    for mine in contacts.values():
        if len(mine) == 1:
            continue
        # newest first: what comes after each one is already known when it is reached
        later_any: datetime | None = None
        later_unknown: datetime | None = None  # the next contact without a topic
        later_by_topic: dict[str, datetime] = {}
        i = len(mine) - 1
        while i >= 0:
            at = mine[i][0]
            j = i
            while j >= 0 and mine[j][0] == at:  # contacts started at the same instant: none is "later"
                j -= 1
            for _, cid, topic in mine[j + 1 : i + 1]:
                if topic is None:
                    same = later_any
                else:
                    candidates = [t for t in (later_by_topic.get(topic), later_unknown) if t is not None]
                    same = min(candidates) if candidates else None
                found[cid] = (later_any, same)
            for _, _, topic in mine[j + 1 : i + 1]:
                if topic is None:
                    later_unknown = at
                else:
                    later_by_topic[topic] = at
            later_any = at
            i = j
    return found


def _rules(raw: str | None) -> tuple[FiredRule, ...]:
    if not raw:
        return ()
    try:
        return fired_rules(json.loads(raw))
    except ValueError:
        return ()
