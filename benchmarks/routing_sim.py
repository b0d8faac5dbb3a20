"""Routing simulation: the skill router against one first-in-first-out queue, on the same day of
traffic, in simulated time.

Both policies see the same arrivals and the same per-conversation work. The skill policy uses the
product's own ``SkillRouter`` with the bundled rules: at escalation the conversation goes to the
agent ``route`` ranks best (a simplification: the product first lets that agent take a more urgent
waiting conversation they fit; a re-run with that path, made in review, moved the figures by less
than half a point),
and when an agent frees up, and on the routing timer every 15 s, agents take what ``rank`` puts
first for them. The FIFO policy gives each conversation to whichever agent is free, most urgent
and then oldest first, whatever the skills and language.

Workload (generated, fixed seed; every number below is an assumption of this simulation, not a
measurement of real support teams):

* 12 agents over an 8-hour shift, 2 conversations each at a time; every agent speaks English, 5 also
  Spanish, 3 German, 2 French; skills from the rules' vocabulary with proficiencies 0.4-1.0; tiers
  1-3.
* Escalations arrive as a Poisson process; each has an intent drawn from the rules' intent skills
  (its first skill is the one the work needs), a required skill one time in five, a language (75% en,
  12% es, 8% de, 5% fr), a customer tier (80% standard, 10% premium, 6% vip, 4% enterprise) and a
  priority (0-3).
* Work: a base time drawn from a log-normal with a mean of 8 minutes, multiplied by how well the
  agent fits: 1.4 - 0.5 x proficiency in the needed skill (0.9 for an expert, 1.4 for an agent
  without it), x 1.6 when the agent does not speak the customer's language, x 1.3 when a skill the
  policy required is missing.

Figures: the share of conversations taken within their service level (``sla_share_*``: the rules'
level by tier and priority), the mean wait, and for both the share handled in the customer's
language and with the needed skill, at three traffic levels; the headline fields are at the
middle one: traffic that keeps the team 90% busy when conversations land on agents at random
(the work of a conversation averaged over every agent), as under FIFO.

    .venv/bin/python benchmarks/routing_sim.py
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import progress, report  # noqa: E402

SEED = 2026
SHIFT_S = 8 * 3600
BASE_MEAN_S = 480.0
SWEEP_S = 15.0
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LOADS = (0.75, 0.9, 1.0)
HEADLINE = 0.9


@dataclass
class Case:
    index: int
    arrive: float
    intent: str
    needed: str
    required: tuple[str, ...]
    language: str
    tier: str
    priority: int
    base_s: float
    start: float | None = None
    agent: int | None = None
    work_s: float = 0.0


@dataclass
class Seat:
    index: int
    agent: object
    open: int = 0
    last: float | None = None
    busy_s: float = 0.0
    served: list[int] = field(default_factory=list)


def make_team(rng: random.Random, skills: list[str]):  # type: ignore[no-untyped-def]
    from relaydesk.domain.models import Agent, AgentStatus

    team = []
    for i in range(12):
        languages = (
            ["en"]
            + (["es"] if i < 5 else [])
            + (["de"] if 4 <= i < 7 else [])
            + (["fr"] if i in (8, 9) else [])
        )
        own = rng.sample(skills, rng.randint(2, 4))
        team.append(
            Agent(
                id=f"agt_{i}",
                workspace_id="ws",
                name=f"Agent {i}",
                email=f"a{i}@sim.example",
                skills={s: round(rng.uniform(0.4, 1.0), 2) for s in own},
                languages=tuple(languages),
                tier=(1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 1)[i],
                capacity=2,
                status=AgentStatus.ONLINE,
                created_at=START,
            )
        )
    return team


def make_cases(rng: random.Random, rules, rate_per_s: float) -> list[Case]:  # type: ignore[no-untyped-def]
    intents = sorted(rules.intent_skills)
    skills = sorted({s for names in rules.intent_skills.values() for s in names})
    cases, t = [], 0.0
    sigma = 0.5
    while True:
        t += rng.expovariate(rate_per_s)
        if t >= SHIFT_S:
            return cases
        intent = rng.choice(intents)
        cases.append(
            Case(
                index=len(cases),
                arrive=t,
                intent=intent,
                needed=rules.intent_skills[intent][0],
                required=(rng.choice(skills),) if rng.random() < 0.2 else (),
                language=rng.choices(("en", "es", "de", "fr"), (75, 12, 8, 5))[0],
                tier=rng.choices(("standard", "premium", "vip", "enterprise"), (80, 10, 6, 4))[0],
                priority=rng.choices((0, 1, 2, 3), (50, 20, 25, 5))[0],
                base_s=BASE_MEAN_S * math.exp(rng.gauss(-sigma * sigma / 2, sigma)),
            )
        )


def work_s(case: Case, agent) -> float:  # type: ignore[no-untyped-def]
    factor = 1.4 - 0.5 * agent.skills.get(case.needed, 0.0)
    if case.language not in agent.languages:
        factor *= 1.6
    if any(agent.skills.get(s, 0.0) <= 0 for s in case.required):
        factor *= 1.3
    return case.base_s * factor


def simulate(cases: list[Case], team, router, rules, policy: str) -> list[Case]:  # type: ignore[no-untyped-def]
    from relaydesk.domain.capability_types import QueuedCase, RouteRequest
    from relaydesk.domain.models import Channel, Conversation, ConversationStatus, Customer, CustomerTier
    from relaydesk.domain.ports import AgentLoad

    cases = [replace(c) for c in cases]
    seats = [Seat(i, a) for i, a in enumerate(team)]
    by_id = {a.id: i for i, a in enumerate(team)}
    waiting: dict[int, QueuedCase] = {}
    events: list[tuple[float, int, str, int]] = []
    seq = 0

    def push(t: float, kind: str, ref: int) -> None:
        nonlocal seq
        heapq.heappush(events, (t, seq, kind, ref))
        seq += 1

    def at(t: float) -> datetime:
        return START + timedelta(seconds=t)

    def load(seat: Seat) -> AgentLoad:
        return AgentLoad(seat.agent, seat.open, at(seat.last) if seat.last is not None else None)  # type: ignore[arg-type]

    def conversation(case: Case) -> Conversation:
        queued = at(case.arrive)
        return Conversation(
            id=f"c{case.index}", workspace_id="ws", customer_id="cus", channel=Channel.WEB,
            status=ConversationStatus.QUEUED, subject=None, language=case.language, assigned_agent_id=None,
            priority=case.priority, required_skills=case.required, escalation_reason="sim", ai_turns=0,
            created_at=queued, updated_at=queued, queued_at=queued,
            preferred_skills=rules.preferred_skills(case.intent),
            due_at=queued + timedelta(seconds=rules.service_level_s(case.tier, case.priority)),
        )  # fmt: skip

    def start(case: Case, seat: Seat, t: float) -> None:
        case.start, case.agent = t, seat.index
        case.work_s = work_s(case, seat.agent)
        seat.open += 1
        seat.last = t
        seat.busy_s += case.work_s
        waiting.pop(case.index, None)
        push(t + case.work_s, "done", case.index)

    def fill(seat: Seat, t: float) -> None:
        while seat.open < seat.agent.capacity and waiting:  # type: ignore[attr-defined]
            if policy == "fifo":
                pick = min(
                    waiting.values(),
                    key=lambda q: (-q.conversation.priority, cases[int(q.conversation.id[1:])].arrive),
                )
            else:
                ranked = router.rank(load(seat), list(waiting.values()), at(t))
                if not ranked:
                    return
                pick = ranked[0]
            start(cases[int(pick.conversation.id[1:])], seat, t)

    for case in cases:
        push(case.arrive, "arrive", case.index)
    tick = SWEEP_S
    while tick < SHIFT_S * 2:
        push(tick, "sweep", -1)
        tick += SWEEP_S
    while events:
        t, _, kind, ref = heapq.heappop(events)
        if kind == "arrive":
            case = cases[ref]
            conv = conversation(case)
            if policy == "fifo":
                free = [s for s in seats if s.open < s.agent.capacity]  # type: ignore[attr-defined]
                if free:
                    best = min(free, key=lambda s: (s.open, s.last if s.last is not None else -1.0))
                    start(case, best, t)
                else:
                    waiting[case.index] = QueuedCase(conv, CustomerTier(case.tier))
            else:
                customer = Customer(
                    "cus", "ws", None, None, None, CustomerTier(case.tier), case.language, {}, START
                )
                request = RouteRequest(
                    conv, customer, case.required, case.language, case.priority, "sim",
                    preferred_skills=conv.preferred_skills, queued_ahead=len(waiting),
                )  # fmt: skip
                decision = router.route(request, [load(s) for s in seats])
                if decision.agent is not None:
                    start(case, seats[by_id[decision.agent.id]], t)
                else:
                    waiting[case.index] = QueuedCase(conv, CustomerTier(case.tier))
        elif kind == "done":
            seat = seats[cases[ref].agent]  # type: ignore[index]
            seat.open -= 1
            fill(seat, t)
        elif kind == "sweep" and policy != "fifo":
            if not waiting and t > SHIFT_S:
                continue
            for seat in sorted(seats, key=lambda s: s.open):
                fill(seat, t)
        if not waiting and t > SHIFT_S and all(s.open == 0 for s in seats):
            break
    return cases


def summary(cases: list[Case], team, rules) -> dict[str, float]:  # type: ignore[no-untyped-def]
    served = [c for c in cases if c.start is not None]
    waits = [c.start - c.arrive for c in served]  # type: ignore[operator]
    pairs = [(c, team[c.agent]) for c in served]  # type: ignore[index]
    with_required = [(c, a) for c, a in pairs if c.required]

    def share(hits: int, total: int) -> float:
        return round(hits / max(total, 1), 4)

    return {
        "served": len(served),
        "unserved": len(cases) - len(served),
        "sla_share": share(
            sum(c.start - c.arrive <= rules.service_level_s(c.tier, c.priority) for c in served),  # type: ignore[operator]
            len(served),
        ),
        "mean_wait_s": round(statistics.fmean(waits), 1) if waits else 0.0,
        "p90_wait_s": round(sorted(waits)[int(0.9 * (len(waits) - 1))], 1) if waits else 0.0,
        "language_match": share(sum(c.language in a.languages for c, a in pairs), len(pairs)),
        "skill_match": share(sum(a.skills.get(c.needed, 0) > 0 for c, a in pairs), len(pairs)),
        "required_skill_met": share(
            sum(all(a.skills.get(s, 0) > 0 for s in c.required) for c, a in with_required), len(with_required)
        ),
        "mean_work_s": round(statistics.fmean(c.work_s for c in served), 1) if served else 0.0,
    }


def main() -> None:
    from relaydesk.routing.rules import load_routing_rules
    from relaydesk.routing.skills import SkillRouter

    rules = load_routing_rules()
    router = SkillRouter(rules)
    rng = random.Random(SEED)
    skills = sorted({s for names in rules.intent_skills.values() for s in names})
    team = make_team(rng, skills)
    seats = sum(a.capacity for a in team)
    # Traffic is set against what the team can do when work lands on agents at random (the mean
    # work of a conversation over every agent), so load 0.9 keeps a FIFO team 90% busy.
    probe = make_cases(random.Random(SEED - 1), rules, 2000 / SHIFT_S)
    mean_work = statistics.fmean(work_s(c, a) for c in probe for a in team)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for level in LOADS:
        rate = level * seats / mean_work
        cases = make_cases(random.Random(SEED + int(level * 100)), rules, rate)
        progress(f"load {level}: {len(cases)} escalations")
        results[str(level)] = {
            policy: summary(simulate(cases, team, router, rules, policy), team, rules)
            for policy in ("skill", "fifo")
        }
    head = results[str(HEADLINE)]
    report(
        "routing_sim",
        {
            "sla_share_skill": head["skill"]["sla_share"],
            "sla_share_fifo": head["fifo"]["sla_share"],
            "mean_wait_s_skill": head["skill"]["mean_wait_s"],
            "mean_wait_s_fifo": head["fifo"]["mean_wait_s"],
            "headline_load": HEADLINE,
            "by_load": results,
            "mean_work_s_random_agent": round(mean_work, 1),
            "agents": len(team),
            "seats": seats,
            "router": router.version,
            "seed": SEED,
            "assumptions": (
                "simulated work times: log-normal mean 480 s x (1.4 - 0.5 x skill)"
                " x 1.6 without the language x 1.3 without a required skill"
            ),
        },
    )


if __name__ == "__main__":
    main()
