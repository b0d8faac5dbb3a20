"""A customer who writes again after a person resolved their conversation goes back to a person
(rule reopened_after_person); after the AI's own resolution, or with a mere thank-you, the AI
answers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.testing import AgentWithKey
from tests.api.conftest import Chat, escalate


def _say(client: TestClient, chat: Chat, text: str) -> dict:  # type: ignore[type-arg]
    r = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": text})
    assert r.status_code in (200, 201), r.text
    return r.json()  # type: ignore[no-any-return]


def _resolved_by_rita(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    escalate(client, chat)
    assert client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers).status_code == 200
    client.post(f"/v1/agent/conversations/{chat.id}/messages", headers=agent.headers, json={"text": "Done!"})
    assert client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers).status_code == 200
    # her claim put her online; away again, so what comes back waits in the queue
    away = client.put("/v1/agent/me/status", headers=agent.headers, json={"status": "away"})
    assert away.status_code == 200


def test_writing_again_after_a_person_resolved_it_goes_back_to_a_person(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _resolved_by_rita(client, chat, agent)
    again = _say(client, chat, "it still shows the old address on my order")
    assert again["conversation"]["status"] == "queued"
    decisions = client.get(f"/v1/agent/conversations/{chat.id}/decisions", headers=agent.headers).json()
    escalation = [d for d in decisions if d["kind"] == "escalation"][-1]
    assert "after Rita resolved the conversation" in escalation["summary"], escalation


def test_a_thank_you_after_a_person_resolved_it_stays_with_the_ai(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _resolved_by_rita(client, chat, agent)
    thanks = _say(client, chat, "thanks so much!")
    assert thanks["conversation"]["status"] != "queued"
    assert thanks["replies"] and thanks["replies"][0]["role"] in ("ai", "system")
    # a complaint after the thank-you is still about what the person did: back to a person
    again = _say(client, chat, "it still does not work")
    assert again["conversation"]["status"] == "queued", again
