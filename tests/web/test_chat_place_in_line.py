"""The chat's banner while a person is coming: the place in line as it is now, in a real browser
against the demo app (it moves as the people ahead are helped, and a reload shows it too)."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.demo.seed import DEMO_AGENTS, WORKSPACE_SLUG
from relaydesk.domain.models import AgentRole
from tests.conftest import LiveServer
from tests.web.test_chat import WAIT_MS, _chat, _everyone_away, _send

BANNER = "A person from our team will be with you soon"


def _queued_ahead(server: LiveServer) -> str:
    """Another customer who asked for a person first: the id of their conversation."""
    started = httpx.post(f"{server.base_url}/v1/conversations", json={"workspace": WORKSPACE_SLUG}).json()
    conversation_id = started["conversation"]["id"]
    posted = httpx.post(
        f"{server.base_url}/v1/conversations/{conversation_id}/messages",
        headers={"X-Conversation-Token": started["token"]},
        json={"text": "I want to talk to a human please"},
        timeout=30,
    ).json()
    assert posted["conversation"]["status"] == "queued", posted
    return str(conversation_id)


def _helped(server: LiveServer, conversation_id: str) -> None:
    """The team lead closes a conversation ahead (a supervisor may, without taking it: no agent
    comes online and takes the customer's own conversation meanwhile)."""
    lead = next(a for a in DEMO_AGENTS if a.role == AgentRole.SUPERVISOR)
    r = httpx.post(
        f"{server.base_url}/v1/agent/conversations/{conversation_id}/resolve",
        headers={"X-API-Key": lead.api_key},
        json={"note": "answered by phone"},
    )
    assert r.status_code == 200, r.text


def _banner(page: Any, text: str, timeout: int = WAIT_MS) -> str:
    notice = page.get_by_role("status").filter(has_text=BANNER)
    notice.filter(has_text=text).wait_for(timeout=timeout)
    return str(notice.inner_text())


def test_the_place_in_line_moves_up_in_the_banner_and_a_reload_shows_the_current_one(
    page: Any, demo_server: LiveServer
) -> None:
    _everyone_away(demo_server)
    first, second = _queued_ahead(demo_server), _queued_ahead(demo_server)
    _chat(page, demo_server)
    _send(page, "I want to talk to a human please")
    _banner(page, "number 3 in line")
    _helped(demo_server, first)
    page.reload()
    assert "number 2 in line" in _banner(page, "in line", timeout=10000)  # not the notice's 3
    _helped(demo_server, second)
    _banner(page, "next in line")  # read again while queued, without a reload
