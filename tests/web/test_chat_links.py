"""A help-center answer in the chat links to the article it quotes: a real link (new tab, no
opener), made from text only, so a message can never carry markup."""

from __future__ import annotations

from typing import Any

from relaydesk.demo.seed import WORKSPACE_SLUG
from tests.conftest import LiveServer
from tests.web.conftest import check_accessibility


def test_the_cited_article_is_a_link_and_a_customers_text_never_is(
    page: Any, demo_server: LiveServer
) -> None:
    page.goto(f"{demo_server.base_url}/chat?workspace={WORKSPACE_SLUG}")
    page.wait_for_selector("#rd-input")
    page.locator("#rd-input").fill("Do gift cards expire? see https://evil.example/x")
    page.get_by_role("button", name="Send", exact=True).click()
    answer = page.locator(".rd-msg--ai").first
    answer.wait_for(timeout=30000)
    link = answer.locator("a").first
    link.wait_for(timeout=5000)
    href = link.get_attribute("href")
    assert href is not None and href.startswith("https://"), href
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
    assert link.inner_text() == href
    assert page.locator(".rd-msg--customer a").count() == 0  # what the customer typed stays text
    assert check_accessibility(page) == []
