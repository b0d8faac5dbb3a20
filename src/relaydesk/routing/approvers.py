"""Who gets an approval task: an online agent who holds the authority it needs.

Among the online agents whose tier reaches the approver tier, agents with the ``approvals`` skill
come first (the more proficient first), then the least loaded (pending approvals offered to them
plus open conversations), then the lowest id, so the choice is the same on every worker.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from relaydesk.domain.models import Agent, AgentStatus

APPROVALS_SKILL = "approvals"
"""The skill that marks agents who take approval tasks first."""


@dataclass(frozen=True, slots=True)
class ApproverCandidate:
    agent: Agent
    load: int
    """Pending approvals offered to the agent plus the conversations they own."""


def may_approve(agent: Agent, approver_tier: int) -> bool:
    return agent.tier >= approver_tier


def choose_approver(
    candidates: Iterable[ApproverCandidate], approver_tier: int, *, exclude: Collection[str] = ()
) -> Agent | None:
    """The agent to offer an approval needing ``approver_tier`` to; None when no qualified agent
    is online. ``exclude``: agents not to offer it to (the one who let it go overdue)."""
    qualified = [
        c
        for c in candidates
        if c.agent.status == AgentStatus.ONLINE
        and may_approve(c.agent, approver_tier)
        and c.agent.id not in exclude
    ]
    if not qualified:
        return None

    def rank(c: ApproverCandidate) -> tuple[int, float, int, str]:
        skill = c.agent.skills.get(APPROVALS_SKILL, 0.0)
        return (0 if skill > 0 else 1, -skill, c.load, c.agent.id)

    return min(qualified, key=rank).agent
