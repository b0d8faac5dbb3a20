"""Who an approval task is offered to, on plain domain objects: authority first, then the
``approvals`` skill and its level, then the lightest load, then the id."""

from __future__ import annotations

from datetime import UTC, datetime

from relaydesk.domain.models import Agent, AgentStatus
from relaydesk.routing.approvers import ApproverCandidate, choose_approver

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def agent(
    name: str,
    *,
    tier: int = 2,
    skills: dict[str, float] | None = None,
    status: AgentStatus = AgentStatus.ONLINE,
) -> Agent:
    return Agent(
        id=f"agt_{name.lower()}",
        workspace_id="ws",
        name=name,
        email=f"{name.lower()}@example.test",
        skills=dict(skills or {}),
        languages=("en",),
        tier=tier,
        capacity=3,
        status=status,
        created_at=NOW,
    )


def pick(*candidates: tuple[Agent, int], tier: int = 2, exclude: tuple[str, ...] = ()) -> str | None:
    chosen = choose_approver([ApproverCandidate(a, load) for a, load in candidates], tier, exclude=exclude)
    return chosen.name if chosen else None


def test_only_an_online_agent_of_the_approver_tier_is_offered_it() -> None:
    junior = agent("June", tier=1, skills={"approvals": 1.0})
    away = agent("Abe", tier=3, skills={"approvals": 1.0}, status=AgentStatus.AWAY)
    assert pick((junior, 0), (away, 0)) is None
    assert pick((junior, 0), (away, 0), (agent("Sam", tier=2), 9)) == "Sam"
    assert pick((agent("Sam", tier=2), 0), tier=3) is None


def test_the_approvals_skill_comes_first_then_its_level_then_the_load_then_the_id() -> None:
    plain = agent("Ann", tier=3)
    skilled = agent("Ben", skills={"approvals": 0.5})
    expert = agent("Cat", skills={"approvals": 0.9})
    assert pick((plain, 0), (skilled, 5)) == "Ben"
    assert pick((plain, 0), (skilled, 0), (expert, 7)) == "Cat"
    twin = agent("Dan", skills={"approvals": 0.9})
    assert pick((expert, 3), (twin, 1)) == "Dan"
    assert pick((expert, 1), (twin, 1)) == "Cat"  # agt_cat < agt_dan


def test_the_agent_who_let_it_go_overdue_is_passed_over() -> None:
    expert = agent("Cat", skills={"approvals": 0.9})
    other = agent("Sam")
    assert pick((expert, 0), (other, 4), exclude=("agt_cat",)) == "Sam"
    assert pick((expert, 0), exclude=("agt_cat",)) is None
