"""Routing under concurrency: several processes escalate, resolve and take conversations at once
on one PostgreSQL database; no conversation may get two owners, none may be lost, and no agent may
ever hold more than their capacity.

The benchmark starts its own PostgreSQL (as the tests do) and a workspace of 12 online agents
(capacity 2-4, 36 seats). Each of ``--processes`` worker processes builds its own relaydesk
runtime (the skill router, auto-assign on) and runs ``--escalations`` / processes rounds; in each
round it escalates a new conversation through ``Orchestrator.escalate`` (random priority, tier,
language and sometimes a required skill), then twice picks a random agent who, with some
probability, resolves one of their conversations (which hands them the next waiting one) or takes
the next one by hand. Agents work a little faster than customers arrive, so the queue comes and
goes and agents often have free seats.
Everything races: routing at escalation, auto-assign after a resolve, agents taking the next.

While they run, the parent process samples every agent's open conversations in one statement
every 20 ms and counts samples where an agent is over capacity. At the end it checks every
escalated conversation: it must exist and be queued, assigned or resolved (``lost`` counts those
that are not), and it must have been assigned at most once (``double_assignments`` counts
conversations with two assignment decisions or two "joined" messages; nothing is handed back in
this workload, so one is the most any may have). Capacity is checked twice: by the sampling above
and exactly, from every assignment's and resolution's time (``over_capacity_exact``). And
``stranded`` counts conversations still waiting at the end that an online agent with a free seat
could take as they stand: routing at escalation and the hand-out after every resolve should leave
none.

    .venv/bin/python benchmarks/routing_concurrency.py [--processes 4] [--escalations 800]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import progress, report  # noqa: E402

SEED = 11
LANGUAGES = ("en", "en", "en", "es", "de")
SKILLS = ("orders", "returns", "billing", "account", "escalations")


def _runtime(url: str):  # type: ignore[no-untyped-def]
    from relaydesk.services.runtime import build_runtime
    from relaydesk.services.wiring import Capabilities, build_router
    from relaydesk.settings import Settings

    settings = Settings(environment="test", database_url=url, routing_sweep_s=0, _env_file=None)  # type: ignore[call-arg]
    # Escalations are driven directly, so no triage or responders are needed in the workers.
    caps = Capabilities(triage=None, escalation=None, responders=[], router=build_router(settings))  # type: ignore[arg-type]
    return build_runtime(settings, migrate=False, capabilities=caps)


def worker(url: str, workspace_slug: str, index: int, rounds: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from relaydesk.domain.capability_types import EscalationDecision
    from relaydesk.domain.errors import Conflict, NotFound
    from relaydesk.domain.models import HUMAN_OWNED, CustomerTier

    rng = random.Random(SEED * 100 + index)
    runtime = _runtime(url)
    store, desk = runtime.store, runtime.desk
    workspace = store.workspace_by_slug(workspace_slug)
    agents = store.list_agents(workspace.id)
    escalated: list[str] = []
    errors: Counter[str] = Counter()
    started = time.perf_counter()
    for i in range(rounds):
        tier = rng.choice([CustomerTier.STANDARD] * 6 + [CustomerTier.PREMIUM, CustomerTier.VIP])
        customer = store.upsert_customer(
            workspace.id, external_id=f"w{index}-c{i}", tier=tier, language=rng.choice(LANGUAGES)
        )
        conversation = store.create_conversation(workspace.id, customer.id, token="t", channel="web")  # type: ignore[arg-type]
        decision = EscalationDecision(
            True,
            "concurrency benchmark",
            (),
            priority=rng.choice((0, 0, 1, 2)),
            required_skills=(rng.choice(SKILLS),) if rng.random() < 0.25 else (),
            version="bench",
        )
        runtime.orchestrator.escalate(conversation, decision)
        escalated.append(conversation.id)
        # Agents work a little faster than customers arrive, so the queue comes and goes and
        # agents often have a free seat: the state in which a conversation can be stranded.
        for roll in (rng.random(), rng.random()):
            agent = rng.choice(agents)
            try:
                if roll < 0.6:
                    owned = store.list_conversations(
                        workspace.id, statuses=HUMAN_OWNED, agent_id=agent.id, limit=5
                    )
                    if owned:
                        desk.resolve(agent, rng.choice(owned).id)
                elif roll < 0.7:
                    desk.take_next(agent)
            except Conflict as exc:
                reason = exc.info.get("reason") or exc.info.get("conversation_status") or "other"
                errors[f"conflict:{reason}"] += 1
            except NotFound:
                errors["nothing to take"] += 1
    out.put(
        {
            "index": index,
            "escalated": escalated,
            "errors": dict(errors),
            "seconds": time.perf_counter() - started,
        }
    )
    runtime.close()


def _over_capacity_exact(engine, workspace_id: str, capacity: dict[str, int]) -> int:  # type: ignore[no-untyped-def]
    """Instants at which an agent held more than their capacity, from every assignment's and
    resolution's time. An assignment is stamped after the agent's row is locked and a resolve
    before its own update commits, so a seat freed by a resolve is always stamped before the
    assignment that used it. Nothing is handed back in this workload, so each conversation is held
    from assigned_at to resolved_at (or the end)."""
    from sqlalchemy import select

    from relaydesk.storage.tables import ConversationRow

    c = ConversationRow
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.assigned_agent_id, c.assigned_at, c.resolved_at).where(
                c.workspace_id == workspace_id, c.assigned_agent_id.is_not(None)
            )
        ).all()
    events: dict[str, list[tuple[object, int]]] = {}
    for agent_id, assigned_at, resolved_at in rows:
        events.setdefault(agent_id, []).append((assigned_at, 1))
        if resolved_at is not None:
            events[agent_id].append((resolved_at, -1))
    over = 0
    for agent_id, items in events.items():
        held = 0
        for _, step in sorted(items, key=lambda e: (e[0], e[1])):  # at a tie, the release first
            held += step
            if held > capacity.get(agent_id, 0):
                over += 1
    return over


def _stranded(store, workspace_id: str) -> int:  # type: ignore[no-untyped-def]
    """Conversations left waiting at the end although an online agent with a free seat meets every
    one of their requirements as they stand (nothing widened by the wait): routing at escalation
    and the hand-out after every resolve should never leave one."""
    from relaydesk.domain.models import AgentStatus
    from relaydesk.routing.skills import SkillRouter, waiting_needs

    router = SkillRouter()
    free = [
        load
        for load in store.agent_loads(workspace_id)
        if load.agent.status == AgentStatus.ONLINE and load.open_conversations < load.agent.capacity
    ]
    stranded = 0
    for case in store.queued_cases(workspace_id, limit=100_000):
        c = case.conversation
        as_queued = replace(waiting_needs(case, c.queued_at or c.updated_at), waited_s=0.0)
        if any(router.fit(load, as_queued, c.queued_at or c.updated_at).eligible for load in free):
            stranded += 1
    return stranded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--escalations", type=int, default=800)
    args = parser.parse_args()

    from sqlalchemy import func, select, text
    from tests.pg_cluster import PostgresCluster, find_pg_bin

    from relaydesk.domain.models import HUMAN_OWNED, AgentStatus, ConversationStatus
    from relaydesk.storage.database import make_engine, upgrade
    from relaydesk.storage.store import SqlStore
    from relaydesk.storage.tables import ConversationRow, DecisionRow, MessageRow

    bin_dir = find_pg_bin()
    if bin_dir is None:
        sys.exit("PostgreSQL is not installed (make test installs it); this benchmark needs it")
    cluster = PostgresCluster(bin_dir)
    progress("starting PostgreSQL")
    cluster.start()
    try:
        admin = make_engine(cluster.url())
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE routing"))
        admin.dispose()
        url = cluster.url("routing")
        engine = make_engine(url)
        upgrade(engine)
        store = SqlStore(engine)
        rng = random.Random(SEED)
        workspace = store.create_workspace("race", "Routing race")
        capacity: dict[str, int] = {}
        for i in range(12):
            agent = store.create_agent(
                workspace.id,
                name=f"Agent {i}",
                email=f"a{i}@race.example",
                api_key=f"race-{i}",
                skills={s: round(rng.uniform(0.4, 1.0), 2) for s in rng.sample(SKILLS, 3)},
                languages=("en", rng.choice(("es", "de", "fr"))),
                tier=rng.choice((1, 1, 2, 3)),
                capacity=rng.randint(2, 4),
                status=AgentStatus.ONLINE,
            )
            capacity[agent.id] = agent.capacity

        owned = [str(s) for s in HUMAN_OWNED]
        samples, over, worst = 0, 0, 0
        stop = threading.Event()

        def monitor() -> None:
            nonlocal samples, over, worst
            query = (
                select(ConversationRow.assigned_agent_id, func.count())
                .where(ConversationRow.workspace_id == workspace.id, ConversationRow.status.in_(owned))
                .group_by(ConversationRow.assigned_agent_id)
            )
            while not stop.is_set():
                with engine.connect() as conn:
                    counts = dict(conn.execute(query).all())
                samples += 1
                excess = max((n - capacity.get(a, 0) for a, n in counts.items() if a), default=0)
                if excess > 0:
                    over += 1
                    worst = max(worst, excess)
                time.sleep(0.02)

        watcher = threading.Thread(target=monitor, daemon=True)
        watcher.start()
        ctx = mp.get_context("spawn")
        out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
        rounds = args.escalations // args.processes
        progress(f"{args.processes} processes x {rounds} escalations")
        started = time.perf_counter()
        procs = [
            ctx.Process(target=worker, args=(url, "race", i, rounds, out)) for i in range(args.processes)
        ]
        for p in procs:
            p.start()
        results = [out.get(timeout=900) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        elapsed = time.perf_counter() - started
        stop.set()
        watcher.join(timeout=5)

        escalated = [cid for r in results for cid in r["escalated"]]
        errors: Counter[str] = Counter()
        for r in results:
            errors.update(r["errors"])
        with engine.connect() as conn:
            status = dict(
                conn.execute(
                    select(ConversationRow.id, ConversationRow.status).where(
                        ConversationRow.id.in_(escalated)
                    )
                ).all()
            )
            assignments = Counter(
                dict(
                    conn.execute(
                        select(DecisionRow.conversation_id, func.count())
                        .where(DecisionRow.kind == "assignment", DecisionRow.conversation_id.in_(escalated))
                        .group_by(DecisionRow.conversation_id)
                    ).all()
                )
            )
            joined = Counter(
                dict(
                    conn.execute(
                        select(MessageRow.conversation_id, func.count())
                        .where(
                            MessageRow.conversation_id.in_(escalated),
                            MessageRow.text.like("% has joined the conversation."),
                        )
                        .group_by(MessageRow.conversation_id)
                    ).all()
                )
            )
        kept = {
            str(ConversationStatus.QUEUED),
            str(ConversationStatus.ASSIGNED),
            str(ConversationStatus.RESOLVED),
        }
        lost = sum(1 for cid in escalated if status.get(cid) not in kept)
        double = sum(1 for cid in escalated if assignments.get(cid, 0) > 1 or joined.get(cid, 0) > 1)
        final = Counter(status.get(cid, "missing") for cid in escalated)
        over_exact = _over_capacity_exact(engine, workspace.id, capacity)
        stranded = _stranded(store, workspace.id)
        report(
            "routing_concurrency",
            {
                "processes": args.processes,
                "escalations": len(escalated),
                "double_assignments": double,
                "lost": lost,
                "over_capacity_samples": over,
                "over_capacity_exact": over_exact,
                "stranded": stranded,
                "worst_over_capacity": worst,
                "capacity_samples": samples,
                "assigned_once": sum(1 for cid in escalated if assignments.get(cid, 0) == 1),
                "final_status": dict(final),
                "lost_races": dict(errors),
                "seconds": round(elapsed, 1),
                "escalations_per_s": round(len(escalated) / elapsed, 1),
                "database": "postgresql",
                "seed": SEED,
            },
        )
        engine.dispose()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
