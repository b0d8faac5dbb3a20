"""Scale-out: two workers on one PostgreSQL, events fanned out through a real Redis."""

from __future__ import annotations

import threading

import pytest

from relaydesk.domain.events import ConversationEvent
from relaydesk.services.runtime import build_runtime
from relaydesk.settings import Settings
from relaydesk.testing import make_agent, make_workspace


@pytest.fixture
def pg_url(pg_cluster) -> str:  # type: ignore[no-untyped-def]
    import uuid

    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE relaydesk_template'))
    engine.dispose()
    return pg_cluster.url(name)


def test_an_event_on_one_worker_reaches_subscribers_on_another(pg_url: str, redis_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=pg_url, redis_url=redis_url, data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    worker_a, worker_b = build_runtime(settings), build_runtime(settings, migrate=False)
    try:
        received: list[ConversationEvent] = []
        arrived = threading.Event()

        def on_event(event: ConversationEvent) -> None:
            if event.type == "conversation.queued":
                received.append(event)
                arrived.set()

        worker_b.bus.subscribe(on_event)
        ws = make_workspace(worker_a.store, slug="fanout")
        make_agent(worker_a.store, ws)
        started = worker_a.desk.start_conversation("fanout")
        worker_a.desk.post_customer_message(started.conversation.id, "Can I talk to a person?")

        assert arrived.wait(timeout=15), "worker B never heard of the escalation"
        assert received[0].conversation_id == started.conversation.id
        # The one agent is online, so worker A's router gave it to them; worker B sees that too.
        assert worker_b.store.get_conversation(started.conversation.id).status == "assigned"
    finally:
        worker_a.close()
        worker_b.close()
