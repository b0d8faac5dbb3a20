"""/v1/reports: supervisors and admins read the live desk, the KPIs (whole period or per channel or
intent, as JSON, CSV or a standalone HTML report) and the conversations; a plain agent is refused
with the role it lacks; bad periods and groupings get a 422 that names the value."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentStatus, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent, make_workspace
from tests.analytics.history import SINCE, UNTIL, History, build_history
from tests.api.conftest import Chat, escalate

PERIOD = {"since": SINCE.date().isoformat(), "until": UNTIL.date().isoformat()}


def _headers(agent: AgentWithKey) -> dict[str, str]:
    return {"X-API-Key": agent.api_key}


@pytest.fixture
def supervisor(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    return make_agent(runtime.store, shop, name="Sam Lead", role="supervisor", status=AgentStatus.AWAY)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/reports/live",
        "/v1/reports/kpis",
        "/v1/reports/kpis?by=channel",
        "/v1/reports/kpis.csv",
        "/v1/reports/kpis.html",
        "/v1/reports/conversations",
    ],
)
def test_a_plain_agent_is_refused_with_the_role_needed(
    client: TestClient, agent: AgentWithKey, path: str
) -> None:
    r = client.get(path, headers=_headers(agent))
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == 'This needs the supervisor or admin role; agent "Rita" has the role "agent"'


def test_without_a_key_reports_need_authentication(client: TestClient) -> None:
    assert client.get("/v1/reports/live").status_code == 401


def test_an_admin_may_read_reports(client: TestClient, runtime: Runtime, shop) -> None:  # type: ignore[no-untyped-def]
    admin = make_agent(runtime.store, shop, name="Ada", role="admin")
    assert client.get("/v1/reports/live", headers=_headers(admin)).status_code == 200


def test_live_shows_the_queue_with_its_timers_and_every_agents_load(
    client: TestClient, chat: Chat, agent: AgentWithKey, supervisor: AgentWithKey
) -> None:
    escalate(client, chat)
    body = client.get("/v1/reports/live", headers=_headers(supervisor)).json()
    assert body["queued"] == 1
    [queue] = body["queues"]
    [queued] = queue["conversations"]
    assert queued["id"] == chat.id
    assert queued["first_message"] == "Please let me speak to a human"
    assert queued["wait_s"] >= 0
    if queued["due_at"] is not None:
        assert queued["due_in_s"] is not None
    names = {a["name"]: a for a in body["agents"]}
    assert set(names) == {"Rita", "Sam Lead"}
    assert names["Rita"]["open_conversations"] == 0
    assert names["Rita"]["capacity"] == 5

    client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=_headers(agent))
    body = client.get("/v1/reports/live", headers=_headers(supervisor)).json()
    assert body["queued"] == 0
    rita = next(a for a in body["agents"] if a["name"] == "Rita")
    assert (rita["open_conversations"], rita["load"]) == (1, 0.2)


def test_kpis_count_an_escalated_and_resolved_conversation(
    client: TestClient, chat: Chat, agent: AgentWithKey, supervisor: AgentWithKey
) -> None:
    escalate(client, chat)
    client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=_headers(agent))
    r = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=_headers(agent), json={})
    assert r.status_code == 200, r.text
    since = (utcnow() - timedelta(hours=1)).isoformat()
    body = client.get("/v1/reports/kpis", params={"since": since}, headers=_headers(supervisor)).json()
    assert body["conversations"] == 1
    assert body["escalation"] == {"count": 1, "total": 1, "rate": 1.0}
    assert body["containment"]["count"] == 0
    assert body["reasons_by_family"][0]["name"] == "explicit"
    assert body["resolved"] == 1
    types = {c["resolution_type"]: c["resolved"] for c in body["csat_by_resolution_type"]}
    assert types == {"ai_only": 0, "ai_then_person": 0, "person_only": 1}
    assert body["handle_time"]["count"] == 1
    assert body["first_contact_resolution"] == {"count": 1, "total": 1, "rate": 1.0}


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"since": "yesterday"}, 'since="yesterday" is not a date (YYYY-MM-DD) or an ISO 8601 datetime'),
        ({"until": "2026-13-01"}, 'until="2026-13-01" is not a date'),
        ({"since": "2026-11-01T10:00:00"}, 'since="2026-11-01T10:00:00" has no time zone'),
        (
            {"since": "2026-11-08", "until": "2026-11-01"},
            "The period is empty: it starts on 2026-11-08 and its last day is 2026-10-31",
        ),
        ({"since": "2026-11-08", "until": "2026-11-08"}, "The period is empty"),
        ({"since": "2024-01-01", "until": "2026-01-01"}, "is longer than 366 days"),
    ],
)
def test_bad_periods_get_a_precise_422(
    client: TestClient, supervisor: AgentWithKey, params: dict[str, str], detail: str
) -> None:
    r = client.get("/v1/reports/kpis", params=params, headers=_headers(supervisor))
    assert r.status_code == 422
    assert detail in r.json()["detail"]


def test_conversations_are_listed_and_filtered_by_status(
    client: TestClient, chat: Chat, supervisor: AgentWithKey
) -> None:
    escalate(client, chat)
    rows = client.get("/v1/reports/conversations", headers=_headers(supervisor)).json()
    assert [(c["id"], c["status"]) for c in rows] == [(chat.id, "queued")]
    assert (
        client.get(
            "/v1/reports/conversations", params={"status": "resolved"}, headers=_headers(supervisor)
        ).json()
        == []
    )
    r = client.get("/v1/reports/conversations", params={"status": "closed"}, headers=_headers(supervisor))
    assert r.status_code == 422
    assert 'status="closed" is not a conversation status' in r.json()["detail"]
    assert (
        client.get("/v1/reports/conversations", params={"limit": 0}, headers=_headers(supervisor)).status_code
        == 422
    )


def test_a_supervisor_reads_any_conversations_decisions(
    client: TestClient, chat: Chat, supervisor: AgentWithKey
) -> None:
    escalate(client, chat)
    r = client.get(f"/v1/agent/conversations/{chat.id}/decisions", headers=_headers(supervisor))
    assert r.status_code == 200
    assert "escalation" in [d["kind"] for d in r.json()]


@pytest.fixture
def history(runtime: Runtime, shop, agent: AgentWithKey) -> History:  # type: ignore[no-untyped-def]
    """tests/analytics/history.py's desk history in the shop workspace, priced in EUR."""
    runtime.settings = runtime.settings.model_copy(
        update={"cost_ai_reply": 0.1, "cost_agent_hour": 60.0, "cost_currency": "EUR"}
    )
    return build_history(runtime.store, shop, make_workspace(runtime.store, slug="elsewhere"), agent.agent.id)


def test_kpis_hold_every_hybrid_figure_priced_with_the_settings(
    client: TestClient, history: History, supervisor: AgentWithKey
) -> None:
    r = client.get("/v1/reports/kpis", params=PERIOD, headers=_headers(supervisor))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["conversations"] == 9 and body["group"] is None and body["groups"] is None
    for name in (
        "ai_resolution",
        "abandonment",
        "repeat_contact",
        "reopen",
        "friction_repeated",
        "friction_handed_again",
    ):
        assert set(body[name]) == {"count", "total", "rate"}, name
    assert body["abandonment"] == {"count": 1, "total": 9, "rate": 1 / 9}
    assert (body["ai_resolution"]["count"], body["ai_confirmed"], body["ai_quiet"]) == (2, 1, 1)
    assert body["csat"] == {"rated": 4, "mean_score": 3.5, "satisfied_share": 0.5}
    assert body["post_escalation_csat"]["rated"] == 2
    assert set(body["confidence"]) == {
        "confirmed",
        "follow_up_rate",
        "ai_replies_accurate",
        "suggestions_helpful",
    }
    cost = body["cost"]
    assert cost["ai_replies"] == 8
    assert cost["total"]["currency"] == "EUR"
    assert cost["total"]["amount"] == pytest.approx(8 * 0.1 + 2200 / 3600 * 60)
    assert cost["per_resolution"]["amount"] == pytest.approx((8 * 0.1 + 2200 / 3600 * 60) / 5)
    assert [t["resolution_type"] for t in cost["per_resolution_by_type"]] == [
        "ai_only",
        "ai_then_person",
        "person_only",
    ]


def test_kpis_by_intent_and_channel_come_with_the_whole_period(
    client: TestClient, history: History, supervisor: AgentWithKey
) -> None:
    body = client.get(
        "/v1/reports/kpis", params={**PERIOD, "by": "intent"}, headers=_headers(supervisor)
    ).json()
    assert body["conversations"] == 9
    assert [(g["group"]["value"], g["conversations"]) for g in body["groups"]] == [
        ("unknown", 4),
        ("order_status", 2),
        ("refund", 2),
        ("password_reset", 1),
    ]
    assert all(g["group"]["by"] == "intent" and "groups" not in g for g in body["groups"])
    body = client.get(
        "/v1/reports/kpis", params={**PERIOD, "by": "channel"}, headers=_headers(supervisor)
    ).json()
    [web] = body["groups"]
    assert web["group"] == {"by": "channel", "value": "web"} and web["conversations"] == 9


@pytest.mark.parametrize("path", ["/v1/reports/kpis", "/v1/reports/kpis.csv", "/v1/reports/kpis.html"])
def test_a_bad_grouping_gets_a_precise_422(client: TestClient, supervisor: AgentWithKey, path: str) -> None:
    r = client.get(path, params={"by": "planet"}, headers=_headers(supervisor))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == 'by="planet" is not a grouping of the KPIs; choose channel or intent'


def test_kpis_download_as_csv(client: TestClient, history: History, supervisor: AgentWithKey) -> None:
    r = client.get("/v1/reports/kpis.csv", params={**PERIOD, "by": "intent"}, headers=_headers(supervisor))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert (
        r.headers["content-disposition"] == 'attachment; filename="relaydesk-kpis-2026-11-01-2026-11-07.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    overall = {row["figure"]: row for row in rows if row["group"] == "all"}
    assert (overall["conversations"]["value"], overall["abandonment"]["count"]) == ("9", "1")
    assert overall["cost.total"]["unit"] == "EUR"
    assert {row["group"] for row in rows} == {"all", "unknown", "order_status", "refund", "password_reset"}


def test_kpis_open_as_a_standalone_html_report(
    client: TestClient, history: History, supervisor: AgentWithKey
) -> None:
    r = client.get("/v1/reports/kpis.html", params={**PERIOD, "by": "channel"}, headers=_headers(supervisor))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<title>Test Store: how the desk did, 2026-11-01 to 2026-11-07</title>" in page
    assert "Chart.js v4.4.7" in page and page.count("<canvas") == 6
    assert re.search(r"<(script|link|img)[^>]+(src|href)=", page) is None
    assert "<dt>Abandonment</dt><dd>11.1% (1 of 9)</dd>" in page
    assert "By channel" in page


def test_a_customer_known_only_by_the_sites_id_is_named_by_it_and_an_anonymous_one_by_nothing(
    client: TestClient, runtime: Runtime, chat: Chat, supervisor: AgentWithKey
) -> None:
    escalate(client, chat)  # anonymous
    known = runtime.desk.start_conversation("shop", external_id="crm-4711").conversation.id
    runtime.desk.post_customer_message(known, "Please let me speak to a human")
    live = client.get("/v1/reports/live", headers=_headers(supervisor)).json()
    queued = {c["id"]: c["customer_name"] for q in live["queues"] for c in q["conversations"]}
    assert queued == {known: "crm-4711", chat.id: None}
    rows = client.get("/v1/reports/conversations", headers=_headers(supervisor)).json()
    assert {c["id"]: c["customer_name"] for c in rows} == {known: "crm-4711", chat.id: None}
