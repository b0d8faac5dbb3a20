"""The dashboard's people and reasons as a supervisor reads them (walkthrough): "Escalation rate by
reason" mixed the rules with their kinds ("Kind: ...") in one list that added up to more than the
escalation rate; the agents' line counted an away agent's open conversation as held by those
online; a customer who gave their e-mail in the chat stayed "Anonymous customer"."""

from __future__ import annotations

from typing import Any

import httpx

from relaydesk.demo.seed import WORKSPACE_SLUG
from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent
from tests.conftest import LiveServer
from tests.web.test_dashboard import _escalated_chat, _kpis_for_the_page_period, _sign_in, _team


def _anonymous_chat(server: LiveServer, *texts: str) -> str:
    with httpx.Client(base_url=server.base_url, timeout=60) as http:
        r = http.post("/v1/conversations", json={"workspace": WORKSPACE_SLUG})
        assert r.status_code == 201, r.text
        body = r.json()
        cid = str(body["conversation"]["id"])
        for text in texts:
            r = http.post(
                f"/v1/conversations/{cid}/messages",
                headers={"X-Conversation-Token": body["token"]},
                json={"text": text},
            )
            assert r.status_code == 201, r.text
        return cid


def test_a_customer_who_gave_an_email_in_the_chat_is_named_by_it(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    lead, _ = _team(runtime)
    cid = _anonymous_chat(demo_server, "I need to talk to a person", "my email is pat.nobody@example.org")
    _anonymous_chat(demo_server, "Can I speak to a human please")
    _sign_in(page, demo_server, lead)

    named = page.wait_for_selector("#queues tbody th:has-text('pat.nobody@example.org')")
    assert named.inner_text() == "pat.nobody@example.org"
    assert page.locator("#queues tbody th:has-text('Anonymous customer')").count() == 1  # gave nothing
    pick = page.wait_for_selector(f".pick[data-conversation='{cid}'] .pick-name")
    assert pick.inner_text() == "pat.nobody@example.org"
    page.click(f".pick[data-conversation='{cid}']")
    page.wait_for_selector(f"#decisions-title:has-text('Decisions for pat.nobody@example.org ({cid})')")


def test_online_counts_only_what_online_agents_hold(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    lead, _ = _team(runtime)
    workspace = runtime.store.workspace_by_slug(WORKSPACE_SLUG)
    away = make_agent(runtime.store, workspace, name="Ari Away", status=AgentStatus.ONLINE, capacity=3)
    cid = _anonymous_chat(demo_server, "Please let me speak to a human")
    assert runtime.store.get_conversation(cid).assigned_agent_id == away.agent.id  # the only one online
    with httpx.Client(base_url=demo_server.base_url, timeout=60) as http:
        key = {"X-API-Key": away.api_key}
        assert http.put("/v1/agent/me/status", headers=key, json={"status": "away"}).status_code == 200
    online = sum(1 for a in runtime.store.list_agents(workspace.id) if a.status == AgentStatus.ONLINE)
    assert online == 0
    _sign_in(page, demo_server, lead)

    summary = page.wait_for_selector("#agents-summary:has-text('online')").inner_text()
    assert summary.startswith("0 of ") and "holding 0 open conversations of their capacity of 0" in summary
    assert summary.endswith("; 1 more open with agents who are away or offline.")


def test_the_reasons_and_their_kinds_are_two_groups_that_each_add_up(
    page: Any, runtime: Runtime, demo_server: LiveServer
) -> None:
    lead, _ = _team(runtime)
    _escalated_chat(demo_server, "Noor", "Please let me speak to a human")
    _escalated_chat(demo_server, "Lex", "I will call my lawyer about this")
    _sign_in(page, demo_server, lead)
    page.wait_for_selector("body[data-kpis=loaded]")
    kpis = _kpis_for_the_page_period(page, demo_server, lead)
    handed = kpis["escalation"]["count"]

    groups = page.locator("#fig-reasons tbody.reason-group")
    assert groups.count() == 2
    titles = [g.locator("tr.group-title").inner_text() for g in groups.all()]
    assert titles == ["Why a person was brought in", "Kind of reason"]
    assert "Kind:" not in page.inner_text("#fig-reasons table")
    figures_of = (kpis["reasons_by_rule"], kpis["reasons_by_family"])
    for group, figures in zip(groups.all(), figures_of, strict=True):
        rows = group.locator("tr[data-reason]")
        counts = [int(r.locator("td").first.inner_text()) for r in rows.all()]
        assert counts == [f["count"] for f in figures]
        has_note = group.locator("tr.group-note").count() == 1
        assert has_note == (sum(counts) > handed)  # more than one reason is said, never hidden
    kinds = page.locator("#fig-reasons tbody tr[data-reason^='family: ']")
    assert kinds.count() == len(kpis["reasons_by_family"])
    total = page.inner_text("#fig-reasons tfoot tr.total")
    assert total.startswith("Handed to a person") and f"\t{handed}\t" in total
