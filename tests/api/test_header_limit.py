"""Headers over RELAYDESK_MAX_HEADER_BYTES are refused by the app too (a server other than
``relaydesk serve`` may let them in): 431 problem+json naming the size and the limit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_workspace


def test_headers_over_the_limit_are_refused_with_431(runtime: Runtime, client: TestClient) -> None:
    make_workspace(runtime.store, slug="shop")
    limit = runtime.settings.max_header_bytes
    r = client.post("/v1/conversations", json={"workspace": "shop"}, headers={"X-Padding": "a" * limit})
    assert r.status_code == 431
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"].endswith(f"the limit is {limit} bytes.")
    assert (
        client.post(
            "/v1/conversations", json={"workspace": "shop"}, headers={"X-Padding": "a" * 1000}
        ).status_code
        == 201
    )


def test_a_websocket_with_headers_over_the_limit_is_refused(runtime: Runtime, client: TestClient) -> None:
    padding = {"X-Padding": "a" * runtime.settings.max_header_bytes}
    try:
        with client.websocket_connect("/v1/agent/stream", headers=padding):
            raise AssertionError("the socket was accepted")
    except WebSocketDisconnect as closed:
        assert closed.code == 1008 and closed.reason == "Request headers too large"
