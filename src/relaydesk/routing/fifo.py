"""The first router: one queue, first in first out; agents pull the oldest conversation."""

from __future__ import annotations

from collections.abc import Sequence

from relaydesk.domain.ports import AgentLoad
from relaydesk.domain.signals import RouteDecision, RouteRequest


class FifoRouter:
    version = "fifo-1"

    def route(self, request: RouteRequest, agents: Sequence[AgentLoad]) -> RouteDecision:
        return RouteDecision(
            queue="default",
            agent=None,
            reason="One shared queue; the next free agent claims the oldest, most urgent conversation.",
            version=self.version,
        )
