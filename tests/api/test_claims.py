"""Exactly-once assignment: many agents racing for one conversation, over real HTTP."""

from __future__ import annotations

import threading

import httpx

from relaydesk.domain.models import AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace


def test_twenty_agents_claiming_at_once_exactly_one_wins(runtime: Runtime, live_server) -> None:
    ws = make_workspace(runtime.store, slug="race")
    # Away, so the router does not hand the conversation out before they race for it.
    agents = [make_agent(runtime.store, ws, name=f"Agent {i}", status=AgentStatus.AWAY) for i in range(20)]
    with httpx.Client(base_url=live_server.base_url, timeout=60) as http:
        started = http.post("/v1/conversations", json={"workspace": "race"}).json()
        conv_id = started["conversation"]["id"]
        r = http.post(
            f"/v1/conversations/{conv_id}/messages",
            headers={"X-Conversation-Token": started["token"]},
            json={"text": "I want a human"},
        )
        assert r.json()["conversation"]["status"] == "queued"

    barrier = threading.Barrier(len(agents))
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def claim(agent) -> None:  # type: ignore[no-untyped-def]
        with httpx.Client(base_url=live_server.base_url, timeout=60) as http:
            barrier.wait()
            response = http.post(f"/v1/agent/conversations/{conv_id}/claim", headers=agent.headers)
        with lock:
            results.append(response)

    threads = [threading.Thread(target=claim, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [409] * 19
    winner = next(r for r in results if r.status_code == 200).json()["assigned_agent_id"]
    assert runtime.store.get_conversation(conv_id).assigned_agent_id == winner
    for loser in (r for r in results if r.status_code == 409):
        assert loser.headers["content-type"].startswith("application/problem+json")
        assert "assigned" in loser.json()["detail"]
    assignments = [d for d in runtime.store.decisions(conv_id) if d.kind == "assignment"]
    assert len(assignments) == 1
