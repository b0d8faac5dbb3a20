"""PostgreSQL cannot store NUL characters; such input is refused with 422, never a 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Chat


def test_nul_characters_anywhere_are_refused_with_422(client: TestClient, shop, chat: Chat, agent) -> None:  # type: ignore[no-untyped-def]
    bad = [
        client.post("/v1/conversations", json={"workspace": shop.slug, "customer": {"name": "A\u0000B"}}),
        client.post("/v1/conversations", json={"workspace": shop.slug, "subject": "\u0000"}),
        client.post("/v1/conversations", json={"workspace": "sh\u0000op"}),
        client.post(
            f"/v1/conversations/{chat.id}/messages",
            headers=chat.headers,
            json={"text": "hi", "idempotency_key": "k\u0000"},
        ),
        client.post(f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "a\u0000b"}),
        client.get("/v1/agent/conversations/conv%00x", headers=agent.headers),
    ]
    for response in bad:
        assert response.status_code in (404, 422), response.text
        assert response.headers["content-type"].startswith("application/problem+json")
