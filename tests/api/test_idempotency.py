from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.services.runtime import Runtime
from tests.api.conftest import Chat


def test_reposting_with_the_same_key_returns_the_first_result_and_stores_nothing(
    client: TestClient, chat: Chat, runtime: Runtime
) -> None:
    url = f"/v1/conversations/{chat.id}/messages"
    first = client.post(url, headers={**chat.headers, "Idempotency-Key": "abc"}, json={"text": "Hello there"})
    stored = len(runtime.store.messages(chat.id))
    again = client.post(url, headers={**chat.headers, "Idempotency-Key": "abc"}, json={"text": "Hello there"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["message"] == first.json()["message"]
    assert again.json()["replies"] == first.json()["replies"]
    assert len(runtime.store.messages(chat.id)) == stored
    assert len(runtime.store.decisions(chat.id)) == len(runtime.store.decisions(chat.id))


def test_message_is_stored_before_it_is_acknowledged(
    client: TestClient, chat: Chat, runtime: Runtime
) -> None:
    r = client.post(
        f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "Is it stored?"}
    )
    message_id = r.json()["message"]["id"]
    assert runtime.store.get_message(message_id).text == "Is it stored?"


def test_a_message_left_unhandled_by_a_crash_is_handled_on_restart(runtime: Runtime, chat: Chat) -> None:
    from relaydesk.domain.models import Channel, MessageRole

    # Stored (and acknowledged) but the process died before the orchestrator ran.
    message, _ = runtime.store.add_message(
        chat.id, role=MessageRole.CUSTOMER, text="are you there?", channel=Channel.WEB, handled=False
    )
    assert runtime.orchestrator.recover_unhandled() == 1
    replies = runtime.store.replies_to(message.id)
    assert replies and replies[0].role == MessageRole.AI
    assert runtime.orchestrator.recover_unhandled() == 0
