"""PostgreSQL cannot store NUL characters: such input is refused with 422, never a 500; nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import Workspace
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey
from tests.api.conftest import Chat


def _assert_422_naming(response: Any, *words: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and body["title"] == "Invalid input"
    for word in words:
        assert word.lower() in body["detail"].lower(), body


@pytest.mark.parametrize(
    "body, field",
    [
        ({"customer": {"name": "A\u0000B"}}, "customer"),
        ({"subject": "\u0000"}, "subject"),
        ({"workspace": "sh\u0000op"}, "workspace"),
    ],
)
def test_a_nul_in_a_new_conversation_is_422_naming_the_field(
    client: TestClient, shop: Workspace, body: dict[str, object], field: str
) -> None:
    _assert_422_naming(client.post("/v1/conversations", json={"workspace": shop.slug, **body}), field, "NUL")


@pytest.mark.parametrize(
    "body, field",
    [({"text": "hi", "idempotency_key": "k\u0000"}, "idempotency_key"), ({"text": "a\u0000b"}, "text")],
)
def test_a_nul_in_a_message_is_422_naming_the_field_and_stores_nothing(
    client: TestClient, chat: Chat, runtime: Runtime, body: dict[str, str], field: str
) -> None:
    before = [m.id for m in runtime.store.messages(chat.id)]
    r = client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json=body)
    _assert_422_naming(r, field, "NUL")
    assert [m.id for m in runtime.store.messages(chat.id)] == before


def test_a_nul_in_an_id_in_the_path_is_422_naming_the_parameter(
    client: TestClient, chat: Chat, agent: AgentWithKey
) -> None:
    """An id in a path has a declared format (letters, digits, ``_`` and ``-``); one with a NUL breaks
    it, so the request is malformed (422 naming the parameter), not a search for an unknown id (404)."""
    _assert_422_naming(
        client.get("/v1/agent/conversations/conv%00x", headers=agent.headers), "conversation_id"
    )
    _assert_422_naming(client.get(f"/v1/conversations/{chat.id}%00", headers=chat.headers), "conversation_id")
