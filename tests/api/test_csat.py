"""CSAT over the customer API: a resolved conversation is rated once, 1 to 5, with an optional
comment; bad input gets a precise error. The widget's page context is stored with the conversation."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from relaydesk.testing import AgentWithKey
from tests.api.conftest import Chat, escalate


def _resolve(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    escalate(client, chat)
    assert client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers).status_code == 200
    r = client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers, json={})
    assert r.status_code == 200, r.text


def test_a_resolved_conversation_is_rated_once(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    _resolve(client, chat, agent)
    unrated = client.get(f"/v1/conversations/{chat.id}/csat", headers=chat.headers)
    assert (unrated.status_code, unrated.json()) == (200, None)  # no rating yet is an answer, not an error

    r = client.post(
        f"/v1/conversations/{chat.id}/csat",
        headers=chat.headers,
        json={"score": 4, "comment": " Quick, thanks "},
    )
    assert r.status_code == 201, r.text
    assert r.json()["score"] == 4 and r.json()["comment"] == "Quick, thanks"

    again = client.post(f"/v1/conversations/{chat.id}/csat", headers=chat.headers, json={"score": 1})
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["detail"] == (
        f'Conversation "{chat.id}" was already rated (4 of 5); a conversation is rated once'
    )
    stored = client.get(f"/v1/conversations/{chat.id}/csat", headers=chat.headers).json()
    assert (stored["score"], stored["comment"]) == (4, "Quick, thanks")


def test_an_open_conversation_cannot_be_rated_yet(client: TestClient, chat: Chat) -> None:
    r = client.post(f"/v1/conversations/{chat.id}/csat", headers=chat.headers, json={"score": 5})
    assert r.status_code == 409
    assert "it can be rated once it is resolved" in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"score": "5"}, "score"),
        ({"score": 4.5}, "score"),
        ({"score": True}, "score"),
        ({}, "score"),
        ({"score": 3, "comment": "x" * 2001}, "comment"),
        ({"score": 3, "stars": 3}, "stars"),
    ],
)
def test_bad_ratings_get_a_precise_422(
    client: TestClient, chat: Chat, agent: AgentWithKey, body: dict[str, Any], where: str
) -> None:
    _resolve(client, chat, agent)
    r = client.post(f"/v1/conversations/{chat.id}/csat", headers=chat.headers, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert where in r.json()["detail"]
    assert client.get(f"/v1/conversations/{chat.id}/csat", headers=chat.headers).json() is None


def test_rating_needs_the_conversation_token(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    _resolve(client, chat, agent)
    url = f"/v1/conversations/{chat.id}/csat"
    assert client.post(url, json={"score": 5}).status_code == 401
    assert client.post(url, headers={"X-Conversation-Token": "wrong"}, json={"score": 5}).status_code == 403
    assert client.get(url, headers={"X-Conversation-Token": "wrong"}).status_code == 403


def test_the_page_context_is_stored_unverified_and_returned(client: TestClient, shop) -> None:  # type: ignore[no-untyped-def]
    context = {
        "page_url": "https://shop.example/billing",
        "page_title": "Billing",
        "attributes": {"plan": "pro", "page": "billing"},
    }
    r = client.post("/v1/conversations", json={"workspace": shop.slug, "page_context": context})
    assert r.status_code == 201, r.text
    started = r.json()
    got = client.get(
        f"/v1/conversations/{started['conversation']['id']}",
        headers={"X-Conversation-Token": started["token"]},
    ).json()
    assert got["page_context"] == {**context, "verified": False}


def test_the_agent_brief_says_where_the_customer_wrote_from(client: TestClient, shop, agent) -> None:  # type: ignore[no-untyped-def]
    context = {
        "page_url": "https://shop.example/billing",
        "page_title": "Billing",
        "attributes": {"plan": "pro"},
    }
    started = client.post("/v1/conversations", json={"workspace": shop.slug, "page_context": context}).json()
    chat = Chat(started["conversation"]["id"], started["token"], {"X-Conversation-Token": started["token"]})
    escalate(client, chat)
    brief = client.get(f"/v1/agent/conversations/{chat.id}/brief", headers=agent.headers).json()
    assert brief["page"] == {**context, "verified": False}


@pytest.mark.parametrize(
    ("context", "detail"),
    [
        ({"attributes": {"plan": {"nested": "x"}}}, 'page_context.attributes["plan"] must be text'),
        ({"attributes": {"n": 3}}, 'page_context.attributes["n"] must be text'),
        ({"attributes": ["a"]}, "page_context.attributes must be an object"),
        ({"page_url": 7}, "page_context.page_url must be text"),
        ({"referrer": "x"}, "page_context has unknown field(s) referrer"),
        ({"page_title": "x" * 5000}, "bytes as JSON; at most 4096 are kept"),
    ],
)
def test_a_bad_page_context_gets_a_precise_422_and_starts_nothing(
    client: TestClient,
    shop,
    runtime,
    context: dict[str, Any],
    detail: str,  # type: ignore[no-untyped-def]
) -> None:
    r = client.post("/v1/conversations", json={"workspace": shop.slug, "page_context": context})
    assert r.status_code == 422, r.text
    assert detail in r.json()["detail"]
    with runtime.engine.connect() as db:
        assert db.execute(text("SELECT count(*) FROM conversations")).scalar() == 0
