from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.models import Channel, ConversationStatus, MessageRole
from relaydesk.storage.database import alembic_config, current_revision
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_agent, make_workspace


@pytest.fixture
def conversation(store: SqlStore):
    ws = make_workspace(store)
    customer = store.upsert_customer(ws.id, external_id="c-1", name="Ada")
    return store.create_conversation(ws.id, customer.id, token="t0ken", channel=Channel.WEB)


def test_schema_is_at_the_newest_revision(store: SqlStore) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    migrations = ScriptDirectory.from_config(alembic_config(url))
    heads = migrations.get_heads()
    assert len(heads) == 1, f"the migrations have more than one head: {heads}"
    assert current_revision(store.engine) == heads[0]


def test_same_idempotency_key_stores_the_message_once(store: SqlStore, conversation) -> None:
    first, created = store.add_message(
        conversation.id, role=MessageRole.CUSTOMER, text="hi", channel=Channel.WEB, idempotency_key="k1"
    )
    again, created_again = store.add_message(
        conversation.id, role=MessageRole.CUSTOMER, text="hi", channel=Channel.WEB, idempotency_key="k1"
    )
    assert created and not created_again
    assert again.id == first.id
    assert [m.id for m in store.messages(conversation.id)] == [first.id]


def test_messages_keep_their_order(store: SqlStore, conversation) -> None:
    texts = [f"message {i}" for i in range(5)]
    for t in texts:
        store.add_message(conversation.id, role=MessageRole.CUSTOMER, text=t, channel=Channel.WEB)
    assert [m.text for m in store.messages(conversation.id)] == texts


def test_transition_happens_only_from_the_expected_status(store: SqlStore, conversation) -> None:
    queued = store.transition(
        conversation.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED
    )
    assert queued.status == ConversationStatus.QUEUED
    with pytest.raises(Conflict, match="is queued"):
        store.transition(conversation.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED)


def test_unknown_conversation_is_not_found(store: SqlStore) -> None:
    with pytest.raises(NotFound, match="conv_missing"):
        store.get_conversation("conv_missing")


def test_decision_log_refuses_updates_and_deletes(store: SqlStore, conversation) -> None:
    decision = store.add_decision(
        workspace_id=conversation.workspace_id,
        conversation_id=conversation.id,
        kind="triage",
        outcome="order_status",
        summary="read it",
    )
    for statement in ("UPDATE decisions SET outcome = 'changed'", "DELETE FROM decisions"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert [d.outcome for d in store.decisions(conversation.id)] == [decision.outcome]


def test_queue_puts_urgent_first_then_oldest(store: SqlStore) -> None:
    ws = make_workspace(store)
    customer = store.upsert_customer(ws.id)
    ids = []
    for priority in (0, 2, 0):
        conv = store.create_conversation(ws.id, customer.id, token="x", channel=Channel.WEB)
        store.transition(
            conv.id,
            expected=[ConversationStatus.WITH_AI],
            to=ConversationStatus.QUEUED,
            priority=priority,
            queued_at=conv.created_at,
        )
        ids.append(conv.id)
    assert [c.id for c in store.queue(ws.id)] == [ids[1], ids[0], ids[2]]


def test_agent_is_found_by_api_key_digest_only(store: SqlStore) -> None:
    ws = make_workspace(store)
    made = make_agent(store, ws)
    assert store.agent_by_api_key(made.api_key).id == made.agent.id  # type: ignore[union-attr]
    assert store.agent_by_api_key("wrong") is None


def test_a_long_read_does_not_hold_up_writers(store) -> None:  # type: ignore[no-untyped-def]
    """SQLite: reads begin deferred, so a read left open (a long queue scan) does not take the write
    lock; on PostgreSQL reads never block writes."""
    import threading

    from sqlalchemy import select

    from relaydesk.storage.tables import WorkspaceRow

    store.create_workspace("first", "First")
    done = threading.Event()
    with store.session() as s:
        assert s.scalars(select(WorkspaceRow)).all()  # the read transaction is open now
        writer = threading.Thread(target=lambda: (store.create_workspace("second", "Second"), done.set()))
        writer.start()
        assert done.wait(timeout=5), "a write waited for an open read"
    writer.join(timeout=5)
    assert store.workspace_by_slug("second").name == "Second"
