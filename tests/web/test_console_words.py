"""What an agent and a supervisor read about a customer the AI verified, in a real browser: why a
person was brought in, the language, the frustration and the topic in plain words (the brief's
summary as the server writes it; the desk's reasons and the scores kept in titles), the
customer's orders under their name, an approval said in words, the same name on the dashboard as
in the console, and the presence shown after taking work (which puts an away agent online)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from relaydesk.analytics.plain_words import frustration_words, language_name, plain_reason, topic_words
from relaydesk.demo.seed import WORKSPACE_SLUG
from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer
from tests.web import test_dashboard as dashboard
from tests.web.test_console import _customer, _desk, _sign_in, _until, _user_email

ORDER = "#W4435622"  # james_li_5688's delivered order: Hiking Boots ($239.78 back) and a Water Bottle
ANGRY = "This is ridiculous and useless, I already told you! I want to talk to a real person NOW!!"
SCORE = re.compile(r"\d\.\d\d")


def _verified_chat(http: httpx.Client, runtime: Runtime, *texts: str) -> tuple[str, dict[str, str]]:
    """An anonymous chat (no name given) in which the AI verifies James Li by e-mail and prepares
    the return of the hiking boots; then ``texts``."""
    r = http.post("/v1/conversations", json={"workspace": WORKSPACE_SLUG})
    assert r.status_code == 201, r.text
    cid, headers = r.json()["conversation"]["id"], {"X-Conversation-Token": r.json()["token"]}
    email = _user_email(runtime, "james_li_5688")
    for text in (f"I want to return the hiking boots from order {ORDER}", email, *texts):
        r = http.post(f"/v1/conversations/{cid}/messages", headers=headers, json={"text": text})
        assert r.status_code == 201, r.text
    return cid, headers


def test_the_agent_reads_a_verified_frustrated_customer_in_plain_words(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park")  # away: takes conversations only by hand
    _sign_in(page, demo_server, agent)
    assert page.input_value("#presence") == "away"
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _verified_chat(http, runtime, ANGRY)
    page.click(f"#queue button.item[data-id='{cid}']")
    page.wait_for_selector("#conv-meta:has-text('owned by nobody')")
    page.wait_for_selector("#brief .summary")

    # Why it came to a person: words, not "frustration 0.94 is at or above 0.75 ... 0.30".
    reason = runtime.store.get_conversation(cid).escalation_reason or ""
    assert "at or above" in reason  # what the desk records, for the decision log
    meta = page.inner_text("#conv-meta")
    assert meta.endswith(" · " + plain_reason(["explicit_request", *re.findall(r"\(rule (\w+)\)", reason)]))
    assert "asked for a person." in meta and "at or above" not in meta and not SCORE.search(meta)
    assert reason in (page.get_attribute("#conv-meta", "title") or "")  # kept for whoever needs it

    # The brief's summary as the server wrote it, in words: nothing rewritten in the browser.
    text = page.inner_text("#brief .summary")
    assert "(standard, writes in English) asked about returning an item:" in text, text
    assert "Escalated because the customer " in text and not SCORE.search(text), text
    assert "at or above" not in text and "(rule " not in text and "writes in en)" not in text

    def fact(term: str) -> Any:
        return page.locator(f"#brief dt:text-is('{term}') + dd")

    assert fact("Language").inner_text() == language_name("en") == "English"
    brief = httpx.get(
        f"{demo_server.base_url}/v1/agent/conversations/{cid}/brief", headers=agent.headers
    ).json()
    assert text == brief["summary"]
    frustration = fact("Frustration")
    assert frustration.inner_text().lower() == frustration_words(brief["frustration"]["peak"])
    assert (frustration.get_attribute("title") or "").startswith(f"Score {brief['frustration']['peak']} ")
    escalated = fact("Escalated because")
    assert escalated.inner_text() == meta.split(" · ")[-1]
    assert escalated.get_attribute("title") == reason

    # Taking it puts an away agent online (the server says so); the console shows it at once.
    page.click("#claim")
    page.wait_for_selector("#conv-meta:has-text('owned by you')")
    page.wait_for_function("() => document.getElementById('presence').value === 'online'")
    assert runtime.store.get_agent(agent.agent.id).status == AgentStatus.ONLINE

    # The orders panel names the customer, not the store's account id.
    title = page.wait_for_selector("#orders .card-title")
    assert title.inner_text() == "James Li's orders"
    assert "james_li_5688" in (title.get_attribute("title") or "")
    page.wait_for_selector(f"#orders li.order:has-text('{ORDER}')")
    assert topic_words("return_item") in text


def test_take_next_while_away_takes_it_and_shows_the_agent_online(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    agent = _desk(runtime, name="Nadia Park", languages=("en", "es"))
    _sign_in(page, demo_server, agent)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _customer(http, "Ana López", "Hola, quiero hablar con una persona, por favor")
    # the language by name, not its code ("writes in ES")
    page.wait_for_selector(f"#queue button.item[data-id='{cid}'] .when:has-text('writes in Spanish')")
    assert page.input_value("#presence") == "away"
    page.click("#take-next")
    page.wait_for_selector("#conv-meta:has-text('owned by you')")
    page.wait_for_function("() => document.getElementById('presence').value === 'online'")
    assert runtime.store.get_conversation(cid).assigned_agent_id == agent.agent.id
    [assignment] = [d for d in runtime.store.decisions(cid) if d.kind == "assignment"]
    assert "taking work puts them online" in assignment.summary


def test_an_approval_card_says_what_it_would_do_in_words(
    runtime: Runtime, page: Any, demo_server: LiveServer
) -> None:
    approver = _desk(runtime, name="Lena Approver", tier=3, status=AgentStatus.ONLINE)
    _sign_in(page, demo_server, approver)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        _verified_chat(http, runtime, "yes")
    card = page.wait_for_selector("#approvals li.approval", timeout=20000)
    text = card.inner_text()
    assert "Order #W4435622" in text
    assert "Items: Hiking Boots" in text  # by name, not "item_ids: [...]"
    assert "Refund to gift card" in text  # not "payment_method_id: gift_card_1725971"
    assert text.count("$239.78") == 1, text  # the amount once
    for raw in ("order_id", "item_ids", "payment_method_id", "gift_card_1725971", "["):
        assert raw not in text, raw
    facts = card.query_selector(".first")
    assert facts is not None and "gift_card_1725971" in (facts.get_attribute("title") or "")


def test_the_dashboard_names_a_customer_the_ai_verified_as_the_console_does(
    runtime: Runtime, browser: Any, demo_server: LiveServer
) -> None:
    lead, plain = dashboard._team(runtime)
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        cid, _ = _verified_chat(http, runtime, "I want to talk to a person")
        _until(lambda: runtime.store.get_conversation(cid).status == "queued", "the chat is queued")
        # the console's name for it
        [item] = [i for i in http.get("/v1/agent/queue", headers=plain.headers).json() if i["id"] == cid]
        assert item["customer_name"] == "James Li"

    page = browser.new_page()
    try:
        dashboard._sign_in(page, demo_server, lead)
        page.wait_for_selector("#queues table tbody tr")
        row = page.locator("#queues tbody tr", has=page.locator("td", has_text="hiking boots"))
        assert row.locator("th").inner_text() == "James Li"
        assert "Anonymous customer" not in page.inner_text("#queues")
        reason = row.locator("td.reason")
        assert reason.inner_text().startswith("The customer ") and not SCORE.search(reason.inner_text())
        pick = page.wait_for_selector(f".pick[data-conversation='{cid}'] .pick-name")
        assert pick.inner_text() == "James Li"
    finally:
        page.close()


def test_the_pages_plain_words_are_the_reports(page: Any, demo_server: LiveServer) -> None:
    page.goto(f"{demo_server.base_url}/console")
    page.wait_for_function("() => globalThis.relaydeskLabels !== undefined")
    cases = [
        ["explicit_request", "frustrated_customer", "harsh_words", "mildly_frustrated"],
        ["harsh_words", "mildly_frustrated"],
        ["legal_or_security", "large_amount", "explicit_request"],
        ["key_account", "vip_refund_over_limit", "vip_refund_over_limit"],
        [],
    ]
    assert page.evaluate("(cases) => cases.map((c) => relaydeskLabels.plainReason(c))", cases) == [
        plain_reason(c) for c in cases
    ]
    scores = [0.94, 0.75, 0.6, 0.3, 0.1, 0]
    assert page.evaluate("(s) => s.map((x) => relaydeskLabels.frustration(x))", scores) == [
        frustration_words(s) for s in scores
    ]
    codes = ["en", "es", "pt-BR", "zz"]
    assert page.evaluate("(c) => c.map((x) => relaydeskLabels.language(x))", codes) == [
        language_name(c) for c in codes
    ]
    topics = ["complaint", "return_item", "loyalty_points"]
    assert page.evaluate("(t) => t.map((x) => relaydeskLabels.topic(x))", topics) == [
        topic_words(t) for t in topics
    ]
