"""Edges of routing found in review: agents who change between the route and the assignment, new
escalations and older urgent ones, the intent behind "yes please", and what a wait estimate uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from relaydesk.domain.capability_types import RouteDecision, RouteRequest
from relaydesk.domain.models import AgentStatus, ConversationStatus, CustomerTier, utcnow
from relaydesk.domain.ports import AgentLoad
from relaydesk.routing.skills import SkillRouter
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

HUMAN = "I want to talk to a real person please"


class ChangingRouter(SkillRouter):
    """The bundled rules, with something happening to the agents right after each route."""

    def __init__(self, after_route: Callable[[], None]) -> None:
        super().__init__()
        self.after_route = after_route

    def route(self, request: RouteRequest, agents: Sequence[AgentLoad]) -> RouteDecision:
        decision = super().route(request, agents)
        self.after_route()
        return decision


def _busy_with_one_more(runtime: Runtime, slug: str, agent_id: str) -> None:
    ws = runtime.store.workspace_by_slug(slug)
    customer = runtime.store.upsert_customer(ws.id, external_id=f"other-{utcnow().timestamp()}")
    other = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web")  # type: ignore[arg-type]
    runtime.store.assign_agent(other.id, agent_id, expected=[ConversationStatus.WITH_AI], capacity=None)


def test_the_chosen_agent_filling_up_meanwhile_sends_it_to_the_next_best(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="fill")
    ana = make_agent(runtime.store, ws, name="Ana", skills={"orders": 1.0}, capacity=1)
    bob = make_agent(runtime.store, ws, name="Bob", skills={"orders": 0.2}, capacity=3)
    runtime.orchestrator.caps.router = ChangingRouter(
        lambda: _busy_with_one_more(runtime, "fill", ana.agent.id)
    )
    started = runtime.desk.start_conversation("fill")
    posted = runtime.desk.post_customer_message(started.conversation.id, HUMAN)
    assert posted.conversation.assigned_agent_id == bob.agent.id
    assert [m.metadata.get("event") for m in posted.replies] == ["queued", "assigned"]
    assert "Bob" in posted.replies[-1].text


def test_an_agent_going_away_meanwhile_gets_nothing(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="away")
    ana = make_agent(runtime.store, ws, name="Ana", skills={"orders": 1.0})
    bob = make_agent(runtime.store, ws, name="Bob", skills={"orders": 0.2})
    runtime.orchestrator.caps.router = ChangingRouter(
        lambda: runtime.store.set_agent_status(ana.agent.id, AgentStatus.OFFLINE)
    )
    posted = runtime.desk.post_customer_message(
        runtime.desk.start_conversation("away").conversation.id, HUMAN
    )
    assert posted.conversation.assigned_agent_id == bob.agent.id


def test_when_nobody_is_left_the_customer_is_told_their_place(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="gone")
    ana = make_agent(runtime.store, ws, name="Ana")
    runtime.orchestrator.caps.router = ChangingRouter(
        lambda: runtime.store.set_agent_status(ana.agent.id, AgentStatus.AWAY)
    )
    conv = runtime.desk.start_conversation("gone").conversation.id
    posted = runtime.desk.post_customer_message(conv, HUMAN)
    assert runtime.store.get_conversation(conv).status == ConversationStatus.QUEUED
    assert "busy for the moment" in posted.replies[-1].text and "next in line" in posted.replies[-1].text
    routes = [d for d in runtime.store.decisions(conv) if d.kind == "route"]
    assert [d.outcome for d in routes] == [f"offered:{ana.agent.id}", "queued:default"]


def test_a_new_escalation_does_not_jump_an_older_urgent_one(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="jump")
    max_ = make_agent(runtime.store, ws, name="Max", tier=1, capacity=1)
    busy = make_agent(runtime.store, ws, name="Busy", tier=1, capacity=1)
    _busy_with_one_more(runtime, "jump", max_.agent.id)
    _busy_with_one_more(runtime, "jump", busy.agent.id)
    vip = runtime.desk.start_conversation("jump", external_id="vip", tier=CustomerTier.VIP).conversation.id
    assert runtime.desk.post_customer_message(vip, HUMAN).conversation.status == ConversationStatus.QUEUED
    # The VIP has waited past the share of its service level after which tier-1 agents may take it.
    now = runtime.store.get_conversation(vip)
    assert now.queued_at and now.due_at
    runtime.store.update_conversation(
        vip, queued_at=now.queued_at - timedelta(seconds=200), due_at=now.due_at - timedelta(seconds=200)
    )
    # Max frees up without the routing timer noticing, then a standard customer escalates.
    mine = runtime.desk.my_conversations(max_.agent)[0]
    runtime.store.transition(mine.id, expected=[ConversationStatus.ASSIGNED], to=ConversationStatus.RESOLVED)
    newcomer = runtime.desk.start_conversation("jump").conversation.id
    posted = runtime.desk.post_customer_message(newcomer, HUMAN)
    assert runtime.store.get_conversation(vip).assigned_agent_id == max_.agent.id
    assert posted.conversation.status == ConversationStatus.QUEUED
    assert "busy for the moment" in posted.replies[-1].text


def test_yes_please_routes_on_what_the_customer_asked_before(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="yes")
    make_agent(runtime.store, ws, name="Ret", skills={"returns": 0.9}, status=AgentStatus.AWAY)
    conv = runtime.desk.start_conversation("yes").conversation.id
    # (worded so that no specialist flow starts: a flow's own question is never followed by an offer)
    runtime.desk.post_customer_message(conv, "I want my money back for the blender, it is too loud")
    runtime.desk.post_customer_message(conv, "I want my money back for the blender, it is too loud")
    accepted = runtime.desk.post_customer_message(conv, "yes please")
    assert accepted.conversation.status == ConversationStatus.QUEUED
    assert accepted.conversation.preferred_skills == ("returns",)


def test_handing_back_clears_the_due_time(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="back")
    lee = make_agent(runtime.store, ws, name="Lee")
    conv = runtime.desk.start_conversation("back").conversation.id
    assert runtime.desk.post_customer_message(conv, HUMAN).conversation.due_at is not None
    back = runtime.desk.hand_back(lee.agent, conv)
    assert back.due_at is None and back.queued_at is None


def test_handle_time_ignores_conversations_closed_within_seconds(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="handle")
    lee = make_agent(runtime.store, ws, name="Lee", capacity=20)
    customer = runtime.store.upsert_customer(ws.id, external_id="h")
    quick, slow = [], []
    for i in range(10):
        c = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web")  # type: ignore[arg-type]
        assigned = utcnow() - timedelta(seconds=600 if i % 2 else 2)
        runtime.store.assign_agent(
            c.id, lee.agent.id, expected=[ConversationStatus.WITH_AI], capacity=None, assigned_at=assigned
        )
        runtime.store.transition(
            c.id, expected=[ConversationStatus.ASSIGNED], to=ConversationStatus.RESOLVED, resolved_at=utcnow()
        )
        (slow if i % 2 else quick).append(c.id)
    assert 595 <= runtime.store.median_handle_time_s(ws.id) <= 605  # type: ignore[operator]


def _queue_directly(runtime: Runtime, slug: str, n: int, *, priority: int = 0, due: bool = True) -> list[str]:
    ws = runtime.store.workspace_by_slug(slug)
    customer = runtime.store.upsert_customer(ws.id, external_id=f"q-{priority}-{due}")
    ids = []
    for _ in range(n):
        c = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web")  # type: ignore[arg-type]
        now = utcnow()
        runtime.store.transition(
            c.id,
            expected=[ConversationStatus.WITH_AI],
            to=ConversationStatus.QUEUED,
            queued_at=now,
            priority=priority,
            due_at=now + timedelta(minutes=15) if due else None,
        )
        ids.append(c.id)
    return ids


def test_queue_pages_do_not_skip_rows_others_took_meanwhile(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="keys")
    ids = _queue_directly(runtime, "keys", 30)
    other = make_agent(runtime.store, ws, name="Other", capacity=10)
    first = runtime.store.queued_cases(ws.id, limit=25)
    assert [c.conversation.id for c in first] == ids[:25]
    for case in first[:5]:  # someone takes five of the first page before the second is read
        runtime.store.assign_agent(
            case.conversation.id, other.agent.id, expected=[ConversationStatus.QUEUED], capacity=None
        )
    second = runtime.store.queued_cases(ws.id, limit=25, after=first[-1])
    assert [c.conversation.id for c in second] == ids[25:]


def test_rows_without_a_due_time_keep_one_order_everywhere(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="nulls")
    (old,) = _queue_directly(runtime, "nulls", 1, due=False)  # queued under the FIFO router
    newer = _queue_directly(runtime, "nulls", 2)
    expected = [*newer, old]  # a due time first, then none (the migration dates rows that wait)
    assert [c.id for c in runtime.store.queue(ws.id)] == expected
    positions = [runtime.store.queue_position(runtime.store.get_conversation(c)) for c in expected]
    assert positions == [1, 2, 3]
    eve = make_agent(runtime.store, ws, name="Eve", capacity=5)
    ranked = runtime.capabilities.router.rank(  # type: ignore[attr-defined]
        runtime.store.agent_load(eve.agent.id), runtime.store.queued_cases(ws.id), utcnow()
    )
    assert [c.conversation.id for c in ranked] == expected


def test_past_the_first_three_agents_the_next_one_who_fits_takes_it(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="four")
    agents = [
        make_agent(runtime.store, ws, name=f"A{i}", capacity=1, status=AgentStatus.AWAY) for i in range(4)
    ]
    urgent = _queue_directly(runtime, "four", 3, priority=3)
    for a in agents:  # online without the auto-assign an agent event would run
        runtime.store.set_agent_status(a.agent.id, AgentStatus.ONLINE)
    conv = runtime.desk.start_conversation("four").conversation.id
    posted = runtime.desk.post_customer_message(conv, HUMAN)
    assert all(runtime.store.get_conversation(c).status == ConversationStatus.ASSIGNED for c in urgent)
    assert posted.conversation.status == ConversationStatus.ASSIGNED
    owners = {runtime.store.get_conversation(c).assigned_agent_id for c in [*urgent, conv]}
    assert owners == {a.agent.id for a in agents}
    assert not any("busy for the moment" in m.text for m in posted.replies)


def test_without_auto_assign_an_escalation_only_queues(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.routing.rules import DEFAULT_RULES
    from relaydesk.services.runtime import build_runtime

    rules = tmp_path / "routing.yaml"
    rules.write_text(DEFAULT_RULES.read_text().replace("auto_assign: true", "auto_assign: false"))
    runtime = build_runtime(settings.model_copy(update={"routing_rules": rules}))
    try:
        ws = make_workspace(runtime.store, slug="manual")
        lee = make_agent(runtime.store, ws, name="Lee")
        posted = runtime.desk.post_customer_message(
            runtime.desk.start_conversation("manual").conversation.id, HUMAN
        )
        assert posted.conversation.status == ConversationStatus.QUEUED
        assert "next in line" in posted.replies[-1].text
        assert runtime.desk.take_next(lee.agent).id == posted.conversation.id
    finally:
        runtime.close()
