"""Load shedding: past the in-flight limit a customer's message is refused at once (503 with
Retry-After, nothing stored), never queued for seconds; below it, messages go through."""

from __future__ import annotations

import threading
import time
from typing import Any

from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.services.runtime import build_runtime
from relaydesk.settings import Settings
from relaydesk.testing import make_workspace


def test_a_message_beyond_the_in_flight_limit_gets_503_at_once_and_is_not_stored(
    settings: Settings,
) -> None:
    runtime = build_runtime(settings.model_copy(update={"max_inflight_turns": 1}), background=True)
    try:
        runtime.hold_ready("test")  # the first message's turn waits here: it stays in flight
        make_workspace(runtime.store, slug="busy")
        with TestClient(create_app(runtime=runtime)) as client:
            chats = [client.post("/v1/conversations", json={"workspace": "busy"}).json() for _ in range(2)]

            def post(chat: dict[str, Any], text: str, key: str) -> Any:
                return client.post(
                    f"/v1/conversations/{chat['conversation']['id']}/messages",
                    headers={"X-Conversation-Token": chat["token"]},
                    json={"text": text, "idempotency_key": key},
                )

            first: list[Any] = []
            writer = threading.Thread(target=lambda: first.append(post(chats[0], "where is my order", "a")))
            writer.start()
            while not runtime.store.messages(chats[0]["conversation"]["id"]):  # stored, turn waiting
                writer.join(0.01)

            started = time.monotonic()
            refused = post(chats[1], "how do I reset my password", "b")
            assert time.monotonic() - started < 5  # at once, not after the turn before it
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "1"
            assert refused.headers["content-type"] == "application/problem+json"
            problem = refused.json()
            assert problem["status"] == 503 and problem["limit"] == 1
            assert "already handling 1 customer messages" in problem["detail"]
            assert "not stored" in problem["detail"]
            assert runtime.store.messages(chats[1]["conversation"]["id"]) == []  # nothing stored
            assert writer.is_alive()

            runtime.release_ready("test")
            writer.join(60)
            assert first[0].status_code == 201
            again = post(chats[1], "how do I reset my password", "b")  # the same key, once room is back
            assert again.status_code == 201 and again.json()["replies"]
    finally:
        runtime.close()


def test_a_message_frame_beyond_the_in_flight_limit_gets_a_503_frame_and_is_not_stored(
    settings: Settings,
) -> None:
    """The widget writes through its WebSocket: those messages count against the same limit."""
    runtime = build_runtime(settings.model_copy(update={"max_inflight_turns": 1}), background=True)
    try:
        runtime.hold_ready("test")
        make_workspace(runtime.store, slug="busy")
        with TestClient(create_app(runtime=runtime)) as client:
            chats = [client.post("/v1/conversations", json={"workspace": "busy"}).json() for _ in range(2)]
            first = chats[0]
            writer = threading.Thread(
                target=lambda: client.post(
                    f"/v1/conversations/{first['conversation']['id']}/messages",
                    headers={"X-Conversation-Token": first["token"]},
                    json={"text": "where is my order", "idempotency_key": "a"},
                )
            )
            writer.start()
            while not runtime.store.messages(first["conversation"]["id"]):
                writer.join(0.01)

            second = chats[1]["conversation"]["id"]
            ask = {"type": "message", "text": "how do I reset my password", "idempotency_key": "b"}
            with client.websocket_connect(f"/v1/conversations/{second}/stream") as ws:
                ws.send_json({"type": "auth", "token": chats[1]["token"]})
                assert ws.receive_json()["type"] == "snapshot"
                ws.send_json(ask)
                frame = ws.receive_json()
                assert frame["type"] == "error" and frame["status"] == 503
                assert frame["retry_after_s"] == 1 and "not stored" in frame["detail"]
                assert runtime.store.messages(second) == []

                runtime.release_ready("test")
                writer.join(60)
                ws.send_json(ask)
                while (frame := ws.receive_json())["type"] != "ack":
                    assert frame["type"] != "error", frame
                assert [m.text for m in runtime.store.messages(second)][0] == "how do I reset my password"
    finally:
        runtime.release_ready("test")
        runtime.close()
