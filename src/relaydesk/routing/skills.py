"""Skill-based routing: the best available person for each escalated conversation.

Who may take a conversation (hard requirements, each widened once the conversation has waited
the share of its service level that the rules set):

- the agent is online and below their capacity;
- seniority: customers of some tiers (VIP, enterprise) get agents of at least a given tier;
- skills: every skill the escalation policy required (billing for a dispute), proficiency above 0;
  a *strict* skill (the rules' ``strict_skills``: escalations for a legal, security or fraud case)
  is widened only once the service level itself has passed, and never while someone on the team
  has it (``for_team``) and the conversation is still within it;
- language: the agent speaks the conversation's language (``pt-BR`` matches ``pt``).

Among those, the agent with the highest score takes it: proficiency in the skills asked for
(required ones count double, the intent's preferred ones once), free capacity, and time since the
agent was last given a conversation. When nobody can take it now, it waits in the queue, where
conversations are ordered by priority and then by when they are due; an agent who frees up gets
the first one they may take. Every decision carries the rules' version and the scores behind it.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from relaydesk.domain.capability_types import QueuedCase, RouteDecision, RoutePlan, RouteRequest
from relaydesk.domain.models import Agent, AgentStatus, CustomerTier
from relaydesk.domain.ports import AgentLoad
from relaydesk.routing.rules import RoutingRules, load_routing_rules

IDLE_SATURATION_S = 3600.0
"""Idle time beyond which an agent gains no further score for it."""


@dataclass(frozen=True, slots=True)
class Needs:
    """What one conversation asks of an agent."""

    required_skills: tuple[str, ...]
    preferred_skills: tuple[str, ...]
    language: str | None
    customer_tier: str
    priority: int
    waited_s: float


class Unmet(StrEnum):
    """The first requirement an agent does not meet for a conversation."""

    STATUS = "status"
    """The agent is away or offline."""
    CAPACITY = "capacity"
    """The agent has no free seat."""
    SENIORITY = "seniority"
    """The customer's tier asks for a more senior agent (``Blocker.missing``: the least tier)."""
    SKILLS = "skills"
    """The agent lacks a skill the escalation required (``Blocker.missing`` names them)."""
    LANGUAGE = "language"
    """The agent does not speak the conversation's language (``Blocker.missing`` names it)."""


@dataclass(frozen=True, slots=True)
class Blocker:
    """A requirement an agent does not meet for a conversation."""

    unmet: Unmet
    missing: tuple[str, ...] = ()
    """What the agent lacks: the skills, or the language (its primary code)."""
    why: str = ""


@dataclass(frozen=True, slots=True)
class Fit:
    eligible: bool
    score: float
    why: str
    """Why the agent may not take it (the first requirement unmet), or which requirements were
    widened to let them."""
    relaxed: tuple[str, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    """Every requirement that keeps the agent from it (none when eligible)."""

    @property
    def unmet(self) -> Unmet | None:
        """The first requirement that keeps the agent from it (None when eligible)."""
        return self.blockers[0].unmet if self.blockers else None


def _refused(*blockers: Blocker) -> Fit:
    return Fit(False, 0.0, blockers[0].why, blockers=blockers)


def primary_language(code: str | None) -> str | None:
    if not code:
        return None
    return code.strip().lower().replace("_", "-").split("-")[0] or None


class SkillRouter:
    def __init__(self, rules: RoutingRules | None = None) -> None:
        self.rules = rules or load_routing_rules()
        self.version = (
            f"{self.rules.version}#{self.rules.digest}" if self.rules.digest else self.rules.version
        )
        self.auto_assign = self.rules.auto_assign
        self.team_skills: frozenset[str] | None = None
        """The skills someone on the team has (None: not known, so every strict skill is taken as
        held by someone and waits for its service level)."""

    def for_team(self, agents: Iterable[Agent]) -> SkillRouter:
        """This router for one workspace's team, every agent whatever their status: a strict skill
        nobody has at all widens like any other skill (waiting for a person who does not exist
        helps nobody)."""
        bound = copy.copy(self)
        bound.team_skills = frozenset(s for a in agents for s, level in a.skills.items() if level > 0)
        return bound

    # -- the plan for a conversation being queued --------------------------------------------------
    def plan(self, *, intent: str | None, tier: CustomerTier, priority: int, now: datetime) -> RoutePlan:
        level = self.rules.service_level_s(str(tier), priority)
        return RoutePlan(self.rules.preferred_skills(intent), now + timedelta(seconds=level))

    # -- whether and how well one agent fits one conversation --------------------------------------
    def fit(self, load: AgentLoad, needs: Needs, now: datetime, *, check_capacity: bool = True) -> Fit:
        agent = load.agent
        if agent.status != AgentStatus.ONLINE:
            return _refused(Blocker(Unmet.STATUS, why=f"{agent.name} is {agent.status}"))
        if check_capacity and load.open_conversations >= agent.capacity:
            return _refused(
                Blocker(
                    Unmet.CAPACITY,
                    why=f"{agent.name} is at capacity ({load.open_conversations} of {agent.capacity})",
                )
            )
        level = self.rules.service_level_s(needs.customer_tier, needs.priority)
        relaxed: list[str] = []
        blockers: list[Blocker] = []

        min_tier = self.rules.min_agent_tier.get(needs.customer_tier, 1)
        if agent.tier < min_tier:
            if not self.rules.relaxes("seniority", needs.waited_s, level):
                blockers.append(
                    Blocker(
                        Unmet.SENIORITY,
                        (str(min_tier),),
                        f"{needs.customer_tier} customers need an agent of tier {min_tier} or above",
                    )
                )
            else:
                relaxed.append("seniority")
        widened: list[str] = []
        missing = tuple(s for s in needs.required_skills if agent.skills.get(s, 0.0) <= 0)
        if missing:
            strict = [s for s in missing if s in self.rules.strict_skills]
            held = self._held_by_someone(strict)
            after_share = self.rules.relaxes("skills", needs.waited_s, level)
            if not after_share or (held and needs.waited_s < level):
                why = f"{agent.name} lacks {', '.join(missing)}"
                if held and after_share:
                    why += (
                        f" ({', '.join(held)}: kept for a person who has it until the {level:.0f} s "
                        "service level has passed)"
                    )
                blockers.append(Blocker(Unmet.SKILLS, missing, why))
            else:
                relaxed.append("skills")
                if held:
                    note = f"waited {needs.waited_s:.0f} s, past the {level:.0f} s service level"
                else:
                    note = f"waited {needs.waited_s:.0f} s of a {level:.0f} s service level"
                    if strict:
                        note += f"; nobody on the team has {', '.join(strict)}"
                widened.append(f"{agent.name} lacks {', '.join(missing)}: {note}")
        language = primary_language(needs.language)
        if language and language not in {primary_language(x) for x in agent.languages}:
            if not self.rules.relaxes("language", needs.waited_s, level):
                blockers.append(
                    Blocker(Unmet.LANGUAGE, (language,), f"{agent.name} does not speak {language}")
                )
            else:
                relaxed.append("language")
        if blockers:
            return _refused(*blockers)

        weights = self.rules.weights
        asked = [(s, 2.0) for s in needs.required_skills] + [
            (s, 1.0) for s in needs.preferred_skills if s not in needs.required_skills
        ]
        skill = (
            sum(w * agent.skills.get(s, 0.0) for s, w in asked) / sum(w for _, w in asked) if asked else 0.0
        )
        free = 1.0 - min(load.open_conversations, agent.capacity) / max(agent.capacity, 1)
        idle = (
            1.0
            if load.last_assigned_at is None
            else min(max((now - load.last_assigned_at).total_seconds(), 0.0) / IDLE_SATURATION_S, 1.0)
        )
        score = (
            weights.get("skill", 1.0) * skill
            + weights.get("free_capacity", 0.5) * free
            + weights.get("idle", 0.25) * idle
        )
        why = "meets every requirement" if not relaxed else "widened after the wait: " + ", ".join(relaxed)
        if widened:
            why += " (" + "; ".join(widened) + ")"
        return Fit(True, round(score, 4), why, tuple(relaxed))

    def _held_by_someone(self, skills: Iterable[str]) -> list[str]:
        """Of these strict skills, the ones someone on the team has (all, when the team is not known)."""
        return [s for s in skills if self.team_skills is None or s in self.team_skills]

    # -- a conversation being escalated ------------------------------------------------------------
    def route(self, request: RouteRequest, agents: Sequence[AgentLoad]) -> RouteDecision:
        if self.team_skills is None:
            return self.for_team(load.agent for load in agents).route(request, agents)
        now = request.conversation.queued_at or request.conversation.updated_at
        waited = 0.0
        needs = Needs(
            tuple(request.required_skills),
            tuple(request.preferred_skills),
            request.language,
            str(request.customer.tier),
            request.priority,
            waited,
        )
        fits = [(load, self.fit(load, needs, now)) for load in agents]
        scores = {str(load.agent.id): fit.score for load, fit in fits if fit.eligible}
        eligible = [(load, fit) for load, fit in fits if fit.eligible]
        if eligible:
            eligible.sort(key=lambda pair: (-pair[1].score, pair[0].open_conversations, pair[0].agent.id))
            load, fit = eligible[0]
            return RouteDecision(
                queue="default",
                agent=load.agent,
                reason=f"{load.agent.name} {fit.why} and has the best score ({fit.score:.2f})",
                estimated_wait_s=0.0,
                scores=scores,
                version=self.version,
                candidates=tuple(pair[0].agent.id for pair in eligible),
            )
        # Nobody can take it now: who could once they free up, and how long that may take.
        pool = [load for load in agents if self.fit(load, needs, now, check_capacity=False).eligible]
        refusals = sorted({fit.why for _, fit in fits})
        if not pool:
            reason = "Nobody online can take it yet" + (
                f" ({'; '.join(refusals[:3])})" if refusals else " (no agent is online)"
            )
            return RouteDecision("default", None, reason, None, {}, self.version)
        slots = sum(max(load.agent.capacity, 1) for load in pool)
        handle = request.handle_time_s or self.rules.handle_time_s
        wait = handle * (request.queued_ahead + 1) / slots
        names = ", ".join(sorted(load.agent.name for load in pool)[:3])
        return RouteDecision(
            "default",
            None,
            f"Every agent who fits is busy ({names}); it goes to the first of them to free up",
            round(wait, 1),
            {},
            self.version,
        )

    # -- an agent who can take a conversation ------------------------------------------------------
    def rank(self, agent: AgentLoad, queued: Sequence[QueuedCase], now: datetime) -> list[QueuedCase]:
        """The queued conversations ``agent`` may take now, best first: those that need a skill
        the agent has (the better their proficiency in it, the sooner), then the most urgent
        (priority, then the earliest due, then the longest waiting). An agent with a specialty
        takes the conversations only such an agent can take before the general ones anyone can."""
        out: list[tuple[tuple[float, float, float, float, str], QueuedCase]] = []
        for case in queued:
            c = case.conversation
            queued_at = c.queued_at or c.updated_at
            needs = waiting_needs(case, now)
            fit = self.fit(agent, needs, now)
            if not fit.eligible:
                continue
            # The store's order: a due time before none, then the longest waiting, then the id.
            due = c.due_at.timestamp() if c.due_at else math.inf
            specialty = specialty_match(agent.agent, needs, fit)
            out.append(((-specialty, -c.priority, due, queued_at.timestamp(), c.id), case))
        out.sort(key=lambda pair: pair[0])
        return [case for _, case in out]

    def explain(self, agent: Agent, case: QueuedCase, now: datetime, open_conversations: int = 0) -> Fit:
        """How ``agent`` fits a queued conversation now (for the assignment's decision record)."""
        return self.fit(
            AgentLoad(agent, open_conversations), waiting_needs(case, now), now, check_capacity=False
        )


def specialty_match(agent: Agent, needs: Needs, fit: Fit) -> float:
    """How well ``agent`` matches the skills a conversation requires: their mean proficiency in
    them, 0 when it requires none or the agent lacks one (taken only because the wait widened the
    requirement)."""
    if not needs.required_skills or "skills" in fit.relaxed:
        return 0.0
    return sum(agent.skills.get(s, 0.0) for s in needs.required_skills) / len(needs.required_skills)


def waiting_needs(case: QueuedCase, now: datetime) -> Needs:
    """What a queued conversation asks of an agent, having waited until ``now``."""
    c = case.conversation
    queued_at = c.queued_at or c.updated_at
    return Needs(
        tuple(c.required_skills),
        tuple(c.preferred_skills),
        c.language or case.customer_language,
        str(case.customer_tier),
        c.priority,
        max((now - queued_at).total_seconds(), 0.0),
    )
