"""An agent reads a conversation of any length: the latest page first, then earlier pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.domain.models import Channel, MessageRole
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent, make_workspace
from tests.api.conftest import Chat

LONG = 1_250


def _fill(runtime: Runtime, chat: Chat, count: int) -> None:
    with runtime.store.transaction():
        for n in range(count):
            role = MessageRole.CUSTOMER if n % 2 == 0 else MessageRole.AGENT
            runtime.store.add_message(chat.id, role=role, text=f"message {n + 1}", channel=Channel.WEB)


def test_an_agent_pages_back_through_more_than_a_thousand_messages(
    runtime: Runtime, client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _fill(runtime, chat, LONG)
    headers = {"X-API-Key": agent.api_key}
    latest = client.get(f"/v1/agent/conversations/{chat.id}", headers=headers).json()
    assert latest["conversation"]["id"] == chat.id
    assert [m["text"] for m in latest["messages"]][-1] == f"message {LONG}"
    assert len(latest["messages"]) == 200 and latest["has_earlier"] and not latest["has_later"]
    seen = latest["messages"]
    while latest["has_earlier"]:
        latest = client.get(
            f"/v1/agent/conversations/{chat.id}?before={latest['messages'][0]['seq']}&limit=500",
            headers=headers,
        ).json()
        assert latest["has_later"]
        seen = latest["messages"] + seen
    assert [m["text"] for m in seen] == [f"message {n + 1}" for n in range(LONG)]
    assert [m["seq"] for m in seen] == sorted({m["seq"] for m in seen})


def test_an_agent_reads_forward_after_a_position(
    runtime: Runtime, client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _fill(runtime, chat, 30)
    headers = {"X-API-Key": agent.api_key}
    page = client.get(f"/v1/agent/conversations/{chat.id}?after=10&limit=15", headers=headers).json()
    assert [m["text"] for m in page["messages"]] == [f"message {n}" for n in range(11, 26)]
    assert page["has_earlier"] and page["has_later"]
    last = client.get(f"/v1/agent/conversations/{chat.id}?after=25", headers=headers).json()
    assert [m["text"] for m in last["messages"]] == [f"message {n}" for n in range(26, 31)]
    assert last["has_earlier"] and not last["has_later"]


def test_a_short_conversation_comes_whole_with_nothing_before_it(
    runtime: Runtime, client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _fill(runtime, chat, 3)
    page = client.get(f"/v1/agent/conversations/{chat.id}", headers={"X-API-Key": agent.api_key}).json()
    assert [m["text"] for m in page["messages"]] == ["message 1", "message 2", "message 3"]
    assert not page["has_earlier"] and not page["has_later"]


def test_bad_paging_is_refused_with_a_precise_422(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    headers = {"X-API-Key": agent.api_key}
    both = client.get(f"/v1/agent/conversations/{chat.id}?before=5&after=1", headers=headers)
    assert both.status_code == 422 and "before (5) or after (1), not both" in both.json()["detail"]
    for query in ("limit=0", "limit=1001", "before=0", "after=-1", f"after={2**63}", "before=x"):
        r = client.get(f"/v1/agent/conversations/{chat.id}?{query}", headers=headers)
        assert r.status_code == 422, (query, r.text)


def test_another_workspace_cannot_page_a_conversation(
    runtime: Runtime, client: TestClient, chat: Chat
) -> None:
    stranger = make_agent(runtime.store, make_workspace(runtime.store, slug="elsewhere"), name="Sly")
    r = client.get(f"/v1/agent/conversations/{chat.id}?before=2", headers={"X-API-Key": stranger.api_key})
    assert r.status_code == 404
