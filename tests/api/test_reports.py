"""/v1/reports: supervisors and admins read the live desk, the KPIs and the conversations; a plain
agent is refused with the role it lacks; bad periods get a 422 that names the value."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentStatus, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent
from tests.api.conftest import Chat, escalate


def _headers(agent: AgentWithKey) -> dict[str, str]:
    return {"X-API-Key": agent.api_key}


@pytest.fixture
def supervisor(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    return make_agent(runtime.store, shop, name="Sam Lead", role="supervisor", status=AgentStatus.AWAY)


@pytest.mark.parametrize("path", ["/v1/reports/live", "/v1/reports/kpis", "/v1/reports/conversations"])
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
        ({"since": "2026-11-08", "until": "2026-11-01"}, "The period is empty: since"),
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
