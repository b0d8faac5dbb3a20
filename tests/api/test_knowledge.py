from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.testing import AgentWithKey

RETURNS = "# Returns\n\nYou can return unused items within 30 days of delivery for a full refund.\n"


def test_supervisors_add_list_search_and_remove_sources(client: TestClient, supervisor: AgentWithKey) -> None:
    h = supervisor.headers
    r = client.post("/v1/knowledge/sources", headers=h, json={"name": "returns.md", "content": RETURNS})
    assert r.status_code == 201, r.text
    assert r.json() == {"uri": "upload:returns.md", "status": "added", "chunks": 1, "title": "Returns"}
    again = client.post("/v1/knowledge/sources", headers=h, json={"name": "returns.md", "content": RETURNS})
    assert again.status_code == 200 and again.json()["status"] == "unchanged"

    [source] = client.get("/v1/knowledge/sources", headers=h).json()
    assert (source["title"], source["format"], source["chunks"]) == ("Returns", "markdown", 1)

    found = client.get("/v1/knowledge/search", headers=h, params={"q": "how long do I have to return"}).json()
    assert found["articles"][0]["title"] == "Returns"
    assert found["answer"]["answered"] and found["answer"]["citations"][0]["title"] == "Returns"
    assert "within 30 days" in found["answer"]["text"]

    assert client.delete(f"/v1/knowledge/sources/{source['id']}", headers=h).status_code == 204
    assert client.get("/v1/knowledge/sources", headers=h).json() == []


def test_bad_sources_get_a_precise_problem(client: TestClient, supervisor: AgentWithKey) -> None:
    h = supervisor.headers
    r = client.post("/v1/knowledge/sources", headers=h, json={"name": "faq.csv", "content": "q,reply\na,b\n"})
    assert r.status_code == 422
    assert 'needs "question" and "answer" columns' in r.json()["detail"]
    both = client.post("/v1/knowledge/sources", headers=h, json={"url": "http://x.example/a", "content": "x"})
    assert both.status_code == 422
    dead = client.post("/v1/knowledge/sources", headers=h, json={"url": "http://127.0.0.1:9/help.html"})
    assert dead.status_code == 422 and "not a public address (loopback)" in dead.json()["detail"]
    metadata = client.post(
        "/v1/knowledge/sources", headers=h, json={"url": "http://169.254.169.254/latest/meta-data/"}
    )
    assert metadata.status_code == 422 and "not a public address (link-local)" in metadata.json()["detail"]


def test_an_agent_reads_and_searches_the_sources_but_only_a_supervisor_changes_them(
    client: TestClient, agent: AgentWithKey, supervisor: AgentWithKey
) -> None:
    added = client.post(
        "/v1/knowledge/sources", headers=supervisor.headers, json={"name": "returns.md", "content": RETURNS}
    )
    assert added.status_code == 201
    refused = client.post(
        "/v1/knowledge/sources", headers=agent.headers, json={"name": "more.md", "content": RETURNS}
    )
    assert refused.status_code == 403
    assert refused.json()["title"] == "Role required"
    assert 'needs the supervisor or admin role; agent "Rita" has the role "agent"' in refused.json()["detail"]
    [source] = client.get("/v1/knowledge/sources", headers=agent.headers).json()
    assert client.delete(f"/v1/knowledge/sources/{source['id']}", headers=agent.headers).status_code == 403
    found = client.get("/v1/knowledge/search", headers=agent.headers, params={"q": "return window"})
    assert found.status_code == 200 and found.json()["articles"][0]["title"] == "Returns"


def test_an_article_linking_anywhere_but_http_is_refused(
    client: TestClient, supervisor: AgentWithKey
) -> None:
    faq = "question,answer,url\nHow do I return?,Within 30 days.,javascript:alert(document.cookie)\n"
    r = client.post(
        "/v1/knowledge/sources", headers=supervisor.headers, json={"name": "faq.csv", "content": faq}
    )
    assert r.status_code == 422
    assert 'links to "javascript:alert(document.cookie)"' in r.json()["detail"]
    assert "must be an http:// or https:// link" in r.json()["detail"]
    md = "---\nurl: data:text/html,hi\n---\n# Returns\n\nWithin 30 days.\n"
    r = client.post("/v1/knowledge/sources", headers=supervisor.headers, json={"name": "r.md", "content": md})
    assert r.status_code == 422 and 'links to "data:text/html,hi"' in r.json()["detail"]
    assert client.get("/v1/knowledge/sources", headers=supervisor.headers).json() == []
    fine = "question,answer,url\nHow do I return?,Within 30 days.,https://help.example/returns\n"
    ok = client.post(
        "/v1/knowledge/sources", headers=supervisor.headers, json={"name": "faq.csv", "content": fine}
    )
    assert ok.status_code == 201


def test_knowledge_needs_an_agent_key(client: TestClient) -> None:
    assert client.get("/v1/knowledge/sources").status_code == 401
    assert client.get("/v1/knowledge/search", params={"q": "x"}).status_code == 401


def test_customers_get_cited_help_center_answers_and_uncovered_questions_escalate(
    client: TestClient,
    runtime,
    shop,
    chat,  # type: ignore[no-untyped-def]
) -> None:
    from relaydesk.knowledge import IngestStatus
    from relaydesk.services.demo_data import ingest_demo_help_center

    report = ingest_demo_help_center(runtime, shop.id)
    assert {o.status for o in report.outcomes} == {IngestStatus.ADDED} and len(report.outcomes) >= 10

    asked = client.post(
        f"/v1/conversations/{chat.id}/messages", headers=chat.headers, json={"text": "Do gift cards expire?"}
    ).json()
    [reply] = asked["replies"]
    assert reply["role"] == "ai" and reply["author_id"] == "knowledge"
    assert "never expire" in reply["text"]
    assert reply["metadata"]["citations"][0]["url"] == "https://help.northwind.example/articles/gift-cards"
    assert asked["conversation"]["status"] == "with_ai"

    uncovered = client.post(
        f"/v1/conversations/{chat.id}/messages",
        headers=chat.headers,
        json={"text": "Do you recycle the old appliance when you deliver a new one?"},
    ).json()
    assert uncovered["conversation"]["status"] in ("queued", "assigned")
    reason = runtime.store.get_conversation(chat.id).escalation_reason  # the desk's, not shown to customers
    assert "knowledge" in (reason or "").lower()
