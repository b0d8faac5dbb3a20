"""The SQL behind the reports: the facts of a period's conversations (``storage/kpi_queries.py``),
the queue with customers' names, and the conversations a supervisor picks from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relaydesk.analytics.facts import ConversationFacts
from relaydesk.analytics.live import ConversationLine, QueuedConversation, email_in
from relaydesk.domain.models import ConversationStatus, MessageRole
from relaydesk.handoff.flow_section import verified_user_id
from relaydesk.storage.convert import aware
from relaydesk.storage.kpi_queries import conversation_facts
from relaydesk.storage.routing_queries import QUEUE_ORDER
from relaydesk.storage.store import SqlStore
from relaydesk.storage.tables import ConversationRow, CustomerRow, MessageRow

FIRST_MESSAGE_CHARS = 200


def _at(value: datetime) -> datetime:
    return aware(value) or value


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


def _email_message_text() -> Any:
    """The text of the conversation's first customer message with an ``@`` in it (the e-mail
    address a customer gave in the chat is read from it; a correlated scalar subquery)."""
    return (
        select(MessageRow.text)
        .where(
            MessageRow.conversation_id == ConversationRow.id,
            MessageRow.role == str(MessageRole.CUSTOMER),
            MessageRow.text.contains("@"),
        )
        .order_by(MessageRow.seq)
        .limit(1)
        .scalar_subquery()
    )


def _customer_label() -> Any:
    """The customer's name, else the id the company's site knows them by (None: anonymous)."""
    return func.coalesce(CustomerRow.name, CustomerRow.external_id)


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
        with self._store.reading(), self._session() as s:
            return conversation_facts(s.connection(), workspace_id, since, until)

    # -- the live desk ----------------------------------------------------------------------------
    def queued_conversations(self, workspace_id: str, limit: int = 500) -> list[QueuedConversation]:
        c = ConversationRow
        query = (
            select(c, _customer_label(), _first_message_text(), CustomerRow.email, _email_message_text())
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
                    verified_user_id=None if name else verified_user_id(row.flow),
                    customer_email=email or email_in(said),
                )
                for row, name, first, email, said in s.execute(query)
            ]

    def conversation_lines(self, workspace_id: str, status: str | None, limit: int) -> list[ConversationLine]:
        c = ConversationRow
        query = (
            select(c, _customer_label(), _first_message_text(), CustomerRow.email, _email_message_text())
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
                    verified_user_id=None if name else verified_user_id(row.flow),
                    customer_email=email or email_in(said),
                )
                for row, name, first, email, said in s.execute(query)
            ]
