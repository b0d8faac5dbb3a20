"""The company's records of its customers: an admin sets tier and attributes over the API, the
chat cannot, and attributes are bounded so one record cannot break that customer's briefs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import AgentRole, AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent


@pytest.fixture
def admin(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    return make_agent(runtime.store, shop, name="Ada", status=AgentStatus.AWAY, role=AgentRole.ADMIN)


def test_an_admin_creates_and_updates_a_customer_record_the_chat_cannot_touch(
    client: TestClient, admin: AgentWithKey, agent: AgentWithKey, supervisor: AgentWithKey
) -> None:
    body = {"name": "Vera Lind", "email": "vera@example.test", "tier": "vip", "attributes": {"plan": "pro"}}
    created = client.put("/v1/admin/customers/crm-42", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["tier"] == "vip" and created.json()["attributes"] == {"plan": "pro"}

    updated = client.put(
        "/v1/admin/customers/crm-42", headers=admin.headers, json={"attributes": {"orders": 12}}
    )
    assert updated.status_code == 200
    record = updated.json()
    assert record["tier"] == "vip" and record["name"] == "Vera Lind"  # left out: kept
    assert record["attributes"] == {"plan": "pro", "orders": 12}  # merged key by key
    assert client.get("/v1/admin/customers/crm-42", headers=admin.headers).json() == record

    for who in (agent, supervisor):
        refused = client.put("/v1/admin/customers/crm-42", headers=who.headers, json={"tier": "standard"})
        assert refused.status_code == 403 and refused.json()["title"] == "Role required"
    missing = client.get("/v1/admin/customers/crm-7", headers=admin.headers)
    assert missing.status_code == 404 and 'external_id "crm-7"' in missing.json()["detail"]


def test_deep_or_huge_attributes_are_refused_with_where_and_why(
    client: TestClient, admin: AgentWithKey
) -> None:
    def nested(levels: int) -> str:
        return '{"attributes": ' + '{"a": ' * levels + "1" + "}" * levels + "}"

    headers = {**admin.headers, "content-type": "application/json"}
    r = client.put("/v1/admin/customers/crm-1", headers=headers, content=nested(150))
    assert r.status_code == 422, r.text
    assert "attributes.a.a.a is nested deeper than 4 levels" in r.json()["detail"]
    # deeper than the JSON reader's own bound: a 400 saying so, never a 500
    r = client.put("/v1/admin/customers/crm-1", headers=headers, content=nested(5000))
    assert r.status_code == 400 and "nested too deeply" in r.json()["detail"]

    big = {"notes": "x" * 20_000}
    r = client.put("/v1/admin/customers/crm-1", headers=admin.headers, json={"attributes": big})
    assert r.status_code in (413, 422) and "the limit is 16384" in r.text

    long_key = {"k" * 150: 1}
    r = client.put("/v1/admin/customers/crm-1", headers=admin.headers, json={"attributes": long_key})
    assert r.status_code == 422 and "longer than 100 characters" in r.json()["detail"]
    assert (
        client.get("/v1/admin/customers/crm-1", headers=admin.headers).status_code == 404
    )  # nothing written

    fine = {"plan": {"name": "pro", "seats": [1, 2]}}
    assert (
        client.put("/v1/admin/customers/crm-1", headers=admin.headers, json={"attributes": fine}).status_code
        == 201
    )


def test_bad_fields_are_named(client: TestClient, admin: AgentWithKey) -> None:
    r = client.put("/v1/admin/customers/crm-1", headers=admin.headers, json={"tier": "platinum"})
    assert r.status_code == 422 and "tier" in r.json()["detail"]
    r = client.put("/v1/admin/customers/crm-1", headers=admin.headers, json={"rank": 1})
    assert r.status_code == 422 and "rank" in r.json()["detail"]
    r = client.put("/v1/admin/customers/has space", headers=admin.headers, json={})
    assert r.status_code == 422
