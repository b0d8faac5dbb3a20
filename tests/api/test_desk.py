"""The agent console's endpoints: queue items, internal notes, canned replies, co-pilot feedback
with versions, transfer and reopen, with their precise errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentStatus
from relaydesk.services.desk import desk_service_for
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent
from tests.api.conftest import Chat, escalate


def _claimed(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    escalate(client, chat)
    r = client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers)
    assert r.status_code == 200, r.text


def test_queue_items_show_the_customer_first_request_and_wait(
    client: TestClient, shop, agent: AgentWithKey
) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/v1/conversations", json={"workspace": shop.slug, "customer": {"name": "Ada Lovelace"}})
    chat = r.json()
    headers = {"X-Conversation-Token": chat["token"]}
    client.post(
        f"/v1/conversations/{chat['conversation']['id']}/messages",
        headers=headers,
        json={"text": "I want to talk to a person, write me at ada@example.com"},
    )
    items = client.get("/v1/agent/queue", headers=agent.headers).json()
    item = next(i for i in items if i["id"] == chat["conversation"]["id"])
    assert item["customer_name"] == "Ada Lovelace"
    assert item["first_request"].startswith("I want to talk to a person")
    assert "ada@example.com" not in item["first_request"]
    assert item["waiting_s"] is not None and item["waiting_s"] >= 0


def test_internal_notes_are_listed_for_agents_and_never_shown_to_the_customer(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _claimed(client, chat, agent)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/notes",
        headers=agent.headers,
        json={"text": "Customer is a reseller; check the contract <b>first</b>"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["agent_name"] == "Rita"
    notes = client.get(f"/v1/agent/conversations/{chat.id}/notes", headers=agent.headers).json()
    assert [n["text"] for n in notes] == ["Customer is a reseller; check the contract <b>first</b>"]
    customer_view = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    assert all("reseller" not in m["text"] for m in customer_view)
    agent_view = client.get(f"/v1/agent/conversations/{chat.id}", headers=agent.headers).json()
    assert all("reseller" not in m["text"] for m in agent_view["messages"])


def test_notes_refuse_empty_text_and_unknown_conversations(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    r = client.post(f"/v1/agent/conversations/{chat.id}/notes", headers=agent.headers, json={"text": "   "})
    assert r.status_code == 422
    assert "empty" in r.json()["detail"]
    r = client.post("/v1/agent/conversations/nope/notes", headers=agent.headers, json={"text": "hi"})
    assert r.status_code == 404
    assert '"nope"' in r.json()["detail"]
    assert client.get(f"/v1/agent/conversations/{chat.id}/notes").status_code == 401


def test_notes_of_another_workspace_do_not_exist(runtime: Runtime, client: TestClient, chat: Chat) -> None:
    from relaydesk.testing import make_workspace

    other = make_agent(runtime.store, make_workspace(runtime.store, slug="other"), status=AgentStatus.AWAY)
    r = client.get(f"/v1/agent/conversations/{chat.id}/notes", headers=other.headers)
    assert r.status_code == 404


def test_canned_replies_of_the_workspace(runtime: Runtime, client: TestClient, shop, agent) -> None:  # type: ignore[no-untyped-def]
    records = desk_service_for(runtime).records
    records.add_canned_reply(shop.id, "Greeting", "Hi! Thanks for waiting.")
    records.add_canned_reply(shop.id, "Apology", "I'm sorry about that.")
    r = client.get("/v1/agent/canned", headers=agent.headers)
    assert [c["title"] for c in r.json()] == ["Apology", "Greeting"]


def test_feedback_is_stored_with_the_versions_behind_it(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _claimed(client, chat, agent)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/feedback",
        headers=agent.headers,
        json={"target": "suggested_reply", "rating": "up", "note": "good start"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    decisions = client.get(f"/v1/agent/conversations/{chat.id}/decisions", headers=agent.headers).json()
    escalation = [d["version"] for d in decisions if d["kind"] == "escalation"]
    triage = [d["version"] for d in decisions if d["kind"] == "triage"]
    assert body["policy_version"] == escalation[-1]
    assert body["model_version"] == triage[-1]
    stored = client.get(f"/v1/agent/conversations/{chat.id}/feedback", headers=agent.headers).json()
    assert [(f["target"], f["rating"], f["note"]) for f in stored] == [
        ("suggested_reply", "up", "good start")
    ]


def test_feedback_refuses_a_rating_that_does_not_fit_the_target(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/feedback",
        headers=agent.headers,
        json={"target": "passage", "rating": "accurate"},
    )
    assert r.status_code == 422
    assert '"accurate"' in r.json()["detail"]
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/feedback",
        headers=agent.headers,
        json={"target": "a_guess", "rating": "up"},
    )
    assert r.status_code == 422


def test_transfer_to_a_colleague_assigns_it_to_them(
    runtime: Runtime, client: TestClient, shop, chat: Chat, agent: AgentWithKey
) -> None:  # type: ignore[no-untyped-def]
    _claimed(client, chat, agent)
    colleague = make_agent(runtime.store, shop, name="Sam", status=AgentStatus.ONLINE)
    names = [a["name"] for a in client.get("/v1/agent/colleagues", headers=agent.headers).json()]
    assert names == ["Rita", "Sam"]
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer",
        headers=agent.headers,
        json={"to_agent_id": colleague.agent.id, "note": "billing question"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["assigned_agent_id"] == colleague.agent.id
    assert r.json()["status"] == "assigned"
    # Rita no longer owns it.
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer", headers=agent.headers, json={"skill": "billing"}
    )
    assert r.status_code == 403


def test_transfer_to_the_queue_with_a_skill(client: TestClient, chat: Chat, agent: AgentWithKey) -> None:
    _claimed(client, chat, agent)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer", headers=agent.headers, json={"skill": "billing"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "queued"
    assert r.json()["required_skills"] == ["billing"]
    assert r.json()["assigned_agent_id"] is None
    history = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    assert history[-1]["text"].startswith("I'm passing you to a colleague")


def test_transfer_errors_are_precise(
    runtime: Runtime, client: TestClient, shop, chat: Chat, agent: AgentWithKey
) -> None:  # type: ignore[no-untyped-def]
    escalate(client, chat)
    r = client.post(f"/v1/agent/conversations/{chat.id}/transfer", headers=agent.headers, json={})
    assert r.status_code == 409
    assert "claim it first" in r.json()["detail"]
    client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer",
        headers=agent.headers,
        json={"to_agent_id": "agt_nobody"},
    )
    assert r.status_code == 404
    assert '"agt_nobody"' in r.json()["detail"]
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer",
        headers=agent.headers,
        json={"to_agent_id": agent.agent.id},
    )
    assert r.status_code == 422
    full = make_agent(runtime.store, shop, name="Full", capacity=0, status=AgentStatus.ONLINE)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer",
        headers=agent.headers,
        json={"to_agent_id": full.agent.id},
    )
    assert r.status_code == 409
    assert "capacity" in r.json()["detail"]
    # Nothing changed: Rita still owns it.
    assert runtime.store.get_conversation(chat.id).assigned_agent_id == agent.agent.id
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer",
        headers=agent.headers,
        json={"to_agent_id": full.agent.id, "skill": "billing"},
    )
    assert r.status_code == 422


def test_transfer_to_a_colleague_who_is_away_is_refused_and_nothing_changes(
    runtime: Runtime, client: TestClient, shop, chat: Chat, agent: AgentWithKey
) -> None:  # type: ignore[no-untyped-def]
    """Walkthrough: a transfer to "Hana Kim (away)" said "Conversation transferred.", told the
    customer Hana had joined, and took the conversation out of the queue while nobody saw it."""
    _claimed(client, chat, agent)
    before = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    for status in (AgentStatus.AWAY, AgentStatus.OFFLINE):
        hana = make_agent(runtime.store, shop, name=f"Hana Kim {status}", status=status)
        r = client.post(
            f"/v1/agent/conversations/{chat.id}/transfer",
            headers=agent.headers,
            json={"to_agent_id": hana.agent.id, "note": "security question"},
        )
        assert r.status_code == 409, r.text
        assert r.json()["detail"] == (
            f"Hana Kim {status} is {status}: transfer to the queue with the skill it needs instead, "
            "or to someone online"
        )
        # Nothing changed: Rita still owns it, Hana has nothing, the customer was told nothing.
        conversation = runtime.store.get_conversation(chat.id)
        assert (conversation.status, conversation.assigned_agent_id) == ("assigned", agent.agent.id)
        assert runtime.store.agent_load(hana.agent.id).open_conversations == 0
        after = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
        assert after == before
        assert not any("Hana" in m["text"] for m in after)
    # What the error suggests works: the queue, with the skill.
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer", headers=agent.headers, json={"skill": "security"}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["required_skills"]) == ("queued", ["security"])


def test_reopen_assigns_a_resolved_conversation_to_the_reopening_agent(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    _claimed(client, chat, agent)
    r = client.post(f"/v1/agent/conversations/{chat.id}/reopen", headers=agent.headers)
    assert r.status_code == 409
    assert "only a resolved conversation" in r.json()["detail"]
    client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers, json={"note": "done"})
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/reopen",
        headers=agent.headers,
        json={"note": "customer wrote back"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["status"], body["assigned_agent_id"], body["resolved_at"]) == (
        "assigned",
        agent.agent.id,
        None,
    )
    r = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "thanks!"})
    assert r.status_code == 201, r.text
    history = client.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers).json()
    assert any("reopened this conversation" in m["text"] for m in history)


def test_reopen_refuses_an_agent_at_capacity(
    runtime: Runtime, client: TestClient, shop, chat: Chat, agent: AgentWithKey
) -> None:  # type: ignore[no-untyped-def]
    _claimed(client, chat, agent)
    client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=agent.headers)
    full = make_agent(runtime.store, shop, name="Full", capacity=0, status=AgentStatus.ONLINE)
    r = client.post(f"/v1/agent/conversations/{chat.id}/reopen", headers=full.headers)
    assert r.status_code == 409
    assert "capacity" in r.json()["detail"]
    assert runtime.store.get_conversation(chat.id).status == "resolved"


def test_the_customer_stream_never_carries_a_note_and_the_agent_stream_brings_the_brief(
    runtime: Runtime, live_server
) -> None:  # type: ignore[no-untyped-def]
    import json

    import httpx

    from relaydesk.testing import make_workspace
    from tests.api.helpers import agent_socket, customer_socket, event, next_frame

    shop = make_workspace(runtime.store, slug="stream-desk")
    rita = make_agent(runtime.store, shop, name="Rita", status=AgentStatus.AWAY)
    with httpx.Client(base_url=live_server.base_url, timeout=60) as http:
        started = http.post("/v1/conversations", json={"workspace": "stream-desk"}).json()
        cid, token = started["conversation"]["id"], started["token"]
        headers = {"X-Conversation-Token": token}
        http.post(f"/v1/conversations/{cid}/messages", headers=headers, json={"text": "I want a human"})
        with (
            customer_socket(live_server.ws_url, cid, token) as customer,
            agent_socket(live_server.ws_url, rita.api_key) as desk,
        ):
            next_frame(customer, lambda f: f["type"] == "snapshot")
            next_frame(desk, lambda f: f["type"] == "snapshot")
            assert http.post(f"/v1/agent/conversations/{cid}/claim", headers=rita.headers).status_code == 200
            assigned = next_frame(desk, event("conversation.assigned", assigned_agent_id=rita.agent.id))
            assert assigned["brief"]["conversation_id"] == cid
            assert assigned["brief"]["suggested_reply"].startswith("Hi")
            r = http.post(
                f"/v1/agent/conversations/{cid}/notes", headers=rita.headers, json={"text": "secret reseller"}
            )
            assert r.status_code == 201
            http.post(
                f"/v1/agent/conversations/{cid}/messages", headers=rita.headers, json={"text": "Hello!"}
            )
            seen: list[str] = []

            def until_reply(frame: dict) -> bool:  # type: ignore[type-arg]
                seen.append(json.dumps(frame))
                return event("message.created", role="agent")(frame)

            next_frame(customer, until_reply)
            assert not any("secret reseller" in f for f in seen)
