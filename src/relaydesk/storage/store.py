"""The SQL store: every read and write the use cases need, each in its own short transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
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
from relaydesk.storage.database import make_session_factory, read_only_sessions
from relaydesk.storage.routing_queries import RoutingQueries, wrong_status
from relaydesk.storage.tables import (
    AgentRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    MessageRow,
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
