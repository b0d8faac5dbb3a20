"""A signed-in customer on the company's site: the widget passes the id the site signed with the
workspace's key, and the chat joins that customer's record; a wrong signature still chats, as an
anonymous customer, and the record is not touched."""

from __future__ import annotations

import functools
import http.server
import json
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from relaydesk.demo.seed import WORKSPACE_SLUG
from relaydesk.domain.models import CustomerTier
from relaydesk.services.customer_identity import external_id_signature, workspace_signing_key
from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer

SECRET = "desk-secret-for-the-widget-test"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Account - Shop</title></head>
<body><main><h1>Your account</h1></main>
<script src="{base}/widget.js" data-workspace="{slug}" data-customer-id="crm-42"
 data-customer-signature="{signature}" data-customer-name="Amira"></script>
</body></html>"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://localhost:{server.server_address[1]}", tmp_path
        server.shutdown()


def _chat_once(page: Any, url: str) -> tuple[str, dict[str, str]]:
    page.goto(url)
    page.get_by_role("button", name="Chat with us").click()
    chat = page.frame_locator("#relaydesk-widget-frame")
    chat.locator("#rd-input").fill("Hi, how do I return an item?")
    chat.get_by_role("button", name="Send", exact=True).click()
    chat.locator(".rd-msg--ai").first.wait_for(timeout=30000)
    held = json.loads(page.evaluate(f"localStorage.getItem('relaydesk.conversation.{WORKSPACE_SLUG}')"))
    return held["id"], {"X-Conversation-Token": held["token"]}


@pytest.mark.parametrize("signed_well", [True, False])
def test_the_widget_passes_the_sites_signed_customer_id(
    page: Any,
    runtime: Runtime,
    demo_server: LiveServer,
    site: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    signed_well: bool,
) -> None:
    monkeypatch.setattr(runtime.settings, "widget_signing_secret", SECRET)
    known = runtime.desk.start_conversation(
        WORKSPACE_SLUG, external_id="crm-42", name="Amira Haddad", tier=CustomerTier.VIP
    ).customer
    key = workspace_signing_key(SECRET, WORKSPACE_SLUG) if signed_well else SECRET
    base, folder = site
    (folder / "account.html").write_text(
        PAGE.format(
            base=demo_server.base_url, slug=WORKSPACE_SLUG, signature=external_id_signature("crm-42", key)
        )
    )
    conversation_id, headers = _chat_once(page, f"{base}/account.html")
    got = httpx.get(f"{demo_server.base_url}/v1/conversations/{conversation_id}", headers=headers).json()
    assert (got["customer_id"] == known.id) is signed_well
    customer = runtime.store.get_customer(known.id)
    assert (customer.name, customer.tier) == ("Amira Haddad", "vip")  # the chat never rewrites it
    assert len(runtime.store.customer_conversations(known.id)) == (2 if signed_well else 1)
