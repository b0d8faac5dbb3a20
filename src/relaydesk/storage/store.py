"""The SQL store: every read and write the use cases need, each in its own short transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
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
from relaydesk.storage import convert
from relaydesk.storage.database import UnitOfWork, make_session_factory, read_only_sessions
from relaydesk.storage.routing_queries import RoutingQueries, wrong_status
from relaydesk.storage.tables import (
    AgentRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    MessageRow,
    OutboxRow,
    WorkspaceRow,
)


def digest(secret: str) -> str:
    """SHA-256 of an API key or token: only digests are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class SqlStore(RoutingQueries):
    """Reads and writes relaydesk's records through SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = make_session_factory(engine)
        self._reads = read_only_sessions(engine)

    def session(self) -> Session:
        """A session for reads (see ``read_only_sessions``); writes go through ``_sessions.begin()``.
        Both are the open transaction's session while a use case holds one (``transaction()``)."""
        return self._reads()  # type: ignore[no-any-return]

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """One transaction for a whole use case: every store call in the block (this store's and
        the other stores on the same database) joins it, and all of it commits at the end or none
        of it does. Re-entrant."""
        with self._sessions.transaction() as uow:
            yield uow

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads in one snapshot (one read transaction instead of one per call)."""
        with self._sessions.reading():
            yield

    @property
    def in_transaction(self) -> bool:
        return self._sessions.in_transaction

    def current_transaction(self) -> UnitOfWork | None:
        return self._sessions.current()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the open transaction that may fail alone (derived data such as case vectors):
        on an error, only its own writes are undone, and the error is raised to the caller."""
        uow = self._sessions.current()
        if uow is None:
            yield
            return
        with uow.session.begin_nested():
            yield

    def lock_conversation(self, conversation_id: str) -> Conversation:
        """Read the conversation and hold it until the transaction ends (a row lock on PostgreSQL;
        SQLite's write transaction already excludes every other writer)."""
        with self._sessions.begin() as s:
            row = s.scalar(
                select(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if row is None:
                raise NotFound(f'No conversation with id "{conversation_id}"')
            return convert.conversation(row)

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

    def lock_agent(self, agent_id: str) -> Agent:
        """Read the agent and hold their row until the transaction ends. Transactions that lock an
        agent and a conversation take the agent first (as assignment does): a resolve or reply that
        changes an assigned conversation twice would otherwise take the agent's row last (the
        foreign key check of the second change) and could deadlock with an assignment."""
        with self._sessions.begin() as s:
            row = s.scalar(
                select(AgentRow)
                .where(AgentRow.id == agent_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            return convert.agent(row)

    def set_agent_status(self, agent_id: str, status: AgentStatus) -> Agent:
        with self._sessions.begin() as s:
            row = s.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f'No agent with id "{agent_id}"')
            row.status = str(status)
            s.flush()
            return convert.agent(row)

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
                raise wrong_status(conversation_id, row, expected_values)
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
        lease_owner: str | None = None,
        lease_s: float = 0.0,
    ) -> tuple[Message, bool]:
        """Store a message at the conversation's next position; returns ``(message, created)``.

        The conversation row is locked while the position is taken, so positions are unique and
        gapless even with many writers (a unique index backs this). With an idempotency key already
        used in this conversation, nothing is stored and the first message is returned with
        ``created=False``. With ``only_if``, the message is stored only while the conversation is in
        one of those statuses (checked under the same lock); otherwise Conflict with
        ``reason="status_changed"``. An unhandled message may be stored leased to ``lease_owner``
        for ``lease_s`` seconds (see ``claim_message``).
        """
        allowed = [str(x) for x in only_if] if only_if is not None else None
        now = utcnow()
        for _attempt in range(3):
            try:
                with self._sessions.begin() as s:
                    status = s.scalar(
                        select(ConversationRow.status)
                        .where(ConversationRow.id == conversation_id)
                        .with_for_update()
                    )
                    if status is None:
                        raise NotFound(f'No conversation with id "{conversation_id}"')
                    if idempotency_key is not None:
                        existing = s.scalar(
                            select(MessageRow).where(
                                MessageRow.conversation_id == conversation_id,
                                MessageRow.idempotency_key == idempotency_key,
                            )
                        )
                        if existing is not None:
                            return convert.message(existing), False
                    if allowed is not None and status not in allowed:
                        raise Conflict(
                            f'Conversation "{conversation_id}" is {status}, no longer {" or ".join(allowed)}',
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
                        lease_owner=lease_owner if not handled else None,
                        lease_until=now + timedelta(seconds=lease_s) if not handled and lease_owner else None,
                        attempts=1 if not handled and lease_owner else 0,
                        created_at=now,
                    )
                    s.add(row)
                    s.execute(
                        update(ConversationRow)
                        .where(ConversationRow.id == conversation_id)
                        .values(updated_at=now)
                    )
                    s.flush()
                    return convert.message(row), True
            except IntegrityError:
                if self.in_transaction:
                    raise  # the shared transaction is spoiled; the use case retries as a whole
                # Only a racing writer with the same idempotency key gets here (positions are taken
                # under the conversation lock); the next attempt finds its message.
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
            s.execute(
                update(MessageRow)
                .where(MessageRow.id == message_id)
                .values(handled_at=utcnow(), lease_owner=None, lease_until=None)
            )

    def message_handled(self, message_id: str) -> bool:
        with self.session() as s:
            return s.scalar(select(MessageRow.handled_at).where(MessageRow.id == message_id)) is not None

    def message_lease(self, message_id: str) -> tuple[datetime | None, datetime | None]:
        """``(handled_at, lease_until)`` of a message."""
        with self.session() as s:
            row = s.execute(
                select(MessageRow.handled_at, MessageRow.lease_until).where(MessageRow.id == message_id)
            ).first()
            if row is None:
                raise NotFound(f'No message with id "{message_id}"')
            return convert.aware(row[0]), convert.aware(row[1])

    def claim_message(
        self, message_id: str, owner: str, lease_s: float, *, backoff_cap_s: float = 300.0
    ) -> bool:
        """Take an unhandled message whose lease has ended (or that has none) for ``owner``: a
        compare-and-set, so of many workers exactly one wins, and a live worker's message is never
        taken. Each claim leases it for longer (``lease_s`` doubled per earlier attempt, up to
        ``backoff_cap_s``), so a message that keeps failing is retried ever more slowly."""
        now = utcnow()
        with self._sessions.begin() as s:
            attempts = s.scalar(select(MessageRow.attempts).where(MessageRow.id == message_id)) or 0
            lease = min(lease_s * (2 ** max(attempts, 0)), max(backoff_cap_s, lease_s))
            result = s.execute(
                update(MessageRow)
                .where(
                    MessageRow.id == message_id,
                    MessageRow.handled_at.is_(None),
                    or_(MessageRow.lease_until.is_(None), MessageRow.lease_until < now),
                )
                .values(
                    lease_owner=owner,
                    lease_until=now + timedelta(seconds=lease),
                    attempts=MessageRow.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]

    def message_attempts(self, message_id: str) -> int:
        with self.session() as s:
            return int(s.scalar(select(MessageRow.attempts).where(MessageRow.id == message_id)) or 0)

    def stranded_customer_messages(self, limit: int = 100) -> list[Message]:
        """Customer messages stored but not handled whose lease has ended (their worker died or
        failed), oldest first. A live worker's message (lease still running) is not among them."""
        now = utcnow()
        query = (
            select(MessageRow)
            .where(
                MessageRow.handled_at.is_(None),
                MessageRow.role == str(MessageRole.CUSTOMER),
                or_(MessageRow.lease_until.is_(None), MessageRow.lease_until < now),
            )
            .order_by(MessageRow.created_at, MessageRow.id)
            .limit(limit)
        )
        with self.session() as s:
            return [convert.message(r) for r in s.scalars(query)]

    def unhandled_customer_messages(self, limit: int = 100) -> list[Message]:
        """Customer messages stored but never fully handled, leased or not."""
        with self.session() as s:
            rows = s.scalars(
                select(MessageRow)
                .where(MessageRow.role == str(MessageRole.CUSTOMER), MessageRow.handled_at.is_(None))
                .order_by(MessageRow.created_at)
                .limit(limit)
            )
            return [convert.message(r) for r in rows]

    # -- outbox -----------------------------------------------------------------------------------
    def add_outbox_events(self, events: Sequence[dict[str, Any]]) -> list[str]:
        """Write events in the current transaction; returns their row ids."""
        now = utcnow()
        rows = [OutboxRow(id=new_id("evt"), event=e, created_at=now) for e in events]
        with self._sessions.begin() as s:
            s.add_all(rows)
        return [r.id for r in rows]

    def delete_outbox_events(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._sessions.begin() as s:
            s.execute(delete(OutboxRow).where(OutboxRow.id.in_(list(ids))))

    def claim_outbox_events(
        self, *, older_than_s: float, claim_s: float, limit: int = 200
    ) -> list[tuple[str, dict[str, Any]]]:
        """Left-behind events (written at least ``older_than_s`` ago, not claimed by a live relay),
        claimed for ``claim_s`` seconds; oldest first."""
        now = utcnow()
        with self._sessions.begin() as s:
            query = (
                select(OutboxRow)
                .where(
                    OutboxRow.created_at < now - timedelta(seconds=older_than_s),
                    or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
                )
                .order_by(OutboxRow.created_at, OutboxRow.id)
                .limit(limit)
            )
            if s.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(s.scalars(query))
            for row in rows:
                row.claimed_until = now + timedelta(seconds=claim_s)
            return [(r.id, dict(r.event)) for r in rows]

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
