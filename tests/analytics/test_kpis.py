"""Every KPI of a generated history with known answers, exactly, on SQLite and PostgreSQL.

The history (tests/analytics/history.py), conversations started in the period with a message:
c1 AI only, resolved, 5 stars | c2 AI then escalation (frustration + explicit) at 120 s, owned
600 s, 4 stars, customer back 3 days later | c3 explicit request at 30 s before the AI spoke,
owned 300 + 100 s, 2 stars | c4 AI then recovery at 600 s, queued | c5 AI then an agent's claim
at 900 s, owned 1,200 s | c7 the c2 customer again, with the AI. Not counted: c6 (no message), one
before the period, one after it, one in another workspace.
"""

from __future__ import annotations

import pytest

from relaydesk.analytics.kpis import ResolutionType, compute_kpis
from relaydesk.storage.report_queries import SqlReportQueries
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_agent, make_workspace
from tests.analytics.history import SINCE, UNTIL, History, build_history


@pytest.fixture
def history(kpi_store: SqlStore) -> History:
    workspace = make_workspace(kpi_store, slug="desk")
    other = make_workspace(kpi_store, slug="other")
    agent = make_agent(kpi_store, workspace, name="Rita")
    return build_history(kpi_store, workspace, other, agent.agent.id)


def test_every_kpi_of_a_known_history_is_exact(history: History) -> None:
    k = compute_kpis(SqlReportQueries(history.store), history.workspace.id, SINCE, UNTIL)

    assert k.conversations == 6
    assert (k.containment.count, k.containment.total) == (2, 6)
    assert (k.escalation.count, k.escalation.total) == (4, 6)
    assert k.containment.rate == pytest.approx(2 / 6)
    assert [(r.name, r.count) for r in k.reasons_by_rule] == [
        ("explicit_request", 2),
        ("agent_claim", 1),
        ("frustration", 1),
        ("recovery", 1),
    ]
    assert [(r.name, r.count) for r in k.reasons_by_family] == [
        ("explicit", 2),
        ("agent", 1),
        ("implicit", 1),
        ("recovery", 1),
    ]
    assert k.reasons_by_rule[0].rate == pytest.approx(2 / 6)

    tte = k.time_to_escalation
    assert (tte.count, tte.median_s, tte.mean_s) == (4, 360.0, 412.5)
    assert dict(tte.buckets) == {
        "under 1 min": 1,
        "1 to 5 min": 1,
        "5 to 15 min": 1,
        "15 to 60 min": 1,
        "1 hour or more": 0,
    }

    assert k.resolved == 4
    csat = {
        c.resolution_type: (c.resolved, c.rated, c.mean_score, c.satisfied_share)
        for c in k.csat_by_resolution_type
    }
    assert csat == {
        ResolutionType.AI_ONLY: (1, 1, 5.0, 1.0),
        ResolutionType.AI_THEN_PERSON: (2, 1, 4.0, 1.0),
        ResolutionType.PERSON_ONLY: (1, 1, 2.0, 0.0),
    }

    handle = k.handle_time
    assert (handle.count, handle.median_s) == (3, 600.0)
    assert handle.mean_s == pytest.approx(2200 / 3)
    assert dict(handle.buckets)["5 to 15 min"] == 2
    assert dict(handle.buckets)["15 to 60 min"] == 1

    assert (k.first_contact_resolution.count, k.first_contact_resolution.total) == (3, 4)


def test_an_empty_period_has_no_data_rather_than_zeroes(history: History) -> None:
    k = compute_kpis(
        SqlReportQueries(history.store),
        history.workspace.id,
        UNTIL.replace(year=2027),
        UNTIL.replace(year=2027, month=12),
    )
    assert k.conversations == 0
    assert k.containment.rate is None
    assert k.time_to_escalation.median_s is None
    assert all(c.mean_score is None for c in k.csat_by_resolution_type)
    assert k.first_contact_resolution.rate is None


def test_another_workspace_sees_only_its_own_conversation(history: History) -> None:
    other = history.store.workspace_by_slug("other")
    k = compute_kpis(SqlReportQueries(history.store), other.id, SINCE, UNTIL)
    assert (k.conversations, k.escalation.count) == (1, 1)
    assert [(r.name, r.count) for r in k.reasons_by_rule] == [("explicit_request", 1)]
