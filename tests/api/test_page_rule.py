"""The policy reads where the customer wrote from: a second message from the billing page offers a
person (rule billing_page_asks_again); the same two messages from the help page do not."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import CustomerTier
from relaydesk.governance.policy import parse_policy
from relaydesk.rules_files.reader import PolicyFileError
from relaydesk.services.runtime import Runtime


def _two_messages(client: TestClient, workspace: str, page_url: str) -> list[dict]:
    started = client.post(
        "/v1/conversations",
        json={"workspace": workspace, "page_context": {"page_url": page_url, "page_title": "Account"}},
    ).json()
    headers = {"X-Conversation-Token": started["token"]}
    cid = started["conversation"]["id"]
    client.post(
        f"/v1/conversations/{cid}/messages",
        headers=headers,
        json={"text": "I have a question about my invoice"},
    )
    client.post(
        f"/v1/conversations/{cid}/messages",
        headers=headers,
        json={"text": "there is a line on it I do not get"},
    )
    # the rules that fired are the desk's to read (the customer's history carries no reasons)
    return [{"text": m.text, "metadata": m.metadata} for m in client.app.state.runtime.desk.history(cid)]  # type: ignore[attr-defined]


def _offered_by(messages: list[dict]) -> list[str]:
    return [
        rule
        for m in messages
        if (m.get("metadata") or {}).get("escalation_offer")
        for rule in m["metadata"]["rules"]
    ]


def test_a_second_message_from_the_billing_page_offers_a_person(client: TestClient, shop) -> None:  # type: ignore[no-untyped-def]
    billing = _two_messages(client, shop.slug, "https://shop.example/account/billing")
    assert "billing_page_asks_again" in _offered_by(billing)
    help_page = _two_messages(client, shop.slug, "https://shop.example/help/faq")
    assert "billing_page_asks_again" not in _offered_by(help_page)


def test_a_page_rule_with_a_bad_pattern_is_refused_with_its_line() -> None:
    text = 'version: "t"\nescalation:\n  policy:\n    - id: p\n      kind: page\n      pages: ["(unclosed"]\n'
    with pytest.raises(PolicyFileError, match="bad pattern") as refused:
        parse_policy(text, "policy.yaml")
    assert refused.value.line == 6


def test_only_the_conversations_agent_is_shown_typing(client: TestClient, chat, agent) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import escalate

    escalate(client, chat)
    path = f"/v1/agent/conversations/{chat.id}/typing"
    refused = client.post(path, headers=agent.headers)
    assert refused.status_code == 409 and "not assigned to you" in refused.json()["detail"]
    assert client.post(f"/v1/agent/conversations/{chat.id}/claim", headers=agent.headers).status_code == 200
    assert client.post(path, headers=agent.headers).status_code == 204


def test_a_key_accounts_first_message_is_not_told_sorry_this_is_taking_a_while(
    client: TestClient, shop, runtime: Runtime
) -> None:  # type: ignore[no-untyped-def]
    # the tier is the company's to set (the chat cannot claim it): started by the desk's own code
    started = runtime.desk.start_conversation(shop.slug, name="Vera", tier=CustomerTier.VIP)
    headers = {"X-Conversation-Token": started.token}
    cid = started.conversation.id
    client.post(
        f"/v1/conversations/{cid}/messages",
        headers=headers,
        json={"text": "Hello, I have a question about my order"},
    )
    offers = [
        {"text": m.text, "metadata": m.metadata}
        for m in runtime.desk.history(cid)
        if (m.metadata or {}).get("escalation_offer")
    ]
    public = client.get(f"/v1/conversations/{cid}/messages", headers=headers).json()
    assert [m["metadata"] for m in public if m["metadata"].get("escalation_offer")] == [
        {"escalation_offer": True}
    ]
    assert offers and "key_account" in offers[0]["metadata"]["rules"]
    assert "taking a while" not in offers[0]["text"] and "at any time" in offers[0]["text"]
