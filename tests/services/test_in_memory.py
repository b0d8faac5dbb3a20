"""The use cases run on any store that keeps the ports' promises: here ``MemoryStore``, no database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk.bus.memory import InProcessBus
from relaydesk.domain.models import AgentStatus, ConversationStatus, MessageRole
from relaydesk.services.runtime import Services, build_services
from relaydesk.services.wiring import Capabilities, build_escalation, build_router, build_triage
from relaydesk.settings import Settings
from relaydesk.testing import MemoryStore, make_agent, make_workspace


@pytest.fixture(scope="module")
def capabilities(shared_data_dir: Path) -> Capabilities:
    from relaydesk.specialists.fallback import FallbackResponder
    from relaydesk.specialists.smalltalk import SmallTalkResponder

    settings = Settings(environment="test", data_dir=shared_data_dir, _env_file=None)  # type: ignore[call-arg]
    return Capabilities(
        triage=build_triage(settings),
        escalation=build_escalation(settings),
        responders=[SmallTalkResponder(), FallbackResponder()],  # no knowledge base: it lives in SQL
        router=build_router(settings),
    )


@pytest.fixture
def services(capabilities: Capabilities, shared_data_dir: Path) -> Iterator[Services]:
    settings = Settings(environment="test", data_dir=shared_data_dir, _env_file=None)  # type: ignore[call-arg]
    bus = InProcessBus()
    yield build_services(settings, MemoryStore(), bus, capabilities=capabilities)
    bus.close()


def test_a_greeting_is_answered_and_a_retry_returns_the_same_answer(services: Services) -> None:
    store = services.context.store
    make_workspace(store, slug="mem")  # type: ignore[arg-type]
    conv = services.desk.start_conversation("mem").conversation
    first = services.desk.post_customer_message(conv.id, "Hi there!", idempotency_key="a")
    assert [m.role for m in first.replies] == [MessageRole.AI]
    again = services.desk.post_customer_message(conv.id, "Hi there!", idempotency_key="a")
    assert not again.created and [m.id for m in again.replies] == [first.replies[0].id]
    assert [d.kind for d in store.decisions(conv.id)] == ["triage", "escalation", "response"]


def test_asking_for_a_person_routes_to_the_online_agent_who_then_talks_alone(services: Services) -> None:
    store = services.context.store
    ws = make_workspace(store, slug="mem")  # type: ignore[arg-type]
    ada = make_agent(store, ws, name="Ada", status=AgentStatus.ONLINE)  # type: ignore[arg-type]
    conv = services.desk.start_conversation("mem").conversation
    asked = services.desk.post_customer_message(conv.id, "I want to talk to a human please")
    assert asked.conversation.status == ConversationStatus.ASSIGNED
    assert asked.conversation.assigned_agent_id == ada.agent.id
    assert [m.metadata.get("event") for m in asked.replies] == ["queued", "assigned"]
    services.desk.agent_reply(ada.agent, conv.id, "Hello, Ada here.")
    later = services.desk.post_customer_message(conv.id, "thanks, my order is late")
    assert later.replies == []  # the AI stays quiet while a person owns it
    assert store.decisions(conv.id)[-1].kind == "delivery"
