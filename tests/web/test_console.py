"""The agent console in a real browser against the real server with the demo store: sign in, a
customer's escalation arriving live, the brief and co-pilot, reply, internal notes, ratings,
resolve and reopen, approvals, a stale tab, and script injection shown as text."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from relaydesk.demo.canned import seed_canned_replies
from relaydesk.demo.seed import WORKSPACE_SLUG
from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent
from tests.conftest import LiveServer
from tests.web.conftest import VIEWPORTS, check_accessibility, screenshot, watch_dialogs

EVIL_NAME = "<img src=x onerror=alert('name')>Eve"
EVIL_TEXT = "<script>alert('message')</script>"
KEEP_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); }
  };
})();
"""
EVIL_NOTE = "<img src=x onerror=alert('note')> reseller, check the contract"


def _desk(runtime: Runtime, **agent: Any) -> AgentWithKey:
    """The demo workspace with its own agents offline (so escalations wait in the queue for the
    test), and a new agent who is away (takes conversations only by hand)."""
    workspace = runtime.store.workspace_by_slug(WORKSPACE_SLUG)
    for other in runtime.store.list_agents(workspace.id):
        runtime.store.set_agent_status(other.id, AgentStatus.OFFLINE)
    seed_canned_replies(runtime, workspace.id)
    agent.setdefault("status", AgentStatus.AWAY)
    return make_agent(runtime.store, workspace, **agent)


def _sign_in(page: Any, server: LiveServer, agent: AgentWithKey) -> None:
    page.goto(f"{server.base_url}/console")
    page.fill("#api-key", agent.api_key)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#app:not([hidden])")
    page.wait_for_selector("#live.on")


def _customer(http: httpx.Client, name: str, *texts: str) -> tuple[str, dict[str, str]]:
    r = http.post("/v1/conversations", json={"workspace": WORKSPACE_SLUG, "customer": {"name": name}})
    assert r.status_code == 201, r.text
    body = r.json()
    headers = {"X-Conversation-Token": body["token"]}
    for text in texts:
        r = http.post(
            f"/v1/conversations/{body['conversation']['id']}/messages", headers=headers, json={"text": text}
        )
        assert r.status_code == 201, r.text
    return body["conversation"]["id"], headers


def _until(check: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    """Poll ``check`` (an API read) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s: {what}")


def test_signed_out_console_is_accessible(page: Any, demo_server: LiveServer) -> None:
    page.goto(f"{demo_server.base_url}/console")
    page.wait_for_selector("#api-key")
    screenshot(page, "console-signin")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)
    page.fill("#api-key", "not-a-key")
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#signin-error:has-text('matches no agent')")


def test_an_escalation_is_taken_answered_noted_rated_resolved_and_reopened(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")
    dialogs = watch_dialogs(page)
    _sign_in(page, demo_server, agent)
    assert page.inner_text("#me-name").startswith("Nadia Park")
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, customer = _customer(http, EVIL_NAME, f"I want to talk to a person {EVIL_TEXT}")
        # It appears in the queue live, with the customer's name and first request as text.
        item = page.wait_for_selector(f"#queue button.item[data-id='{cid}']")
        assert EVIL_NAME in item.inner_text()
        assert EVIL_TEXT in item.inner_text()
        item.click()  # a preview; taking it is its own step
        page.click("#conv-preview:not([hidden]) ~ .actions #claim")
        page.wait_for_selector("#conv-meta:has-text('owned by you')")
        page.wait_for_selector("#brief .summary")
        page.wait_for_selector("#co-suggestion .card-text")
        suggestion = page.inner_text("#co-suggestion .card-text")
        assert suggestion.startswith("Hi")
        page.click("#co-suggestion button.insert")
        assert page.input_value("#reply") == suggestion
        page.focus("#reply")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("#transcript .msg.agent")

        def agent_reply() -> bool:
            messages = http.get(f"/v1/conversations/{cid}/messages", headers=customer).json()
            return any(m["role"] == "agent" and m["text"] == suggestion for m in messages)

        _until(agent_reply, "the customer sees the agent's reply")

        page.fill("#note", EVIL_NOTE)
        page.click("#add-note")
        note = page.wait_for_selector("#transcript .msg.note")
        assert EVIL_NOTE in note.inner_text()
        messages = http.get(f"/v1/conversations/{cid}/messages", headers=customer).json()
        assert all("reseller" not in m["text"] for m in messages)

        page.click("#co-suggestion button.rate >> nth=0")
        page.wait_for_selector("#co-suggestion button.rate[aria-pressed=true]")
        feedback = http.get(f"/v1/agent/conversations/{cid}/feedback", headers=agent.headers).json()
        assert [(f["target"], f["rating"]) for f in feedback] == [("suggested_reply", "up")]
        assert feedback[0]["policy_version"] and feedback[0]["model_version"]

        screenshot(page, "console")
        problems = check_accessibility(page)
        assert problems == [], json.dumps(problems, indent=1)

        page.fill("#resolve-note", "Answered in person")
        page.click("#resolve")
        page.wait_for_selector("#conv-meta:has-text('Status: resolved')")
        page.click("#reopen")
        page.wait_for_selector("#conv-meta:has-text('Status: assigned')")
        assert runtime.store.get_conversation(cid).assigned_agent_id == agent.agent.id
    assert dialogs == []


def test_the_agent_rates_an_ai_reply_and_the_rating_keeps_its_versions(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _customer(http, "Ann", "How long does delivery take?", "I want to talk to a person")
        page.wait_for_selector(
            f"#queue button.item[data-id='{cid}'], #mine button.item[data-id='{cid}']"
        ).click()
        if runtime.store.get_conversation(cid).status == "queued":
            page.click("#conv-preview:not([hidden]) ~ .actions #claim")
        page.wait_for_selector("#conv-meta:has-text('owned by you')")
        # a locator, found again at the click: the transcript may be drawn again meanwhile (the
        # conversation's messages arrive on the stream and from its first page)
        rating = page.locator("#transcript .msg.ai [role=group][aria-label='Rate this AI reply']").first
        rating.locator("button:has-text('Partly')").click()
        page.wait_for_selector("#transcript .msg.ai button[aria-pressed=true]")
        feedback = http.get(f"/v1/agent/conversations/{cid}/feedback", headers=agent.headers).json()
        [given] = [f for f in feedback if f["target"] == "ai_reply"]
        first_ai = next(m for m in runtime.store.messages(cid) if m.role == "ai")
        assert (given["rating"], given["target_ref"]) == ("partly", first_ai.id)
        assert given["model_version"]  # stored with what wrote the reply


def test_a_stale_tab_cannot_take_a_conversation_someone_else_took(
    runtime: Runtime, browser: Any, demo_server: LiveServer
) -> None:
    first = _desk(runtime, name="First Agent")
    second = _desk(runtime, name="Second Agent")
    contexts = [browser.new_context(viewport=VIEWPORTS["desktop"]) for _ in range(2)]
    try:
        pages = [c.new_page() for c in contexts]
        pages[1].add_init_script(KEEP_SOCKETS)
        _sign_in(pages[0], demo_server, first)
        _sign_in(pages[1], demo_server, second)
        with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
            cid, _ = _customer(http, "Rosa", "Please get me a human")
        for p in pages:
            p.wait_for_selector(f"#queue button.item[data-id='{cid}']")
        # The second tab goes stale: it misses the stream's events, so its list still shows it.
        pages[1].evaluate("() => window.__sockets.forEach((s) => { s.onmessage = null; })")
        pages[0].click(f"#queue button.item[data-id='{cid}']")
        pages[0].click("#conv-preview:not([hidden]) ~ .actions #claim")
        pages[0].wait_for_selector("#conv-meta:has-text('owned by you')")
        assert pages[1].query_selector(f"#queue button.item[data-id='{cid}']") is not None
        pages[1].click(f"#queue button.item[data-id='{cid}']")
        pages[1].click("#claim")  # the preview reads it fresh, but the stale list still offers it
        pages[1].wait_for_selector("#notice.error:has-text('Someone else already took this conversation')")
        pages[1].wait_for_selector(f"#queue button.item[data-id='{cid}']", state="detached")
        assert runtime.store.get_conversation(cid).assigned_agent_id == first.agent.id
    finally:
        for c in contexts:
            c.close()


def test_an_agent_approves_a_cancellation_over_the_limit_and_the_customer_is_told(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    from relaydesk.storage.commerce_store import SqlCommerceStore

    approver = _desk(runtime, name="Lena Approver", tier=3, status=AgentStatus.ONLINE)
    dialogs = watch_dialogs(page)
    _sign_in(page, demo_server, approver)
    order_id = "#W5918442"  # pending, $1,463.70, sofia_rossi_8776
    email = _user_email(runtime, "sofia_rossi_8776")
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, customer = _customer(
            http, "Sofia Rossi", f"Please cancel order {order_id}", email, "no longer needed", "yes"
        )
        approval = page.wait_for_selector("#approvals li.approval", timeout=20000)
        assert "cancel pending order" in approval.inner_text()
        page.fill("#approvals li.approval input", "Long-standing customer, refund approved")
        page.click("#approvals li.approval button.primary")
        page.wait_for_selector("#notice:has-text('Approval approved')")

        def told() -> bool:
            messages = http.get(f"/v1/conversations/{cid}/messages", headers=customer).json()
            return any("cancel" in m["text"].lower() and m["role"] != "customer" for m in messages[-2:])

        _until(told, "the customer is told")
    order = SqlCommerceStore(runtime.store.engine).order(order_id)
    assert order is not None and order.status == "cancelled"
    assert dialogs == []


def _user_email(runtime: Runtime, user_id: str) -> str:
    from relaydesk.storage.commerce_store import SqlCommerceStore

    user = SqlCommerceStore(runtime.store.engine).user(user_id)
    assert user is not None
    return user.email


def test_keyboard_and_the_customer_orders_with_governed_actions(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Kim Keys")
    _sign_in(page, demo_server, agent)
    email = _user_email(runtime, "sofia_rossi_8776")
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _customer(http, "Sofia Rossi", "I want to talk to a person about my order")
    page.wait_for_selector(f"#queue button.item[data-id='{cid}']")
    page.keyboard.press("?")
    page.wait_for_selector("#shortcuts[open]")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('shortcuts').open")
    page.locator("body").focus()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.id") == cid
    page.keyboard.press("Enter")  # opens it read-only
    page.wait_for_selector("#conv-preview:not([hidden])")
    page.locator("body").focus()
    page.keyboard.press("t")  # takes it
    page.wait_for_selector("#conv-meta:has-text('owned by you')")
    page.wait_for_function("document.activeElement.id === 'conversation'")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reply"
    page.keyboard.type("no shortcut fires here: n j k ?")
    assert not page.is_visible("#shortcuts")
    assert page.input_value("#reply") == "no shortcut fires here: n j k ?"

    page.fill("#lookup-email", email)
    page.click("#lookup-form button")
    order = page.wait_for_selector("#orders li.order:has-text('#W5918442')")
    assert "pending" in order.inner_text()
    order.query_selector("button.danger").click()  # the customer has not confirmed
    refused = page.wait_for_selector("#orders li.order:has-text('#W5918442') .tool-result.bad")
    assert refused.inner_text().startswith("Refused")
    order.query_selector("input[type=checkbox]").check()
    order.query_selector("button.danger").click()  # over the tier 1 limit: held for approval
    page.wait_for_selector(
        "#orders li.order:has-text('#W5918442') .tool-result:has-text('Held for approval')"
    )
    stored = runtime.store  # nothing changed in the store yet
    from relaydesk.storage.commerce_store import SqlCommerceStore

    assert SqlCommerceStore(stored.engine).order("#W5918442").status == "pending"  # type: ignore[union-attr]


def test_a_transfer_reaches_the_colleague_live_who_hands_it_back_to_the_ai(
    runtime: Runtime, browser: Any, demo_server: LiveServer
) -> None:
    first = _desk(runtime, name="Ana Sender")
    second = _desk(runtime, name="Ben Receiver")
    contexts = [browser.new_context(viewport=VIEWPORTS["desktop"]) for _ in range(2)]
    try:
        pages = [c.new_page() for c in contexts]
        _sign_in(pages[0], demo_server, first)
        _sign_in(pages[1], demo_server, second)
        with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
            cid, _ = _customer(http, "Omar", "Can I speak to a human please")
        pages[0].click(f"#queue button.item[data-id='{cid}']")
        pages[0].click("#conv-preview:not([hidden]) ~ .actions #claim")
        pages[0].wait_for_selector("#conv-meta:has-text('owned by you')")
        pages[0].click("details.inline summary")
        # Ben is away: refused, with what to do instead; Ana keeps it and the customer hears nothing.
        pages[0].select_option("#transfer-to", second.agent.id)
        pages[0].click("#transfer-form button[type=submit]")
        pages[0].wait_for_selector("#notice:has-text('Ben Receiver is away: transfer to the queue')")
        assert runtime.store.get_conversation(cid).assigned_agent_id == first.agent.id
        runtime.store.set_agent_status(second.agent.id, AgentStatus.ONLINE)
        pages[0].click("details.inline summary")  # closed and opened again: the list is read anew
        pages[0].click("details.inline summary")
        pages[0].wait_for_selector("#transfer-to option:has-text('Ben Receiver (online)')", state="attached")
        pages[0].select_option("#transfer-to", second.agent.id)
        assert pages[0].is_disabled("#transfer-skill")  # a colleague or a skill for the queue, not both
        pages[0].fill("#transfer-note", "wants a refund exception for a late parcel")
        pages[0].click("#transfer-form button[type=submit]")
        pages[0].wait_for_selector("#notice:has-text('Conversation transferred')")
        # Ben is told at once, with the customer's name from the brief the stream brought.
        pages[1].wait_for_selector("#notice:has-text('A conversation was assigned to you: Omar')")
        pages[1].click(f"#mine button.item[data-id='{cid}']")
        pages[1].wait_for_selector("#conv-meta:has-text('owned by you')")
        # and the note reaches him in the brief's summary
        pages[1].wait_for_selector(
            "#brief .summary:has-text('Ana Sender transferred the conversation to Ben Receiver: wants')"
        )
        pages[1].click("#handback")
        pages[1].wait_for_selector("#conv-meta:has-text('Status: with ai')")
        assert runtime.store.get_conversation(cid).status == "with_ai"
    finally:
        for c in contexts:
            c.close()


def test_the_agent_is_told_when_a_customer_they_have_rises_in_priority(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Omar Haddad")
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, customer = _customer(http, "Lena", "I want to talk to a person about my parcel")
        page.wait_for_selector(f"#queue button.item[data-id='{cid}']").click()
        page.click("#conv-preview:not([hidden]) ~ .actions #claim")
        page.wait_for_selector("#brief .summary")
        _until(lambda: runtime.store.get_conversation(cid).assigned_agent_id == agent.agent.id, "taken")
        r = http.post(
            f"/v1/conversations/{cid}/messages",
            headers=customer,
            json={"text": "THIS IS RIDICULOUS, NOBODY HELPS ME!!!"},
        )
        assert r.status_code == 201, r.text
        notice = page.wait_for_selector("#notice.warning")
        assert "Priority raised to Urgent (was High)" in notice.inner_text()  # words, not "3 (was 2)"
        assert runtime.store.get_conversation(cid).priority == 3
