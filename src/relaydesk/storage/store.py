"""The SQL store: every read and write the use cases need, each in its own short transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    HUMAN_OWNED,
    Agent,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Decision,
    Message,
    MessageRole,
    Workspace,
    utcnow,
)
from relaydesk.domain.ports import AgentLoad
from relaydesk.domain.signals import QueuedCase
from relaydesk.storage import convert
from relaydesk.storage.database import make_session_factory, read_only_sessions
from relaydesk.storage.tables import (
    AgentRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    MessageRow,
    WorkspaceRow,
)

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


def _wrong_status(conversation_id: str, row: ConversationRow, expected: list[str]) -> Conflict:
    return Conflict(
        f'Conversation "{conversation_id}" is {row.status}'
        + (f" (owned by {row.assigned_agent_id})" if row.assigned_agent_id else "")
        + f"; it must be {' or '.join(expected)} for this",
        conversation_status=row.status,
    )


def digest(secret: str) -> str:
    """SHA-256 of an API key or token: only digests are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class SqlStore:
    """Reads and writes relaydesk's records through SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = make_session_factory(engine)
        self._reads = read_only_sessions(engine)

    def session(self) -> Session:
        """A session for reads (see ``read_only_sessions``); writes go through ``_sessions.begin()``."""
        return self._reads()

    # -- workspaces -------------------------------------------------------------------------------
    def create_workspace(self, slug: str, name: str) -> Workspace:
        row = WorkspaceRow(id=new_id("ws"), slug=slug, name=name, created_at=utcnow())
        with self._sessions.begin() as s:
            if s.scalar(select(WorkspaceRow.id).where(WorkspaceRow.slug == slug)):
                raise Conflict(f'A workspace with slug "{slug}" already exists')
            s.add(row)
        return convert.workspace(row)

    def workspace_by_slug(self, slug: str) -> Workspace:
        with self.session() as s:
            row = s.scalar(select(WorkspaceRow).where(WorkspaceRow.slug == slug))
            if row is None:
                raise NotFound(f'No workspace with slug "{slug}"')
            return convert.workspace(row)

    def get_workspace(self, workspace_id: str) -> Workspace:
        with self.session() as s:
            row = s.get(WorkspaceRow, workspace_id)
            if row is None:
                raise NotFound(f'No workspace with id "{workspace_id}"')
            return convert.workspace(row)

    # -- customers --------------------------------------------------------------------------------
    def upsert_customer(
        self,
        workspace_id: str,
        *,
        external_id: str | None = None,
        name: str | None = None,
        email: str | None = None,
        tier: CustomerTier = CustomerTier.STANDARD,
        language: str = "en",
        attributes: dict[str, Any] | None = None,
    ) -> Customer:
        """The customer with ``external_id`` in this workspace, created or updated; anonymous if None."""
        with self._sessions.begin() as s:
            row = None
            if external_id is not None:
                row = s.scalar(
                    select(CustomerRow).where(
                        CustomerRow.workspace_id == workspace_id, CustomerRow.external_id == external_id
                    )
                )
            if row is None:
                row = CustomerRow(
                    id=new_id("cus"),
                    workspace_id=workspace_id,
                    external_id=external_id,
                    created_at=utcnow(),
                    attributes={},
                )
                s.add(row)
            row.name = name if name is not None else row.name
            row.email = email if email is not None else row.email
            row.tier = str(tier)
            row.language = language
            if attributes:
                row.attributes = {**(row.attributes or {}), **attributes}
            s.flush()
            return convert.customer(row)

    def get_customer(self, customer_id: str) -> Customer:
        with self.session() as s:
            row = s.get(CustomerRow, customer_id)
            if row is None:
                raise NotFound(f'No customer with id "{customer_id}"')
            return convert.customer(row)

    # -- agents -----------------------------------------------------------------------------------
    def create_agent(
        self,
        workspace_id: str,
        *,
        name: str,
        email: str,
        api_key: str,
        skills: dict[str, float] | None = None,
        languages: Sequence[str] = ("en",),
        tier: int = 1,
        capacity: int = 3,
        status: AgentStatus = AgentStatus.ONLINE,
    ) -> Agent:
        row = AgentRow(
            id=new_id("agt"),
            workspace_id=workspace_id,
            name=name,
            email=email,
            api_key_hash=digest(api_key),
            skills=dict(skills or {}),
            languages=list(languages),
            tier=tier,
            capacity=capacity,
            status=str(status),
            created_at=utcnow(),
        )
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError as exc:
            raise Conflict(f'An agent with email "{email}" or that API key already exists') from exc
        return convert.agent(row)

    def agent_by_api_key(self, api_key: str) -> Agent | None:
        with self.session() as s:
            row = s.scalar(select(AgentRow).where(AgentRow.api_key_hash == digest(api_key)))
            return convert.agent(row) if row else None

    def get_agent(self, agent_id: str) -> Agent:
        with self.session() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            return convert.agent(row)

    def list_agents(self, workspace_id: str) -> list[Agent]:
        with self.session() as s:
            rows = s.scalars(
                select(AgentRow).where(AgentRow.workspace_id == workspace_id).order_by(AgentRow.name)
            )
            return [convert.agent(r) for r in rows]

    def set_agent_status(self, agent_id: str, status: AgentStatus) -> Agent:
        with self._sessions.begin() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            row.status = str(status)
            s.flush()
            return convert.agent(row)

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
            # Stamped once the agent is locked, so an agent's assignments and resolutions order
            # correctly in time (a resolve that freed the seat is always stamped earlier).
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
                raise _wrong_status(conversation_id, row, expected_values)
            row = s.get(ConversationRow, conversation_id)
            assert row is not None
            s.refresh(row)
            return convert.conversation(row)

    # -- conversations ----------------------------------------------------------------------------
    def create_conversation(
        self,
        workspace_id: str,
        customer_id: str,
        *,
        token: str,
        channel: Channel,
        subject: str | None = None,
        language: str | None = None,
    ) -> Conversation:
        now = utcnow()
        row = ConversationRow(
            id=new_id("conv"),
            workspace_id=workspace_id,
            customer_id=customer_id,
            customer_token_hash=digest(token),
            channel=str(channel),
            status=str(ConversationStatus.WITH_AI),
            subject=subject,
            language=language,
            priority=0,
            required_skills=[],
            ai_turns=0,
            created_at=now,
            updated_at=now,
        )
        with self._sessions.begin() as s:
            s.add(row)
        return convert.conversation(row)

    def get_conversation(self, conversation_id: str) -> Conversation:
        with self.session() as s:
            row = s.get(ConversationRow, conversation_id)
            if row is None:
                raise NotFound(f'No conversation with id "{conversation_id}"')
            return convert.conversation(row)

    def conversation_token_matches(self, conversation_id: str, token: str) -> bool:
        with self.session() as s:
            stored = s.scalar(
                select(ConversationRow.customer_token_hash).where(ConversationRow.id == conversation_id)
            )
            return stored is not None and stored == digest(token)

    def list_conversations(
        self,
        workspace_id: str,
        *,
        statuses: Iterable[ConversationStatus] | None = None,
        agent_id: str | None = None,
        limit: int = 100,
    ) -> list[Conversation]:
        query = select(ConversationRow).where(ConversationRow.workspace_id == workspace_id)
        if statuses is not None:
            query = query.where(ConversationRow.status.in_([str(x) for x in statuses]))
        if agent_id is not None:
            query = query.where(ConversationRow.assigned_agent_id == agent_id)
        query = query.order_by(ConversationRow.updated_at.desc()).limit(limit)
        with self.session() as s:
            return [convert.conversation(r) for r in s.scalars(query)]

    def customer_conversations(self, customer_id: str, limit: int = 10) -> list[Conversation]:
        """The customer's conversations, newest first."""
        query = (
            select(ConversationRow)
            .where(ConversationRow.customer_id == customer_id)
            .order_by(ConversationRow.created_at.desc(), ConversationRow.id)
            .limit(limit)
        )
        with self.session() as s:
            return [convert.conversation(r) for r in s.scalars(query)]

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

    def transition(
        self,
        conversation_id: str,
        *,
        expected: Iterable[ConversationStatus],
        to: ConversationStatus,
        expected_agent_id: str | None = None,
        **changes: Any,
    ) -> Conversation:
        """Compare-and-set the status: succeeds only from an ``expected`` status, atomically.

        Two callers racing for the same transition cannot both win: the UPDATE's WHERE clause
        re-checks the status inside the database, so exactly one sees a changed row.
        """
        expected_values = [str(x) for x in expected]
        now = utcnow()
        values: dict[str, Any] = {"status": str(to), "updated_at": now, **changes}
        where = [ConversationRow.id == conversation_id, ConversationRow.status.in_(expected_values)]
        if expected_agent_id is not None:
            where.append(ConversationRow.assigned_agent_id == expected_agent_id)
        with self._sessions.begin() as s:
            result = s.execute(update(ConversationRow).where(*where).values(**values))
            if result.rowcount != 1:  # type: ignore[attr-defined]
                row = s.get(ConversationRow, conversation_id)
                if row is None:
                    raise NotFound(f'No conversation with id "{conversation_id}"')
                raise _wrong_status(conversation_id, row, expected_values)
            row = s.get(ConversationRow, conversation_id)
            assert row is not None
            s.refresh(row)
            return convert.conversation(row)

    def update_conversation(self, conversation_id: str, **changes: Any) -> Conversation:
        with self._sessions.begin() as s:
            row = s.get(ConversationRow, conversation_id)
            if row is None:
                raise NotFound(f'No conversation with id "{conversation_id}"')
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            s.flush()
            return convert.conversation(row)

    def increment_ai_turns(self, conversation_id: str) -> None:
        with self._sessions.begin() as s:
            s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(ai_turns=ConversationRow.ai_turns + 1, updated_at=utcnow())
            )

    # -- messages ---------------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: str,
        *,
        role: MessageRole,
        text: str,
        channel: Channel,
        author_id: str | None = None,
        idempotency_key: str | None = None,
        reply_to_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        handled: bool = True,
        only_if: Iterable[ConversationStatus] | None = None,
    ) -> tuple[Message, bool]:
        """Store a message; returns ``(message, created)``.

        With an idempotency key already used in this conversation, nothing is stored and the first
        message is returned with ``created=False``. The write is committed before this returns.
        With ``only_if``, the message is stored only while the conversation is in one of those
        statuses (checked in the same transaction, the row locked); otherwise Conflict with
        ``reason="status_changed"``.
        """
        allowed = [str(x) for x in only_if] if only_if is not None else None
        if idempotency_key is not None:
            existing = self.message_by_idempotency_key(conversation_id, idempotency_key)
            if existing is not None:
                return existing, False
        now = utcnow()
        for _attempt in range(5):
            try:
                with self._sessions.begin() as s:
                    if allowed is not None:
                        status = s.scalar(
                            select(ConversationRow.status)
                            .where(ConversationRow.id == conversation_id)
                            .with_for_update()
                        )
                        if status not in allowed:
                            raise Conflict(
                                f'Conversation "{conversation_id}" is {status}, '
                                f"no longer {' or '.join(allowed)}",
                                reason="status_changed",
                            )
                    seq = (
                        s.scalar(
                            select(func.max(MessageRow.seq)).where(
                                MessageRow.conversation_id == conversation_id
                            )
                        )
                        or 0
                    ) + 1
                    row = MessageRow(
                        id=new_id("msg"),
                        seq=seq,
                        conversation_id=conversation_id,
                        role=str(role),
                        author_id=author_id,
                        text=text,
                        channel=str(channel),
                        idempotency_key=idempotency_key,
                        reply_to_id=reply_to_id,
                        meta=dict(metadata or {}),
                        handled_at=now if handled else None,
                        created_at=now,
                    )
                    s.add(row)
                    s.execute(
                        update(ConversationRow)
                        .where(ConversationRow.id == conversation_id)
                        .values(updated_at=now)
                    )
                return convert.message(row), True
            except IntegrityError:
                if idempotency_key is not None:
                    existing = self.message_by_idempotency_key(conversation_id, idempotency_key)
                    if existing is not None:
                        return existing, False
                # A concurrent writer took the same seq; try again with the next one.
                continue
        raise Conflict(f'Could not store the message in conversation "{conversation_id}"; try again')

    def message_by_idempotency_key(self, conversation_id: str, key: str) -> Message | None:
        with self.session() as s:
            row = s.scalar(
                select(MessageRow).where(
                    MessageRow.conversation_id == conversation_id, MessageRow.idempotency_key == key
                )
            )
            return convert.message(row) if row else None

    def get_message(self, message_id: str) -> Message:
        with self.session() as s:
            row = s.get(MessageRow, message_id)
            if row is None:
                raise NotFound(f'No message with id "{message_id}"')
            return convert.message(row)

    def messages(self, conversation_id: str, *, after_seq: int = 0, limit: int = 1000) -> list[Message]:
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow)
                .where(MessageRow.conversation_id == conversation_id, MessageRow.seq > after_seq)
                .order_by(MessageRow.seq)
                .limit(limit)
            )
            return [convert.message(r) for r in rows]

    def replies_to(self, message_id: str) -> list[Message]:
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow).where(MessageRow.reply_to_id == message_id).order_by(MessageRow.seq)
            )
            return [convert.message(r) for r in rows]

    def mark_handled(self, message_id: str) -> None:
        with self._sessions.begin() as s:
            s.execute(update(MessageRow).where(MessageRow.id == message_id).values(handled_at=utcnow()))

    def unhandled_customer_messages(self, limit: int = 100) -> list[Message]:
        """Customer messages stored but never fully handled (e.g. the process died mid-way)."""
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow)
                .where(MessageRow.role == str(MessageRole.CUSTOMER), MessageRow.handled_at.is_(None))
                .order_by(MessageRow.created_at)
                .limit(limit)
            )
            return [convert.message(r) for r in rows]

    # -- decisions --------------------------------------------------------------------------------
    def add_decision(
        self,
        *,
        workspace_id: str,
        kind: str,
        outcome: str,
        summary: str,
        conversation_id: str | None = None,
        message_id: str | None = None,
        inputs: dict[str, Any] | None = None,
        reasons: list[Any] | None = None,
        version: str = "unknown",
        latency_ms: float = 0.0,
        at: datetime | None = None,
    ) -> Decision:
        if not kind or not outcome:
            raise InvalidInput("A decision needs a kind and an outcome")
        row = DecisionRow(
            id=new_id("dec"),
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            message_id=message_id,
            kind=kind,
            outcome=outcome,
            summary=summary,
            inputs=dict(inputs or {}),
            reasons=list(reasons or []),
            version=version,
            latency_ms=float(latency_ms),
            created_at=at or utcnow(),
        )
        with self._sessions.begin() as s:
            s.add(row)
        return convert.decision(row)

    def decisions(self, conversation_id: str) -> list[Decision]:
        with self.session() as s:
            rows = s.scalars(
                select(DecisionRow)
                .where(DecisionRow.conversation_id == conversation_id)
                .order_by(DecisionRow.created_at, DecisionRow.id)
            )
            return [convert.decision(r) for r in rows]
