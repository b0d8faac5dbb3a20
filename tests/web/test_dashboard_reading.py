"""What a supervisor reads on the dashboard, in a real browser: the chart tables' headers wrap
between words only, at desktop and phone widths."""

from __future__ import annotations

from typing import Any

from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer
from tests.web.conftest import VIEWPORTS
from tests.web.test_dashboard import _escalated_chat, _sign_in, _team

WORDS_SPLIT_OVER_LINES = """(selector) => {
  const split = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""
"""The words of the cells ``selector`` finds that are broken over two lines or more."""


def test_chart_table_headers_wrap_between_words_only(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    lead, _ = _team(runtime)
    _escalated_chat(demo_server, "Noor", "Please let me speak to a human")
    _sign_in(page, demo_server, lead)
    page.wait_for_selector("body[data-kpis=loaded]")
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        headers = page.locator("figure.chart thead th").all_inner_texts()
        assert "Conversations" in headers and "Satisfied (4-5)" in headers
        assert page.evaluate(WORDS_SPLIT_OVER_LINES, "figure.chart th") == [], name
