"""What a supervisor reads on the dashboard, in a real browser: the chart tables' headers wrap
between words only, at desktop and phone widths; escalation reasons and priorities read as words
(the ids kept in titles), the same words the reports use."""

from __future__ import annotations

from typing import Any

from relaydesk.analytics.labels import (
    FAMILY_LABELS,
    RULE_LABELS,
    family_label,
    priority_label,
    reason_label,
)
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

SCROLLING_SIDEWAYS = (
    "() => [...document.querySelectorAll('figure.chart')]"
    ".filter((f) => f.scrollWidth > f.clientWidth).map((f) => f.id)"
)


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
        assert page.evaluate(SCROLLING_SIDEWAYS) == [], name  # and each table fits its card


def test_escalation_reasons_and_priorities_read_as_words_with_the_ids_kept(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    lead, _ = _team(runtime)
    _escalated_chat(demo_server, "Noor", "Please let me speak to a human")
    cid = _escalated_chat(demo_server, "Lex", "I will call my lawyer about this")
    _sign_in(page, demo_server, lead)
    page.wait_for_selector("body[data-kpis=loaded]")
    page.wait_for_selector("#queues table tbody tr")

    # The live queue: each priority as a word (3 is the most urgent), the rules' ids as words.
    captions = page.locator("#queues caption")
    assert captions.all_inner_texts()[0].startswith("Urgent priority: 1 waiting")
    assert "High priority" in captions.all_inner_texts()[1]
    assert captions.first.get_attribute("title") == (
        "Urgent priority (3; 0 is normal, 3 and above the most urgent)"
    )
    reason = page.locator("#queues td.reason").first
    said = reason.inner_text()  # plain words: no scores, no ids
    assert said.startswith("The customer ") and said.endswith("raised a legal or security matter.")
    assert "(rule legal_or_security)" in (reason.get_attribute("title") or "")  # the id is kept

    # The reasons chart's table: words for rules and their kinds, each id in its row's title.
    rows = page.locator("#fig-reasons tbody tr[data-reason]")
    shown = {r.get_attribute("data-reason"): r.locator("th").inner_text() for r in rows.all()}
    assert shown["explicit_request"] == "Asked for a person"
    assert shown["legal_or_security"] == "Legal or security"
    assert shown["family: explicit"] == "Customer asked"  # in its own group, not mixed with the rules
    assert page.locator("#fig-reasons tbody th[title='legal_or_security']").count() == 1
    assert not any("_" in text for text in shown.values())

    # The decision explorer: the escalation's rule as words, its id in the title.
    page.click(f".pick[data-conversation='{cid}']")
    page.wait_for_selector("#decision-list .reasons li")
    fired = page.locator("#decision-list .reasons li[title^='rule legal_or_security']").first
    assert fired.inner_text().startswith("Legal or security (Topic, amount or customer)")
    assert "(rule " not in page.inner_text("#decision-list .decision-summary >> nth=1")


def test_the_pages_labels_are_the_reports_labels(page: Any, demo_server: LiveServer) -> None:
    page.goto(f"{demo_server.base_url}/dashboard")
    page.wait_for_function("() => globalThis.relaydeskLabels !== undefined")
    ids = [*RULE_LABELS, "my_own_rule", ""]
    families = [*FAMILY_LABELS, "another_family"]
    assert page.evaluate("(ids) => ids.map((i) => relaydeskLabels.reason(i))", ids) == [
        reason_label(i) for i in ids
    ]
    assert page.evaluate("(ids) => ids.map((i) => relaydeskLabels.family(i))", families) == [
        family_label(f) for f in families
    ]
    assert page.evaluate("() => [0, 1, 2, 3, 4, 10].map((n) => relaydeskLabels.priority(n))") == [
        priority_label(n) for n in (0, 1, 2, 3, 4, 10)
    ]
    assert page.evaluate("() => relaydeskLabels.reason('constructor')") == "Constructor"
