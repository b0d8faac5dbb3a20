"""What an agent reads in the console, in a real browser: priorities as words (3 is the most
urgent, which people used to "P1" misread), escalation reasons as words with the ids kept, a
queued conversation opened read-only before anyone takes it, and each list naming its customer."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.demo.seed import WORKSPACE_SLUG
from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer
from tests.web.test_console import _customer, _desk, _sign_in


def test_priority_and_reason_read_as_words_in_the_queue_and_the_header(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        urgent, _ = _customer(http, "Lex", "I will call my lawyer about this charge")
        high, _ = _customer(http, "Noor", "I want to talk to a person")
    item = page.wait_for_selector(f"#queue button.item[data-id='{urgent}'] .when")
    assert "Urgent priority" in item.inner_text() and "priority 3" not in item.inner_text()
    page.wait_for_selector(f"#queue button.item[data-id='{high}'] .when:has-text('High priority')")

    page.click(f"#queue button.item[data-id='{urgent}']")
    meta = page.wait_for_selector("#conv-meta[data-priority='3']")
    assert "Urgent priority" in meta.inner_text()
    said = "raised a legal or security matter."  # plain words, the id in the title
    assert said in meta.inner_text() and "legal_or_security" not in meta.inner_text()
    title = meta.get_attribute("title") or ""
    assert title.startswith("Urgent priority (3;") and "(rule legal_or_security)" in title
    page.wait_for_selector(f"#brief dd:has-text('{said}')")


def test_a_queued_conversation_opens_read_only_until_the_agent_takes_it(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _customer(http, "Ann", "How long does delivery take?", "I want to talk to a person")
    page.click(f"#queue button.item[data-id='{cid}']")

    # The transcript and the brief, read-only: nothing to write with, and nothing changed.
    page.wait_for_selector("#conv-preview:not([hidden])")
    page.wait_for_selector("#transcript .msg.customer:has-text('How long does delivery take?')")
    page.wait_for_selector("#brief .summary")
    for writing in ("#reply-form", "#note-form", "#follow-up-form", "#resolve-form"):
        assert page.is_hidden(writing), writing  # (a plain agent resolves only what they own)
    assert "(rule " not in page.inner_text("#brief .summary")
    topics = page.locator("#brief dt:has-text('Topics') + dd").inner_text()
    assert topics.startswith("Shipping") and "_" not in topics  # an intent id read as words
    assert "owned by nobody" in page.inner_text("#conv-meta")
    claim = page.locator("#claim")
    assert claim.is_visible() and "primary" in (claim.get_attribute("class") or "")
    conversation = runtime.store.get_conversation(cid)
    assert (conversation.status, conversation.assigned_agent_id) == ("queued", None)
    assert page.locator(f"#queue button.item[data-id='{cid}']").count() == 1

    # Taking it is explicit.
    claim.click()
    page.wait_for_selector("#conv-meta:has-text('owned by you')")
    page.wait_for_selector(f"#mine button.item[data-id='{cid}']")
    assert page.is_hidden("#conv-preview") and page.is_visible("#reply-form")
    assert runtime.store.get_conversation(cid).assigned_agent_id == agent.agent.id


def test_the_lists_name_a_known_customer_and_say_customer_only_for_an_anonymous_one(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")
    known = runtime.desk.start_conversation(WORKSPACE_SLUG, external_id="crm-4711")  # the site's id, no name
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        r = http.post(
            f"/v1/conversations/{known.conversation.id}/messages",
            headers={"X-Conversation-Token": known.token},
            json={"text": "I want to talk to a person"},
        )
        assert r.status_code == 201, r.text
        named, _ = _customer(http, "Ann Lee", "I want to talk to a person")
        r = http.post("/v1/conversations", json={"workspace": WORKSPACE_SLUG})
        anonymous = r.json()["conversation"]["id"]
        r = http.post(
            f"/v1/conversations/{anonymous}/messages",
            headers={"X-Conversation-Token": r.json()["token"]},
            json={"text": "I want to talk to a person"},
        )
        assert r.status_code == 201, r.text
    _sign_in(page, demo_server, agent)

    def who(cid: str) -> str:
        return str(page.wait_for_selector(f"#queue button.item[data-id='{cid}'] .who").inner_text())

    assert who(known.conversation.id) == "crm-4711"
    assert who(named) == "Ann Lee"
    assert who(anonymous) == "Customer"
    page.click(f"#queue button.item[data-id='{known.conversation.id}']")
    page.wait_for_selector("#conv-title:has-text('crm-4711')")
    page.wait_for_selector("#brief dd:has-text('crm-4711')")
