"""The console's follow-up control in a real browser: an agent schedules one for the open
conversation, sees it listed, cancels it; the control passes the accessibility checks, and text
is shown as text."""

from __future__ import annotations

import json
from typing import Any

import httpx

from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer
from tests.web.conftest import AXE, watch_dialogs
from tests.web.test_console import EVIL_TEXT, _customer, _desk, _sign_in


def control_accessibility(page: Any) -> list[dict[str, Any]]:
    """axe-core on the follow-up control alone (the whole console is checked in test_console.py):
    the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document.querySelector('#follow-up-title').closest('section'), "
        "{resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_an_agent_schedules_and_cancels_a_follow_up_from_the_console(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Femi Ade")
    dialogs = watch_dialogs(page)
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _customer(http, "Ada", "I want to talk to a person about my parcel")
        page.click(f"#queue button.item[data-id='{cid}']")
        page.click("#conv-preview:not([hidden]) ~ .actions #claim")
        page.wait_for_selector("#follow-up-list li.muted:has-text('No follow-up scheduled')")

        page.fill("#follow-up-text", f"Has your parcel arrived? {EVIL_TEXT}")
        page.select_option("#follow-up-when", "tomorrow")
        page.click("#follow-up-add")
        item = page.wait_for_selector("#follow-up-list li.card")
        assert "Has your parcel arrived?" in item.inner_text() and EVIL_TEXT in item.inner_text()
        [scheduled] = http.get(f"/v1/agent/conversations/{cid}/follow-ups", headers=agent.headers).json()
        assert scheduled["status"] == "scheduled" and scheduled["due_at"].endswith(("Z", "+00:00"))
        problems = control_accessibility(page)
        assert problems == [], json.dumps(problems, indent=1)

        page.click("#follow-up-list li.card button:has-text('Cancel')")
        page.wait_for_selector("#follow-up-list li.muted:has-text('No follow-up scheduled')")
        [cancelled] = http.get(f"/v1/agent/conversations/{cid}/follow-ups", headers=agent.headers).json()
        assert cancelled["status"] == "cancelled"
    assert dialogs == []
