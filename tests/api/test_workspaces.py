from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.api.conftest import Chat, escalate


def test_an_agent_cannot_see_or_touch_another_workspaces_conversations(
    client: TestClient, chat: Chat, runtime: Runtime
) -> None:
    other = make_agent(runtime.store, make_workspace(runtime.store, slug="elsewhere"))
    escalate(client, chat)
    assert client.get("/v1/agent/queue", headers=other.headers).json() == []
    for method, path in [("get", ""), ("post", "/claim"), ("get", "/decisions"), ("post", "/resolve")]:
        r = getattr(client, method)(f"/v1/agent/conversations/{chat.id}{path}", headers=other.headers)
        assert r.status_code == 404, (path, r.text)


def test_agent_can_hand_a_conversation_back_to_the_ai(client: TestClient, chat: Chat, agent) -> None:  # type: ignore[no-untyped-def]
    escalate(client, chat)
    client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/handback",
        headers=agent.headers,
        json={"note": "just a tracking question"},
    )
    assert r.status_code == 200 and r.json()["status"] == "with_ai"
    back = r.json()
    assert back["escalation_reason"] is None and back["priority"] == 0 and back["assigned_agent_id"] is None
    reply = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        json={"text": "ok, and one more question"},
    )
    assert [m["role"] for m in reply.json()["replies"]] == ["ai"]


def test_openapi_document_is_served(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert "/v1/conversations/{conversation_id}/messages" in doc["paths"]
    assert "/v1/agent/conversations/{conversation_id}/claim" in doc["paths"]


def test_home_page_says_where_to_go(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/docs" in page.text


def test_agent_can_go_away_and_back_online(client: TestClient, agent) -> None:  # type: ignore[no-untyped-def]
    r = client.put("/v1/agent/me/status", headers=agent.headers, json={"status": "away"})
    assert r.status_code == 200 and r.json()["status"] == "away"
    bad = client.put("/v1/agent/me/status", headers=agent.headers, json={"status": "asleep"})
    assert bad.status_code == 422 and "status" in bad.json()["detail"]


def test_the_api_reference_declares_who_may_call_what(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    assert {"Bearer", "AgentKey", "ConversationToken"} <= set(spec["components"]["securitySchemes"])
    queue = spec["paths"]["/v1/agent/queue"]["get"]["security"]
    assert {"AgentKey": []} in queue and {"Bearer": []} in queue
    post = spec["paths"]["/v1/conversations/{conversation_id}/messages"]["post"]["security"]
    assert {"ConversationToken": []} in post
