"""Routing through the real product path and database: escalations reach the right person at once,
waiting conversations are handed out as people free up, and capacity holds under races."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.models import AgentStatus, ConversationStatus, CustomerTier, utcnow
from relaydesk.services.assignment import hand_out_waiting
from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.settings import Settings
from relaydesk.testing import make_agent, make_workspace

HUMAN = "I want to talk to a real person please"


def _escalate(runtime: Runtime, slug: str, text: str = HUMAN, **customer):  # type: ignore[no-untyped-def]
    started = runtime.desk.start_conversation(slug, **customer)
    return runtime.desk.post_customer_message(started.conversation.id, text)


def _decisions(runtime: Runtime, conversation_id: str, kind: str):  # type: ignore[no-untyped-def]
    return [d for d in runtime.store.decisions(conversation_id) if d.kind == kind]


def test_an_escalation_goes_at_once_to_the_agent_who_speaks_the_language(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="lang")
    make_agent(runtime.store, ws, name="Eve", skills={"orders": 1.0}, languages=("en",))
    sol = make_agent(runtime.store, ws, name="Sol", skills={"orders": 0.3}, languages=("en", "es"))
    posted = _escalate(runtime, "lang", "Hola, quiero hablar con una persona: mi pedido no ha llegado")
    conversation = posted.conversation
    assert conversation.language == "es"
    assert conversation.status == ConversationStatus.ASSIGNED
    assert conversation.assigned_agent_id == sol.agent.id
    events = [m.metadata.get("event") for m in posted.replies]
    assert events == ["queued", "assigned"]
    assert "in line" not in posted.replies[0].text  # someone was found: no place in line
    route = _decisions(runtime, conversation.id, "route")[-1]
    assert route.outcome == f"offered:{sol.agent.id}" and route.version.startswith("routing-2026.1#")
    assert route.inputs["language"] == "es" and route.inputs["due_at"]
    assignment = _decisions(runtime, conversation.id, "assignment")[-1]
    assert assignment.outcome == "routed" and assignment.inputs["within_service_level"] is True


def test_a_full_agent_gets_the_waiting_conversation_when_they_resolve_one(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="full")
    rita = make_agent(runtime.store, ws, name="Rita", capacity=1)
    first = _escalate(runtime, "full").conversation
    assert first.assigned_agent_id == rita.agent.id
    second = _escalate(runtime, "full")
    assert second.conversation.status == ConversationStatus.QUEUED
    notice = second.replies[-1].text
    assert "next in line" in notice and "about 8 minutes" in notice  # the rules' 480 s handle time

    runtime.desk.resolve(rita.agent, first.id, "sorted")
    now = runtime.store.get_conversation(second.conversation.id)
    assert now.status == ConversationStatus.ASSIGNED and now.assigned_agent_id == rita.agent.id
    assignment = _decisions(runtime, now.id, "assignment")[-1]
    assert assignment.outcome == "auto" and "ranked it first for Rita" in assignment.summary


def test_coming_online_takes_waiting_conversations_due_first(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="online")
    max_ = make_agent(runtime.store, ws, name="Max", capacity=1, status=AgentStatus.OFFLINE)
    calm = _escalate(runtime, "online").conversation
    vip = _escalate(runtime, "online", external_id="vip-1", tier=CustomerTier.VIP).conversation
    angry = _escalate(
        runtime, "online", "This is ridiculous, I want a human NOW, you useless bot"
    ).conversation
    assert {c.status for c in (calm, vip, angry)} == {ConversationStatus.QUEUED}
    # Max is tier 1, so the VIP waits for a senior agent; of the other two (same priority), the one
    # due first is his.
    runtime.desk.set_status(max_.agent, AgentStatus.ONLINE)
    statuses = {c: runtime.store.get_conversation(c).status for c in (calm.id, vip.id, angry.id)}
    assert statuses[calm.id] == ConversationStatus.ASSIGNED
    assert statuses[vip.id] == statuses[angry.id] == ConversationStatus.QUEUED
    senior = make_agent(runtime.store, ws, name="Ada", tier=2, capacity=3, status=AgentStatus.OFFLINE)
    runtime.desk.set_status(senior.agent, AgentStatus.ONLINE)
    assert runtime.store.get_conversation(vip.id).assigned_agent_id == senior.agent.id
    assert runtime.store.get_conversation(angry.id).assigned_agent_id == senior.agent.id
    first = min(
        (_decisions(runtime, c, "assignment")[-1] for c in (vip.id, angry.id)), key=lambda d: d.created_at
    )
    assert first.conversation_id == vip.id  # the VIP is due sooner (300 s level against 900 s)


def test_take_next_says_why_it_cannot(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="next")
    kim = make_agent(runtime.store, ws, name="Kim", capacity=1)
    with pytest.raises(NotFound, match="Nothing in the queue"):
        runtime.desk.take_next(kim.agent)
    _escalate(runtime, "next")  # goes to Kim at once: she is now full
    with pytest.raises(Conflict, match="at capacity"):
        runtime.desk.take_next(kim.agent)
    runtime.desk.set_status(kim.agent, AgentStatus.AWAY)
    with pytest.raises(Conflict, match="at capacity"):  # away or not: full is full
        runtime.desk.take_next(kim.agent)
    assert runtime.store.get_agent(kim.agent.id).status == AgentStatus.AWAY  # took nothing: still away


@pytest.mark.parametrize("status", [AgentStatus.AWAY, AgentStatus.OFFLINE])
def test_an_agent_who_takes_the_next_while_away_gets_it_and_is_online(
    runtime: Runtime, status: AgentStatus
) -> None:
    """Like a claim (docs/routing.md): asking for work is being back at work."""
    ws = make_workspace(runtime.store, slug="next-away")
    kim = make_agent(runtime.store, ws, name="Kim", status=status)
    with pytest.raises(NotFound, match="Nothing in the queue"):
        runtime.desk.take_next(kim.agent)
    assert runtime.store.get_agent(kim.agent.id).status == status  # nothing taken: unchanged
    waiting = _escalate(runtime, "next-away").conversation
    assert waiting.status == ConversationStatus.QUEUED  # routing gives an away agent nothing
    taken = runtime.desk.take_next(kim.agent)
    assert (taken.id, taken.assigned_agent_id) == (waiting.id, kim.agent.id)
    assert runtime.store.get_agent(kim.agent.id).status == AgentStatus.ONLINE
    [assignment] = _decisions(runtime, waiting.id, "assignment")
    assert assignment.outcome == "next"
    assert f"they were {status}; taking work puts them online" in assignment.summary


def test_the_fifo_router_leaves_conversations_for_agents_to_pull(settings: Settings) -> None:
    runtime = build_runtime(settings.model_copy(update={"router": "fifo"}))
    try:
        ws = make_workspace(runtime.store, slug="fifo")
        lee = make_agent(runtime.store, ws, name="Lee")
        posted = _escalate(runtime, "fifo")
        assert posted.conversation.status == ConversationStatus.QUEUED
        taken = runtime.desk.take_next(lee.agent)
        assert taken.id == posted.conversation.id and taken.assigned_agent_id == lee.agent.id
    finally:
        runtime.close()


def _queued(runtime: Runtime, slug: str, n: int) -> list[str]:
    ws = runtime.store.workspace_by_slug(slug)
    customer = runtime.store.upsert_customer(ws.id, external_id="racer", name="Racer")
    ids = []
    for _ in range(n):
        c = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web")  # type: ignore[arg-type]
        runtime.store.transition(
            c.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED, queued_at=utcnow()
        )
        ids.append(c.id)
    return ids


def _race(calls) -> Counter[str]:  # type: ignore[no-untyped-def]
    outcomes: Counter[str] = Counter()
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()

    def run(call) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            call()
            result = "ok"
        except Conflict as exc:
            result = "capacity" if exc.info.get("reason") == "at_capacity" else "taken"
        except NotFound:
            result = "none"
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_racing_claims_never_push_an_agent_over_capacity(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="race")
    ana = make_agent(runtime.store, ws, name="Ana", capacity=2)
    ids = _queued(runtime, "race", 6)
    outcomes = _race([lambda cid=cid: runtime.desk.claim(ana.agent, cid) for cid in ids])
    assert outcomes == Counter({"ok": 2, "capacity": 4})
    owned = runtime.desk.my_conversations(ana.agent)
    assert len(owned) == 2


def test_racing_agents_never_share_a_conversation(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="share")
    agents = [make_agent(runtime.store, ws, name=f"A{i}", capacity=3) for i in range(5)]
    ids = _queued(runtime, "share", 3)
    outcomes = _race([lambda a=a: runtime.desk.take_next(a.agent) for a in agents])
    assert outcomes == Counter({"ok": 3, "none": 2})
    owners = [runtime.store.get_conversation(cid).assigned_agent_id for cid in ids]
    assert None not in owners and len(set(owners)) == 3
    assert all(len(_decisions(runtime, cid, "assignment")) == 1 for cid in ids)


def test_an_agent_finds_the_one_conversation_they_fit_deep_in_a_long_queue(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="deep")
    ids = _queued(runtime, "deep", 520)  # English conversations ahead of it, past the first page
    customer = runtime.store.upsert_customer(ws.id, external_id="jonas", name="Jonas", language="de")
    german = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web", language="de")  # type: ignore[arg-type]
    runtime.store.transition(
        german.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED, queued_at=utcnow()
    )
    for cid in ids:  # everyone else asked in English
        runtime.store.update_conversation(cid, language="en")
    klara = make_agent(runtime.store, ws, name="Klara", languages=("de",), status=AgentStatus.AWAY)
    runtime.desk.set_status(klara.agent, AgentStatus.ONLINE)
    assert runtime.store.get_conversation(german.id).assigned_agent_id == klara.agent.id
    assert len(runtime.desk.my_conversations(klara.agent)) == 1  # none of the English ones


def test_the_place_in_line_follows_routing_order(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="line")
    first, second, third = _queued(runtime, "line", 3)
    store = runtime.store
    base = store.get_conversation(first).queued_at
    assert base is not None
    store.update_conversation(first, due_at=base + timedelta(minutes=15))
    store.update_conversation(second, due_at=base + timedelta(minutes=5))  # a VIP: due sooner
    store.update_conversation(third, priority=2, due_at=base + timedelta(minutes=30))
    positions = {cid: store.queue_position(store.get_conversation(cid)) for cid in (first, second, third)}
    assert positions == {third: 1, second: 2, first: 3}
    assert [c.id for c in store.queue(ws.id)] == [third, second, first]


def test_migration_0006_goes_down_and_up_with_rows_in_place(runtime: Runtime) -> None:
    from alembic import command

    from relaydesk.storage.database import alembic_config

    ws = make_workspace(runtime.store, slug="mig")
    ana = make_agent(runtime.store, ws, name="Ana", capacity=1)
    _escalate(runtime, "mig")  # Ana has it: a conversation row points at an agent row
    waiting = _escalate(runtime, "mig").conversation
    assert waiting.status == ConversationStatus.QUEUED and waiting.due_at is not None
    engine = runtime.engine
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    again = runtime.store.get_conversation(waiting.id)
    assert again.status == ConversationStatus.QUEUED
    assert again.due_at == again.queued_at  # waiting rows are due at once after the upgrade
    assert again.preferred_skills == ()
    assert runtime.store.agent_load(ana.agent.id).open_conversations == 1


def test_coming_online_takes_the_conversation_needing_their_skill_before_general_ones(
    runtime: Runtime,
) -> None:
    ws = make_workspace(runtime.store, slug="specialty")
    bea = make_agent(
        runtime.store, ws, name="Bea", capacity=2, skills={"billing": 1.0}, status=AgentStatus.OFFLINE
    )
    general = [_escalate(runtime, "specialty").conversation for _ in range(2)]
    dispute = _escalate(runtime, "specialty", "I was charged twice for my order, I want to dispute it")
    assert dispute.conversation.required_skills == ("billing",)
    assert dispute.conversation.priority == general[0].priority  # same urgency, queued last

    runtime.desk.set_status(bea.agent, AgentStatus.ONLINE)
    mine = {c.id for c in runtime.desk.my_conversations(bea.agent)}
    assert mine == {dispute.conversation.id, general[0].id}  # the specialty first, then the oldest
    assert runtime.store.get_conversation(general[1].id).status == ConversationStatus.QUEUED


def test_an_away_agent_gets_nothing_automatically_and_a_claim_puts_them_online(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="away")
    ana = make_agent(runtime.store, ws, name="Ana", capacity=3, status=AgentStatus.AWAY)
    first = _escalate(runtime, "away").conversation
    assert first.status == ConversationStatus.QUEUED  # away: no escalation is routed to her
    assert hand_out_waiting(runtime.context) == 0  # nor by the routing timer
    assert runtime.store.get_conversation(first.id).status == ConversationStatus.QUEUED

    runtime.desk.claim(ana.agent, first.id)
    assert runtime.store.get_agent(ana.agent.id).status == AgentStatus.ONLINE
    assignment = _decisions(runtime, first.id, "assignment")[-1]
    assert "they were away; claiming puts them online" in assignment.summary
    second = _escalate(runtime, "away").conversation  # online now: routed to her at once
    assert second.assigned_agent_id == ana.agent.id
