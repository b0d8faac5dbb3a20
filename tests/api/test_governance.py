"""Governance over HTTP: approvals listed and decided by agents with authority; the audit trail in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.api.routes import governance
from relaydesk.governance.actions import ActionSession
from relaydesk.services.runtime import Runtime
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.testing import make_agent
from tests.api.conftest import Chat

CANCEL = {"order_id": "#W6247578", "reason": "no longer needed"}


@pytest.fixture
def gclient(runtime: Runtime) -> Iterator[TestClient]:
    app = create_app(runtime=runtime)
    if not any(getattr(r, "path", "").startswith("/v1/governance") for r in app.routes):
        app.include_router(governance.router)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def held(runtime: Runtime, gclient: TestClient, shop) -> tuple[Chat, str]:  # type: ignore[no-untyped-def]
    SqlCommerceStore(runtime.store.engine).load_json()
    r = gclient.post("/v1/conversations", json={"workspace": shop.slug})
    body = r.json()
    chat = Chat(body["conversation"]["id"], body["token"], {"X-Conversation-Token": body["token"]})
    tools = governance.get_approvals(runtime).tools
    session = ActionSession(chat.id, shop.id)
    tools.call(session, "find_user_id_by_email", {"email": "yusuf.rossi7301@example.com"})
    tools.confirm(session, "cancel_pending_order", CANCEL)
    outcome = tools.call(session, "cancel_pending_order", CANCEL)
    assert outcome.approval_id
    return chat, outcome.approval_id


def test_an_agent_with_authority_approves_over_http_and_the_customer_sees_it(
    runtime: Runtime, gclient: TestClient, shop, held
) -> None:  # type: ignore[no-untyped-def]
    chat, approval_id = held
    senior = make_agent(runtime.store, shop, name="Sam", tier=2)
    listed = gclient.get("/v1/governance/approvals", headers=senior.headers)
    assert listed.status_code == 200 and [a["id"] for a in listed.json()] == [approval_id]
    assert listed.json()[0]["rule"] == "refund_approval" and listed.json()[0]["amount"] == 53.27
    r = gclient.post(
        f"/v1/governance/approvals/{approval_id}/approve", headers=senior.headers, json={"note": "ok"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["decided_by"] == senior.agent.id
    history = gclient.get(f"/v1/conversations/{chat.id}/messages", headers=chat.headers)
    assert any("a member of our team approved cancelling order" in m["text"] for m in history.json())


def test_a_junior_agent_is_forbidden_and_an_unknown_approval_is_not_found(
    runtime: Runtime, gclient: TestClient, shop, held
) -> None:  # type: ignore[no-untyped-def]
    _, approval_id = held
    junior = make_agent(runtime.store, shop, name="June", tier=1)
    r = gclient.post(f"/v1/governance/approvals/{approval_id}/approve", headers=junior.headers)
    assert r.status_code == 403 and "tier 2" in r.json()["detail"]
    assert gclient.post("/v1/governance/approvals/apr_nope/deny", headers=junior.headers).status_code == 404
    assert gclient.get("/v1/governance/approvals").status_code == 401


def test_the_audit_trail_reads_in_plain_words(runtime: Runtime, gclient: TestClient, shop, held) -> None:  # type: ignore[no-untyped-def]
    chat, _ = held
    agent = make_agent(runtime.store, shop, name="Rita")
    r = gclient.get(f"/v1/governance/conversations/{chat.id}/audit", headers=agent.headers)
    assert r.status_code == 200
    headlines = [e["headline"] for e in r.json()]
    assert any("asked a person to approve cancel_pending_order" in h for h in headlines)
    assert all(e["version"] for e in r.json())
