"""What an agent reads in the console, in a real browser: priorities as words (3 is the most
urgent, which people used to "P1" misread), escalation reasons as words with the ids kept."""

from __future__ import annotations

from typing import Any

import httpx

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
    assert "(Legal or security)" in meta.inner_text() and "legal_or_security" not in meta.inner_text()
    title = meta.get_attribute("title") or ""
    assert title.startswith("Urgent priority (3;") and "(rule legal_or_security)" in title
    page.wait_for_selector("#brief dd:has-text('(Legal or security)')")
