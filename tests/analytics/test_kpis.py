"""Every KPI of a generated history with known answers, exactly, on SQLite and PostgreSQL.

The history (tests/analytics/history.py), conversations started in the period with a message:
c1 AI only, resolved by the AI (confirmed), 5 stars, topic order_status | c2 AI then escalation
(frustration + explicit) at 120 s, owned 600 s, the customer repeats after the handover, transferred
at 300 s, 4 stars, customer back 3 days later on the same topic (c7) | c3 explicit request at 30 s
before the AI spoke, owned 300 + 100 s, 2 stars | c4 AI then recovery at 600 s, queued | c5 AI then
an agent's claim at 900 s, owned 1,200 s, a follow-up scheduled | c7 the c2 customer again, with
the AI | c8 AI only: quiet, reopened, closed again quiet, 3 stars | c10 abandoned | c11 the c1
customer a day later on another topic. Not counted: c6 (no message), one before the period, one
after it, one in another workspace.
"""

from __future__ import annotations

import pytest

from relaydesk.analytics.kpis import Costs, ResolutionType, compute_kpis, kpis_by
from relaydesk.storage.report_queries import SqlReportQueries
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_agent, make_workspace
from tests.analytics.history import SINCE, UNTIL, History, build_history

COSTS = Costs(ai_reply=0.05, agent_hour=30.0, currency="EUR")


@pytest.fixture
def history(kpi_store: SqlStore) -> History:
    workspace = make_workspace(kpi_store, slug="desk")
    other = make_workspace(kpi_store, slug="other")
    agent = make_agent(kpi_store, workspace, name="Rita")
    return build_history(kpi_store, workspace, other, agent.agent.id)


def test_every_kpi_of_a_known_history_is_exact(history: History) -> None:
    k = compute_kpis(SqlReportQueries(history.store), history.workspace.id, SINCE, UNTIL, COSTS)

    assert k.conversations == 9
    assert (k.containment.count, k.containment.total) == (5, 9)
    assert (k.escalation.count, k.escalation.total) == (4, 9)
    assert k.containment.rate == pytest.approx(5 / 9)
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
    assert k.reasons_by_rule[0].rate == pytest.approx(2 / 9)

    tte = k.time_to_escalation
    assert (tte.count, tte.median_s, tte.mean_s) == (4, 360.0, 412.5)
    assert dict(tte.buckets) == {
        "under 1 min": 1,
        "1 to 5 min": 1,
        "5 to 15 min": 1,
        "15 to 60 min": 1,
        "1 hour or more": 0,
    }

    # resolved: c1, c8 (the AI), c2, c3, c5 (people); c10 closed but abandoned
    assert k.resolved == 5
    assert (k.ai_resolution.count, k.ai_resolution.total) == (2, 9)
    assert (k.ai_confirmed, k.ai_quiet) == (1, 1)
    assert (k.abandonment.count, k.abandonment.total) == (1, 9)
    csat = {
        c.resolution_type: (c.resolved, c.rated, c.mean_score, c.satisfied_share)
        for c in k.csat_by_resolution_type
    }
    assert csat == {
        ResolutionType.AI_ONLY: (2, 2, 4.0, 0.5),
        ResolutionType.AI_THEN_PERSON: (2, 1, 4.0, 1.0),
        ResolutionType.PERSON_ONLY: (1, 1, 2.0, 0.0),
    }
    assert (k.csat.rated, k.csat.mean_score, k.csat.satisfied_share) == (4, 3.5, 0.5)
    post = k.post_escalation_csat
    assert (post.rated, post.mean_score, post.satisfied_share) == (2, 3.0, 0.5)

    handle = k.handle_time
    assert (handle.count, handle.median_s) == (3, 600.0)
    assert handle.mean_s == pytest.approx(2200 / 3)
    assert dict(handle.buckets)["5 to 15 min"] == 2
    assert dict(handle.buckets)["15 to 60 min"] == 1

    # c2's customer came back on the same topic within 7 days; c8 was reopened; c1's customer came
    # back on another topic; c5's came back after 8 days
    assert (k.repeat_contact.count, k.repeat_contact.total) == (1, 5)
    assert (k.first_contact_resolution.count, k.first_contact_resolution.total) == (3, 5)
    assert (k.reopen.count, k.reopen.total) == (1, 6)
    assert (k.friction_repeated.count, k.friction_repeated.total) == (1, 4)
    assert (k.friction_handed_again.count, k.friction_handed_again.total) == (1, 4)

    # 8 AI replies at 0.05; people owned c2 600 s, c3 400 s and c5 1,200 s at 30 an hour
    cost = k.cost
    assert (cost.ai_replies, cost.agent_hours) == (8, pytest.approx(2200 / 3600))
    assert cost.total.amount == pytest.approx(8 * 0.05 + 2200 / 3600 * 30)
    assert cost.per_resolution.amount == pytest.approx((8 * 0.05 + 2200 / 3600 * 30) / 5)
    assert cost.total.currency == "EUR"
    by_type = {kind: money.amount for kind, money in cost.per_resolution_by_type}
    assert by_type[ResolutionType.AI_ONLY] == pytest.approx((0.05 + 0.10) / 2)
    assert by_type[ResolutionType.AI_THEN_PERSON] == pytest.approx((0.05 + 5 + 0.05 + 10) / 2)
    assert by_type[ResolutionType.PERSON_ONLY] == pytest.approx(0.05 + 400 / 3600 * 30)

    confidence = k.confidence
    assert (confidence.confirmed.count, confidence.confirmed.total) == (1, 2)
    assert (confidence.follow_up_rate.count, confidence.follow_up_rate.total) == (1, 5)
    assert (confidence.ai_replies_accurate.count, confidence.ai_replies_accurate.total) == (1, 2)
    assert (confidence.suggestions_helpful.count, confidence.suggestions_helpful.total) == (1, 1)


def test_the_kpis_break_down_by_intent_and_channel(history: History) -> None:
    source = SqlReportQueries(history.store)
    by_intent = kpis_by(source, history.workspace.id, SINCE, UNTIL, "intent")
    assert [(g.group, g.conversations) for g in by_intent] == [
        (("intent", "unknown"), 4),
        (("intent", "order_status"), 2),
        (("intent", "refund"), 2),
        (("intent", "password_reset"), 1),
    ]
    order_status = by_intent[1]
    assert (order_status.ai_resolution.count, order_status.resolved) == (2, 2)
    refund = by_intent[2]
    assert (refund.escalation.count, refund.repeat_contact.count) == (1, 1)
    [web] = kpis_by(source, history.workspace.id, SINCE, UNTIL, "channel")
    assert web.group == ("channel", "web") and web.conversations == 9
    with pytest.raises(ValueError, match="cannot group"):
        kpis_by(source, history.workspace.id, SINCE, UNTIL, "planet")


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
