"""The queue is read a page at a time (assignment.FIRST_PAGE, then larger pages): an urgent
conversation behind a full first page of conversations the agent cannot take is still theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relaydesk.domain.models import AgentStatus, ConversationStatus, utcnow
from relaydesk.services.assignment import FIRST_PAGE, hand_out_waiting
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace


def _queue(
    runtime: Runtime, slug: str, n: int, *, language: str, priority: int, due_in_s: float
) -> list[str]:
    ws = runtime.store.workspace_by_slug(slug)
    customer = runtime.store.upsert_customer(ws.id, external_id=f"c-{language}", name="C", language=language)
    ids = []
    for _ in range(n):
        c = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web", language=language)  # type: ignore[arg-type]
        now = utcnow()
        runtime.store.transition(
            c.id,
            expected=[ConversationStatus.WITH_AI],
            to=ConversationStatus.QUEUED,
            queued_at=now,
            priority=priority,
            due_at=now + timedelta(seconds=due_in_s),
        )
        ids.append(c.id)
    return ids


@pytest.mark.parametrize("ahead_priority", [0, 3])
@pytest.mark.parametrize("how", ["take_next", "hand_out"])
def test_an_urgent_case_behind_a_page_the_agent_cannot_take_is_still_theirs(
    runtime: Runtime, ahead_priority: int, how: str
) -> None:
    """Ahead of it: more than a page of German conversations, queued and due first, for an agent
    who speaks only English; low priority ones, and (deeper than the first page in routing order)
    ones as urgent as it is."""
    ws = make_workspace(runtime.store, slug=f"pages-{ahead_priority}-{how.replace('_', '-')}")
    german = _queue(runtime, ws.slug, FIRST_PAGE + 5, language="de", priority=ahead_priority, due_in_s=60)
    [urgent] = _queue(runtime, ws.slug, 1, language="en", priority=3, due_in_s=100)
    if ahead_priority == 3:  # truly deeper than the first page the agent reads
        assert runtime.store.queue_position(runtime.store.get_conversation(urgent)) == FIRST_PAGE + 6
    eve = make_agent(runtime.store, ws, name="Eve", languages=("en",), status=AgentStatus.AWAY)
    if how == "take_next":
        taken = runtime.desk.take_next(eve.agent)
        assert taken.id == urgent
    else:
        runtime.store.set_agent_status(eve.agent.id, AgentStatus.ONLINE)
        assert hand_out_waiting(runtime.context) == 1
    assert runtime.store.get_conversation(urgent).assigned_agent_id == eve.agent.id
    assert all(runtime.store.get_conversation(c).status == ConversationStatus.QUEUED for c in german)
