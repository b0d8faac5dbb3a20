"""The SQL store: the store ports (``domain.ports.SupportStore``) on SQLite or PostgreSQL.

One store per record type (workspaces and customers, agents, conversations, the routing queue,
messages, the outbox, decisions), composed here behind one object; each method is its own short
transaction, or a step of the use case's transaction when one is open (``transaction()``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from relaydesk.storage.agent_store import SqlAgentStore
from relaydesk.storage.conversation_store import SqlConversationStore
from relaydesk.storage.database import UnitOfWork, make_session_factory, read_only_sessions
from relaydesk.storage.decision_store import SqlDecisionStore
from relaydesk.storage.message_store import SqlMessageStore
from relaydesk.storage.outbox_store import SqlOutboxStore
from relaydesk.storage.record_store import digest
from relaydesk.storage.routing_queries import SqlQueueStore
from relaydesk.storage.workspace_store import SqlWorkspaceStore

__all__ = ["SqlStore", "digest"]

P = ParamSpec("P")
R = TypeVar("R")


def _via(part: str, method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """``SqlStore.<name>``: the method of the same name of the record store in ``part``."""
    name = method.__name__

    def forward(self: Any, *args: P.args, **kwargs: P.kwargs) -> R:
        return getattr(getattr(self, part), name)(*args, **kwargs)  # type: ignore[no-any-return]

    forward.__name__ = name
    forward.__qualname__ = f"SqlStore.{name}"
    forward.__doc__ = method.__doc__
    return forward


class SqlStore:
    """Reads and writes relaydesk's records through SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = make_session_factory(engine)
        self._reads = read_only_sessions(engine)
        self._workspaces = SqlWorkspaceStore(self._sessions, self._reads)
        self._agents = SqlAgentStore(self._sessions, self._reads)
        self._conversations = SqlConversationStore(self._sessions, self._reads)
        self._queue = SqlQueueStore(self._sessions, self._reads)
        self._messages = SqlMessageStore(self._sessions, self._reads)
        self._outbox = SqlOutboxStore(self._sessions, self._reads)
        self._decisions = SqlDecisionStore(self._sessions, self._reads)

    def session(self) -> Session:
        """A session for reads; the open transaction's session while a use case holds one."""
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

    # SqlWorkspaceStore
    create_workspace = _via("_workspaces", SqlWorkspaceStore.create_workspace)
    workspace_by_slug = _via("_workspaces", SqlWorkspaceStore.workspace_by_slug)
    get_workspace = _via("_workspaces", SqlWorkspaceStore.get_workspace)
    upsert_customer = _via("_workspaces", SqlWorkspaceStore.upsert_customer)
    get_customer = _via("_workspaces", SqlWorkspaceStore.get_customer)
    customer_by_external_id = _via("_workspaces", SqlWorkspaceStore.customer_by_external_id)

    # SqlAgentStore
    create_agent = _via("_agents", SqlAgentStore.create_agent)
    agent_by_api_key = _via("_agents", SqlAgentStore.agent_by_api_key)
    get_agent = _via("_agents", SqlAgentStore.get_agent)
    list_agents = _via("_agents", SqlAgentStore.list_agents)
    lock_agent = _via("_agents", SqlAgentStore.lock_agent)
    set_agent_status = _via("_agents", SqlAgentStore.set_agent_status)
    set_agent_role = _via("_agents", SqlAgentStore.set_agent_role)
    set_agent_api_key = _via("_agents", SqlAgentStore.set_agent_api_key)

    # SqlConversationStore
    create_conversation = _via("_conversations", SqlConversationStore.create_conversation)
    get_conversation = _via("_conversations", SqlConversationStore.get_conversation)
    lock_conversation = _via("_conversations", SqlConversationStore.lock_conversation)
    conversation_token_matches = _via("_conversations", SqlConversationStore.conversation_token_matches)
    list_conversations = _via("_conversations", SqlConversationStore.list_conversations)
    customer_conversations = _via("_conversations", SqlConversationStore.customer_conversations)
    quiet_conversations = _via("_conversations", SqlConversationStore.quiet_conversations)
    transition = _via("_conversations", SqlConversationStore.transition)
    update_conversation = _via("_conversations", SqlConversationStore.update_conversation)
    increment_ai_turns = _via("_conversations", SqlConversationStore.increment_ai_turns)

    # SqlQueueStore
    agent_loads = _via("_queue", SqlQueueStore.agent_loads)
    agent_load = _via("_queue", SqlQueueStore.agent_load)
    workspaces_with_queue = _via("_queue", SqlQueueStore.workspaces_with_queue)
    queued_cases = _via("_queue", SqlQueueStore.queued_cases)
    queue_position = _via("_queue", SqlQueueStore.queue_position)
    median_handle_time_s = _via("_queue", SqlQueueStore.median_handle_time_s)
    assign_agent = _via("_queue", SqlQueueStore.assign_agent)
    queue = _via("_queue", SqlQueueStore.queue)

    # SqlMessageStore
    add_message = _via("_messages", SqlMessageStore.add_message)
    message_by_idempotency_key = _via("_messages", SqlMessageStore.message_by_idempotency_key)
    get_message = _via("_messages", SqlMessageStore.get_message)
    messages = _via("_messages", SqlMessageStore.messages)
    recent_messages = _via("_messages", SqlMessageStore.recent_messages)
    replies_to = _via("_messages", SqlMessageStore.replies_to)
    mark_handled = _via("_messages", SqlMessageStore.mark_handled)
    message_handled = _via("_messages", SqlMessageStore.message_handled)
    message_lease = _via("_messages", SqlMessageStore.message_lease)
    claim_message = _via("_messages", SqlMessageStore.claim_message)
    message_attempts = _via("_messages", SqlMessageStore.message_attempts)
    stranded_customer_messages = _via("_messages", SqlMessageStore.stranded_customer_messages)
    unhandled_customer_messages = _via("_messages", SqlMessageStore.unhandled_customer_messages)

    # SqlOutboxStore
    add_outbox_events = _via("_outbox", SqlOutboxStore.add_outbox_events)
    delete_outbox_events = _via("_outbox", SqlOutboxStore.delete_outbox_events)
    claim_outbox_events = _via("_outbox", SqlOutboxStore.claim_outbox_events)

    # SqlDecisionStore
    add_decision = _via("_decisions", SqlDecisionStore.add_decision)
    decisions = _via("_decisions", SqlDecisionStore.decisions)
