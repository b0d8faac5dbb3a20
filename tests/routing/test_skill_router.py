"""The skill router's choices, on plain domain objects: who may take a conversation, who is best,
when requirements widen, and in which order an agent gets queued conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from relaydesk.domain.capability_types import QueuedCase, RouteRequest
from relaydesk.domain.models import (
    Agent,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
)
from relaydesk.domain.ports import AgentLoad
from relaydesk.routing.rules import load_routing_rules
from relaydesk.routing.skills import SkillRouter

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def agent(
    name: str, *, skills=None, languages=("en",), tier=1, capacity=3, status=AgentStatus.ONLINE
) -> Agent:  # type: ignore[no-untyped-def]
    return Agent(
        id=f"agt_{name.lower()}",
        workspace_id="ws",
        name=name,
        email=f"{name.lower()}@example.test",
        skills=dict(skills or {}),
        languages=tuple(languages),
        tier=tier,
        capacity=capacity,
        status=status,
        created_at=NOW,
    )


def customer(tier: CustomerTier = CustomerTier.STANDARD, language: str = "en") -> Customer:
    return Customer("cus", "ws", None, None, None, tier, language, {}, NOW)


def conversation(
    *,
    language: str | None = "en",
    priority: int = 0,
    required=(),
    preferred=(),
    queued_at=NOW,
    due_at=None,
    cid="conv",
) -> Conversation:  # type: ignore[no-untyped-def]
    return Conversation(
        id=cid,
        workspace_id="ws",
        customer_id="cus",
        channel=Channel.WEB,
        status=ConversationStatus.QUEUED,
        subject=None,
        language=language,
        assigned_agent_id=None,
        priority=priority,
        required_skills=tuple(required),
        escalation_reason="test",
        ai_turns=0,
        created_at=queued_at,
        updated_at=queued_at,
        queued_at=queued_at,
        preferred_skills=tuple(preferred),
        due_at=due_at,
    )


def request(
    conv: Conversation, cust: Customer | None = None, *, ahead: int = 0, handle: float | None = None
) -> RouteRequest:
    cust = cust or customer()
    return RouteRequest(
        conv,
        cust,
        conv.required_skills,
        conv.language,
        conv.priority,
        "test",
        preferred_skills=conv.preferred_skills,
        queued_ahead=ahead,
        handle_time_s=handle,
    )


@pytest.fixture
def router() -> SkillRouter:
    return SkillRouter(load_routing_rules())


def test_required_skill_decides_and_proficiency_ranks(router: SkillRouter) -> None:
    generalist = AgentLoad(agent("Gen", skills={"orders": 0.9}), 0)
    weak = AgentLoad(agent("Weak", skills={"billing": 0.3}), 0)
    strong = AgentLoad(agent("Strong", skills={"billing": 0.9}), 0)
    route = router.route(request(conversation(required=["billing"])), [generalist, weak, strong])
    assert route.agent is not None and route.agent.name == "Strong"
    assert set(route.scores) == {"agt_weak", "agt_strong"}  # the generalist lacks billing: not eligible
    assert route.version.startswith("routing-2026.1#")


def test_preferred_skills_from_the_intent_only_rank(router: SkillRouter) -> None:
    returns = AgentLoad(agent("Ret", skills={"returns": 0.9}), 0)
    billing = AgentLoad(agent("Bil", skills={"billing": 0.9}), 0)
    conv = conversation(
        preferred=router.plan(
            intent="return_item", tier=CustomerTier.STANDARD, priority=0, now=NOW
        ).preferred_skills
    )
    assert conv.preferred_skills == ("returns",)
    route = router.route(request(conv), [billing, returns])
    assert route.agent is not None and route.agent.name == "Ret"
    assert set(route.scores) == {"agt_ret", "agt_bil"}  # both may take it


def test_language_is_required_until_the_wait_widens_it(router: SkillRouter) -> None:
    english = AgentLoad(agent("Eve", skills={"orders": 1.0}), 0)
    spanish = AgentLoad(agent("Sol", skills={"orders": 0.2}, languages=("en", "es")), 0)
    conv = conversation(language="es-MX")
    route = router.route(request(conv), [english, spanish])
    assert route.agent is not None and route.agent.name == "Sol"

    alone = router.route(request(conv), [english])
    assert alone.agent is None and "does not speak es" in alone.reason
    case = QueuedCase(conv, CustomerTier.STANDARD)
    level = router.rules.service_level_s("standard", 0)
    assert router.rank(english, [case], NOW + timedelta(seconds=0.7 * level)) == []
    later = NOW + timedelta(seconds=0.8 * level)  # past 0.75 of the service level
    assert router.rank(english, [case], later) == [case]
    assert "language" in router.explain(english.agent, case, later).relaxed


def test_key_customers_need_senior_agents_at_first(router: SkillRouter) -> None:
    junior = AgentLoad(agent("Jun", tier=1), 0)
    senior = AgentLoad(agent("Sen", tier=2), 2)
    route = router.route(request(conversation(), customer(CustomerTier.VIP)), [junior, senior])
    assert route.agent is not None and route.agent.name == "Sen"
    refused = router.route(request(conversation(), customer(CustomerTier.VIP)), [junior])
    assert refused.agent is None and "tier 2" in refused.reason
    assert router.route(request(conversation(), customer(CustomerTier.STANDARD)), [junior]).agent is not None


def test_free_capacity_and_idle_time_break_ties(router: SkillRouter) -> None:
    busy = AgentLoad(agent("Busy", skills={"orders": 0.8}), 2, NOW - timedelta(hours=2))
    free = AgentLoad(agent("Free", skills={"orders": 0.8}), 0, NOW - timedelta(hours=2))
    assert router.route(request(conversation(required=["orders"])), [busy, free]).agent.name == "Free"  # type: ignore[union-attr]
    just_now = AgentLoad(agent("Just", skills={"orders": 0.8}), 0, NOW - timedelta(seconds=30))
    rested = AgentLoad(agent("Rested", skills={"orders": 0.8}), 0, NOW - timedelta(minutes=50))
    assert router.route(request(conversation(required=["orders"])), [just_now, rested]).agent.name == "Rested"  # type: ignore[union-attr]


def test_away_full_and_offline_agents_get_nothing_and_the_wait_is_estimated(router: SkillRouter) -> None:
    away = AgentLoad(agent("Away", status=AgentStatus.AWAY), 0)
    full_a = AgentLoad(agent("FullA", capacity=2), 2)
    full_b = AgentLoad(agent("FullB", capacity=3), 3)
    route = router.route(request(conversation(), ahead=4, handle=600.0), [away, full_a, full_b])
    assert route.agent is None
    # five conversations (four ahead and this one) over five seats, ten minutes each
    assert route.estimated_wait_s == pytest.approx(600.0 * 5 / 5)
    assert "FullA" in route.reason and "Away" not in route.reason
    nobody = router.route(request(conversation()), [away])
    assert nobody.agent is None and nobody.estimated_wait_s is None
    # without a measured handle time the rules' default is used
    assert router.route(request(conversation()), [full_a]).estimated_wait_s == pytest.approx(480.0 / 2)


def test_service_level_shrinks_with_priority_and_tier(router: SkillRouter) -> None:
    rules = router.rules
    assert rules.service_level_s("standard", 0) == 900
    assert rules.service_level_s("standard", 2) == pytest.approx(225)
    assert rules.service_level_s("vip", 0) == 300
    assert rules.service_level_s("unknown-tier", 0) == 900
    plan = router.plan(intent=None, tier=CustomerTier.VIP, priority=1, now=NOW)
    assert plan.due_at == NOW + timedelta(seconds=150) and plan.preferred_skills == ()


def test_rank_orders_by_priority_then_due_then_wait(router: SkillRouter) -> None:
    me = AgentLoad(agent("Me", skills={"billing": 1.0}, languages=("en",)), 0)
    older = QueuedCase(
        conversation(cid="older", queued_at=NOW - timedelta(minutes=5), due_at=NOW + timedelta(minutes=10)),
        CustomerTier.STANDARD,
    )
    due_sooner = QueuedCase(
        conversation(cid="vip", queued_at=NOW - timedelta(minutes=1), due_at=NOW + timedelta(minutes=4)),
        CustomerTier.PREMIUM,
    )
    urgent = QueuedCase(
        conversation(cid="urgent", priority=2, queued_at=NOW, due_at=NOW + timedelta(minutes=3)),
        CustomerTier.STANDARD,
    )
    foreign = QueuedCase(
        conversation(
            cid="fr", language="fr", queued_at=NOW - timedelta(minutes=1), due_at=NOW + timedelta(minutes=14)
        ),
        CustomerTier.STANDARD,
    )
    needs_skill = QueuedCase(
        conversation(cid="legal", required=["legal"], queued_at=NOW, due_at=NOW + timedelta(minutes=14)),
        CustomerTier.STANDARD,
    )
    ranked = router.rank(me, [older, due_sooner, urgent, foreign, needs_skill], NOW)
    assert [c.conversation.id for c in ranked] == ["urgent", "vip", "older"]
    full = AgentLoad(me.agent, 3)
    assert router.rank(full, [older], NOW) == []


def test_an_agent_takes_the_conversation_needing_their_specialty_before_general_ones(
    router: SkillRouter,
) -> None:
    sam = AgentLoad(agent("Sam", skills={"billing": 0.9, "orders": 0.5}), 0)
    general = [
        QueuedCase(
            conversation(
                cid=f"general-{i}",
                queued_at=NOW - timedelta(minutes=10 - i),
                due_at=NOW + timedelta(minutes=i),
            ),
            CustomerTier.STANDARD,
        )
        for i in range(3)
    ]
    dispute = QueuedCase(
        conversation(cid="dispute", required=["billing"], queued_at=NOW, due_at=NOW + timedelta(minutes=15)),
        CustomerTier.STANDARD,
    )
    orders = QueuedCase(
        conversation(cid="orders", required=["orders"], queued_at=NOW, due_at=NOW + timedelta(minutes=14)),
        CustomerTier.STANDARD,
    )
    ranked = router.rank(sam, [*general, orders, dispute], NOW)
    # the best skill match first, then the other specialty, then the general ones by due time
    assert [c.conversation.id for c in ranked] == ["dispute", "orders", "general-0", "general-1", "general-2"]
