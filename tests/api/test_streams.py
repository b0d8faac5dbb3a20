from __future__ import annotations

import json

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.api.helpers import agent_socket, customer_socket, event, next_frame


def _start(base: str) -> dict:  # type: ignore[type-arg]
    with httpx.Client(base_url=base) as http:
        return http.post("/v1/conversations", json={"workspace": "ws-chat"}).json()  # type: ignore[no-any-return]


def test_customer_can_chat_over_the_websocket_alone(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    started = _start(live_server.base_url)
    conv_id, token = started["conversation"]["id"], started["token"]
    with customer_socket(live_server.ws_url, conv_id, token) as ws:
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


def test_a_token_in_the_stream_url_is_refused_with_an_error_frame(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    started = _start(live_server.base_url)
    conv_id, token = started["conversation"]["id"], started["token"]
    with connect(f"{live_server.ws_url}/v1/conversations/{conv_id}/stream?token={token}") as ws:
        frame = next_frame(ws, lambda f: f["type"] == "error")
    assert frame["status"] == 400 and '"?token=" is refused' in frame["detail"]
    assert '{"type": "auth", "token"' in frame["detail"]
    assert ws.close_code == 4400


def test_an_api_key_in_the_agent_stream_url_is_refused(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent(runtime.store, make_workspace(runtime.store, slug="ws-chat"), name="Ava")
    with connect(f"{live_server.ws_url}/v1/agent/stream?api_key={agent.api_key}") as ws:
        frame = next_frame(ws, lambda f: f["type"] == "error")
    assert frame["status"] == 400 and '"?api_key=" is refused' in frame["detail"]
    assert ws.close_code == 4400


def test_stream_with_a_wrong_token_is_closed_with_403(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    conv_id = _start(live_server.base_url)["conversation"]["id"]
    with customer_socket(live_server.ws_url, conv_id, "wrong") as ws:
        frame = next_frame(ws, lambda f: f["type"] == "error")
        assert frame["status"] == 403
    assert ws.close_code == 4403


def test_agent_stream_whose_first_frame_is_not_auth_is_closed_with_401(live_server) -> None:  # type: ignore[no-untyped-def]
    with connect(f"{live_server.ws_url}/v1/agent/stream") as ws:
        ws.send(json.dumps({"type": "hello"}))
        frame = next_frame(ws, lambda f: f["type"] == "error")
    assert frame["status"] == 401 and 'first frame must be {"type": "auth"' in frame["detail"]
    assert ws.close_code == 4401


def test_agent_stream_with_a_wrong_key_is_closed_with_401(live_server) -> None:  # type: ignore[no-untyped-def]
    with agent_socket(live_server.ws_url, "not-a-key") as ws:
        assert next_frame(ws, lambda f: f["type"] == "error")["status"] == 401
    assert ws.close_code == 4401


def test_a_stream_ticket_opens_the_agent_stream_once(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent(runtime.store, make_workspace(runtime.store, slug="ws-chat"), name="Ava")
    with httpx.Client(base_url=live_server.base_url) as http:
        issued = http.post("/v1/agent/stream-ticket", headers={"X-API-Key": agent.api_key})
    assert issued.status_code == 201 and issued.json()["expires_in_s"] > 0
    url = f"{live_server.ws_url}/v1/agent/stream?ticket={issued.json()['ticket']}"
    with connect(url) as ws:
        assert next_frame(ws, lambda f: f["type"] == "snapshot")["queue"] == []
    with connect(url) as ws:
        frame = next_frame(ws, lambda f: f["type"] == "error")
    assert frame["status"] == 401 and "already used" in frame["detail"]


def test_a_customer_stream_ticket_opens_only_its_conversation(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    mine, other = _start(live_server.base_url), _start(live_server.base_url)
    with httpx.Client(base_url=live_server.base_url) as http:
        path = f"/v1/conversations/{mine['conversation']['id']}/stream-ticket"
        ticket = http.post(path, headers={"X-Conversation-Token": mine["token"]}).json()["ticket"]
        second = http.post(path, headers={"X-Conversation-Token": mine["token"]}).json()["ticket"]
        assert http.post(path, headers={"X-Conversation-Token": other["token"]}).status_code == 403
    with connect(
        f"{live_server.ws_url}/v1/conversations/{other['conversation']['id']}/stream?ticket={ticket}"
    ) as ws:
        assert next_frame(ws, lambda f: f["type"] == "error")["status"] == 403
    with connect(
        f"{live_server.ws_url}/v1/conversations/{mine['conversation']['id']}/stream?ticket={second}"
    ) as ws:
        snapshot = next_frame(ws, lambda f: f["type"] == "snapshot")
        assert snapshot["conversation"]["id"] == mine["conversation"]["id"]


def test_a_bad_frame_gets_an_error_frame_and_the_socket_stays_open(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    started = _start(live_server.base_url)
    conv_id, token = started["conversation"]["id"], started["token"]
    with customer_socket(live_server.ws_url, conv_id, token) as ws:
        next_frame(ws, lambda f: f["type"] == "snapshot")
        for bad in ("not json", b"\x00\x01binary", '{"type": "message", "text": "hi \\ud800 there"}'):
            ws.send(bad)
            error = next_frame(ws, lambda f: f["type"] == "error")
            assert error["status"] == 422
        assert "surrogate" in error["detail"]
        expected = {
            "[1, 2]": "got a list",
            '"text"': "got a text",
            "42": "got a number",
            '{"text": "no type"}': 'without a text "type"',
            '{"type": "dance"}': 'Unknown frame type "dance"',
        }
        for bad, detail in expected.items():
            ws.send(bad)
            assert detail in next_frame(ws, lambda f: f["type"] == "error")["detail"]
        ws.send(json.dumps({"type": "auth", "token": token}))
        assert next_frame(ws, lambda f: f["type"] == "error")["status"] == 409
        ws.send(json.dumps({"type": "message", "text": "still here?"}))
        assert next_frame(ws, lambda f: f["type"] == "ack")["replayed"] is False


def test_the_agent_stream_answers_a_frame_with_an_error_and_stays_open(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent(runtime.store, make_workspace(runtime.store, slug="ws-chat"), name="Ava")
    with agent_socket(live_server.ws_url, agent.api_key) as ws:
        next_frame(ws, lambda f: f["type"] == "snapshot")
        ws.send("{not json")
        assert "not valid JSON" in next_frame(ws, lambda f: f["type"] == "error")["detail"]
        ws.send(json.dumps({"type": "message", "text": "hi"}))
        assert "REST" in next_frame(ws, lambda f: f["type"] == "error")["detail"]
        _start(live_server.base_url)
        next_frame(ws, event("conversation.started"))


def test_a_frame_over_the_body_limit_closes_the_socket_with_1009(runtime: Runtime, live_server) -> None:  # type: ignore[no-untyped-def]
    make_workspace(runtime.store, slug="ws-chat")
    started = _start(live_server.base_url)
    limit = runtime.settings.max_body_bytes
    with customer_socket(live_server.ws_url, started["conversation"]["id"], started["token"]) as ws:
        next_frame(ws, lambda f: f["type"] == "snapshot")
        frame = json.dumps({"type": "message", "text": "x" * (limit + 1)})
        ws.send(frame)
        with pytest.raises(ConnectionClosed):
            next_frame(ws, lambda f: False)
    assert ws.close_code == 1009
    assert ws.close_reason == f"The frame is {len(frame)} bytes; the limit is {limit} bytes"
