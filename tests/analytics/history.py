"""A generated desk history with known answers, written through the real store.

The store stamps conversations and messages with the current time; the history then moves those
stamps to the times it plans (decisions take their time directly, and the decision log stays
append-only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from relaydesk.domain.models import OPEN_STATUSES, Channel, ConversationStatus, MessageRole, Workspace
from relaydesk.storage.desk_tables import CsatRow, FeedbackRow
from relaydesk.storage.store import SqlStore
from relaydesk.storage.tables import ConversationRow, MessageRow

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 11, 8, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass
class History:
    store: SqlStore
    workspace: Workspace
    ids: dict[str, str] = field(default_factory=dict)

    def customer(self, external_id: str, name: str | None = None) -> str:
        return self.store.upsert_customer(
            self.workspace.id, external_id=external_id, name=name or external_id
        ).id

    def conversation(self, label: str, customer_id: str, created: datetime) -> str:
        c = self.store.create_conversation(
            self.workspace.id, customer_id, token=secrets.token_hex(8), channel=Channel.WEB
        )
        self._set(ConversationRow, ConversationRow.id == c.id, created_at=created, updated_at=created)
        self.ids[label] = c.id
        return c.id

    def message(self, conversation_id: str, role: MessageRole, text: str, when: datetime) -> str:
        m, _ = self.store.add_message(conversation_id, role=role, text=text, channel=Channel.WEB)
        self._set(MessageRow, MessageRow.id == m.id, created_at=when)
        # the counters the message store keeps follow the moved time
        first = {MessageRole.CUSTOMER: "first_customer_message_at", MessageRole.AI: "first_ai_message_at"}
        if role in first:
            earliest = (
                select(func.min(MessageRow.created_at))
                .where(MessageRow.conversation_id == conversation_id, MessageRow.role == str(role))
                .scalar_subquery()
            )
            self._set(ConversationRow, ConversationRow.id == conversation_id, **{first[role]: earliest})
        return m.id

    def decision(self, conversation_id: str, kind: str, outcome: str, when: datetime, **extra: Any) -> None:
        self.store.add_decision(
            workspace_id=self.workspace.id,
            conversation_id=conversation_id,
            kind=kind,
            outcome=outcome,
            summary=f"{kind}: {outcome}",
            version="test-1",
            at=when,
            **extra,
        )

    def status(self, conversation_id: str, to: ConversationStatus, **changes: Any) -> None:
        self.store.transition(conversation_id, expected=OPEN_STATUSES, to=to, **changes)

    def resolve(
        self, conversation_id: str, when: datetime, agent_id: str | None = None, resolution: str = "agent"
    ) -> None:
        self.status(conversation_id, ConversationStatus.RESOLVED, resolved_at=when, resolution=resolution)
        by = "agent" if resolution == "agent" else "timer" if resolution == "abandoned" else "ai"
        outcome = {"agent": "resolved", "abandoned": "abandoned"}.get(resolution, "resolved_by_ai")
        self.decision(conversation_id, "resolution", outcome, when, inputs={"agent_id": agent_id, "by": by})

    def reopen(self, conversation_id: str, when: datetime) -> None:
        self.store.transition(
            conversation_id,
            expected=[ConversationStatus.RESOLVED],
            to=ConversationStatus.WITH_AI,
            resolved_at=None,
            resolution=None,
        )
        self.decision(conversation_id, "reopen", "reopened", when, inputs={"by": "customer"})

    def topic(self, conversation_id: str, topic: str) -> None:
        self._set(ConversationRow, ConversationRow.id == conversation_id, topic=topic)

    def feedback(self, conversation_id: str, agent_id: str, target: str, rating: str, when: datetime) -> None:
        with self.store.transaction() as uow:
            uow.session.add(
                FeedbackRow(
                    id=secrets.token_hex(8),
                    workspace_id=self.workspace.id,
                    conversation_id=conversation_id,
                    agent_id=agent_id,
                    target=target,
                    rating=rating,
                    created_at=when,
                )
            )

    def rate(self, conversation_id: str, score: int, when: datetime) -> None:
        with self.store.transaction() as uow:
            uow.session.add(
                CsatRow(
                    conversation_id=conversation_id,
                    workspace_id=self.workspace.id,
                    score=score,
                    comment=None,
                    created_at=when,
                )
            )

    def _set(self, table: Any, where: Any, **values: Any) -> None:
        with self.store.transaction() as uow:
            uow.session.execute(update(table).where(where).values(**values))


def rule(name: str, family: str) -> dict[str, Any]:
    return {"rule": name, "family": family, "reason": f"{name} fired", "values": {}}


def build_history(store: SqlStore, workspace: Workspace, other: Workspace, agent_id: str) -> History:
    """Six conversations in the period (and some that are not), with the answers in
    ``EXPECTED`` (see tests/analytics/test_kpis.py for the working)."""
    h = History(store, workspace)
    cust = MessageRole.CUSTOMER
    ai = MessageRole.AI

    # c1: the AI settles it alone; rated 5; the customer does not come back.
    c1 = h.conversation("c1", h.customer("a", "Ann"), at(0))
    h.message(c1, cust, "where is my order?", at(0))
    h.decision(c1, "escalation", "stay_with_ai", at(1), reasons=[])
    h.message(c1, ai, "It ships today.", at(5))
    h.resolve(c1, at(600), resolution="ai_confirmed")
    h.rate(c1, 5, at(610))
    h.topic(c1, "order_status")

    # c2: the AI answers, frustration and an explicit request escalate at 120 s; a person owns it
    # from 180 s for 600 s; rated 4; the customer comes back 3 days later (c7): no FCR.
    c2 = h.conversation("c2", h.customer("b", "Ben"), at(0))
    h.message(c2, cust, "my refund is late", at(0))
    h.message(c2, ai, "Refunds take 5 days.", at(10))
    h.decision(
        c2,
        "escalation",
        "escalate",
        at(120),
        reasons=[rule("frustration", "implicit"), rule("explicit_request", "explicit")],
    )
    h.status(c2, ConversationStatus.QUEUED, queued_at=at(120))
    h.decision(c2, "assignment", "claimed", at(180), inputs={"agent_id": agent_id})
    h.status(c2, ConversationStatus.ASSIGNED, assigned_agent_id=agent_id, assigned_at=at(180))
    h.message(c2, MessageRole.AGENT, "Sorting it now.", at(200))
    # handoff friction: the customer says their problem again after the handover, and the agent
    # passes the conversation on (a second handover within 72 hours)
    h.decision(c2, "repeat", "repeated", at(240))
    h.decision(c2, "route", "transferred_to_agent", at(300))
    h.resolve(c2, at(780), agent_id)
    h.rate(c2, 4, at(800))
    h.topic(c2, "refund")
    h.feedback(c2, agent_id, "ai_reply", "accurate", at(300))
    h.feedback(c2, agent_id, "ai_reply", "wrong", at(310))
    h.feedback(c2, agent_id, "suggested_reply", "up", at(320))

    # c3: asks for a person at once (30 s), before the AI says anything (the intake question after
    # it does not count); owned 300 s, handed back, taken again for 100 s; rated 2.
    c3 = h.conversation("c3", h.customer("c", "Cleo"), at(0))
    h.message(c3, cust, "human please", at(0))
    h.decision(c3, "escalation", "escalate", at(30), reasons=[rule("explicit_request", "explicit")])
    h.message(c3, ai, "While you wait: which order?", at(40))
    h.decision(c3, "assignment", "routed", at(60))
    h.decision(c3, "handback", "with_ai", at(360))
    h.decision(c3, "assignment", "claimed", at(400))
    h.resolve(c3, at(500), agent_id)
    h.rate(c3, 2, at(510))

    # c4: the AI answered, then kept failing: recovery at 600 s; still queued.
    c4 = h.conversation("c4", h.customer("d", "Dev"), at(0))
    h.message(c4, cust, "my account is locked", at(0))
    h.message(c4, ai, "Let me check.", at(10))
    h.decision(c4, "recovery", "to_person", at(600))
    h.status(c4, ConversationStatus.QUEUED, queued_at=at(600))

    # c5: an agent claims it from the AI at 900 s and resolves it 1,200 s later; not rated; the
    # customer comes back 8 days after the resolution (FCR holds).
    c5 = h.conversation("c5", h.customer("e", "Eve"), at(0))
    h.message(c5, cust, "change my address", at(0))
    h.message(c5, ai, "Which order?", at(5))
    h.decision(c5, "assignment", "claimed", at(900))
    h.decision(c5, "follow_up", "scheduled", at(2000))
    h.resolve(c5, at(2100), agent_id)
    later = h.conversation("e-later", h.store.get_conversation(c5).customer_id, at(2100) + timedelta(days=8))
    h.message(later, cust, "hello again", at(2100) + timedelta(days=8))

    # c6: opened, never written in: no contact.
    h.conversation("c6", h.customer("f"), at(0))

    # c7: Ben again, 3 days after c2 was resolved; the AI still has it.
    c7 = h.conversation("c7", h.store.get_conversation(c2).customer_id, at(780) + timedelta(days=3))
    h.message(c7, cust, "still no refund", at(780) + timedelta(days=3))
    h.topic(c7, "refund")

    # c8: the AI answers and the customer thanks it (resolved, confirmed), comes back (reopened),
    # the AI answers again and the customer goes quiet (resolved, quiet); rated 3.
    c8 = h.conversation("c8", h.customer("h", "Hal"), at(0))
    h.message(c8, cust, "where is my parcel?", at(0))
    h.message(c8, ai, "It arrives Friday.", at(5))
    h.resolve(c8, at(60), resolution="ai_confirmed")
    h.message(c8, cust, "it's Saturday, still nothing", at(3000))
    h.reopen(c8, at(3000))
    h.message(c8, ai, "It was delivered to your neighbour.", at(3010))
    h.resolve(c8, at(4810), resolution="ai_quiet")
    h.rate(c8, 3, at(4900))
    h.topic(c8, "order_status")

    # c10: the AI asks which order; the customer never answers: abandoned, not resolved.
    c10 = h.conversation("c10", h.customer("i", "Ida"), at(0))
    h.message(c10, cust, "cancel my order", at(0))
    h.message(c10, ai, "Which order?", at(5))
    h.resolve(c10, at(1805), resolution="abandoned")

    # c11: Ann again a day after c1, about something else: not a repeat contact for c1.
    c11 = h.conversation("c11", h.store.get_conversation(c1).customer_id, at(0) + timedelta(days=1))
    h.message(c11, cust, "how do I reset my password?", at(0) + timedelta(days=1))
    h.topic(c11, "password_reset")

    # Outside the period or the workspace.
    before = h.conversation("before", h.customer("g"), SINCE - timedelta(days=2))
    h.message(before, cust, "old", SINCE - timedelta(days=2))
    elsewhere = History(store, other)
    c9 = elsewhere.conversation("c9", elsewhere.customer("z"), at(0))
    elsewhere.message(c9, cust, "other desk", at(0))
    elsewhere.decision(c9, "escalation", "escalate", at(5), reasons=[rule("explicit_request", "explicit")])
    return h
