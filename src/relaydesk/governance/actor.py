"""Who makes a governed tool call: the AI, or a human agent acting in the conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from relaydesk.domain.models import Agent
from relaydesk.governance.actions import ActionVerdict, Verdict


class ActorKind(StrEnum):
    AI = "ai"
    """relaydesk's AI (a specialist working a flow)."""
    AGENT = "agent"
    """A human agent, through the agents' API."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Whose call it is: named in the decision log's summaries, and (for an agent) in its inputs."""

    kind: ActorKind
    name: str
    id: str | None = None
    tier: int | None = None
    """An agent's seniority: an agent whose tier reaches a rule's approver tier acts on their own
    authority instead of asking for an approval."""

    @classmethod
    def agent(cls, agent: Agent) -> Actor:
        return cls(ActorKind.AGENT, agent.name, agent.id, agent.tier)

    @property
    def is_ai(self) -> bool:
        return self.kind == ActorKind.AI

    def may_approve(self, approver_tier: int) -> bool:
        """An agent holding the authority a held action needs (the AI never does)."""
        return self.kind == ActorKind.AGENT and self.tier is not None and self.tier >= approver_tier

    def to_log(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "id": self.id, "name": self.name, "tier": self.tier}


AI = Actor(ActorKind.AI, "The AI")
"""The default actor: every call the AI makes."""


def actor_input(actor: Actor) -> dict[str, Any]:
    """The actor in a decision's inputs: nothing for the AI (its entries read as they always did)."""
    return {} if actor.is_ai else {"actor": actor.to_log()}


def logged_by_ai(inputs: Mapping[str, Any]) -> bool:
    """Whether a logged decision is the AI's own, read back from its inputs (``actor_input``'s
    inverse): the AI names no actor, so any entry that names one counts as a person's."""
    return "actor" not in inputs


def approved_by_actor(verdict: ActionVerdict, actor: Actor, needed: int) -> ActionVerdict:
    """The verdict of a call whose amount limit the calling agent may approve themselves: the
    limit's check reads as met by their authority, every other check as it was."""
    checks = tuple(
        replace(
            c,
            passed=True,
            reason=f"{c.reason} {actor.name} (tier {actor.tier}) holds the authority it needs "
            f"(tier {needed}).",
        )
        if not c.passed and c.on_fail == Verdict.NEEDS_APPROVAL
        else c
        for c in verdict.checks
    )
    return replace(verdict, verdict=Verdict.ALLOW, checks=checks)
