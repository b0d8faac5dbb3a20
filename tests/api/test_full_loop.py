"""One whole hybrid conversation over HTTP and WebSocket, and the decision log that explains it."""

from __future__ import annotations

import httpx

from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.api.helpers import agent_socket, customer_socket, event, next_frame


def test_customer_to_ai_to_human_and_back_is_explained_by_the_decision_log(
    runtime: Runtime, live_server
) -> None:
    ws = make_workspace(runtime.store, slug="shop")
    # Rita starts away, so the escalation waits in the queue until she comes online.
    agent = make_agent(runtime.store, ws, name="Rita", status=AgentStatus.AWAY)
    base, wsbase = live_server.base_url, live_server.ws_url

    with httpx.Client(base_url=base, timeout=30) as http:
        started = http.post("/v1/conversations", json={"workspace": "shop", "customer": {"name": "Ada"}})
        assert started.status_code == 201
        conv_id = started.json()["conversation"]["id"]
        customer = {"X-Conversation-Token": started.json()["token"]}

        with (
            customer_socket(wsbase, conv_id, started.json()["token"]) as cws,
            agent_socket(wsbase, agent.api_key) as aws,
        ):
            assert next_frame(cws, lambda f: f["type"] == "snapshot")["messages"] == []
            next_frame(aws, lambda f: f["type"] == "snapshot")

            # 1. The customer asks; the AI replies, and the customer's socket sees both.
            first = http.post(
                f"/v1/conversations/{conv_id}/messages",
                headers=customer,
                json={"text": "Hello, can you help me with something?", "idempotency_key": "m1"},
            )
            assert first.status_code == 201, first.text
            assert [r["role"] for r in first.json()["replies"]] == ["ai"]
            assert first.json()["conversation"]["status"] == "with_ai"
            next_frame(cws, event("message.created", role="customer"))
            ai_reply = next_frame(cws, event("message.created", role="ai"))
            assert ai_reply["data"]["text"] == first.json()["replies"][0]["text"]

            # 2. The customer asks for a person: queued at once, and the agents' socket hears of it.
            second = http.post(
                f"/v1/conversations/{conv_id}/messages",
                headers=customer,
                json={"text": "I'd like to talk to a human please"},
            )
            assert second.status_code == 201
            assert second.json()["conversation"]["status"] == "queued"
            assert second.json()["replies"][0]["role"] == "system"
            next_frame(aws, event("conversation.queued", id=conv_id))
            next_frame(cws, event("conversation.queued"))

            # 3. The agent sees it in the queue, comes online and is given it by the router, and replies.
            queue = http.get("/v1/agent/queue", headers=agent.headers).json()
            assert [c["id"] for c in queue] == [conv_id]
            online = http.put("/v1/agent/me/status", headers=agent.headers, json={"status": "online"})
            assert online.status_code == 200, online.text
            mine = http.get("/v1/agent/conversations", headers=agent.headers).json()
            assert [(c["id"], c["status"]) for c in mine] == [(conv_id, "assigned")]
            next_frame(cws, event("conversation.assigned", assigned_agent_id=agent.agent.id))
            reply = http.post(
                f"/v1/agent/conversations/{conv_id}/messages",
                headers=agent.headers,
                json={"text": "Hi Ada, I'm Rita. I can help with that."},
            )
            assert reply.status_code == 201

            # 4. The customer sees the agent's reply live; the AI stays quiet after the next message.
            seen = next_frame(cws, event("message.created", role="agent"))
            assert seen["data"]["text"] == "Hi Ada, I'm Rita. I can help with that."
            third = http.post(
                f"/v1/conversations/{conv_id}/messages",
                headers=customer,
                json={"text": "Thanks Rita, order 1234 arrived broken."},
            )
            assert third.json()["replies"] == []
            assert third.json()["conversation"]["status"] == "assigned"

            # 5. The agent resolves it.
            resolved = http.post(
                f"/v1/agent/conversations/{conv_id}/resolve",
                headers=agent.headers,
                json={"note": "replacement sent"},
            )
            assert resolved.json()["status"] == "resolved"
            next_frame(cws, event("conversation.resolved"))

        history = http.get(f"/v1/conversations/{conv_id}/messages", headers=customer).json()
        assert [m["role"] for m in history] == [
            "customer",
            "ai",
            "customer",
            "system",
            "system",
            "agent",
            "customer",
            "system",
        ]

        decisions = http.get(f"/v1/agent/conversations/{conv_id}/decisions", headers=agent.headers).json()
        steps = [(d["kind"], d["outcome"]) for d in decisions]
        escalations = [d for d in decisions if d["kind"] == "escalation"]
        assert escalations[0]["outcome"] == "stay_with_ai", (escalations[0], decisions[0])
        assert escalations[1]["outcome"] == "escalate"
        assert escalations[1]["reasons"][0]["family"] == "explicit"
        kinds = [k for k, _ in steps]
        for expected in ("triage", "response", "route", "assignment", "delivery", "resolution"):
            assert expected in kinds, steps
        assert (
            kinds.index("route")
            < kinds.index("assignment")
            < kinds.index("delivery")
            < kinds.index("resolution")
        )
        assert all(d["summary"] for d in decisions)
