"""The store ports' contract, run on every adapter: in memory, SQLite and PostgreSQL.

What the use cases rely on: positions, idempotency, compare-and-set status changes, exactly-once
capacity-safe assignment, queue order, leases, transactions that commit whole or not at all, and
the outbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.models import AgentStatus, Channel, ConversationStatus, MessageRole, utcnow
from relaydesk.domain.ports import SupportStore
from relaydesk.testing import MemoryStore

WITH_AI, QUEUED = ConversationStatus.WITH_AI, ConversationStatus.QUEUED


@pytest.fixture(params=["memory", "sql"])
def any_store(request: pytest.FixtureRequest, db_backend: str) -> Iterator[SupportStore]:
    if request.param == "memory":
        if db_backend != "sqlite":
            pytest.skip("the in-memory store runs once")
        yield MemoryStore()
    else:
        yield request.getfixturevalue("store")


def _conversation(store: SupportStore, slug: str = "shop") -> Any:
    try:
        ws = store.workspace_by_slug(slug)
    except NotFound:
        ws = store.create_workspace(slug, "Shop")
    customer = store.upsert_customer(ws.id, external_id=None, name="Kim")
    return store.create_conversation(ws.id, customer.id, token="secret-token", channel=Channel.WEB)


def _say(store: SupportStore, conv_id: str, text: str, **kw: Any) -> Any:
    return store.add_message(conv_id, role=MessageRole.CUSTOMER, text=text, channel=Channel.WEB, **kw)


def test_positions_are_consecutive_and_a_used_key_returns_the_first_message(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    first, created = _say(any_store, conv.id, "hello", idempotency_key="k")
    again, created_again = _say(any_store, conv.id, "hello", idempotency_key="k")
    second, _ = _say(any_store, conv.id, "more")
    assert created and not created_again and again.id == first.id
    assert [m.seq for m in any_store.messages(conv.id)] == [1, 2]
    assert [m.id for m in any_store.messages(conv.id, after_seq=1)] == [second.id]
    assert any_store.message_by_idempotency_key(conv.id, "k") == first
    assert any_store.conversation_token_matches(conv.id, "secret-token")
    assert not any_store.conversation_token_matches(conv.id, "guess")


def test_only_if_refuses_a_message_once_the_status_changed(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    with pytest.raises(Conflict) as refused:
        _say(any_store, conv.id, "late notice", only_if=[QUEUED])
    assert refused.value.info["reason"] == "status_changed"
    assert any_store.messages(conv.id) == []


def test_a_status_change_is_compare_and_set(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    queued = any_store.transition(
        conv.id, expected=[WITH_AI], to=QUEUED, priority=2, required_skills=["billing"]
    )
    assert queued.status == QUEUED and queued.priority == 2 and queued.required_skills == ("billing",)
    with pytest.raises(Conflict, match=f'Conversation "{conv.id}" is queued; it must be with_ai'):
        any_store.transition(conv.id, expected=[WITH_AI], to=QUEUED)
    with pytest.raises(NotFound):
        any_store.transition("conv_missing", expected=[WITH_AI], to=QUEUED)


def test_a_transaction_commits_whole_or_not_at_all(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    ran: list[str] = []
    with pytest.raises(RuntimeError), any_store.transaction() as tx:
        _say(any_store, conv.id, "lost")
        any_store.transition(conv.id, expected=[WITH_AI], to=QUEUED)
        tx.after_commit(lambda: ran.append("rolled back"))
        raise RuntimeError("crash")
    assert any_store.messages(conv.id) == [] and any_store.get_conversation(conv.id).status == WITH_AI
    assert ran == []
    with any_store.transaction() as tx:
        _say(any_store, conv.id, "kept")
        with any_store.transaction() as inner:  # re-entrant: joins the outer one
            assert inner is tx and any_store.in_transaction
            any_store.increment_ai_turns(conv.id)
        tx.before_commit(lambda: ran.append("before"))
        tx.after_commit(lambda: ran.append("after"))
        assert any_store.get_conversation(conv.id).ai_turns == 1  # reads see the transaction's writes
    assert ran == ["before", "after"] and not any_store.in_transaction
    assert [m.text for m in any_store.messages(conv.id)] == ["kept"]


def test_a_savepoint_undoes_only_its_own_writes(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    with any_store.transaction():
        _say(any_store, conv.id, "kept")
        with pytest.raises(RuntimeError), any_store.savepoint():
            any_store.increment_ai_turns(conv.id)
            raise RuntimeError("derived data failed")
    assert [m.text for m in any_store.messages(conv.id)] == ["kept"]
    assert any_store.get_conversation(conv.id).ai_turns == 0


def test_a_lease_keeps_a_message_from_every_other_worker_until_it_ends(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    live, _ = _say(any_store, conv.id, "mine", handled=False, lease_owner="w1", lease_s=60)
    dead, _ = _say(any_store, conv.id, "stranded", handled=False, lease_owner="w0", lease_s=0)
    done, _ = _say(any_store, conv.id, "handled")
    assert [m.id for m in any_store.stranded_customer_messages()] == [dead.id]
    assert not any_store.claim_message(live.id, "w2", 10) and not any_store.claim_message(done.id, "w2", 10)
    winners = []

    def claim(worker: str) -> None:
        if any_store.claim_message(dead.id, worker, 10):
            winners.append(worker)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(2, 8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1 and any_store.message_attempts(dead.id) == 2
    _, lease_until = any_store.message_lease(dead.id)
    assert lease_until is not None and lease_until - utcnow() > timedelta(seconds=15)  # backoff: 2 x 10 s
    any_store.mark_handled(dead.id)
    assert any_store.message_handled(dead.id) and any_store.stranded_customer_messages() == []


def test_assignment_is_exactly_once_and_within_capacity(any_store: SupportStore) -> None:
    ws = any_store.create_workspace("team", "Team")
    ada = any_store.create_agent(ws.id, name="Ada", email="ada@x", api_key="k-ada", capacity=1)
    bob = any_store.create_agent(ws.id, name="Bob", email="bob@x", api_key="k-bob", status=AgentStatus.AWAY)
    first, second = _conversation(any_store, "team"), _conversation(any_store, "team")
    assigned = any_store.assign_agent(first.id, ada.id, expected=[WITH_AI], capacity=ada.capacity)
    assert assigned.assigned_agent_id == ada.id and assigned.assigned_at is not None
    with pytest.raises(Conflict) as taken:
        any_store.assign_agent(first.id, bob.id, expected=[WITH_AI], capacity=3)
    assert "assigned" in taken.value.detail
    with pytest.raises(Conflict) as full:
        any_store.assign_agent(second.id, ada.id, expected=[WITH_AI], capacity=ada.capacity)
    assert full.value.info["reason"] == "at_capacity"
    with pytest.raises(Conflict) as away:
        any_store.assign_agent(second.id, bob.id, expected=[WITH_AI], capacity=3, require_online=True)
    assert away.value.info["reason"] == "not_online"
    loads = {x.agent.name: x.open_conversations for x in any_store.agent_loads(ws.id)}
    assert loads == {"Ada": 1, "Bob": 0} and any_store.agent_load(ada.id).last_assigned_at is not None
    assert any_store.agent_by_api_key("k-bob") == bob and any_store.agent_by_api_key("nope") is None
    with pytest.raises(Conflict):
        any_store.create_agent(ws.id, name="Ada 2", email="ada@x", api_key="k-other")


def test_the_queue_is_read_in_routing_order_page_by_page(any_store: SupportStore) -> None:
    now = utcnow()
    specs = [(0, None), (1, None), (0, now + timedelta(minutes=5)), (0, now + timedelta(minutes=1))]
    ids = []
    for i, (priority, due) in enumerate(specs):
        conv = _conversation(any_store)
        any_store.transition(
            conv.id,
            expected=[WITH_AI],
            to=QUEUED,
            priority=priority,
            due_at=due,
            queued_at=now + timedelta(seconds=i),
        )
        ids.append(conv.id)
    # Most urgent first; then the earliest due (no due time last); then the longest waiting.
    order = [ids[1], ids[3], ids[2], ids[0]]
    assert [c.id for c in any_store.queue(any_store.workspace_by_slug("shop").id)] == order
    ws_id = any_store.workspace_by_slug("shop").id
    first_page = any_store.queued_cases(ws_id, limit=2)
    rest = any_store.queued_cases(ws_id, limit=10, after=first_page[-1])
    assert [c.conversation.id for c in first_page + rest] == order
    assert [any_store.queue_position(any_store.get_conversation(i)) for i in order] == [1, 2, 3, 4]
    assert any_store.workspaces_with_queue() == [ws_id]


def test_left_behind_events_are_claimed_once_and_deleted_when_sent(any_store: SupportStore) -> None:
    ids = any_store.add_outbox_events([{"type": "a"}, {"type": "b"}])
    assert any_store.claim_outbox_events(older_than_s=60, claim_s=30) == []  # too fresh: its writer sends it
    claimed = any_store.claim_outbox_events(older_than_s=-1, claim_s=30)
    assert sorted(e["type"] for _, e in claimed) == ["a", "b"] and {i for i, _ in claimed} == set(ids)
    assert any_store.claim_outbox_events(older_than_s=-1, claim_s=30) == []  # claimed by a live relay
    any_store.delete_outbox_events(ids)
    assert any_store.claim_outbox_events(older_than_s=-1, claim_s=-60) == []


def test_decisions_read_back_in_order(any_store: SupportStore) -> None:
    conv = _conversation(any_store)
    for outcome in ("first", "second", "third"):
        any_store.add_decision(
            workspace_id=conv.workspace_id,
            conversation_id=conv.id,
            kind="triage",
            outcome=outcome,
            summary="s",
        )
    assert [d.outcome for d in any_store.decisions(conv.id)] == ["first", "second", "third"]


def test_unknown_records_are_not_found_by_name(any_store: SupportStore) -> None:
    with pytest.raises(NotFound, match='No workspace with slug "nowhere"'):
        any_store.workspace_by_slug("nowhere")
    for read in (
        any_store.get_conversation,
        any_store.get_agent,
        any_store.get_message,
        any_store.get_customer,
    ):
        with pytest.raises(NotFound, match='"missing"'):
            read("missing")
    ws = any_store.create_workspace("dup", "Dup")
    with pytest.raises(Conflict):
        any_store.create_workspace("dup", "Again")
    assert any_store.get_workspace(ws.id) == ws


def test_migration_0007_renumbers_duplicate_positions_and_goes_down_and_up(store: Any) -> None:
    from alembic import command
    from sqlalchemy import text

    from relaydesk.storage.database import alembic_config

    conv = _conversation(store)
    first, _ = _say(store, conv.id, "one")
    second, _ = _say(store, conv.id, "two")
    third, _ = _say(store, conv.id, "three")
    engine = store.engine
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    with engine.begin() as conn:  # as two racing writers left it before 0007: one position twice
        conn.execute(text("UPDATE messages SET seq = 1 WHERE id = :i"), {"i": second.id})
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    renumbered = [(m.seq, m.text) for m in store.messages(conv.id)]
    assert renumbered == [(1, "one"), (2, "two"), (3, "three")]
    with pytest.raises(Exception, match="(?i)unique"), engine.begin() as conn:
        conn.execute(text("UPDATE messages SET seq = 1 WHERE id = :i"), {"i": third.id})
    assert first.seq == 1
