from __future__ import annotations

import json

import httpx
from websockets.sync.client import connect

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_workspace
from tests.api.helpers import event, next_frame


def _start(base: str) -> dict:  # type: ignore[type-arg]
    with httpx.Client(base_url=base) as http:
        return http.post("/v1/conversations", json={"workspace": "ws-chat"}).json()  # type: ignore[no-any-return]


def test_customer_can_chat_over_the_websocket_alone(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    started = _start(live_server.base_url)
    conv_id, token = started["conversation"]["id"], started["token"]
    with connect(f"{live_server.ws_url}/v1/conversations/{conv_id}/stream?token={token}") as ws:
        next_frame(ws, lambda f: f["type"] == "snapshot")
        ws.send(json.dumps({"type": "message", "text": "hello over the socket", "idempotency_key": "w1"}))
        # The AI's reply event and the ack may arrive in either order.
        ai_event = event("message.created", role="ai")
        first = next_frame(ws, lambda f: f["type"] == "ack" or ai_event(f))
        ack = first if first["type"] == "ack" else next_frame(ws, lambda f: f["type"] == "ack")
        if first["type"] == "ack":
            next_frame(ws, ai_event)
        assert ack["replayed"] is False
        ws.send(json.dumps({"type": "message", "text": "hello over the socket", "idempotency_key": "w1"}))
        assert next_frame(ws, lambda f: f["type"] == "ack")["message_id"] == ack["message_id"]
        ws.send(json.dumps({"type": "message", "text": "   "}))
        error = next_frame(ws, lambda f: f["type"] == "error")
        assert error["status"] == 422 and "empty" in error["detail"]
    assert len([m for m in runtime.store.messages(conv_id) if m.role == "customer"]) == 1


def test_stream_with_a_wrong_token_is_closed_with_403(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    conv_id = _start(live_server.base_url)["conversation"]["id"]
    with connect(f"{live_server.ws_url}/v1/conversations/{conv_id}/stream?token=wrong") as ws:
        frame = next_frame(ws, lambda f: f["type"] == "error")
        assert frame["status"] == 403
    assert ws.close_code == 4403


def test_agent_stream_without_a_key_is_closed_with_401(live_server) -> None:  # type: ignore[no-untyped-def]
    with connect(f"{live_server.ws_url}/v1/agent/stream") as ws:
        assert next_frame(ws, lambda f: f["type"] == "error")["status"] == 401
    assert ws.close_code == 4401


def test_a_bad_frame_gets_an_error_frame_and_the_socket_stays_open(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    started = _start(live_server.base_url)
    conv_id, token = started["conversation"]["id"], started["token"]
    with connect(f"{live_server.ws_url}/v1/conversations/{conv_id}/stream?token={token}") as ws:
        next_frame(ws, lambda f: f["type"] == "snapshot")
        for bad in ("not json", b"\x00\x01binary", '{"type": "message", "text": "hi \\ud800 there"}'):
            ws.send(bad)
            error = next_frame(ws, lambda f: f["type"] == "error")
            assert error["status"] == 422
        assert "surrogate" in error["detail"]
        ws.send(json.dumps({"type": "message", "text": "still here?"}))
        assert next_frame(ws, lambda f: f["type"] == "ack")["replayed"] is False
