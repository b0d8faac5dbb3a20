"""The supervisor dashboard in a real browser against the real server with the demo store: a
supervisor signs in and sees the queue with its timers and the agents; the KPI charts render with
their tables; the decision explorer reads a conversation's decisions; a plain agent is refused;
script injection in a customer's name and message is shown as text."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from relaydesk.demo.seed import WORKSPACE_SLUG
from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent
from tests.conftest import LiveServer
from tests.web.conftest import check_accessibility, screenshot, watch_dialogs

EVIL_NAME = "<img src=x onerror=alert('name')>Eve"
EVIL_TEXT = "<script>alert('message')</script> I want a human"


def _team(runtime: Runtime) -> tuple[AgentWithKey, AgentWithKey]:
    """The demo's agents away (escalations wait in the queue), a supervisor and a plain agent."""
    workspace = runtime.store.workspace_by_slug(WORKSPACE_SLUG)
    for other in runtime.store.list_agents(workspace.id):
        runtime.store.set_agent_status(other.id, AgentStatus.AWAY)
    lead = make_agent(runtime.store, workspace, name="Lena Lead", role="supervisor", status=AgentStatus.AWAY)
    plain = make_agent(runtime.store, workspace, name="Paul Plain", status=AgentStatus.AWAY)
    return lead, plain


def _escalated_chat(server: LiveServer, name: str, text: str) -> str:
    with httpx.Client(base_url=server.base_url, timeout=60) as http:
        r = http.post("/v1/conversations", json={"workspace": WORKSPACE_SLUG, "customer": {"name": name}})
        assert r.status_code == 201, r.text
        body = r.json()
        cid = body["conversation"]["id"]
        r = http.post(
            f"/v1/conversations/{cid}/messages",
            headers={"X-Conversation-Token": body["token"]},
            json={"text": text},
        )
        assert r.json()["conversation"]["status"] == "queued", r.text
        return str(cid)


def _kpis_for_the_page_period(page: Any, server: LiveServer, agent: AgentWithKey) -> dict[str, Any]:
    """The API's figures for the dates the page shows (``To`` is inclusive on the page)."""
    since, to = page.input_value("#from"), page.input_value("#to")
    until = (date.fromisoformat(to) + timedelta(days=1)).isoformat()
    r = httpx.get(
        f"{server.base_url}/v1/reports/kpis",
        params={"since": since, "until": until},
        headers={"X-API-Key": agent.api_key},
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def _sign_in(page: Any, server: LiveServer, agent: AgentWithKey) -> None:
    page.goto(f"{server.base_url}/dashboard")
    page.fill("#api-key", agent.api_key)
    page.click("#signin-form button[type=submit]")


def test_a_supervisor_watches_the_desk(page: Any, runtime: Runtime, demo_server: LiveServer) -> None:
    lead, _ = _team(runtime)
    cid = _escalated_chat(demo_server, EVIL_NAME, EVIL_TEXT)
    _escalated_chat(demo_server, "Noor", "Please let me speak to a human")
    dialogs = watch_dialogs(page)

    page.goto(f"{demo_server.base_url}/dashboard")
    page.wait_for_selector("#signin-form")
    screenshot(page, "dashboard-signin")
    assert check_accessibility(page) == []

    _sign_in(page, demo_server, lead)
    page.wait_for_selector("#board:not([hidden])")
    page.wait_for_selector("#queues table tbody tr")
    assert "2 waiting for a person" in page.inner_text("#queue-summary")
    queue = page.inner_text("#queues")
    assert EVIL_NAME in queue and "<script>alert('message')</script>" in queue
    assert page.locator("#queues img").count() == 0 and page.locator("#queues script").count() == 0
    assert page.locator("#queues td.wait").first.inner_text().endswith("s")
    assert "due in" in queue or "overdue by" in queue or "no service level" in queue
    agents = page.inner_text("#agents-table")
    assert "Maya Okafor" in agents and "Lena Lead" in agents and "away" in agents
    assert page.inner_text("#who") == "Signed in as Lena Lead"

    # The KPI charts: a canvas each, and table equivalents with the numbers.
    page.wait_for_selector("body[data-kpis=loaded]")
    assert page.locator(".charts canvas").count() == 6
    assert page.evaluate("() => [...document.querySelectorAll('.charts canvas')].every(c => c.width > 0)")
    kpis = _kpis_for_the_page_period(page, demo_server, lead)
    containment = page.inner_text("#fig-containment tbody")
    assert f"Never reached a person\t{kpis['containment']['count']}\t" in containment
    assert f"Handed to a person\t{kpis['escalation']['count']}\t" in containment
    assert kpis["escalation"]["count"] >= 2  # the two conversations above, and the demo's past cases
    assert "Asked for a person" in page.inner_text("#fig-reasons tbody")  # explicit_request, in words
    assert page.locator("#fig-csat tbody tr").count() == 3
    assert f"Conversations\n{kpis['conversations']}\n" in page.inner_text("#headline")

    # The decision explorer: pick the customer's conversation, read its decisions in order.
    page.wait_for_selector(f".pick[data-conversation='{cid}']")
    page.click(f".pick[data-conversation='{cid}']")
    page.wait_for_selector("#decision-list li.decision")
    kinds = page.locator("#decision-list .kind").all_inner_texts()
    assert "escalation" in [k.lower() for k in kinds]
    assert kinds.index(next(k for k in kinds if k.lower() == "triage")) < kinds.index(
        next(k for k in kinds if k.lower() == "escalation")
    )
    assert EVIL_NAME in page.inner_text("#decisions-title")
    assert page.locator("#decision-list .version").count() == len(kinds)
    assert page.locator("img").count() == 0
    assert dialogs == []

    screenshot(page, "dashboard")
    problems = check_accessibility(page)
    assert problems == [], json.dumps(problems, indent=1)


def test_a_plain_agent_is_refused(page: Any, runtime: Runtime, demo_server: LiveServer) -> None:
    _, plain = _team(runtime)
    _sign_in(page, demo_server, plain)
    page.wait_for_selector("#signin-message:has-text('Refused')")
    message = page.inner_text("#signin-message")
    assert "supervisor or admin" in message and '"Paul Plain"' in message
    assert page.is_hidden("#board")
    assert page.evaluate("() => sessionStorage.getItem('relaydesk.dashboard.key')") is None


def test_an_unknown_key_is_refused(page: Any, runtime: Runtime, demo_server: LiveServer) -> None:
    page.goto(f"{demo_server.base_url}/dashboard")
    page.fill("#api-key", "not-a-key")
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#signin-message:has-text('matches no agent')")
    assert page.is_hidden("#board")


def test_the_hybrid_figures_show_and_the_period_exports_as_csv_and_html(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    lead, _ = _team(runtime)
    _escalated_chat(demo_server, "Noor", "Please let me speak to a human")
    dialogs = watch_dialogs(page)
    _sign_in(page, demo_server, lead)
    page.wait_for_selector("body[data-kpis=loaded]")
    kpis = _kpis_for_the_page_period(page, demo_server, lead)
    headline = page.inner_text("#headline")
    for term in (
        "AI resolution rate",
        "Abandonment",
        "CSAT",
        "Post-escalation CSAT",
        "Repeat contact (7 days)",
        "Reopen rate",
        "Handoff friction: repeated",
        "Handed over again (72 h)",
        "Cost per resolution",
    ):
        assert f"{term}\n" in headline, term
    escalated = kpis["escalation"]["rate"]
    assert f"Escalation rate\n{escalated * 100:.1f}%" in headline

    # CSV: downloaded with the key in a header (the URL carries none)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.select_option("#group-by", "channel")
    with page.expect_download() as download:
        page.click("#download-csv")
    saved = download.value
    assert re.fullmatch(r"relaydesk-kpis-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv", saved.suggested_filename)
    text = Path(saved.path()).read_text(encoding="utf-8")
    assert text.startswith("since,until,group_by,group,figure,value,unit,count,total")
    assert f",all,all,conversations,{kpis['conversations']}," in text and ",channel,web," in text
    assert all("key" not in url.lower() for url in requests)

    # HTML: a new tab with the standalone report, its charts drawn
    with page.context.expect_page() as opened:
        page.click("#open-report")
    report = opened.value
    report.wait_for_url(re.compile(r"^blob:"))
    report.wait_for_selector("#fig-outcomes canvas")
    assert report.locator("canvas").count() == 6
    assert report.evaluate("() => typeof Chart === 'function' && Object.keys(Chart.instances).length") == 6
    assert "By channel" in report.inner_text("body")
    screenshot(report, "kpi-report")
    report.close()
    assert page.inner_text("#kpi-message") == ""

    # a period that ends before it starts: said plainly, and no figures of another period stay
    page.fill("#from", "2026-03-10")
    page.fill("#to", "2026-03-01")
    page.click("#period-form button[type=submit]")
    assert '"From" (2026-03-10) is after "To" (2026-03-01)' in page.inner_text("#kpi-message")
    assert not page.is_visible("#headline") and not page.is_visible(".kpis .charts")
    assert dialogs == []
