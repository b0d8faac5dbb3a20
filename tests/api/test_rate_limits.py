"""Rate limits per credential and per address: 429 problem+json with Retry-After, shared by workers
through a real Redis when one is configured."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.domain.models import ConversationStatus
from relaydesk.services.runtime import Runtime
from relaydesk.settings import Settings
from relaydesk.testing import make_agent, make_workspace
from tests.pg_cluster import free_port

_addresses = itertools.count(1)


def _address() -> str:
    """A fresh client address, so no test shares a bucket with another (Redis outlives a test)."""
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def settings(db_url: str, shared_data_dir: Path) -> Settings:
    """Small limits, so a test reaches them in a few calls."""
    return Settings(  # type: ignore[call-arg]
        environment="test",
        database_url=db_url,
        data_dir=shared_data_dir,
        rate_limit_wrong_keys="3/5m",
        rate_limit_conversation_starts="3/1h",
        rate_limit_open_conversations=100,
        rate_limit_customer_posts="3/1m",
        rate_limit_agent_calls="5/1m",
        _env_file=None,
    )


def _client(runtime: Runtime, address: str | None = None, **limits: Any) -> TestClient:
    settings = runtime.settings.model_copy(update=limits)
    app = create_app(settings, runtime=runtime)
    return TestClient(app, raise_server_exceptions=False, client=(address or _address(), 50000))


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with _client(runtime) as c:
        yield c


def _assert_429(response: Any, *words: str) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    retry_after = int(response.headers["retry-after"])
    body = response.json()
    assert body["retry_after_s"] == retry_after and retry_after >= 1
    for word in words:
        assert word in body["detail"], body["detail"]


def test_wrong_agent_keys_from_one_address_are_refused_with_429(runtime: Runtime) -> None:
    ava = make_agent(runtime.store, make_workspace(runtime.store, slug="shop"), name="Ava")
    address = _address()
    with _client(runtime, address) as attacker:
        for n in range(3):
            assert attacker.get("/v1/agent/me", headers={"X-API-Key": f"guess-{n}"}).status_code == 401
        refused = attacker.get("/v1/agent/me", headers={"X-API-Key": "guess-4"})
        _assert_429(refused, "Too many wrong API keys", address, "3 in 5 minutes")
        assert int(refused.headers["retry-after"]) <= 100  # one more guess in 100 s (3 per 5 minutes)
        # Even the right key is refused from that address until the bucket refills...
        _assert_429(attacker.get("/v1/agent/me", headers={"Authorization": f"Bearer {ava.api_key}"}))
        # ... but customers there are not agents, and are not refused.
        assert attacker.post("/v1/conversations", json={"workspace": "shop"}).status_code == 201
    with _client(runtime) as elsewhere:
        assert elsewhere.get("/v1/agent/me", headers={"X-API-Key": ava.api_key}).status_code == 200


def test_agent_calls_per_key_are_limited(runtime: Runtime, client: TestClient) -> None:
    shop = make_workspace(runtime.store, slug="shop")
    ava, ben = make_agent(runtime.store, shop, name="Ava"), make_agent(runtime.store, shop, name="Ben")
    for _ in range(5):
        assert client.get("/v1/agent/me", headers={"X-API-Key": ava.api_key}).status_code == 200
    _assert_429(
        client.get("/v1/agent/me", headers={"X-API-Key": ava.api_key}), "this API key", "5 in 1 minute"
    )
    assert client.get("/v1/agent/me", headers={"X-API-Key": ben.api_key}).status_code == 200


def test_conversation_starts_per_address_are_limited(runtime: Runtime) -> None:
    make_workspace(runtime.store, slug="shop")
    address = _address()
    with _client(runtime, address) as customer:
        for _ in range(3):
            assert customer.post("/v1/conversations", json={"workspace": "shop"}).status_code == 201
        refused = customer.post("/v1/conversations", json={"workspace": "shop"})
        _assert_429(refused, "Too many conversations started from", address, "3 in an hour")
        assert 1100 <= int(refused.headers["retry-after"]) <= 1200
    with _client(runtime) as neighbour:
        assert neighbour.post("/v1/conversations", json={"workspace": "shop"}).status_code == 201


def test_open_conversations_per_address_are_capped_until_one_is_closed(runtime: Runtime) -> None:
    make_workspace(runtime.store, slug="shop")
    address = _address()
    with _client(
        runtime, address, rate_limit_open_conversations=2, rate_limit_conversation_starts="100/1m"
    ) as c:
        first = c.post("/v1/conversations", json={"workspace": "shop"}).json()["conversation"]["id"]
        assert c.post("/v1/conversations", json={"workspace": "shop"}).status_code == 201
        _assert_429(
            c.post("/v1/conversations", json={"workspace": "shop"}), "already has 2 open conversations"
        )
        runtime.store.update_conversation(first, status=ConversationStatus.RESOLVED)
        assert c.post("/v1/conversations", json={"workspace": "shop"}).status_code == 201
        _assert_429(c.post("/v1/conversations", json={"workspace": "shop"}), "the limit is 2")


def test_customer_posts_per_token_are_limited(runtime: Runtime, client: TestClient) -> None:
    make_workspace(runtime.store, slug="shop")
    chats = [client.post("/v1/conversations", json={"workspace": "shop"}).json() for _ in range(2)]
    headers = [{"X-Conversation-Token": chat["token"]} for chat in chats]
    path = [f"/v1/conversations/{chat['conversation']['id']}/messages" for chat in chats]
    for n in range(3):
        assert client.post(path[0], headers=headers[0], json={"text": f"question {n}"}).status_code == 201
    _assert_429(
        client.post(path[0], headers=headers[0], json={"text": "one more"}),
        "Too many messages on this conversation",
        "3 in 1 minute",
    )
    assert client.post(path[1], headers=headers[1], json={"text": "my own question"}).status_code == 201
    assert (
        len([m for m in runtime.store.messages(chats[0]["conversation"]["id"]) if m.role == "customer"]) == 3
    )


def test_customer_posts_over_the_websocket_count_toward_the_same_limit(
    runtime: Runtime, client: TestClient
) -> None:
    make_workspace(runtime.store, slug="shop")
    chat = client.post("/v1/conversations", json={"workspace": "shop"}).json()
    cid, headers = chat["conversation"]["id"], {"X-Conversation-Token": chat["token"]}
    assert (
        client.post(f"/v1/conversations/{cid}/messages", headers=headers, json={"text": "hello"}).status_code
        == 201
    )
    with client.websocket_connect(f"/v1/conversations/{cid}/stream") as ws:
        ws.send_text(json.dumps({"type": "auth", "token": chat["token"]}))
        assert ws.receive_json()["type"] == "snapshot"
        for n in range(3):
            ws.send_text(json.dumps({"type": "message", "text": f"socket {n}", "idempotency_key": f"k{n}"}))
            frame = next(f for f in iter(ws.receive_json, None) if f["type"] in {"ack", "error"})
            if n < 2:
                assert frame["type"] == "ack", frame
        assert frame["type"] == "error" and frame["status"] == 429 and frame["retry_after_s"] >= 1
        assert "Too many messages" in frame["detail"]


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(runtime: Runtime) -> None:
    make_workspace(runtime.store, slug="shop")

    def start(c: TestClient, forwarded: str) -> int:
        return c.post(
            "/v1/conversations", json={"workspace": "shop"}, headers={"X-Forwarded-For": forwarded}
        ).status_code

    # From a proxy that is not trusted, the header is ignored: every start counts for the proxy.
    with _client(runtime, "203.0.113.7") as untrusted:
        assert [start(untrusted, f"192.0.2.{n}") for n in range(4)] == [201, 201, 201, 429]
    # Behind a trusted proxy, the nearest address the proxy did not add is the customer's.
    with _client(runtime, "10.1.2.3", trusted_proxies=["10.0.0.0/8"]) as proxy:
        assert [start(proxy, "192.0.2.200") for _ in range(4)] == [201, 201, 201, 429]
        refused = proxy.post(
            "/v1/conversations",
            json={"workspace": "shop"},
            headers={"X-Forwarded-For": "192.0.2.200, 10.9.9.9"},
        )
        _assert_429(refused, "192.0.2.200")
        assert start(proxy, "192.0.2.201") == 201
        assert start(proxy, "6.6.6.6, 192.0.2.202") == 201  # a spoofed first hop does not help: .202 counts


def test_rate_limits_can_be_turned_off(runtime: Runtime) -> None:
    make_workspace(runtime.store, slug="shop")
    with _client(runtime, rate_limits_enabled=False) as c:
        assert {c.post("/v1/conversations", json={"workspace": "shop"}).status_code for _ in range(6)} == {
            201
        }


def test_the_default_limits_leave_a_busy_agent_and_customer_alone(runtime: Runtime) -> None:
    shop = make_workspace(runtime.store, slug="shop")
    ava = make_agent(runtime.store, shop, name="Ava")
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    fields = [f for f in Settings.model_fields if f.startswith("rate_limit")]
    with _client(runtime, **{f: getattr(defaults, f) for f in fields}) as c:
        for _ in range(10):
            chat = c.post("/v1/conversations", json={"workspace": "shop"}).json()
        for n in range(10):
            r = c.post(
                f"/v1/conversations/{chat['conversation']['id']}/messages",
                headers={"X-Conversation-Token": chat["token"]},
                json={"text": f"question {n}"},
            )
            assert r.status_code == 201
        assert {
            c.get("/v1/agent/queue", headers={"X-API-Key": ava.api_key}).status_code for _ in range(200)
        } == {200}
        assert c.get("/v1/agent/me", headers={"X-API-Key": "a typo"}).status_code == 401
        assert c.get("/v1/agent/me", headers={"X-API-Key": ava.api_key}).status_code == 200


def test_limits_and_stream_tickets_are_shared_by_workers_through_redis(
    runtime: Runtime, redis_url: str
) -> None:
    """Two apps over one Redis stand for two worker processes: what one counts, the other sees."""
    ava = make_agent(runtime.store, make_workspace(runtime.store, slug="shop"), name="Ava")
    address = _address()
    with (
        _client(runtime, address, redis_url=redis_url) as one,
        _client(runtime, address, redis_url=redis_url) as two,
    ):
        for worker, guess in ((one, "a"), (two, "b"), (one, "c")):
            assert worker.get("/v1/agent/me", headers={"X-API-Key": guess}).status_code == 401
        _assert_429(two.get("/v1/agent/me", headers={"X-API-Key": ava.api_key}), "Too many wrong API keys")

        chat = one.post("/v1/conversations", json={"workspace": "shop"}).json()
        path, headers = (
            f"/v1/conversations/{chat['conversation']['id']}/messages",
            {"Authorization": f"Bearer {chat['token']}"},
        )
        statuses = [
            w.post(path, headers=headers, json={"text": f"q{n}"}).status_code
            for n, w in enumerate((one, two, one, two))
        ]
        assert statuses == [201, 201, 201, 429]

        ticket_path = f"/v1/conversations/{chat['conversation']['id']}/stream-ticket"
        ticket = one.post(ticket_path, headers=headers).json()["ticket"]
        with two.websocket_connect(
            f"/v1/conversations/{chat['conversation']['id']}/stream?ticket={ticket}"
        ) as ws:
            assert ws.receive_json()["type"] == "snapshot"
            ws.send_text(json.dumps({"type": "message", "text": "over the limit"}))
            error = next(f for f in iter(ws.receive_json, None) if f["type"] == "error")
            assert error["status"] == 429  # the ticket carries the token's bucket along
        with one.websocket_connect(
            f"/v1/conversations/{chat['conversation']['id']}/stream?ticket={ticket}"
        ) as ws:
            assert ws.receive_json()["status"] == 401  # single use, across workers


def test_addresses_of_one_ipv6_block_share_their_limits(runtime: Runtime) -> None:
    make_workspace(runtime.store, slug="shop")
    app = create_app(runtime=runtime)
    block = f"2001:db8:{next(_addresses):x}:1"

    def start(host: str) -> Any:
        c = TestClient(app, raise_server_exceptions=False, client=(host, 50000))
        return c.post("/v1/conversations", json={"workspace": "shop"})

    assert [start(block + host).status_code for host in ("::1", "::2", "::3")] == [201, 201, 201]
    _assert_429(start(block + "::4"), block + "::4")
    assert start(block.removesuffix(":1") + ":2::1").status_code == 201  # the next /64


def test_an_unreachable_redis_lets_calls_through(runtime: Runtime) -> None:
    """Limits fail open: without Redis nobody is refused (and nothing answers 500)."""
    shop = make_workspace(runtime.store, slug="shop")
    ava = make_agent(runtime.store, shop, name="Ava")
    with _client(runtime, redis_url=f"redis://127.0.0.1:{free_port()}/0") as c:
        assert {c.post("/v1/conversations", json={"workspace": "shop"}).status_code for _ in range(5)} == {
            201
        }
        assert {c.get("/v1/agent/me", headers={"X-API-Key": "wrong"}).status_code for _ in range(5)} == {401}
        assert c.get("/v1/agent/me", headers={"X-API-Key": ava.api_key}).status_code == 200
        ticket = c.post("/v1/agent/stream-ticket", headers={"X-API-Key": ava.api_key})
        assert ticket.status_code == 503 and "Redis" in ticket.json()["detail"]
