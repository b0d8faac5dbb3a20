"""Routing speed: how long one routing step takes with many agents and a long queue.

Workload (generated, seed 7): one workspace with 200 agents (skills from the routing rules'
vocabulary with random proficiencies, 1-3 languages, tiers 1-3, capacity 3-6, all online) and
10,000 conversations waiting, from customers of every tier in five languages, with required and
preferred skills, priorities and due times as the skill router would have set them. Agents are
filled to one seat below capacity, so every step below has exactly one free seat to fill.

Three steps are timed, each through the product's own code on a real SQLite file (or the database
given with ``--database-url``), writes included:

* ``assign``: an agent with a free seat takes the next conversation the rules rank first for them
  (``assign_next``: read the queue in routing order, check eligibility, assign with the capacity
  check, record the decision, post the system message). The agent then resolves it, so the load
  stays the same for the next round.
* ``route_into_backlog``: with every agent full (as auto-assign keeps them while conversations
  they fit wait), a conversation is escalated: plan, queue, score all 200 agents, place in line,
  wait estimate, record, notify.
* ``route``: with the backlog cleared and one free seat per agent, a conversation is escalated
  and assigned at once (``Orchestrator.escalate``: plan, queue, score all agents, the best one takes
  what their ranking puts first, record, notify); the agent then closes it again.

    .venv/bin/python benchmarks/routing_speed.py [--agents 200] [--waiting 10000] [--rounds 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import peak_rss_mb, progress, report  # noqa: E402

SEED = 7
LANGUAGES = ("en", "en", "en", "en", "es", "de", "fr", "pt")
TIERS = ("standard",) * 14 + ("premium", "premium", "vip", "enterprise")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from sqlalchemy import insert, update

    from relaydesk.domain.capability_types import EscalationDecision
    from relaydesk.domain.ids import new_id
    from relaydesk.domain.models import HUMAN_OWNED, AgentStatus, ConversationStatus, utcnow
    from relaydesk.services.assignment import assign_next
    from relaydesk.services.runtime import build_runtime
    from relaydesk.settings import Settings
    from relaydesk.storage.tables import ConversationRow, CustomerRow

    rng = random.Random(SEED)
    tmp = tempfile.mkdtemp(prefix="routing-speed-")
    url = args.database_url or f"sqlite:///{tmp}/routing.db"
    settings = Settings(environment="test", database_url=url, data_dir=Path(tmp) / "var", _env_file=None)  # type: ignore[call-arg]
    runtime = build_runtime(settings)
    store, router = runtime.store, runtime.capabilities.router
    rules = router.rules  # type: ignore[attr-defined]
    skills = sorted({s for names in rules.intent_skills.values() for s in names} | {"legal", "retention"})
    intents = sorted(rules.intent_skills)
    workspace = store.create_workspace("speed", "Routing speed")

    progress(f"creating {args.agents} agents and {args.waiting:,} waiting conversations")
    agents = []
    for i in range(args.agents):
        own = rng.sample(skills, rng.randint(2, 5))
        agents.append(
            store.create_agent(
                workspace.id,
                name=f"Agent {i:03d}",
                email=f"agent{i}@speed.example",
                api_key=f"speed-key-{i}",
                skills={s: round(rng.uniform(0.3, 1.0), 2) for s in own},
                languages=tuple(dict.fromkeys(["en", *rng.sample(LANGUAGES[4:], rng.randint(0, 2))])),
                tier=rng.choice((1, 1, 1, 2, 2, 3)),
                capacity=rng.randint(3, 6),
                status=AgentStatus.ONLINE,
            )
        )
    now = utcnow()
    customers, conversations = [], []
    for i in range(args.waiting):
        tier = rng.choice(TIERS)
        language = rng.choice(LANGUAGES)
        cid = new_id("cus")
        customers.append(
            {
                "id": cid,
                "workspace_id": workspace.id,
                "external_id": f"c{i}",
                "tier": tier,
                "language": language,
                "attributes": {},
                "created_at": now,
            }
        )
        priority = rng.choice((0, 0, 1, 2, 2, 3))
        queued = now - timedelta(seconds=rng.uniform(0, 300))
        required = [rng.choice(skills)] if rng.random() < 0.3 else []
        conversations.append(
            {
                "id": new_id("conv"),
                "workspace_id": workspace.id,
                "customer_id": cid,
                "customer_token_hash": "x",
                "channel": "web",
                "status": str(ConversationStatus.QUEUED),
                "language": language,
                "priority": priority,
                "required_skills": required,
                "preferred_skills": list(rules.preferred_skills(rng.choice(intents))),
                "ai_turns": 0,
                "created_at": queued,
                "updated_at": queued,
                "queued_at": queued,
                "due_at": queued + timedelta(seconds=rules.service_level_s(tier, priority)),
            }
        )
    with runtime.engine.begin() as conn:
        conn.execute(insert(CustomerRow), customers)
        conn.execute(insert(ConversationRow), conversations)

    # Fill every agent to one seat below capacity with conversations they may take.
    progress("filling agents to one seat below capacity")
    for agent in agents:
        for _ in range(agent.capacity - 1):
            assign_next(runtime.context, agent.id, how="setup")
    waiting = len(store.queue(workspace.id, limit=args.waiting + 1))
    progress(f"{waiting:,} conversations still waiting")

    def release(conversation_id: str) -> None:
        """Close a conversation straight in the store: resolving through the desk would hand the
        agent the next waiting conversation at once (auto-assign) and leave no seat to time."""
        store.transition(
            conversation_id, expected=HUMAN_OWNED, to=ConversationStatus.RESOLVED, resolved_at=utcnow()
        )

    def timed_assign(agent_id: str) -> float | None:
        started = time.perf_counter()
        conversation = assign_next(runtime.context, agent_id, how="next")
        elapsed = (time.perf_counter() - started) * 1000
        if conversation is None:
            return None
        release(conversation.id)  # keeps the load steady
        return elapsed

    assign_ms: list[float] = []
    none_found = 0
    for i in range(args.rounds):
        ms = timed_assign(rng.choice(agents).id)
        if ms is None:
            none_found += 1
        else:
            assign_ms.append(ms)
        if (i + 1) % 100 == 0:
            progress(f"assign: {i + 1}/{args.rounds}")

    def escalate_one(i: int) -> tuple[float, str | None]:
        tier = rng.choice(TIERS)
        customer = store.upsert_customer(
            workspace.id,
            external_id=f"new{i}-{len(route_ms) + len(busy_ms)}",
            tier=tier,  # type: ignore[arg-type]
            language=rng.choice(LANGUAGES),
        )
        conversation = store.create_conversation(workspace.id, customer.id, token="t", channel="web")  # type: ignore[arg-type]
        decision = EscalationDecision(
            True,
            "benchmark escalation",
            (),
            priority=rng.choice((0, 1, 2)),
            required_skills=(rng.choice(skills),) if rng.random() < 0.3 else (),
            version="bench",
        )
        started = time.perf_counter()
        runtime.orchestrator.escalate(conversation, decision)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, store.get_conversation(conversation.id).assigned_agent_id and conversation.id

    # Escalations into the backlog: every agent is full (as auto-assign and the routing timer keep
    # them while conversations they fit are waiting), so each new one is scored against all agents,
    # queued and given a place in line and a wait estimate.
    progress("filling every agent")
    for agent in agents:
        while assign_next(runtime.context, agent.id, how="setup") is not None:
            pass
    busy_ms: list[float] = []
    route_ms: list[float] = []
    for i in range(args.rounds):
        ms, _ = escalate_one(i)
        busy_ms.append(ms)
    progress(f"route into the backlog: {args.rounds} escalations")

    # Escalations with room: the backlog is cleared and every agent has one free seat, so each new
    # conversation is scored and assigned at once; the agent then closes it to keep a seat free.
    with runtime.engine.begin() as conn:
        conn.execute(
            update(ConversationRow)
            .where(ConversationRow.status == str(ConversationStatus.QUEUED))
            .values(status=str(ConversationStatus.RESOLVED), resolved_at=utcnow())
        )
    for agent in agents:
        owned = store.list_conversations(workspace.id, statuses=HUMAN_OWNED, agent_id=agent.id, limit=1)
        if owned:
            release(owned[0].id)
    routed = 0
    for i in range(args.rounds):
        ms, assigned = escalate_one(i)
        route_ms.append(ms)
        if assigned:
            routed += 1
            release(assigned)
    progress(f"route with room: {args.rounds} escalations, {routed} assigned at once")

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    report(
        "routing_speed",
        {
            "agents": args.agents,
            "waiting": waiting,
            "assign_p50_ms": round(statistics.median(assign_ms), 2),
            "assign_p99_ms": pct(assign_ms, 0.99),
            "assign_rounds": len(assign_ms),
            "assign_none_found": none_found,
            "route_p50_ms": round(statistics.median(route_ms), 2),
            "route_p99_ms": pct(route_ms, 0.99),
            "route_rounds": len(route_ms),
            "routed_at_once": routed,
            "route_into_backlog_p50_ms": round(statistics.median(busy_ms), 2),
            "route_into_backlog_p99_ms": pct(busy_ms, 0.99),
            "database": "postgresql" if url.startswith("postgresql") else "sqlite",
            "router": router.version,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "seed": SEED,
        },
    )
    runtime.close()


if __name__ == "__main__":
    main()
