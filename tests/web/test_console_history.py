"""The console opens a long conversation on its latest messages and loads earlier ones on demand,
in a real browser against the real server."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.domain.models import AgentStatus, Channel, MessageRole
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.conftest import LiveServer

LONG = 1_100
LINES = (
    "[...document.querySelectorAll('#transcript .msg .text')]"
    ".filter(t => t.textContent.startsWith('line ')).length"
)


def test_the_console_loads_earlier_messages_of_a_long_conversation(
    page: Any, runtime: Runtime, live_server: LiveServer
) -> None:
    shop = make_workspace(runtime.store, slug="shop")
    agent = make_agent(runtime.store, shop, name="Rita", status=AgentStatus.AWAY)
    with httpx.Client(base_url=live_server.base_url) as http:
        started = http.post("/v1/conversations", json={"workspace": "shop"}).json()
        cid, headers = started["conversation"]["id"], {"X-Conversation-Token": started["token"]}
        r = http.post(f"/v1/conversations/{cid}/messages", headers=headers, json={"text": "I want a human"})
        assert r.json()["conversation"]["status"] == "queued", r.text
    with runtime.store.transaction():
        for n in range(LONG):
            runtime.store.add_message(
                cid, role=MessageRole.CUSTOMER, text=f"line {n + 1}", channel=Channel.WEB
            )

    page.goto(f"{live_server.base_url}/console")
    page.fill("#api-key", agent.api_key)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#live.on")
    page.click(f"#queue button.item[data-id='{cid}']")
    page.wait_for_selector(f"#transcript .msg:has-text('line {LONG}')")
    assert page.evaluate(LINES) >= 199  # the latest page: 200 messages, (nearly) all of them lines
    assert page.locator("#transcript .msg:has-text('I want a human')").count() == 0

    page.click("#earlier")
    page.wait_for_selector("#transcript .msg:has-text('line 750')")
    assert page.evaluate(LINES) >= 399
    # Scrolling to the top loads the next page back, until the first message shows and the
    # button is gone.
    for _ in range(10):
        if page.locator("#earlier").count() == 0:
            break
        count = page.locator("#transcript .msg").count()
        page.eval_on_selector("#transcript", "list => { list.scrollTop = 0; }")
        page.wait_for_function(f"document.querySelectorAll('#transcript .msg').length > {count}")
    assert page.locator("#earlier").count() == 0
    page.wait_for_selector("#transcript .msg:has-text('I want a human')")
    texts = [t for t in page.locator("#transcript .msg .text").all_inner_texts() if t.startswith("line ")]
    assert texts == [f"line {n + 1}" for n in range(LONG)]
