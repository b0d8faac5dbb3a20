"""An admin erases a customer's personal data over the API: only an admin, only in their own
workspace; the answer says what changed, and a repeat changes nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentRole, AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent, make_workspace

EMAIL = "vera@example.test"


@pytest.fixture
def admin(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    return make_agent(runtime.store, shop, name="Ada", status=AgentStatus.AWAY, role=AgentRole.ADMIN)


def _vera(runtime: Runtime, client: TestClient) -> str:
    """Vera (external id crm-42) with a conversation in which she gave her e-mail."""
    started = runtime.desk.start_conversation("shop", external_id="crm-42", name="Vera Lind", email=EMAIL)
    runtime.desk.post_customer_message(started.conversation.id, f"write to me at {EMAIL}")
    return started.conversation.id


def test_an_admin_erases_a_customer_and_a_repeat_changes_nothing(
    runtime: Runtime, client: TestClient, admin: AgentWithKey
) -> None:
    conversation_id = _vera(runtime, client)
    done = client.post("/v1/admin/customers/crm-42/erasure", headers=admin.headers)
    assert done.status_code == 200, done.text
    body = done.json()
    assert (
        body["conversations"] == 1 and body["profile"] == 1 and body["messages"] >= 1 and body["changed"] > 0
    )
    assert {m.text for m in runtime.store.messages(conversation_id)} == {"[erased]"}
    customer = runtime.store.get_customer(body["customer_id"])
    assert customer.name is None and customer.email is None
    again = client.post(f"/v1/admin/customers/{body['customer_id']}/erasure", headers=admin.headers)
    assert again.status_code == 200 and again.json()["changed"] == 0


def test_only_an_admin_of_the_workspace_may_erase(
    runtime: Runtime, client: TestClient, admin: AgentWithKey, agent: AgentWithKey, supervisor: AgentWithKey
) -> None:
    _vera(runtime, client)
    for who in (agent, supervisor):
        refused = client.post("/v1/admin/customers/crm-42/erasure", headers=who.headers)
        assert refused.status_code == 403 and refused.json()["title"] == "Role required"
    elsewhere = make_workspace(runtime.store, slug="elsewhere")
    other_admin = make_agent(runtime.store, elsewhere, status=AgentStatus.AWAY, role=AgentRole.ADMIN)
    unknown = client.post("/v1/admin/customers/crm-42/erasure", headers=other_admin.headers)
    assert unknown.status_code == 404 and "crm-42" in unknown.json()["detail"]
    assert runtime.store.customer_by_external_id(admin.agent.workspace_id, "crm-42").name == "Vera Lind"  # type: ignore[union-attr]


def test_an_erased_customers_chat_link_stops_working(
    runtime: Runtime, client: TestClient, admin: AgentWithKey
) -> None:
    started = runtime.desk.start_conversation("shop", external_id="crm-7", name="Ola Berg")
    headers = {"X-Conversation-Token": started.token}
    cid = started.conversation.id
    assert client.get(f"/v1/conversations/{cid}", headers=headers).status_code == 200
    done = client.post("/v1/admin/customers/crm-7/erasure", headers=admin.headers).json()
    assert done["chat_links"] == 1
    assert client.get(f"/v1/conversations/{cid}", headers=headers).status_code == 403
    posted = client.post(
        f"/v1/conversations/{cid}/messages", headers=headers, json={"text": "I'm ola@x.example"}
    )
    assert posted.status_code == 403
    assert {m.text for m in runtime.store.messages(cid)} <= {"[erased]"}
    again = client.post("/v1/admin/customers/crm-7/erasure", headers=admin.headers).json()
    assert again["chat_links"] == 0 and again["changed"] == 0
