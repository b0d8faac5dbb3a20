"""A legal, security or fraud case waits for a person with the skill it needs: the routing rules'
strict skills are never widened within the service level while someone on the team has them, and
the widening that does happen (past the service level, or with nobody qualified at all) is
recorded with its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relaydesk.domain.errors import NotFound
from relaydesk.domain.models import AgentStatus, ConversationStatus
from relaydesk.routing.rules import parse_routing_rules
from relaydesk.rules_files.reader import PolicyFileError
from relaydesk.services.assignment import hand_out_waiting
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

FRAUD = "someone used my card without my permission, I want to talk to a person"


def _level(runtime: Runtime, priority: int = 3) -> float:
    return runtime.capabilities.router.rules.service_level_s("standard", priority)  # type: ignore[attr-defined]


def _wait_longer(runtime: Runtime, conv: str, seconds: float) -> None:
    """Move the conversation's clock back, as if it had been waiting ``seconds`` longer."""
    conversation = runtime.store.get_conversation(conv)
    assert conversation.queued_at is not None and conversation.due_at is not None
    runtime.store.update_conversation(
        conv,
        queued_at=conversation.queued_at - timedelta(seconds=seconds),
        due_at=conversation.due_at - timedelta(seconds=seconds),
    )


def _fraud_case(runtime: Runtime, slug: str) -> str:
    started = runtime.desk.start_conversation(slug, external_id="cust-fraud", name="Amira")
    posted = runtime.desk.post_customer_message(started.conversation.id, FRAUD)
    conversation = posted.conversation
    assert conversation.required_skills == ("escalations",) and conversation.priority == 3
    return conversation.id


def _assignment(runtime: Runtime, conv: str):  # type: ignore[no-untyped-def]
    return [d for d in runtime.store.decisions(conv) if d.kind == "assignment"][-1]


@pytest.mark.parametrize("theo_is", ["away", "full"])
def test_a_fraud_case_never_goes_to_an_agent_without_escalations_within_its_service_level(
    runtime: Runtime, theo_is: str
) -> None:
    ws = make_workspace(runtime.store, slug=f"fraud-{theo_is}")
    theo = make_agent(
        runtime.store,
        ws,
        name="Theo",
        skills={"escalations": 1.0, "legal": 0.8},
        tier=3,
        capacity=1,
        status=AgentStatus.AWAY if theo_is == "away" else AgentStatus.ONLINE,
    )
    if theo_is == "full":
        started = runtime.desk.start_conversation(ws.slug, external_id="first")
        first = runtime.desk.post_customer_message(started.conversation.id, "I want to talk to a real person")
        assert first.conversation.assigned_agent_id == theo.agent.id
    maya = make_agent(runtime.store, ws, name="Maya", skills={"orders": 0.9}, tier=1)
    conv = _fraud_case(runtime, ws.slug)
    assert runtime.store.get_conversation(conv).status == ConversationStatus.QUEUED

    level = _level(runtime)
    _wait_longer(runtime, conv, 0.9 * level)  # past the share that widens other skills (0.5)
    assert hand_out_waiting(runtime.context) == 0
    with pytest.raises(NotFound):
        runtime.desk.take_next(maya.agent)
    assert runtime.store.get_conversation(conv).status == ConversationStatus.QUEUED

    _wait_longer(runtime, conv, 0.2 * level)  # the service level has passed: anyone rather than no one
    assert hand_out_waiting(runtime.context) == 1
    taken = runtime.store.get_conversation(conv)
    assert taken.assigned_agent_id == maya.agent.id
    summary = _assignment(runtime, conv).summary
    assert "widened after the wait: skills" in summary
    assert "Maya lacks escalations" in summary and "past the 112 s service level" in summary


def test_with_an_agent_who_has_the_skill_free_the_fraud_case_is_theirs(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="fraud-free")
    make_agent(runtime.store, ws, name="Maya", skills={"orders": 0.9}, tier=1)
    theo = make_agent(runtime.store, ws, name="Theo", skills={"escalations": 1.0}, tier=3, capacity=2)
    conv = _fraud_case(runtime, ws.slug)
    assert runtime.store.get_conversation(conv).assigned_agent_id == theo.agent.id


def test_with_nobody_qualified_on_the_team_a_fraud_case_widens_like_any_skill(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="fraud-nobody")
    maya = make_agent(runtime.store, ws, name="Maya", skills={"orders": 0.9}, tier=1)
    conv = _fraud_case(runtime, ws.slug)
    level = _level(runtime)
    _wait_longer(runtime, conv, 0.4 * level)
    assert hand_out_waiting(runtime.context) == 0
    _wait_longer(runtime, conv, 0.2 * level)  # half the service level: the skills widen
    assert hand_out_waiting(runtime.context) == 1
    assert runtime.store.get_conversation(conv).assigned_agent_id == maya.agent.id
    summary = _assignment(runtime, conv).summary
    assert "nobody on the team has escalations" in summary


def test_strict_skills_are_read_and_checked() -> None:
    base = 'version: "r1"\nservice_levels: {standard: 900}\n'
    rules = parse_routing_rules(base + "strict_skills: [escalations, legal]\n")
    assert rules.strict_skills == frozenset({"escalations", "legal"})
    assert parse_routing_rules(base).strict_skills == frozenset()
    with pytest.raises(PolicyFileError, match="strict_skills must be a list"):
        parse_routing_rules(base + "strict_skills: escalations\n")
