"""The demo's seeded history reads like a day's work: the dashboard's time figures are minutes."""

from __future__ import annotations

from datetime import timedelta

from relaydesk.analytics.kpis import compute_kpis
from relaydesk.demo.seed import seed_demo
from relaydesk.domain import models
from relaydesk.domain.models import AgentStatus, ConversationStatus, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.storage import message_store
from relaydesk.storage.report_queries import SqlReportQueries


def test_the_demo_history_has_minutes_of_time_to_escalation_and_handle_time(runtime: Runtime) -> None:
    before = utcnow()
    seed_demo(runtime)
    after = utcnow()
    workspace = runtime.store.workspace_by_slug("northwind")
    k = compute_kpis(SqlReportQueries(runtime.store), workspace.id, before - timedelta(days=1), after)

    assert k.handle_time.count == 8 and k.handle_time.median_s is not None
    assert 4 * 60 <= k.handle_time.median_s <= 15 * 60
    assert k.time_to_escalation.count == 8 and k.time_to_escalation.mean_s is not None
    assert k.time_to_escalation.mean_s >= 60  # the ones the agents picked up from the AI: minutes
    assert len({label for label, n in k.handle_time.buckets if n}) >= 2  # varied, not one value

    # the history took place before the seed, never in the future, and in the order it was played
    resolved = runtime.store.list_conversations(workspace.id, statuses=[ConversationStatus.RESOLVED])
    by_people = sorted((c for c in resolved if c.resolution == "agent"), key=lambda c: c.created_at)
    assert by_people[0].created_at <= before - timedelta(minutes=20)
    assert all(c.resolved_at is not None and c.resolved_at <= after for c in resolved)
    # the clock is the real one again, and nobody was left online by the history's claims
    assert models.utcnow is message_store.utcnow and utcnow() >= after
    assert {a.status for a in runtime.store.list_agents(workspace.id)} == {AgentStatus.AWAY}
