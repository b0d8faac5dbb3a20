"""The place in line a queued customer reads from the API: the current one, never the desk's
internals (docs/security.md)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.testing import AgentWithKey
from tests.api.conftest import Chat, escalate

INTERNAL_CONVERSATION_KEYS = {"escalation_reason", "priority", "required_skills", "preferred_skills", "topic"}


def _start(client: TestClient, slug: str) -> Chat:
    body = client.post("/v1/conversations", json={"workspace": slug}).json()
    return Chat(body["conversation"]["id"], body["token"], {"X-Conversation-Token": body["token"]})


def _read(client: TestClient, chat: Chat) -> dict:  # type: ignore[type-arg]
    r = client.get(f"/v1/conversations/{chat.id}", headers=chat.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_a_queued_customer_reads_their_current_place_in_line(
    client: TestClient,
    chat: Chat,
    agent: AgentWithKey,
    shop,  # type: ignore[no-untyped-def]
) -> None:
    assert _read(client, chat)["position"] is None  # with the AI: no line
    escalate(client, chat)
    behind = _start(client, shop.slug)
    escalate(client, behind)
    seen = _read(client, behind)
    assert seen["status"] == "queued" and seen["position"] == 2
    assert not INTERNAL_CONVERSATION_KEYS & set(seen)
    posted = client.post(
        f"/v1/conversations/{behind.id}/messages", headers=behind.headers, json={"text": "hi?"}
    )
    assert posted.json()["conversation"]["position"] == 2
    claimed = client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers)
    assert claimed.status_code == 200, claimed.text
    assert _read(client, behind)["position"] == 1  # moved up: the notice said 2, the API says now
    assert _read(client, chat)["position"] is None  # with a person: no line


def test_the_stream_snapshot_says_the_current_place_in_line(
    client: TestClient,
    chat: Chat,
    agent: AgentWithKey,
    shop,  # type: ignore[no-untyped-def]
) -> None:
    escalate(client, chat)
    behind = _start(client, shop.slug)
    escalate(client, behind)
    client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers)
    with client.websocket_connect(f"/v1/conversations/{behind.id}/stream") as ws:
        ws.send_json({"type": "auth", "token": behind.token})
        snapshot = ws.receive_json()
    assert snapshot["type"] == "snapshot" and snapshot["conversation"]["position"] == 1
    assert not INTERNAL_CONVERSATION_KEYS & set(snapshot["conversation"])
