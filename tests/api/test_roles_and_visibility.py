"""Who may do what (docs/security.md): resolving needs the conversation or a supervisor, customers
see public state only, customer tokens expire, and malformed customer input gets a precise 422."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from relaydesk.domain.models import AgentStatus, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.storage.tables import ConversationRow
from relaydesk.testing import AgentWithKey
from tests.api.conftest import Chat, escalate

INTERNAL_CONVERSATION_KEYS = {"escalation_reason", "priority", "required_skills", "preferred_skills", "topic"}
INTERNAL_METADATA_KEYS = {"reason", "rules", "confidence", "responder", "resolved", "intake"}


def test_a_plain_agent_claims_before_resolving_but_a_supervisor_may_close_any_conversation(
    client: TestClient, chat: Chat, agent: AgentWithKey, supervisor: AgentWithKey
) -> None:
    escalate(client, chat)
    refused = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers)
    assert refused.status_code == 403
    assert "is queued: claim it before resolving it" in refused.json()["detail"]
    closed = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=supervisor.headers)
    assert closed.status_code == 200 and closed.json()["status"] == "resolved"
    decisions = client.get(f"/v1/agent/conversations/{chat.id}/decisions", headers=agent.headers).json()
    [resolution] = [d for d in decisions if d["kind"] == "resolution"]
    assert (
        resolution["inputs"]["by"] == "supervisor" and resolution["inputs"]["agent_id"] == supervisor.agent.id
    )


def test_the_owner_resolves_their_conversation_and_others_may_not(
    client: TestClient, chat: Chat, agent: AgentWithKey, runtime: Runtime, shop
) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.testing import make_agent

    other = make_agent(runtime.store, shop, name="Omar", status=AgentStatus.AWAY)
    escalate(client, chat)
    assert client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers).status_code == 200
    theirs = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=other.headers)
    assert theirs.status_code == 403 and "owned by another agent" in theirs.json()["detail"]
    mine = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers)
    assert mine.status_code == 200


def test_customers_never_see_escalation_reasons_priority_or_scores(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    asked = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        json={"text": "how do I reset my password"},
    ).json()
    escalate(client, chat)
    bodies = [
        asked["conversation"],
        client.get(f"/v1/conversations/{chat.id}", headers=chat.headers).json(),
    ]
    for conversation in bodies:
        assert not INTERNAL_CONVERSATION_KEYS & set(conversation), conversation
        assert conversation["status"] in ("with_ai", "queued")
    history = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    for message in history + asked["replies"]:
        assert not INTERNAL_METADATA_KEYS & set(message["metadata"]), message
    queued = [m for m in history if m["metadata"].get("event") == "queued"]
    assert queued and "position" in queued[0]["metadata"]
    # the agent sees all of it
    detail = client.get(f"/v1/agent/conversations/{chat.id}", headers=agent.headers).json()
    assert detail["conversation"]["escalation_reason"]
    agent_view = [m for m in detail["messages"] if m["metadata"].get("event") == "queued"]
    assert agent_view[0]["metadata"]["reason"]


def test_a_conversation_token_expires_after_the_idle_time(
    client: TestClient, chat: Chat, runtime: Runtime
) -> None:
    assert client.get(f"/v1/conversations/{chat.id}", headers=chat.headers).status_code == 200
    with runtime.engine.begin() as db:
        db.execute(
            update(ConversationRow)
            .where(ConversationRow.id == chat.id)
            .values(updated_at=utcnow() - timedelta(days=31))
        )
    r = client.get(f"/v1/conversations/{chat.id}", headers=chat.headers)
    assert r.status_code == 401
    assert r.json()["detail"] == (
        f'The token of conversation "{chat.id}" expired after 30 days without activity; '
        "start a new conversation"
    )
    posted = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "hi"})
    assert posted.status_code == 401


def test_paging_past_the_largest_position_is_a_precise_422_not_a_database_error(
    client: TestClient, chat: Chat
) -> None:
    r = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, params={"after": 2**31})
    assert r.status_code == 422 and "after" in r.text
    fine = client.get(
        f"/v1/conversations/{chat.id}/messages", headers=chat.headers, params={"after": 2**31 - 1}
    )
    assert fine.status_code == 200 and fine.json() == []


def test_a_lone_surrogate_in_a_message_is_a_precise_422(client: TestClient, chat: Chat) -> None:
    raw = b'{"text": "hello \\ud800 there"}'
    r = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers={**chat.headers, "content-type": "application/json"},
        content=raw,
    )
    assert r.status_code == 422, r.text
    assert "surrogate" in r.json()["detail"] or "Unicode" in r.json()["detail"]
    assert client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json() == []


def test_the_customers_stream_carries_public_state_only(client: TestClient, chat: Chat) -> None:
    frames = []
    with client.websocket_connect(f"/v1/conversations/{chat.id}/stream") as ws:
        ws.send_json({"type": "auth", "token": chat.token})
        frames.append(ws.receive_json())
        assert frames[0]["type"] == "snapshot"
        escalate(client, chat)
        while True:
            frame = ws.receive_json()
            frames.append(frame)
            if frame.get("event") == "conversation.queued":
                break
    assert not INTERNAL_CONVERSATION_KEYS & set(frames[0]["conversation"])
    queued = frames[-1]["data"]
    assert queued["status"] == "queued" and "position" in queued
    for frame in frames[1:]:
        data = frame.get("data", {})
        assert not INTERNAL_CONVERSATION_KEYS & set(data), frame
        assert not INTERNAL_METADATA_KEYS & set(data.get("metadata") or {}), frame
