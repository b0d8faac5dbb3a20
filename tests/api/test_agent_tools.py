"""Agents run the store's governed tools over HTTP, under their own name; approvals go to an agent
with the authority and show the flow's context."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentStatus
from relaydesk.governance.actions import ActionSession
from relaydesk.services.runtime import Runtime
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.testing import AgentWithKey, make_agent, make_workspace
from tests.api.conftest import Chat, escalate
from tests.api.helpers import agent_socket, event, next_frame

JAMES = "james.lee4131@example.com"
SMALL_CANCEL = {"order_id": "#W5356919", "reason": "no longer needed"}  # 45.90: within the limit
YUSUF = "yusuf.rossi7301@example.com"
BIG_CANCEL = {"order_id": "#W6247578", "reason": "no longer needed"}  # 53.27: above the 50 limit


@pytest.fixture
def repo(runtime: Runtime) -> SqlCommerceStore:
    repo = SqlCommerceStore(runtime.store.engine)
    repo.load_json()
    return repo


@pytest.fixture
def maya(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    return make_agent(runtime.store, shop, name="Maya Okafor", tier=1, status=AgentStatus.AWAY)


def run(
    client: TestClient, who: AgentWithKey, chat: Chat, tool: str, args: dict[str, Any], **body: Any
) -> Any:
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/tools",
        headers=who.headers,
        json={"tool": tool, "args": args, **body},
    )
    assert r.status_code == 200, r.text
    return r.json()


def claim(client: TestClient, who: AgentWithKey, chat: Chat) -> None:
    r = client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=who.headers)
    assert r.status_code == 200, r.text


def refused(
    client: TestClient, who: AgentWithKey, chat: Chat, tool: str, args: dict[str, Any], **body: Any
) -> Any:
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/tools",
        headers=who.headers,
        json={"tool": tool, "args": args, **body},
    )
    assert r.status_code in (403, 409), r.text
    return r


def tool_decisions(runtime: Runtime, chat: Chat) -> list[Any]:
    return [d for d in runtime.store.decisions(chat.id) if d.kind in ("tool_call", "confirmation")]


def decisions(client: TestClient, who: AgentWithKey, chat: Chat) -> list[dict[str, Any]]:
    r = client.get(f"/v1/agent/conversations/{chat.id}/decisions", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_the_tools_are_listed_with_their_risk_and_whether_they_change_records(
    client: TestClient, maya: AgentWithKey
) -> None:
    r = client.get("/v1/agent/tools", headers=maya.headers)
    assert r.status_code == 200, r.text
    tools = {t["name"]: t for t in r.json()}
    assert tools["cancel_pending_order"] == {
        "name": "cancel_pending_order",
        "description": "Cancel a pending order and refund it.",
        "params": ["order_id", "reason"],
        "risk": "high",
        "consequential": True,
    }
    assert tools["get_order_details"]["consequential"] is False
    assert "find_user_id_by_name_zip" in tools
    assert client.get("/v1/agent/tools").status_code == 401


def test_an_agent_verifies_looks_up_and_cancels_a_confirmed_order_under_their_name(
    client: TestClient, chat: Chat, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:
    claim(client, maya, chat)
    found = run(client, maya, chat, "find_user_id_by_email", {"email": JAMES})
    assert found["status"] == "executed" and found["result"] == "james_lee_5010"
    order = run(client, maya, chat, "get_order_details", {"order_id": "#W5356919"})
    assert order["status"] == "executed" and order["result"]["status"] == "pending"
    cancelled = run(client, maya, chat, "cancel_pending_order", SMALL_CANCEL, customer_confirmed=True)
    assert cancelled["status"] == "executed" and cancelled["confirmation_recorded"] is True
    assert repo.order("#W5356919").status == "cancelled"  # type: ignore[union-attr]
    logged = decisions(client, maya, chat)
    actor = {"kind": "agent", "id": maya.agent.id, "name": "Maya Okafor", "tier": 1}
    calls = [d for d in logged if d["kind"] in ("tool_call", "confirmation")]
    assert [(d["kind"], d["outcome"]) for d in calls] == [
        ("tool_call", "executed"),
        ("tool_call", "executed"),
        ("confirmation", "confirmed"),
        ("tool_call", "executed"),
    ]
    assert all(d["inputs"]["actor"] == actor for d in calls)
    assert calls[0]["summary"].startswith("Maya Okafor verified the customer as james_lee_5010")
    assert "Maya Okafor confirmed cancel_pending_order" in calls[2]["summary"]
    assert calls[2]["inputs"]["on_behalf_of"] == "customer"
    assert calls[3]["summary"].startswith("Maya Okafor ran cancel_pending_order")
    assert not any("The AI" in d["summary"] for d in calls)


def test_a_consequential_call_without_the_customers_confirmation_is_refused_by_the_rule(
    client: TestClient, chat: Chat, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:
    claim(client, maya, chat)
    run(client, maya, chat, "find_user_id_by_email", {"email": JAMES})
    refused = run(client, maya, chat, "cancel_pending_order", SMALL_CANCEL)
    assert refused["status"] == "refused" and refused["rule"] == "confirmation_required"
    assert refused["confirmation_recorded"] is False
    assert any(c["rule"] == "confirmation_required" and not c["passed"] for c in refused["checks"])
    assert repo.order("#W5356919").status == "pending"  # type: ignore[union-attr]
    assert "Maya Okafor did not run cancel_pending_order" in decisions(client, maya, chat)[-1]["summary"]


def test_the_customer_the_ai_verified_stays_verified_for_the_agent(
    runtime: Runtime, client: TestClient, chat: Chat, shop, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:  # type: ignore[no-untyped-def]
    tools = runtime.approvals.tools
    assert tools.call(ActionSession(chat.id, shop.id), "find_user_id_by_email", {"email": JAMES}).accepted
    claim(client, maya, chat)
    looked_up = run(client, maya, chat, "get_order_details", {"order_id": "#W5356919"})
    assert looked_up["status"] == "executed"
    someone_elses = run(client, maya, chat, "get_order_details", {"order_id": "#W6247578"})
    assert someone_elses["status"] == "refused" and someone_elses["rule"] == "own_records_only"


def test_over_the_limit_a_tier_1_agent_asks_for_approval_and_a_tier_2_agent_runs_it(
    runtime: Runtime, client: TestClient, chat: Chat, shop, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:  # type: ignore[no-untyped-def]
    claim(client, maya, chat)
    run(client, maya, chat, "find_user_id_by_email", {"email": YUSUF})
    held = run(client, maya, chat, "cancel_pending_order", BIG_CANCEL, customer_confirmed=True)
    assert held["status"] == "needs_approval" and held["rule"] == "refund_approval" and held["approval_id"]
    assert repo.order("#W6247578").status == "pending"  # type: ignore[union-attr]
    assert decisions(client, maya, chat)[-1]["summary"].startswith("Maya Okafor asked a person to approve")

    lucas = make_agent(runtime.store, shop, name="Lucas Ferreira", tier=2, status=AgentStatus.AWAY)
    assert client.post(f"/v1/agent/conversations/{chat.id}/handback", headers=maya.headers).status_code == 200
    claim(client, lucas, chat)  # the customer Maya verified stays verified for a colleague
    done = run(client, lucas, chat, "cancel_pending_order", BIG_CANCEL, customer_confirmed=True)
    assert done["status"] == "executed" and done["approval_id"] is None
    assert repo.order("#W6247578").status == "cancelled"  # type: ignore[union-attr]
    assert any(c["rule"] == "refund_approval" and c["passed"] for c in done["checks"])
    last = decisions(client, lucas, chat)[-1]
    assert last["summary"].startswith(
        "Lucas Ferreira ran cancel_pending_order on their own authority (tier 2)"
    )
    assert last["inputs"]["approved_by"] == lucas.agent.id and last["inputs"]["actor"]["id"] == lucas.agent.id


def test_an_unknown_tool_and_wrong_arguments_are_refused_naming_them(
    client: TestClient, chat: Chat, maya: AgentWithKey
) -> None:
    claim(client, maya, chat)
    url = f"/v1/agent/conversations/{chat.id}/tools"
    unknown = client.post(url, headers=maya.headers, json={"tool": "refund_everything", "args": {}})
    assert unknown.status_code == 422 and 'no tool called "refund_everything"' in unknown.json()["detail"]
    missing = client.post(
        url, headers=maya.headers, json={"tool": "cancel_pending_order", "args": {"order_id": "x"}}
    )
    assert missing.status_code == 422 and "cancel_pending_order needs reason" in missing.json()["detail"]
    extra = client.post(
        url, headers=maya.headers, json={"tool": "get_order_details", "args": {"order_id": "x", "order": "x"}}
    )
    assert extra.status_code == 422 and "does not take order" in extra.json()["detail"]
    typed = client.post(
        url, headers=maya.headers, json={"tool": "get_order_details", "args": {"order_id": 5}}
    )
    assert typed.status_code == 422 and '"order_id" must be a non-empty text' in typed.json()["detail"]
    flag = client.post(
        url, headers=maya.headers, json={"tool": "calculate", "args": {}, "customer_confirmed": "yes"}
    )
    assert flag.status_code == 422


def test_a_conversation_of_another_workspace_is_not_found(
    runtime: Runtime, client: TestClient, chat: Chat
) -> None:
    stranger = make_agent(runtime.store, make_workspace(runtime.store, slug="elsewhere"), name="Stranger")
    body = {"tool": "calculate", "args": {"expression": "1+1"}}
    r = client.post(f"/v1/agent/conversations/{chat.id}/tools", headers=stranger.headers, json=body)
    assert r.status_code == 404 and chat.id in r.json()["detail"]
    r = client.post("/v1/agent/conversations/cnv_nope/tools", headers=stranger.headers, json=body)
    assert r.status_code == 404
    assert not [d for d in runtime.store.decisions(chat.id) if d.kind == "tool_call"]


def test_an_approval_goes_to_the_qualified_agent_and_shows_the_flows_context(
    runtime: Runtime, client: TestClient, chat: Chat, shop, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:  # type: ignore[no-untyped-def]
    ava = make_agent(runtime.store, shop, name="Ava", tier=2, skills={"approvals": 0.9})
    sam = make_agent(runtime.store, shop, name="Sam", tier=3)
    for text in ("hi", "please cancel W6247578", "my email is " + YUSUF):
        client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": text})
    claim(client, maya, chat)
    run(client, maya, chat, "find_user_id_by_email", {"email": YUSUF})
    held = run(client, maya, chat, "cancel_pending_order", BIG_CANCEL, customer_confirmed=True)

    mine = client.get("/v1/governance/approvals", params={"mine": "true"}, headers=ava.headers).json()
    assert [a["id"] for a in mine] == [held["approval_id"]]
    approval = mine[0]
    assert approval["assigned_agent_id"] == ava.agent.id and approval["due_at"] is not None
    # Maya's own call, made while the AI's cancel flow was in progress: the approver sees that flow
    assert approval["flow"]["name"] == "cancel_order" and approval["flow"]["step"].startswith("step ")
    assert approval["flow"]["slots"]["order_id"] == "#W6247578"
    transcript = runtime.store.messages(chat.id)
    assert [m["text"] for m in approval["recent_messages"]] == [m.text for m in transcript[-6:]]
    assert client.get("/v1/governance/approvals", params={"mine": "true"}, headers=sam.headers).json() == []
    everyone = client.get("/v1/governance/approvals", headers=sam.headers).json()
    assert [a["id"] for a in everyone] == [held["approval_id"]]
    refused = client.post(f"/v1/governance/approvals/{held['approval_id']}/approve", headers=maya.headers)
    assert refused.status_code == 403  # tier 1
    approved = client.post(f"/v1/governance/approvals/{held['approval_id']}/approve", headers=sam.headers)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert repo.order("#W6247578").status == "cancelled"  # type: ignore[union-attr]


def test_only_the_agent_it_is_offered_to_hears_of_it(
    runtime: Runtime, live_server, shop, repo: SqlCommerceStore
) -> None:  # type: ignore[no-untyped-def]
    import httpx

    ava = make_agent(runtime.store, shop, name="Ava", tier=2, skills={"approvals": 0.9})
    sam = make_agent(runtime.store, shop, name="Sam", tier=2)
    maya = make_agent(runtime.store, shop, name="Maya Okafor", tier=1, status=AgentStatus.AWAY)
    with httpx.Client(base_url=live_server.base_url) as http:
        started = http.post("/v1/conversations", json={"workspace": shop.slug}).json()
        chat = Chat(
            started["conversation"]["id"], started["token"], {"X-Conversation-Token": started["token"]}
        )
        assert http.post(f"/v1/agent/conversations/{chat.id}/claim", headers=maya.headers).status_code == 200
        with (
            agent_socket(live_server.ws_url, ava.api_key) as ava_ws,
            agent_socket(live_server.ws_url, sam.api_key) as sam_ws,
        ):
            for ws in (ava_ws, sam_ws):
                next_frame(ws, lambda f: f.get("type") == "snapshot")
            url = f"/v1/agent/conversations/{chat.id}/tools"
            http.post(
                url, headers=maya.headers, json={"tool": "find_user_id_by_email", "args": {"email": YUSUF}}
            )
            body = {"tool": "cancel_pending_order", "args": BIG_CANCEL, "customer_confirmed": True}
            approval_id = http.post(url, headers=maya.headers, json=body).json()["approval_id"]
            offered = next_frame(ava_ws, event("approval.assigned", approval_id=approval_id))
            assert (
                offered["data"]["agent_id"] == ava.agent.id and offered["data"]["rule"] == "refund_approval"
            )
            http.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "thanks"})
            seen: list[str] = []

            def until_the_message(frame: dict[str, Any]) -> bool:
                seen.append(frame.get("event", ""))
                return frame.get("event") == "message.created"

            next_frame(sam_ws, until_the_message)
            assert "approval.assigned" not in seen


# -- who may run tools: only the agent the conversation is assigned to -------------------------------
OMAR = "omar.kim8981@example.com"
OMARS_ORDER = "#W1080318"  # pending
OMARS_CANCEL = {"order_id": OMARS_ORDER, "reason": "no longer needed"}
ADDRESS = {
    "address1": "1 Elm Street",
    "address2": "",
    "city": "Jacksonville",
    "state": "FL",
    "country": "USA",
    "zip": "32214",
}


def test_an_agent_may_not_run_tools_in_a_conversation_assigned_to_nobody(
    runtime: Runtime, client: TestClient, chat: Chat, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:
    with_ai = refused(client, maya, chat, "find_user_id_by_email", {"email": OMAR})
    assert with_ai.status_code == 409 and with_ai.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert with_ai.json()["detail"] == (
        f'Conversation "{chat.id}" is with the AI, not assigned to you; claim it first: agents run '
        "tools, read-only ones too, only in conversations assigned to them"
    )
    assert with_ai.json()["status"] == 409 and with_ai.json()["conversation_id"] == chat.id

    escalate(client, chat)
    write = refused(client, maya, chat, "cancel_pending_order", OMARS_CANCEL, customer_confirmed=True)
    assert write.status_code == 409
    assert (
        f'Conversation "{chat.id}" is queued, not assigned to you; claim it first' in write.json()["detail"]
    )
    assert write.json()["status"] == 409
    assert refused(client, maya, chat, "get_order_details", {"order_id": OMARS_ORDER}).status_code == 409

    assert tool_decisions(runtime, chat) == []  # nothing ran, nothing was confirmed or logged
    assert repo.order(OMARS_ORDER).status == "pending"  # type: ignore[union-attr]


def test_an_agent_may_not_run_tools_in_another_agents_conversation(
    runtime: Runtime, client: TestClient, chat: Chat, shop, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:  # type: ignore[no-untyped-def]
    ava = make_agent(runtime.store, shop, name="Ava Chen", tier=3, status=AgentStatus.AWAY)
    claim(client, ava, chat)
    for tool, args in (
        ("find_user_id_by_email", {"email": OMAR}),
        ("get_order_details", {"order_id": OMARS_ORDER}),
        ("cancel_pending_order", OMARS_CANCEL),
    ):
        r = refused(client, maya, chat, tool, args, customer_confirmed=tool == "cancel_pending_order")
        assert r.status_code == 403, tool
        assert r.json()["detail"] == (
            f'Conversation "{chat.id}" is assigned to Ava Chen ({ava.agent.id}); only the agent it is '
            "assigned to may run tools in it, read-only ones too"
        )
        assert r.json()["assigned_agent_id"] == ava.agent.id
    assert tool_decisions(runtime, chat) == []
    assert repo.order(OMARS_ORDER).status == "pending"  # type: ignore[union-attr]

    found = run(client, ava, chat, "find_user_id_by_email", {"email": OMAR})  # the assignee may
    assert found["status"] == "executed" and found["result"] == "omar_kim_3528"


def test_a_resolved_conversation_runs_no_tools(
    runtime: Runtime, client: TestClient, chat: Chat, maya: AgentWithKey
) -> None:
    claim(client, maya, chat)
    assert client.post(f"/v1/agent/conversations/{chat.id}/resolve", headers=maya.headers).status_code == 200
    r = refused(client, maya, chat, "calculate", {"expression": "1+1"})
    assert r.status_code == 409 and "is resolved, not assigned to you" in r.json()["detail"]
    assert tool_decisions(runtime, chat) == []


def test_a_customer_the_agent_verified_is_not_verified_for_the_ai_after_the_hand_back(
    runtime: Runtime, client: TestClient, chat: Chat, maya: AgentWithKey, repo: SqlCommerceStore
) -> None:
    claim(client, maya, chat)
    assert run(client, maya, chat, "find_user_id_by_email", {"email": OMAR})["result"] == "omar_kim_3528"
    assert run(client, maya, chat, "get_order_details", {"order_id": OMARS_ORDER})["status"] == "executed"
    changed = run(
        client,
        maya,
        chat,
        "modify_pending_order_address",
        {"order_id": OMARS_ORDER, **ADDRESS},
        customer_confirmed=True,
    )
    assert changed["status"] == "executed"
    r = client.post(f"/v1/agent/conversations/{chat.id}/handback", headers=maya.headers)
    assert r.status_code == 200 and r.json()["status"] == "with_ai"

    for text in (f"where is my order {OMARS_ORDER}", f"cancel order {OMARS_ORDER}"):
        r = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": text})
        assert r.status_code in (200, 201), r.text
        replies = [m for m in r.json()["replies"] if m["metadata"].get("flow")]
        assert replies and replies[-1]["metadata"].get("asks") == "identity", r.json()["replies"]
        said = " ".join(m["text"] for m in r.json()["replies"])
        assert "pending" not in said.lower() and "omar" not in said.lower()
        assert r.json()["conversation"]["status"] == "with_ai"
    assert repo.order(OMARS_ORDER).status == "pending"  # type: ignore[union-attr]
    # Maya's look-up stays in the audit trail, under her name
    logged = [d for d in decisions(client, maya, chat) if d["kind"] == "tool_call"]
    assert logged[0]["summary"].startswith("Maya Okafor verified the customer as omar_kim_3528")
