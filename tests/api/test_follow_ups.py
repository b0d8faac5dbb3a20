"""The follow-up endpoints: an agent schedules, lists and cancels; the timer sends it into the
customer's (resolved) conversation; other workspaces and callers without a key are kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent, make_workspace
from tests.api.conftest import Chat


def _schedule(client: TestClient, chat: Chat, agent: AgentWithKey, **body: object) -> dict:  # type: ignore[type-arg]
    r = client.post(f"/v1/agent/conversations/{chat.id}/follow-ups", headers=agent.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_an_agent_schedules_a_follow_up_that_reaches_the_resolved_conversation(
    client: TestClient, runtime: Runtime, chat: Chat, agent: AgentWithKey
) -> None:
    scheduled = _schedule(client, chat, agent, text="Has your parcel arrived?", due_in_s=3600)
    assert scheduled["status"] == "scheduled" and scheduled["created_by"] == "agent"
    assert scheduled["author_id"] == agent.agent.id and scheduled["message_id"] is None
    assert client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers).status_code == 200
    r = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers)
    assert r.status_code == 200 and r.json()["status"] == "resolved", r.text

    assert runtime.follow_ups.send_due(now=utcnow() + timedelta(hours=2)) == 1

    history = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    [message] = [m for m in history if m["metadata"].get("follow_up") == scheduled["id"]]
    assert (message["role"], message["text"]) == ("agent", "Has your parcel arrived?")
    [listed] = client.get(f"/v1/agent/conversations/{chat.id}/follow-ups", headers=agent.headers).json()
    assert listed["status"] == "sent" and listed["message_id"] == message["id"]
    r = client.delete(f"/v1/agent/follow-ups/{scheduled['id']}", headers=agent.headers)
    assert r.status_code == 409 and "already sent" in r.json()["detail"]


def test_a_cancelled_follow_up_is_listed_as_such_and_never_sent(
    client: TestClient, runtime: Runtime, chat: Chat, agent: AgentWithKey
) -> None:
    due_at = (utcnow() + timedelta(days=1)).isoformat()
    scheduled = _schedule(client, chat, agent, text="Did the refund arrive?", due_at=due_at)
    r = client.delete(f"/v1/agent/follow-ups/{scheduled['id']}", headers=agent.headers)
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
    assert runtime.follow_ups.send_due(now=utcnow() + timedelta(days=2)) == 0
    [listed] = client.get(f"/v1/agent/conversations/{chat.id}/follow-ups", headers=agent.headers).json()
    assert listed["status"] == "cancelled"
    r = client.delete(f"/v1/agent/follow-ups/{scheduled['id']}", headers=agent.headers)
    assert r.status_code == 409 and "already cancelled" in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"text": "  ", "due_in_s": 3600}, "text is empty"),
        ({"text": "Hi", "due_in_s": 5}, "less than a minute ahead"),
        ({"text": "Hi", "due_in_s": 100 * 86400}, "within 90 days"),
        ({"text": "Hi", "due_at": "2020-05-01T10:00:00Z"}, "is in the past"),
        ({"text": "Hi", "due_at": "2030-05-01T10:00:00"}, "has no time zone"),
        ({"text": "Hi"}, "give due_at or due_in_s"),
        ({"text": "x" * 2001, "due_in_s": 3600}, "at most 2000"),
    ],
)
def test_bad_follow_ups_are_refused_with_what_is_wrong(
    client: TestClient,
    chat: Chat,
    agent: AgentWithKey,
    body: dict,
    detail: str,  # type: ignore[type-arg]
) -> None:
    r = client.post(f"/v1/agent/conversations/{chat.id}/follow-ups", headers=agent.headers, json=body)
    assert r.status_code == 422 and detail in r.json()["detail"], r.text


def test_a_body_of_the_wrong_shape_is_refused(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    path = f"/v1/agent/conversations/{chat.id}/follow-ups"
    for body in ({"text": 5, "due_in_s": 60}, {"text": "Hi", "due_in_s": "60"}, {"text": "a", "when": 1}):
        assert client.post(path, headers=agent.headers, json=body).status_code == 422


def test_agents_of_another_workspace_and_callers_without_a_key_are_kept_out(
    client: TestClient, runtime: Runtime, chat: Chat, agent: AgentWithKey
) -> None:
    scheduled = _schedule(client, chat, agent, text="Checking in", due_in_s=3600)
    outsider = make_agent(runtime.store, make_workspace(runtime.store, slug="rivals"), name="Olga")
    path = f"/v1/agent/conversations/{chat.id}/follow-ups"
    body = {"text": "Hello", "due_in_s": 3600}
    assert client.post(path, headers=outsider.headers, json=body).status_code == 404
    assert client.get(path, headers=outsider.headers).status_code == 404
    assert (
        client.delete(f"/v1/agent/follow-ups/{scheduled['id']}", headers=outsider.headers).status_code == 404
    )
    assert client.post(path, json=body).status_code == 401
    assert client.get(path).status_code == 401
    assert client.delete(f"/v1/agent/follow-ups/{scheduled['id']}").status_code == 401
    assert client.get(path, headers=chat.headers).status_code == 401  # a customer's token is no agent key
    [still] = client.get(path, headers=agent.headers).json()
    assert still["status"] == "scheduled"


def test_an_unknown_conversation_or_follow_up_is_not_found(client: TestClient, agent: AgentWithKey) -> None:
    r = client.get("/v1/agent/conversations/conv_nope/follow-ups", headers=agent.headers)
    assert r.status_code == 404 and "conv_nope" in r.json()["detail"]
    r = client.delete("/v1/agent/follow-ups/fup_nope", headers=agent.headers)
    assert r.status_code == 404 and "fup_nope" in r.json()["detail"]
