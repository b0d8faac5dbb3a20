"""The simplest router: one queue, first in first out; agents pull the oldest, most urgent
conversation themselves. Chosen with ``RELAYDESK_ROUTER=fifo``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from relaydesk.domain.capability_types import QueuedCase, RouteDecision, RoutePlan, RouteRequest
from relaydesk.domain.models import AgentStatus, CustomerTier
from relaydesk.domain.ports import AgentLoad


class FifoRouter:
    version = "fifo-1"
    auto_assign = False

    def plan(self, *, intent: str | None, tier: CustomerTier, priority: int, now: datetime) -> RoutePlan:
        return RoutePlan()

    def route(self, request: RouteRequest, agents: Sequence[AgentLoad]) -> RouteDecision:
        return RouteDecision(
            queue="default",
            agent=None,
            reason="One shared queue; the next free agent claims the oldest, most urgent conversation.",
            version=self.version,
        )

    def rank(self, agent: AgentLoad, queued: Sequence[QueuedCase], now: datetime) -> list[QueuedCase]:
        if agent.agent.status != AgentStatus.ONLINE or agent.open_conversations >= agent.agent.capacity:
            return []
        return list(queued)
