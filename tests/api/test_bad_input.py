"""Every kind of bad request gets a precise problem+json answer, never a 500, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import utcnow
from relaydesk.services.runtime import Runtime
from tests.api.conftest import Chat, escalate


def assert_problem(response, status: int, *words: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    for word in words:
        assert word.lower() in body["detail"].lower(), body
    return body


def test_oversized_body_is_413(client: TestClient, chat: Chat) -> None:
    r = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        content=b'{"text": "' + b"a" * 200_000 + b'"}',
    )
    assert_problem(r, 413, "limit")


def test_overlong_message_is_413_with_the_limit(client: TestClient, chat: Chat) -> None:
    r = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "b" * 9000})
    assert_problem(r, 413, "8000")


@pytest.mark.parametrize(
    "payload, where",
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n "}, "empty"),
        ({"text": 42}, "text"),
        ({"text": ["hi"]}, "text"),
        ({}, "text"),
        ({"text": "hi", "colour": "red"}, "colour"),
    ],
)
def test_empty_or_non_text_messages_are_422(client: TestClient, chat: Chat, payload, where: str) -> None:  # type: ignore[no-untyped-def]
    r = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json=payload)
    assert_problem(r, 422, where)


def test_malformed_json_is_400(client: TestClient, chat: Chat) -> None:
    r = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers={**chat.headers, "content-type": "application/json"},
        content=b'{"text": ',
    )
    assert_problem(r, 400)


def test_unknown_conversation_is_404_naming_it(client: TestClient, agent) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/v1/agent/conversations/conv_nope/claim", headers=agent.headers)
    assert_problem(r, 404, "conv_nope")


def test_unknown_workspace_is_404_naming_it(client: TestClient) -> None:
    r = client.post("/v1/conversations", json={"workspace": "atlantis"})
    assert_problem(r, 404, "atlantis")


def test_missing_token_is_401_and_wrong_token_is_403(client: TestClient, chat: Chat) -> None:
    assert_problem(client.get(f"/v1/conversations/{chat.id}/messages"), 401, "token")
    r = client.get(f"/v1/conversations/{chat.id}/messages", headers={"X-Conversation-Token": "guess"})
    assert_problem(r, 403, chat.id)


def test_wrong_agent_key_is_401(client: TestClient) -> None:
    assert_problem(client.get("/v1/agent/queue", headers={"X-API-Key": "nope"}), 401, "api key")
    assert_problem(client.get("/v1/agent/queue"), 401, "api key")


def test_message_to_a_conversation_closed_longer_than_the_reopen_window_is_409_and_not_stored(
    client: TestClient,
    chat: Chat,
    agent,  # type: ignore[no-untyped-def]
    runtime: Runtime,
) -> None:
    escalate(client, chat)
    client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers)
    client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers)
    long_ago = utcnow() - timedelta(seconds=runtime.settings.reopen_window_s + 60)
    runtime.store.update_conversation(chat.id, resolved_at=long_ago)
    before = len(runtime.store.messages(chat.id))
    r = client.post(
        f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "one more thing"}
    )
    assert_problem(r, 409, "start a new conversation")
    assert len(runtime.store.messages(chat.id)) == before
    assert runtime.store.get_conversation(chat.id).status == "resolved"


def test_replying_without_owning_the_conversation_is_refused(client: TestClient, chat: Chat, agent) -> None:  # type: ignore[no-untyped-def]
    r = client.post(f"/v1/agent/conversations/{chat.id}/messages", headers=agent.headers, json={"text": "hi"})
    assert_problem(r, 409, "claim it first")


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    assert_problem(client.get("/v1/nowhere"), 404, "/v1/nowhere")


def test_reusing_an_idempotency_key_for_other_text_is_409(client: TestClient, chat: Chat) -> None:
    ok = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        json={"text": "first", "idempotency_key": "k"},
    )
    assert ok.status_code == 201
    r = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        json={"text": "second", "idempotency_key": "k"},
    )
    assert_problem(r, 409, "different message")


def test_a_lone_surrogate_is_422_naming_the_field_and_nothing_is_stored(
    client: TestClient, chat: Chat
) -> None:
    r = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers={**chat.headers, "content-type": "application/json"},
        content=b'{"text": "hi \\ud800 there"}',
    )
    assert r.status_code == 422 and "surrogate" in r.json()["detail"] and "message" in r.json()["detail"]
    started = client.post(
        "/v1/conversations",
        headers={"content-type": "application/json"},
        content=b'{"workspace": "shop", "customer": {"name": "A\\udfff"}}',
    )
    assert started.status_code == 422 and "name" in started.json()["detail"]
    history = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    assert history == []
