"""The customer chat in a real browser against the real app with the demo store: /chat full page
and the widget embedded by one script tag in another site's page."""

from __future__ import annotations

import functools
import http.server
import json
import re
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.demo.seed import DEMO_AGENTS, WORKSPACE_SLUG
from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer
from tests.web.conftest import check_accessibility, screenshot, watch_dialogs

ORDER = "#W2611340"  # in src/relaydesk/demo/tau_retail/orders.json
WAIT_MS = 30000


def _chat(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/chat?workspace={WORKSPACE_SLUG}")
    page.wait_for_selector("#rd-input")


def _send(page_or_frame: Any, text: str) -> None:
    page_or_frame.locator("#rd-input").fill(text)
    page_or_frame.get_by_role("button", name="Send", exact=True).click()


def _texts(page_or_frame: Any, role: str | None = None) -> list[str]:
    selector = f".rd-msg--{role}:not(.rd-msg--pending) .rd-text" if role else ".rd-msg[data-id] .rd-text"
    return [t for t in page_or_frame.locator(selector).all_inner_texts()]


def _wait_for_reply(page_or_frame: Any, role: str, count: int) -> None:
    page_or_frame.locator(f".rd-msg--{role}").nth(count - 1).wait_for(timeout=WAIT_MS)


def _console_errors(page: Any) -> list[str]:
    """What the page logs as errors from now on (a failed request shows up here too)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def _everyone_away(server: LiveServer) -> None:
    for agent in DEMO_AGENTS:
        r = httpx.put(
            f"{server.base_url}/v1/agent/me/status",
            headers={"X-API-Key": agent.api_key},
            json={"status": "away"},
        )
        assert r.status_code == 200, r.text


def _token(page: Any) -> tuple[str, dict[str, str]]:
    saved = page.evaluate(f"localStorage.getItem('relaydesk.conversation.{WORKSPACE_SLUG}')")
    held = json.loads(saved)
    return held["id"], {"X-Conversation-Token": held["token"]}


def test_customer_asks_about_an_order_and_a_reload_keeps_the_conversation(
    page: Any, demo_server: LiveServer
) -> None:
    _chat(page, demo_server)
    assert check_accessibility(page) == []
    _send(page, f"Where is my order {ORDER}?")
    _wait_for_reply(page, "ai", 1)
    before = _texts(page)
    assert before[0] == f"Where is my order {ORDER}?"
    assert page.locator(".rd-msg--ai .rd-label").first.inner_text() == "Virtual assistant (AI)"
    screenshot(page, "chat")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)

    page.reload()
    page.locator(".rd-msg[data-id]").nth(len(before) - 1).wait_for(timeout=WAIT_MS)
    assert _texts(page) == before


def test_the_ai_answers_the_order_question_once_the_customer_is_identified(
    page: Any, demo_server: LiveServer
) -> None:
    _chat(page, demo_server)
    _send(page, f"Where is my order {ORDER}?")
    _wait_for_reply(page, "ai", 1)
    _send(page, "james.li4495@example.com")
    _wait_for_reply(page, "ai", 2)
    answer = _texts(page, "ai")[1]
    assert ORDER in answer and "on its way" in answer, answer


# -- the widget on another site -------------------------------------------------------------------

SHOP_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Billing - Shop</title></head>
<body><main><h1>Your invoices</h1><p>Nothing due.</p></main>
<script src="{base}/widget.js" data-workspace="{slug}"
 data-attributes='{{"plan": "pro", "seats": 3}}'></script>
</body></html>"""


@pytest.fixture
def shop_site(demo_server: LiveServer, tmp_path: Path) -> Iterator[str]:
    """Another site (``http://localhost:PORT``, not the chat server's ``127.0.0.1``) whose
    billing page embeds the widget with one script tag; the page's URL."""
    (tmp_path / "billing.html").write_text(SHOP_PAGE.format(base=demo_server.base_url, slug=WORKSPACE_SLUG))
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as site:
        thread = threading.Thread(target=site.serve_forever, daemon=True)
        thread.start()
        yield f"http://localhost:{site.server_address[1]}/billing.html"
        site.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_widget_embedded_in_another_site_chats_and_tells_the_page(
    page: Any, demo_server: LiveServer, shop_site: str
) -> None:
    logged: list[str] = []
    page.on("console", lambda m: logged.append(m.text) if m.type in ("warning", "error") else None)
    page.goto(shop_site)
    page.get_by_role("button", name="Chat with us").wait_for()
    assert check_accessibility(page) == []
    launcher = page.locator("#relaydesk-widget-launcher")
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert launcher.inner_text() == "Close chat"
    chat = page.frame_locator("#relaydesk-widget-frame")
    chat.locator("#rd-input").wait_for()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'relaydesk-widget-frame'"
        " && document.activeElement.contentDocument === null"
    )  # focus moved into the chat (cross-origin: the frame element holds it)
    assert chat.locator("#rd-input").evaluate("el => el === document.activeElement")
    assert not [line for line in logged if "postMessage" in line]  # nothing sent before the chat loaded
    _send(chat, "Hi, how do I return an item?")
    _wait_for_reply(chat, "ai", 1)
    screenshot(page, "chat-widget")

    frame = next(f for f in page.frames if "/chat?" in f.url)
    problems = check_accessibility(frame)
    assert problems == [], json.dumps(problems, indent=1)
    conversation_id, headers = _token(page)  # kept by the embedding page (first-party storage)
    got = httpx.get(f"{demo_server.base_url}/v1/conversations/{conversation_id}", headers=headers).json()
    assert got["page_context"] == {
        "page_url": shop_site,
        "page_title": "Billing - Shop",
        "attributes": {"plan": "pro", "seats": "3"},
        "verified": False,
    }

    chat.get_by_role("button", name="Close the chat").click()
    page.locator("#relaydesk-widget-frame").wait_for(state="hidden")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert launcher.inner_text() == "Chat with us"
    assert page.evaluate("document.activeElement.id") == "relaydesk-widget-launcher"

    page.reload()  # the same conversation, continued
    page.locator("#relaydesk-widget-launcher").click()
    chat.locator(".rd-msg--ai").first.wait_for(timeout=WAIT_MS)
    assert chat.locator(".rd-msg--customer .rd-text").first.inner_text() == "Hi, how do I return an item?"


# -- a person takes over ----------------------------------------------------------------------------


def _person_takes_over(page: Any, runtime: Runtime, server: LiveServer) -> tuple[str, dict[str, str]]:
    """Escalate from the chat; the assigned demo agent's key (claimed by Maya if still queued)."""
    _send(page, "I want to talk to a human please")
    page.locator(".rd-msg--system").first.wait_for(timeout=WAIT_MS)
    conversation_id, headers = _token(page)
    keys = {runtime.store.agent_by_api_key(a.api_key).id: a.api_key for a in DEMO_AGENTS}  # type: ignore[union-attr]
    got = httpx.get(f"{server.base_url}/v1/conversations/{conversation_id}", headers=headers).json()
    if got["status"] == "queued":
        maya = {"X-API-Key": DEMO_AGENTS[0].api_key}
        r = httpx.post(f"{server.base_url}/v1/agent/conversations/{conversation_id}/claim", headers=maya)
        assert r.status_code == 200, r.text
        return conversation_id, maya
    assert got["status"] == "assigned", got
    page.get_by_text(re.compile(r"is with you$")).wait_for(timeout=WAIT_MS)
    return conversation_id, {"X-API-Key": keys[got["assigned_agent_id"]]}


def _agent_says(server: LiveServer, conversation_id: str, agent: dict[str, str], text: str) -> None:
    r = httpx.post(
        f"{server.base_url}/v1/agent/conversations/{conversation_id}/messages",
        headers=agent,
        json={"text": text},
    )
    assert r.status_code in (200, 201), r.text


def test_a_dropped_connection_resumes_with_every_message_once_in_order(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    _chat(page, demo_server)
    conversation_id, agent = _person_takes_over(page, runtime, demo_server)
    _agent_says(demo_server, conversation_id, agent, "Hello, I'm here to help.")
    page.get_by_text("Hello, I'm here to help.").wait_for(timeout=WAIT_MS)
    held_before = page.evaluate("window.relaydeskChat.lastSeq")

    page.context.set_offline(True)
    page.evaluate("window.relaydeskChat.socket.close()")
    page.wait_for_function(
        "window.relaydeskChat.socket === null"
        " || document.getElementById('rd-connection').dataset.state === 'reconnecting'"
    )
    _agent_says(demo_server, conversation_id, agent, "First, while you were away.")
    _agent_says(demo_server, conversation_id, agent, "Second, while you were away.")
    page.context.set_offline(False)
    page.get_by_text("Second, while you were away.").wait_for(timeout=WAIT_MS)
    _agent_says(demo_server, conversation_id, agent, "Third, after you came back.")
    page.get_by_text("Third, after you came back.").wait_for(timeout=WAIT_MS)

    assert _texts(page, "agent") == [
        "Hello, I'm here to help.",
        "First, while you were away.",
        "Second, while you were away.",
        "Third, after you came back.",
    ]
    ids = page.locator(".rd-msg[data-id]").evaluate_all("nodes => nodes.map(n => n.dataset.id)")
    seqs = page.locator(".rd-msg[data-id]").evaluate_all("nodes => nodes.map(n => Number(n.dataset.seq))")
    assert len(ids) == len(set(ids))
    assert seqs == list(range(1, len(seqs) + 1))  # every stored message, once, in order
    stored = httpx.get(
        f"{demo_server.base_url}/v1/conversations/{conversation_id}/messages", headers=_token(page)[1]
    ).json()
    assert [m["id"] for m in stored] == ids
    assert len(sockets) >= 2
    assert f"after={held_before}" in sockets[-1]  # resumed from the last message it held
    screenshot(page, "chat-agent")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)


def test_script_in_a_message_is_shown_as_text(page: Any, runtime: Runtime, demo_server: LiveServer) -> None:
    dialogs = watch_dialogs(page)
    _chat(page, demo_server)
    attacks = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"]
    for text in attacks:
        _send(page, text)
    page.locator(".rd-msg--customer[data-id]").nth(1).wait_for(timeout=WAIT_MS)
    conversation_id, agent = _person_takes_over(page, runtime, demo_server)
    _agent_says(demo_server, conversation_id, agent, '<img src=y onerror="alert(3)"> hello')
    page.get_by_text('<img src=y onerror="alert(3)"> hello').wait_for(timeout=WAIT_MS)
    assert _texts(page, "customer")[:2] == attacks
    assert page.locator(".rd-log img, .rd-log script").count() == 0
    assert dialogs == []


def test_the_customer_rates_the_conversation_once_it_is_resolved(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    errors = _console_errors(page)
    _chat(page, demo_server)
    conversation_id, agent = _person_takes_over(page, runtime, demo_server)
    _agent_says(demo_server, conversation_id, agent, "Your refund is on its way.")
    r = httpx.post(
        f"{demo_server.base_url}/v1/agent/conversations/{conversation_id}/resolve", headers=agent, json={}
    )
    assert r.status_code == 200, r.text
    page.get_by_role("group", name="How did we do? Rate this conversation").wait_for(timeout=WAIT_MS)
    assert page.get_by_text("Solved", exact=True).is_visible()
    assert errors == []  # asking whether it was rated yet is no failed request in the console
    screenshot(page, "chat-resolved")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)

    page.get_by_text("4 Good").click()
    page.get_by_label("Anything you'd like to add? (optional)").fill("Fast and friendly")
    page.get_by_role("button", name="Send rating").click()
    page.get_by_text("Thank you! You rated this conversation 4 out of 5.").wait_for()

    headers = _token(page)[1]
    url = f"{demo_server.base_url}/v1/conversations/{conversation_id}/csat"
    stored = httpx.get(url, headers=headers).json()
    assert (stored["score"], stored["comment"]) == (4, "Fast and friendly")
    again = httpx.post(url, headers=headers, json={"score": 1})
    assert again.status_code == 409 and "already rated (4 of 5)" in again.json()["detail"]

    page.reload()  # the rating is remembered: no second prompt
    page.get_by_text("Thank you! You rated this conversation 4 out of 5.").wait_for(timeout=WAIT_MS)
    assert page.locator("#rd-csat").is_hidden()


def test_the_ai_resolves_on_thanks_and_a_new_message_reopens_the_conversation(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    _chat(page, demo_server)
    _send(page, "Do gift cards expire?")
    _wait_for_reply(page, "ai", 1)
    _send(page, "great, thanks!")
    page.get_by_role("group", name="How did we do? Rate this conversation").wait_for(timeout=WAIT_MS)
    assert page.get_by_text("Solved", exact=True).is_visible()
    assert page.get_by_label("Your message").is_visible()  # the customer can still write

    _send(page, "one more thing: how do I reset my password?")
    _wait_for_reply(page, "ai", 3)
    assert "password" in _texts(page, "ai")[-1].lower()
    page.get_by_text("Solved", exact=True).wait_for(state="hidden", timeout=WAIT_MS)
    assert page.locator("#rd-csat").is_hidden()  # asked again when it next closes
    conversation_id = _token(page)[0]
    assert runtime.store.get_conversation(conversation_id).status == "with_ai"


def test_a_chat_without_a_workspace_asks_for_one(page: Any, demo_server: LiveServer) -> None:
    page.goto(f"{demo_server.base_url}/chat")
    assert "needs a workspace" in page.get_by_role("alert").inner_text()
    page.get_by_label("Workspace").fill(WORKSPACE_SLUG)
    page.get_by_role("button", name="Open chat").click()
    page.wait_for_url(f"**/chat?workspace={WORKSPACE_SLUG}")
    _send(page, "hello")
    _wait_for_reply(page, "ai", 1)


def test_an_unknown_workspace_is_said_as_soon_as_the_chat_opens(page: Any, demo_server: LiveServer) -> None:
    opened = page.goto(f"{demo_server.base_url}/chat?workspace=no-such-shop&embed=1")  # as the widget does
    assert opened is not None and opened.status == 404
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=WAIT_MS)  # before the customer has typed anything
    assert 'there is no workspace called "no-such-shop"' in alert.inner_text()
    assert page.locator("#rd-input").is_disabled()  # nothing to write a message to
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)

    page.goto(f"{demo_server.base_url}/chat?workspace={WORKSPACE_SLUG}")  # a real one opens as usual
    page.wait_for_selector("#rd-input:not([disabled])")
    assert page.get_by_role("alert").is_hidden()


def test_a_confirmation_offers_quick_replies_that_answer_it(page: Any, demo_server: LiveServer) -> None:
    _chat(page, demo_server)
    _send(page, "Please cancel my order #W5918442")
    _wait_for_reply(page, "ai", 1)
    _send(page, "sofia.rossi2645@example.com")
    _wait_for_reply(page, "ai", 2)
    quick = page.get_by_role("group", name="Quick replies")
    if not quick.is_visible():  # the flow asks why first
        _send(page, "I no longer need it")
        _wait_for_reply(page, "ai", 3)
    quick.wait_for(timeout=WAIT_MS)
    assert quick.get_by_role("button").all_inner_texts() == ["Yes, go ahead", "No"]
    asked = len(_texts(page, "ai"))
    assert page.locator("#rd-typing").is_hidden()  # the answer is in: nobody is typing

    quick.get_by_role("button", name="Yes, go ahead").click()
    assert quick.is_hidden()
    _wait_for_reply(page, "ai", asked + 1)
    assert _texts(page, "customer")[-1] == "Yes, go ahead"
    assert re.search(r"cancelled|approv", _texts(page, "ai")[-1]), _texts(page, "ai")[-1]


def test_waiting_for_a_person_shows_the_place_in_line(page: Any, demo_server: LiveServer) -> None:
    _everyone_away(demo_server)  # nobody free: the conversation waits in the queue
    _chat(page, demo_server)
    _send(page, "I want to talk to a human please")
    notice = page.get_by_role("status").filter(has_text="A person from our team will be with you soon")
    notice.wait_for(timeout=WAIT_MS)
    assert re.search(r"next in line|number \d+ in line", notice.inner_text()), notice.inner_text()
    assert page.locator(".rd-msg--system .rd-label").first.inner_text() == "Update"
    screenshot(page, "chat-queued")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)


def test_the_widget_works_in_a_page_opened_from_a_file(
    page: Any, demo_server: LiveServer, tmp_path: Path
) -> None:
    shop = tmp_path / "shop.html"
    shop.write_text(SHOP_PAGE.format(base=demo_server.base_url, slug=WORKSPACE_SLUG))
    page.goto(shop.as_uri())
    page.get_by_role("button", name="Chat with us").click()
    chat = page.frame_locator("#relaydesk-widget-frame")
    _send(chat, "Hello there")
    _wait_for_reply(chat, "ai", 1)
    page.reload()  # the conversation is kept by the page (file:// storage) and goes on
    page.get_by_role("button", name="Chat with us").click()
    chat.locator(".rd-msg--ai").first.wait_for(timeout=WAIT_MS)
    assert _texts(chat, "customer") == ["Hello there"]


def test_a_message_written_while_disconnected_is_sent_once_when_back(
    page: Any, demo_server: LiveServer
) -> None:
    _chat(page, demo_server)
    _send(page, "Hello")
    _wait_for_reply(page, "ai", 1)
    page.context.set_offline(True)
    page.evaluate("window.relaydeskChat.socket.close()")
    _send(page, "Do you ship to Canada?")
    page.context.set_offline(False)
    _wait_for_reply(page, "ai", 2)
    page.locator(".rd-msg--pending").wait_for(state="detached")
    assert _texts(page, "customer") == ["Hello", "Do you ship to Canada?"]
    assert page.locator("#rd-typing").is_hidden()
    conversation_id, headers = _token(page)
    stored = httpx.get(f"{demo_server.base_url}/v1/conversations/{conversation_id}/messages", headers=headers)
    assert [m["text"] for m in stored.json() if m["role"] == "customer"] == [
        "Hello",
        "Do you ship to Canada?",
    ]


def test_a_spanish_customer_gets_the_chat_page_in_spanish(page: Any, demo_server: LiveServer) -> None:
    _everyone_away(demo_server)  # nobody free: the conversation waits in the queue
    _chat(page, demo_server)
    assert page.locator("#rd-send").inner_text() == "Send"  # the browser's language until the customer writes
    _send(page, "Hola, quiero hablar con una persona sobre mi pedido")
    notice = page.get_by_role("status").filter(has_text="Una persona de nuestro equipo te atenderá pronto")
    notice.wait_for(timeout=WAIT_MS)
    assert re.search(r"siguiente en la cola|puesto \d+ de la cola", notice.inner_text()), notice.inner_text()
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.locator("#rd-send").inner_text() == "Enviar"
    assert page.locator("#rd-input").get_attribute("placeholder") == "Escribe tu mensaje…"
    assert page.locator(".rd-msg--customer .rd-label").first.inner_text() == "Tú"
    _wait_for_reply(page, "system", 1)
    assert any(t.startswith("Voy a pasarte con una persona") for t in _texts(page, "system"))
    screenshot(page, "chat-spanish")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)


def test_a_message_sent_while_the_server_is_busy_goes_again_by_itself(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    """Past the in-flight limit the stream answers 503 with a wait (nothing stored): the widget
    keeps the message as sending, sends it again with the same key, and the answer comes."""
    _chat(page, demo_server)
    gate = demo_server.app.state.turn_gate
    limit, gate.limit = gate.limit, 0  # every message refused until it is put back
    refused_before = gate.refused
    _send(page, "how do I reset my password")
    deadline = time.monotonic() + 10
    while gate.refused == refused_before:
        assert time.monotonic() < deadline, "the message was never refused"
        time.sleep(0.05)
    assert page.locator(".rd-msg--pending").count() == 1  # still shown as sending
    assert page.locator("#rd-input").input_value() == ""
    gate.limit = limit
    _wait_for_reply(page, "ai", 1)
    assert _texts(page, "customer") == ["how do I reset my password"]  # stored once
    assert page.locator(".rd-msg--pending").count() == 0
