"""The routing timer hands out conversations whose wait has widened what they need."""

from __future__ import annotations

import threading
from datetime import timedelta

from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import ConversationStatus, utcnow
from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.services.sweep import RoutingSweep
from relaydesk.settings import Settings
from relaydesk.testing import make_agent, make_workspace

SPANISH = "Hola, quiero hablar con una persona: mi pedido no ha llegado todavía"


def _spanish_waiting(runtime: Runtime, slug: str) -> tuple[str, str]:
    ws = make_workspace(runtime.store, slug=slug)
    eve = make_agent(runtime.store, ws, name="Eve", languages=("en",))
    conv = runtime.desk.start_conversation(slug).conversation.id
    posted = runtime.desk.post_customer_message(conv, SPANISH)
    assert posted.conversation.status == ConversationStatus.QUEUED  # nobody speaks Spanish
    return conv, eve.agent.id


def _wait_longer(runtime: Runtime, conv: str, seconds: float) -> None:
    """Move the conversation's clock back, as if it had been waiting ``seconds`` longer."""
    conversation = runtime.store.get_conversation(conv)
    assert conversation.queued_at is not None and conversation.due_at is not None
    runtime.store.update_conversation(
        conv,
        queued_at=conversation.queued_at - timedelta(seconds=seconds),
        due_at=conversation.due_at - timedelta(seconds=seconds),
    )


def test_a_pass_assigns_only_once_the_wait_widens_the_language(runtime: Runtime) -> None:
    conv, eve = _spanish_waiting(runtime, "sweep")
    sweep = RoutingSweep(runtime.context, interval_s=60)
    assert sweep.run_once() == 0
    level = runtime.capabilities.router.rules.service_level_s("standard", 2)  # type: ignore[attr-defined]
    _wait_longer(runtime, conv, 0.70 * level)  # below the 0.75 share for language
    assert sweep.run_once() == 0
    _wait_longer(runtime, conv, 0.06 * level)
    assert sweep.run_once() == 1
    conversation = runtime.store.get_conversation(conv)
    assert conversation.assigned_agent_id == eve and conversation.status == ConversationStatus.ASSIGNED
    assignment = [d for d in runtime.store.decisions(conv) if d.kind == "assignment"][-1]
    assert assignment.outcome == "auto" and "widened after the wait: language" in assignment.summary
    assert assignment.inputs["within_service_level"] is True
    assert sweep.run_once() == 0 and sweep.passes == 4 and sweep.assigned == 1


def test_the_server_runs_the_timer(settings: Settings) -> None:
    runtime = build_runtime(settings.model_copy(update={"routing_sweep_s": 0.2}))
    try:
        conv, eve = _spanish_waiting(runtime, "timer")
        _wait_longer(runtime, conv, 3600)
        assigned = threading.Event()
        seen: list[ConversationEvent] = []

        def on_event(event: ConversationEvent) -> None:
            if event.conversation_id == conv and event.type == EventType.CONVERSATION_ASSIGNED:
                seen.append(event)
                assigned.set()

        unsubscribe = runtime.bus.subscribe(on_event)
        try:
            with TestClient(create_app(runtime=runtime)):
                assert assigned.wait(timeout=20), "the server's timer assigned nothing within 20 s"
        finally:
            unsubscribe()
        assert [e.data["assigned_agent_id"] for e in seen] == [eve]
        assert runtime.store.get_conversation(conv).assigned_agent_id == eve
        assignment = [d for d in runtime.store.decisions(conv) if d.kind == "assignment"][-1]
        assert assignment.inputs["within_service_level"] is False  # it waited an hour
        assert runtime.store.get_conversation(conv).due_at < utcnow()  # type: ignore[operator]
    finally:
        runtime.close()


def test_the_servers_timer_offers_a_waiting_approval_once_a_qualified_agent_comes_online(
    settings: Settings,
) -> None:
    from relaydesk.domain.models import AgentStatus
    from relaydesk.storage.commerce_store import SqlCommerceStore

    runtime = build_runtime(settings.model_copy(update={"routing_sweep_s": 0.2}))
    try:
        SqlCommerceStore(runtime.store.engine).load_json()
        ws = make_workspace(runtime.store, slug="approvals")
        maya = make_agent(runtime.store, ws, name="Maya", tier=1, status=AgentStatus.AWAY).agent
        lucas = make_agent(
            runtime.store, ws, name="Lucas", tier=2, skills={"approvals": 0.9}, status=AgentStatus.OFFLINE
        )
        conv = runtime.desk.start_conversation("approvals").conversation.id
        runtime.desk.claim(maya, conv)  # agents run tools only in conversations assigned to them
        tools = runtime.agent_tools
        tools.run(maya, conv, "find_user_id_by_email", {"email": "yusuf.rossi7301@example.com"})
        cancel = {"order_id": "#W6247578", "reason": "no longer needed"}  # above the refund limit
        held = tools.run(maya, conv, "cancel_pending_order", cancel, customer_confirmed=True).outcome
        assert (
            held.approval_id and runtime.approvals.approvals.get(held.approval_id).assigned_agent_id is None
        )
        offered = threading.Event()

        def on_event(event: ConversationEvent) -> None:
            if event.type == EventType.APPROVAL_ASSIGNED and event.data["approval_id"] == held.approval_id:
                offered.set()

        unsubscribe = runtime.bus.subscribe(on_event)
        try:
            with TestClient(create_app(runtime=runtime)) as client:
                r = client.put("/v1/agent/me/status", headers=lucas.headers, json={"status": "online"})
                assert r.status_code == 200, r.text
                assert offered.wait(timeout=20), "the server's timer offered nothing within 20 s"
        finally:
            unsubscribe()
        approval = runtime.approvals.approvals.get(held.approval_id)
        assert approval.assigned_agent_id == lucas.agent.id and approval.due_at is not None
    finally:
        runtime.close()
