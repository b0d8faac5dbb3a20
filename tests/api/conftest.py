from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.domain.models import AgentRole, AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent, make_workspace


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as c:
        yield c


@dataclass
class Chat:
    id: str
    token: str
    headers: dict[str, str]


@pytest.fixture
def shop(runtime: Runtime):  # type: ignore[no-untyped-def]
    return make_workspace(runtime.store, slug="shop")


@pytest.fixture
def agent(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    """Away: escalations wait in the queue for the test to claim (routing is tested in tests/routing)."""
    return make_agent(runtime.store, shop, name="Rita", status=AgentStatus.AWAY)


@pytest.fixture
def supervisor(runtime: Runtime, shop) -> AgentWithKey:  # type: ignore[no-untyped-def]
    """A supervisor (away): may change the knowledge sources and read the reports."""
    return make_agent(runtime.store, shop, name="Sam", status=AgentStatus.AWAY, role=AgentRole.SUPERVISOR)


@pytest.fixture
def chat(client: TestClient, shop) -> Chat:  # type: ignore[no-untyped-def]
    r = client.post("/v1/conversations", json={"workspace": shop.slug})
    assert r.status_code == 201
    body = r.json()
    return Chat(body["conversation"]["id"], body["token"], {"X-Conversation-Token": body["token"]})


def escalate(client: TestClient, chat: Chat) -> None:
    r = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        json={"text": "Please let me speak to a human"},
    )
    assert r.json()["conversation"]["status"] == "queued", r.text
