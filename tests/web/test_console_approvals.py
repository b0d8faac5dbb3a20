"""Approval cards in the agent console (walkthrough): two pending refunds of the same camera looked
identical, approving the second said only "Approval failed", and approvals offered after the agent
went online did not show until they signed in again. In a real browser against the real server
with the demo store."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx

from relaydesk.domain.models import AgentStatus, utcnow
from relaydesk.services.runtime import Runtime
from tests.conftest import CAMERA_REFUND, LiveServer
from tests.web.test_console import KEEP_SOCKETS, _customer, _desk, _sign_in, _until


def _pending(runtime: Runtime, workspace_id: str, count: int) -> list[Any]:
    def held() -> list[Any] | None:
        found = runtime.approvals.approvals.list(workspace_id)
        return found if len(found) >= count else None

    return list(_until(held, f"{count} approvals held"))


def test_two_refunds_of_one_camera_are_told_apart_and_the_second_says_why_it_failed(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    approver = _desk(runtime, name="Lena Approver", tier=3, status=AgentStatus.ONLINE)
    _sign_in(page, demo_server, approver)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        _customer(http, "Ada Camera", *CAMERA_REFUND)
        (first,) = _pending(runtime, approver.agent.workspace_id, 1)
        ben, _ = _customer(http, "Ben Camera", *CAMERA_REFUND)
    # asked again while the first waits, the AI holds nothing new (test_approval_duplicates.py):
    # the second is stored as two conversations racing each other could store it
    runtime.approvals.approvals.create_approval(replace(first.request, conversation_id=ben))
    _pending(runtime, approver.agent.workspace_id, 2)
    runtime.approval_router.offer_waiting()  # as the routing sweep does

    ada = "#approvals li.approval:has(p.customer:has-text('Ada Camera'))"
    ben = "#approvals li.approval:has(p.customer:has-text('Ben Camera'))"
    page.wait_for_selector(ben)
    text = page.wait_for_selector(ada).inner_text()  # the list may be drawn again: read it at once
    assert "james.li4495@example.com" in text
    assert "Order #W3638028" in text and "Indoor Security Camera" in text and "$274.98" in text
    assert "Requested " in text and "by the AI" in text
    assert "Also waiting" in text and "Ben Camera" in text  # the other request of the same order
    assert "the customer reads it if you deny" in text  # a denial's reason is sent word for word

    page.click(f"{ada} button.primary")
    page.wait_for_selector("#notice:has-text('Approval approved')")
    page.click(f"{ben} button.primary")
    notice = page.wait_for_selector("#notice.error:has-text('could not be done')")
    said = notice.inner_text()
    assert "order #W3638028 is return requested" in said
    assert "An earlier request for the same order (Ada Camera" in said and "by Lena Approver" in said
    page.wait_for_selector("#approvals li.muted:has-text('No approvals waiting for you')")


def test_an_approval_offered_while_away_shows_once_the_agent_goes_online(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Omar Online", tier=3)  # away
    _sign_in(page, demo_server, agent)
    page.wait_for_selector("#approvals li.muted:has-text('No approvals waiting for you')")
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        _customer(http, "Ada Camera", *CAMERA_REFUND)
    (held,) = _pending(runtime, agent.agent.workspace_id, 1)
    # offered without an event on the stream (as one made while the stream was down)
    assert runtime.approvals.approvals.assign(
        held.id, agent_id=agent.agent.id, due_at=utcnow() + timedelta(minutes=10), expected_agent_id=None
    )

    page.select_option("#presence", "online")
    page.wait_for_selector("#approvals li.approval:has-text('Ada Camera')")


def test_an_approval_offered_while_the_stream_was_down_shows_once_it_reconnects(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Rita Reconnect", tier=3)  # away: no sweep offers it meanwhile
    page.add_init_script(KEEP_SOCKETS)
    _sign_in(page, demo_server, agent)
    page.wait_for_selector("#approvals li.muted:has-text('No approvals waiting for you')")
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        _customer(http, "Ada Camera", *CAMERA_REFUND)
    (held,) = _pending(runtime, agent.agent.workspace_id, 1)
    # offered without an event on the stream (as one made while the stream was down), then it drops
    assert runtime.approvals.approvals.assign(
        held.id, agent_id=agent.agent.id, due_at=utcnow() + timedelta(minutes=10), expected_agent_id=None
    )
    page.evaluate("() => window.__sockets.forEach((s) => s.close())")
    page.wait_for_selector("#live.off")

    page.wait_for_selector("#live.on")
    page.wait_for_selector("#approvals li.approval:has-text('Ada Camera')")
