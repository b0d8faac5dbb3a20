"""The co-pilot's passages from the help center (walkthrough): a quick answer's snippet was its own
question ("Do you price match?") instead of its answer, and passages far from the question were shown
all the same. In a real browser against the real server with the demo help center."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer
from tests.web.test_console import _customer, _desk, _sign_in


def _passages_of(page: Any, cid: str) -> list[str]:
    page.click(f"#queue button.item[data-id='{cid}']")
    page.wait_for_selector("#co-passages .card-text, #co-passages p.muted")
    return [p.inner_text() for p in page.query_selector_all("#co-passages .card-text")]


def test_passages_are_answers_close_to_the_question_never_a_quick_answers_own_question(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        asked, _ = _customer(http, "Ada", "I want to talk to a person", "do you price match amazon?")
        page.wait_for_selector(f"#queue button.item[data-id='{asked}']")
        passages = _passages_of(page, asked)
        assert passages, "a price-match question finds the quick answer"
        assert all(p.strip() != "Do you price match?" for p in passages)
        assert any("price" in p.lower() for p in passages)

        far, _ = _customer(http, "Ben", "I want to talk to a person", "my neighbour's cat is stuck up a tree")
        page.wait_for_selector(f"#queue button.item[data-id='{far}']")
        assert _passages_of(page, far) == []
        page.wait_for_selector("#co-passages p.muted:has-text('Nothing in the help center is close')")
