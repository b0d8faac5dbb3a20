from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi.testclient import TestClient

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_workspace
from tests.api.conftest import Chat
from tests.api.helpers import customer_socket, next_frame


def test_reposting_with_the_same_key_returns_the_first_result_and_stores_nothing(
    client: TestClient, chat: Chat, runtime: Runtime
) -> None:
    url = f"/v1/conversations/{chat.id}/messages"
    first = client.post(url, headers={**chat.headers, "Idempotency-Key": "abc"}, json={"text": "Hello there"})
    assert first.status_code == 201, first.text
    first_replies = [r["id"] for r in first.json()["replies"]]
    assert first_replies, "the first handling answered nothing, so a replay would have nothing to repeat"
    messages = [m.id for m in runtime.store.messages(chat.id)]
    decisions = [d.id for d in runtime.store.decisions(chat.id)]
    assert first.json()["message"]["id"] in messages and set(first_replies) <= set(messages)
    assert decisions, "the first handling recorded no decision"

    again = client.post(url, headers={**chat.headers, "Idempotency-Key": "abc"}, json={"text": "Hello there"})

    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["replayed"] is True
    assert again.json()["message"]["id"] == first.json()["message"]["id"]
    assert [r["id"] for r in again.json()["replies"]] == first_replies
    assert again.json()["replies"] == first.json()["replies"]
    # Handled once: the replay stored no message and decided nothing.
    assert [m.id for m in runtime.store.messages(chat.id)] == messages
    assert [d.id for d in runtime.store.decisions(chat.id)] == decisions


def _start(http: httpx.Client, runtime: Runtime) -> tuple[str, dict[str, str], str]:
    make_workspace(runtime.store, slug="ws-ack")
    started = http.post("/v1/conversations", json={"workspace": "ws-ack"})
    assert started.status_code == 201, started.text
    token = started.json()["token"]
    return started.json()["conversation"]["id"], {"X-Conversation-Token": token}, token


def test_message_is_stored_before_it_is_acknowledged(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    """Read the database at the moment the acknowledgement reaches the client (a real server, so
    nothing the server does after sending the response has happened in the test's favour)."""
    seen: list[tuple[str, Any]] = []

    def on_response(response: httpx.Response) -> None:
        request = response.request
        if request.method != "POST" or not request.url.path.endswith("/messages") or not response.is_success:
            return
        response.read()
        message_id = response.json()["message"]["id"]
        seen.append((message_id, runtime.store.get_message(message_id).text))

    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        conv_id, headers, token = _start(http, runtime)
        http.event_hooks["response"] = [on_response]
        r = http.post(
            f"/v1/conversations/{conv_id}/messages", headers=headers, json={"text": "Is it stored?"}
        )
    assert r.status_code == 201, r.text
    assert seen == [(r.json()["message"]["id"], "Is it stored?")]

    # The WebSocket's ack, likewise, only names a message that is already stored.
    with customer_socket(live_server.ws_url, conv_id, token) as ws:
        next_frame(ws, lambda f: f["type"] == "snapshot")
        ws.send(json.dumps({"type": "message", "text": "And this one?", "idempotency_key": "ws-1"}))
        ack = next_frame(ws, lambda f: f["type"] == "ack")
        assert runtime.store.get_message(ack["message_id"]).text == "And this one?"


def test_a_message_left_unhandled_by_a_crash_is_answered_by_recovery(runtime: Runtime, chat: Chat) -> None:
    from relaydesk.domain.models import Channel, MessageRole

    # Stored (and acknowledged) but the process died before the turn ran; its lease has run out.
    message, _ = runtime.store.add_message(
        chat.id, role=MessageRole.CUSTOMER, text="are you there?", channel=Channel.WEB, handled=False
    )
    assert runtime.recovery.run_once() == 1
    replies = runtime.store.replies_to(message.id)
    assert replies and replies[0].role == MessageRole.AI
    assert runtime.recovery.run_once() == 0
