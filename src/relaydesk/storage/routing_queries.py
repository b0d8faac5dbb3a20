"""The queries routing needs: agents' loads, the queue in routing order (read by key, page by
page), places in line, handle times, and the capacity-safe assignment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, false, func, or_, select, update

from relaydesk.domain.capability_types import QueuedCase
from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.models import (
    HUMAN_OWNED,
    AgentStatus,
    Conversation,
    ConversationStatus,
    CustomerTier,
    utcnow,
)
from relaydesk.domain.ports import AgentLoad
from relaydesk.storage import convert
from relaydesk.storage.record_store import RecordStore
from relaydesk.storage.tables import AgentRow, ConversationRow, CustomerRow

MIN_HANDLE_S = 10.0
"""Shortest assignment-to-resolution span counted as handling time."""

QUEUE_ORDER = (
    ConversationRow.priority.desc(),
    ConversationRow.due_at.asc().nulls_last(),
    ConversationRow.queued_at.asc(),
    ConversationRow.id,
)
"""The order conversations leave the queue in (the routing rules' ranking)."""


def _comes_after(conversation: Conversation, *, before: bool = False) -> Any:
    """SQL condition: a row comes after ``conversation`` in QUEUE_ORDER (or before it)."""
    c = ConversationRow
    p, d = conversation.priority, conversation.due_at
    q, i = conversation.queued_at or conversation.updated_at, conversation.id
    # Within one priority: rows with a due time first (earliest first), then rows without one;
    # then the longest waiting; then the id.
    same_due = and_(c.due_at == d) if d is not None else c.due_at.is_(None)
    if before:
        later_due = or_(c.due_at < d) if d is not None else c.due_at.is_not(None)
        tie = or_(c.queued_at < q, and_(c.queued_at == q, c.id < i))
        return or_(c.priority > p, and_(c.priority == p, or_(later_due, and_(same_due, tie))))
    later_due = or_(c.due_at > d, c.due_at.is_(None)) if d is not None else false()
    tie = or_(c.queued_at > q, and_(c.queued_at == q, c.id > i))
    return or_(c.priority < p, and_(c.priority == p, or_(later_due, and_(same_due, tie))))


def wrong_status(conversation_id: str, row: ConversationRow, expected: list[str]) -> Conflict:
    return Conflict(
        f'Conversation "{conversation_id}" is {row.status}'
        + (f" (owned by {row.assigned_agent_id})" if row.assigned_agent_id else "")
        + f"; it must be {' or '.join(expected)} for this",
        conversation_status=row.status,
    )


class SqlQueueStore(RecordStore):
    """The routing queue and assignment."""

    def agent_loads(self, workspace_id: str) -> list[AgentLoad]:
        """Every agent of the workspace with the number of open conversations they own."""
        owned = [str(s) for s in HUMAN_OWNED]
        with self.session() as s:
            counts = dict(
                s.execute(
                    select(ConversationRow.assigned_agent_id, func.count())
                    .where(ConversationRow.workspace_id == workspace_id, ConversationRow.status.in_(owned))
                    .group_by(ConversationRow.assigned_agent_id)
                ).all()
            )
            rows = s.scalars(select(AgentRow).where(AgentRow.workspace_id == workspace_id))
            return [
                AgentLoad(convert.agent(r), int(counts.get(r.id, 0)), convert.aware(r.last_assigned_at))
                for r in rows
            ]

    def agent_load(self, agent_id: str) -> AgentLoad:
        """One agent with the number of open conversations they own."""
        owned = [str(s) for s in HUMAN_OWNED]
        with self.session() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            count = s.scalar(
                select(func.count())
                .select_from(ConversationRow)
                .where(ConversationRow.assigned_agent_id == agent_id, ConversationRow.status.in_(owned))
            )
            return AgentLoad(convert.agent(row), int(count or 0), convert.aware(row.last_assigned_at))

    def workspaces_with_queue(self) -> list[str]:
        """Ids of the workspaces that have at least one queued conversation."""
        query = (
            select(ConversationRow.workspace_id)
            .where(ConversationRow.status == str(ConversationStatus.QUEUED))
            .distinct()
        )
        with self.session() as s:
            return sorted(s.scalars(query))

    def queued_cases(
        self, workspace_id: str, limit: int = 500, *, after: QueuedCase | None = None
    ) -> list[QueuedCase]:
        """Queued conversations with their customers' tiers and languages, in routing order (most
        urgent first, then the earliest due, then the longest waiting); with ``after``, the ones
        that come after it in that order (keyset paging)."""
        query = (
            select(ConversationRow, CustomerRow.tier, CustomerRow.language)
            .join(CustomerRow, CustomerRow.id == ConversationRow.customer_id)
            .where(
                ConversationRow.workspace_id == workspace_id,
                ConversationRow.status == str(ConversationStatus.QUEUED),
            )
            .order_by(*QUEUE_ORDER)
            .limit(limit)
        )
        if after is not None:
            query = query.where(_comes_after(after.conversation))
        with self.session() as s:
            return [
                QueuedCase(convert.conversation(row), CustomerTier(tier), language)
                for row, tier, language in s.execute(query)
            ]

    def queue_position(self, conversation: Conversation) -> int:
        """1 + the queued conversations of the workspace ahead of ``conversation`` in routing order."""
        c = ConversationRow
        query = (
            select(func.count())
            .select_from(c)
            .where(
                c.workspace_id == conversation.workspace_id,
                c.status == str(ConversationStatus.QUEUED),
                c.id != conversation.id,
                _comes_after(conversation, before=True),
            )
        )
        with self.session() as s:
            return int(s.scalar(query) or 0) + 1

    def median_handle_time_s(self, workspace_id: str, *, last: int = 50, at_least: int = 5) -> float | None:
        """Median seconds from assignment to resolution over the workspace's ``last`` resolved
        conversations; None with fewer than ``at_least`` of them."""
        query = (
            select(ConversationRow.assigned_at, ConversationRow.resolved_at)
            .where(
                ConversationRow.workspace_id == workspace_id,
                ConversationRow.status == str(ConversationStatus.RESOLVED),
                ConversationRow.assigned_agent_id.is_not(None),
                ConversationRow.assigned_at.is_not(None),
                ConversationRow.resolved_at.is_not(None),
            )
            .order_by(ConversationRow.resolved_at.desc())
            .limit(last)
        )
        with self.session() as s:
            spans = sorted(
                span
                for a, b in s.execute(query)
                # A conversation closed within seconds of being taken (a duplicate, a mistake, a
                # scripted import) says nothing about how long the work takes.
                if (span := (convert.aware(b) - convert.aware(a)).total_seconds()) >= MIN_HANDLE_S  # type: ignore[operator]
            )
        if len(spans) < at_least:
            return None
        middle = len(spans) // 2
        return spans[middle] if len(spans) % 2 else (spans[middle - 1] + spans[middle]) / 2

    def assign_agent(
        self,
        conversation_id: str,
        agent_id: str,
        *,
        expected: Iterable[ConversationStatus],
        capacity: int | None,
        require_online: bool = False,
        **changes: Any,
    ) -> Conversation:
        """Give the conversation to ``agent_id``: a compare-and-set on its status, refused when the
        agent already owns ``capacity`` open conversations. Racing assignments to one agent are
        serialised (a row lock on the agent on PostgreSQL; SQLite writes one at a time), so an agent
        never ends up over capacity and a conversation never gets two owners."""
        expected_values = [str(x) for x in expected]
        owned = [str(x) for x in HUMAN_OWNED]
        values: dict[str, Any] = {
            "status": str(ConversationStatus.ASSIGNED),
            "assigned_agent_id": agent_id,
            "updated_at": utcnow(),
            **changes,
        }
        where = [ConversationRow.id == conversation_id, ConversationRow.status.in_(expected_values)]
        with self._sessions.begin() as s:
            agent = s.execute(
                select(AgentRow.id, AgentRow.status).where(AgentRow.id == agent_id).with_for_update()
            ).first()
            if agent is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            if require_online and agent.status != str(AgentStatus.ONLINE):
                raise Conflict(f"The agent is {agent.status}, not taking conversations", reason="not_online")
            # The conversation too (always agent first, then conversation: no other path locks the
            # two the other way round), so a turn that holds it commits first.
            s.execute(
                select(ConversationRow.id).where(ConversationRow.id == conversation_id).with_for_update()
            )
            # Stamped once both are locked: an agent's assignments and resolutions order correctly in
            # time (a resolve that freed the seat is always stamped earlier), and an AI reply the
            # turn committed just before is never later than the assignment.
            values["updated_at"] = utcnow()
            values.setdefault("assigned_at", values["updated_at"])
            if capacity is not None:
                load = (
                    select(func.count())
                    .select_from(ConversationRow)
                    .where(ConversationRow.assigned_agent_id == agent_id, ConversationRow.status.in_(owned))
                    .scalar_subquery()
                )
                where.append(load < capacity)
            result = s.execute(update(ConversationRow).where(*where).values(**values))
            if result.rowcount == 1:  # type: ignore[attr-defined]
                s.execute(
                    update(AgentRow)
                    .where(AgentRow.id == agent_id)
                    .values(last_assigned_at=values["updated_at"])
                )
            else:
                row = s.get(ConversationRow, conversation_id)
                if row is None:
                    raise NotFound(f'No conversation with id "{conversation_id}"')
                if row.status in expected_values:
                    raise Conflict(
                        f"The agent is at capacity ({capacity} of {capacity} open conversations)",
                        reason="at_capacity",
                    )
                raise wrong_status(conversation_id, row, expected_values)
            row = s.get(ConversationRow, conversation_id)
            assert row is not None
            s.refresh(row)
            return convert.conversation(row)

    def queue(self, workspace_id: str, limit: int = 200) -> list[Conversation]:
        """Queued conversations, most urgent first, then the earliest due, then the oldest."""
        query = (
            select(ConversationRow)
            .where(
                ConversationRow.workspace_id == workspace_id,
                ConversationRow.status == str(ConversationStatus.QUEUED),
            )
            .order_by(*QUEUE_ORDER)
            .limit(limit)
        )
        with self.session() as s:
            return [convert.conversation(r) for r in s.scalars(query)]
