"""The brief the next agent reads after a transfer says who transferred it, to whom, and why."""

from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent
from tests.api.conftest import Chat, escalate


def test_the_brief_after_a_transfer_says_who_passed_it_on_and_their_note(
    runtime: Runtime, client: TestClient, shop, chat: Chat, agent: AgentWithKey
) -> None:  # type: ignore[no-untyped-def]
    escalate(client, chat)
    assert client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers).status_code == 200
    colleague = make_agent(runtime.store, shop, name="Sam", status=AgentStatus.ONLINE)
    r = client.post(
        f"/v1/agent/conversations/{chat.id}/transfer",
        headers=agent.headers,
        json={"to_agent_id": colleague.agent.id, "note": "refund exception, needs a supervisor's yes"},
    )
    assert r.status_code == 200, r.text
    brief = client.get(f"/v1/agent/conversations/{chat.id}/brief", headers=colleague.headers).json()
    assert brief["summary"].endswith(
        "Rita transferred the conversation to Sam: refund exception, needs a supervisor's yes."
    )
