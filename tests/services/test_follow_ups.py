"""Follow-ups on a durable timer: scheduled by an agent, a flow or a specialist, sent exactly once
(across workers racing and across restarts), into a resolved conversation too, never into another
workspace's; cancelled ones never go out; bad input is refused with a precise error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta, timezone

import pytest

from relaydesk.bus.memory import InProcessBus
from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import (
    OPEN_STATUSES,
    Channel,
    Conversation,
    ConversationStatus,
    MessageRole,
    Workspace,
    utcnow,
)
from relaydesk.services.audit import DecisionRecorder
from relaydesk.services.context import CapabilitySlot, ServiceContext
from relaydesk.services.follow_ups import FollowUpService, FollowUpStatus
from relaydesk.services.outbox import EventOutbox
from relaydesk.storage.database import make_engine
from relaydesk.storage.store import SqlStore
from relaydesk.testing import AgentWithKey, make_agent, make_workspace

LATER = timedelta(hours=2)
"""Sweeps in these tests run at now + LATER, when every follow-up scheduled an hour ahead is due."""


def follow_up_service(store: SqlStore, bus: InProcessBus | None = None) -> FollowUpService:
    context = ServiceContext(
        store, EventOutbox(store, bus or InProcessBus()), DecisionRecorder(store), CapabilitySlot()
    )
    return FollowUpService.on(context, store.engine)


def start_conversation(store: SqlStore, workspace: Workspace) -> Conversation:
    customer = store.upsert_customer(workspace.id, name="Ada")
    return store.create_conversation(workspace.id, customer.id, token="t", channel=Channel.WEB)


def resolve(store: SqlStore, conversation: Conversation) -> None:
    store.transition(
        conversation.id, expected=OPEN_STATUSES, to=ConversationStatus.RESOLVED, resolved_at=utcnow()
    )


def follow_up_messages(store: SqlStore, conversation_id: str) -> list[str]:
    return [m.metadata["follow_up"] for m in store.messages(conversation_id) if "follow_up" in m.metadata]


def follow_up_decisions(store: SqlStore, conversation_id: str, outcome: str) -> list[str]:
    return [
        d.inputs["follow_up_id"]
        for d in store.decisions(conversation_id)
        if d.kind == DecisionKind.FOLLOW_UP and d.outcome == outcome
    ]


@dataclass
class Desk:
    store: SqlStore
    follow_ups: FollowUpService
    workspace: Workspace
    agent: AgentWithKey
    conversation: Conversation
    events: list[ConversationEvent]


@pytest.fixture
def desk(store: SqlStore) -> Iterator[Desk]:
    bus = InProcessBus()
    events: list[ConversationEvent] = []
    unsubscribe = bus.subscribe(events.append)
    workspace = make_workspace(store, slug="parcels")
    agent = make_agent(store, workspace, name="Rita")
    yield Desk(
        store, follow_up_service(store, bus), workspace, agent, start_conversation(store, workspace), events
    )
    unsubscribe()


# -- scheduling and sending -------------------------------------------------------------------------
def test_an_agents_follow_up_goes_out_once_in_their_name_when_due(desk: Desk) -> None:
    scheduled = desk.follow_ups.schedule(
        desk.conversation.id, "  Has your parcel arrived?  ", due_in_s=3600, agent=desk.agent.agent
    )
    assert scheduled.status == FollowUpStatus.SCHEDULED and scheduled.text == "Has your parcel arrived?"
    assert desk.follow_ups.send_due() == 0  # not due yet
    assert desk.follow_ups.send_due(now=utcnow() + LATER) == 1
    assert desk.follow_ups.send_due(now=utcnow() + LATER) == 0  # once
    [message] = [m for m in desk.store.messages(desk.conversation.id) if m.metadata.get("follow_up")]
    assert (message.role, message.author_id, message.text) == (
        MessageRole.AGENT,
        desk.agent.agent.id,
        "Has your parcel arrived?",
    )
    [sent] = desk.follow_ups.for_conversation(desk.conversation.id)
    assert sent.status == FollowUpStatus.SENT and sent.message_id == message.id and sent.sent_at
    created = [e for e in desk.events if e.type == EventType.MESSAGE_CREATED]
    assert [e.data["id"] for e in created] == [message.id]
    [decision] = [
        d
        for d in desk.store.decisions(desk.conversation.id)
        if d.kind == DecisionKind.FOLLOW_UP
        if d.outcome == "sent"
    ]
    assert decision.message_id == message.id
    assert decision.inputs["follow_up_id"] == sent.id and decision.inputs["created_by"] == "agent"
    assert decision.inputs["author"] == desk.agent.agent.id
    assert follow_up_decisions(desk.store, desk.conversation.id, "scheduled") == [sent.id]


def test_a_resolved_conversation_receives_a_flows_follow_up_as_the_ai(desk: Desk) -> None:
    follow_up = desk.follow_ups.schedule(
        desk.conversation.id,
        "Has your parcel arrived?",
        due_at=(utcnow() + timedelta(hours=1)).astimezone().isoformat(),
        flow="order_status",
    )
    resolve(desk.store, desk.conversation)
    assert desk.follow_ups.send_due(now=utcnow() + LATER) == 1
    [message] = [m for m in desk.store.messages(desk.conversation.id) if m.metadata.get("follow_up")]
    assert message.role == MessageRole.AI and message.author_id is None
    assert message.metadata == {"follow_up": follow_up.id, "created_by": "flow", "author": "order_status"}
    assert desk.store.get_conversation(desk.conversation.id).status == ConversationStatus.RESOLVED


def test_a_cancelled_follow_up_is_never_sent_and_cannot_be_cancelled_twice(desk: Desk) -> None:
    follow_up = desk.follow_ups.schedule(
        desk.conversation.id, "Did the refund reach you?", due_in_s=3600, agent=desk.agent.agent
    )
    cancelled = desk.follow_ups.cancel(follow_up.id, agent=desk.agent.agent)
    assert cancelled.status == FollowUpStatus.CANCELLED
    assert desk.follow_ups.send_due(now=utcnow() + LATER) == 0
    assert follow_up_messages(desk.store, desk.conversation.id) == []
    assert follow_up_decisions(desk.store, desk.conversation.id, "cancelled") == [follow_up.id]
    with pytest.raises(Conflict, match="already cancelled"):
        desk.follow_ups.cancel(follow_up.id, agent=desk.agent.agent)


def test_a_sent_follow_up_cannot_be_cancelled(desk: Desk) -> None:
    follow_up = desk.follow_ups.schedule(
        desk.conversation.id, "Any news?", due_in_s=60, agent=desk.agent.agent
    )
    desk.follow_ups.send_due(now=utcnow() + LATER)
    with pytest.raises(Conflict, match="already sent"):
        desk.follow_ups.cancel(follow_up.id, agent=desk.agent.agent)


def test_the_ai_does_not_follow_up_over_a_person_or_after_the_customer_wrote(desk: Desk) -> None:
    store = desk.store
    asked = desk.follow_ups.schedule(
        desk.conversation.id, "Parcel there?", due_in_s=3600, flow="order_status"
    )
    store.add_message(
        desk.conversation.id, role=MessageRole.CUSTOMER, text="It came, thanks", channel=Channel.WEB
    )
    queued = start_conversation(store, desk.workspace)
    waiting = desk.follow_ups.schedule(queued.id, "Still need help?", due_in_s=3600, specialist="orders")
    store.transition(queued.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED)
    assert desk.follow_ups.send_due(now=utcnow() + LATER) == 0
    assert follow_up_messages(store, desk.conversation.id) == follow_up_messages(store, queued.id) == []
    [wrote] = [d for d in store.decisions(desk.conversation.id) if d.outcome == "cancelled"]
    assert wrote.inputs["follow_up_id"] == asked.id and "customer wrote" in wrote.inputs["reason"]
    [person] = [d for d in store.decisions(queued.id) if d.outcome == "cancelled"]
    assert person.inputs["follow_up_id"] == waiting.id and "queued" in person.inputs["reason"]


def test_another_workspace_neither_schedules_sees_nor_cancels_it(desk: Desk) -> None:
    other = make_agent(desk.store, make_workspace(desk.store, slug="elsewhere"), name="Olga").agent
    with pytest.raises(NotFound, match=desk.conversation.id):
        desk.follow_ups.schedule(desk.conversation.id, "Hello", due_in_s=3600, agent=other)
    mine = desk.follow_ups.schedule(desk.conversation.id, "Hello", due_in_s=3600, agent=desk.agent.agent)
    with pytest.raises(NotFound):
        desk.follow_ups.for_conversation(desk.conversation.id, agent=other)
    with pytest.raises(NotFound, match=mine.id):
        desk.follow_ups.cancel(mine.id, agent=other)


# -- durable and exactly once ------------------------------------------------------------------------
def test_a_follow_up_survives_a_restart(db_url: str) -> None:
    before = SqlStore(make_engine(db_url))
    workspace = make_workspace(before, slug="restart")
    agent = make_agent(before, workspace).agent
    conversation = start_conversation(before, workspace)
    follow_up = follow_up_service(before).schedule(conversation.id, "Back again", due_in_s=600, agent=agent)
    before.engine.dispose()  # the process is gone; only the database remains

    after = SqlStore(make_engine(db_url))
    try:
        assert follow_up_service(after).send_due(now=utcnow() + LATER) == 1
        assert follow_up_messages(after, conversation.id) == [follow_up.id]
    finally:
        after.engine.dispose()


def test_workers_racing_on_the_same_due_follow_ups_send_each_exactly_once(db_url: str) -> None:
    """Four workers (two processes' engines, two threads each) sweep at the same moment."""
    setup = SqlStore(make_engine(db_url))
    workspace = make_workspace(setup, slug="race")
    agent = make_agent(setup, workspace).agent
    conversations = [start_conversation(setup, workspace) for _ in range(4)]
    resolve(setup, conversations[0])
    service = follow_up_service(setup)
    ids = {
        c.id: sorted(
            service.schedule(c.id, f"Follow-up {i}", due_in_s=60 + i, agent=agent).id for i in range(5)
        )
        for c in conversations
    }
    setup.engine.dispose()

    engines = [make_engine(db_url), make_engine(db_url)]
    workers = [follow_up_service(SqlStore(engines[i % 2])) for i in range(4)]
    start = threading.Barrier(len(workers))
    sent: list[int] = []
    errors: list[BaseException] = []
    due = utcnow() + LATER

    def sweep(worker: FollowUpService) -> None:
        try:
            start.wait(timeout=30)
            sent.append(worker.send_due(now=due))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sweep, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == [] and sum(sent) == 20
        check = SqlStore(engines[0])
        for conversation_id, mine in ids.items():
            assert sorted(follow_up_messages(check, conversation_id)) == mine  # each once, none lost
            assert sorted(follow_up_decisions(check, conversation_id, "sent")) == mine
    finally:
        for engine in engines:
            engine.dispose()


# -- precise errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "when", "error"),
    [
        ("", {"due_in_s": 3600}, "text is empty"),
        ("   ", {"due_in_s": 3600}, "text is empty"),
        ("x" * 2001, {"due_in_s": 3600}, "2001 characters; a follow-up has at most 2000"),
        ("a\x00b", {"due_in_s": 3600}, "NUL"),
        (42, {"due_in_s": 3600}, "text must be the message to send, not int"),
        ("Hi", {}, "give due_at or due_in_s"),
        ("Hi", {"due_in_s": 60, "due_at": "2030-01-01T00:00:00Z"}, "exactly one"),
        ("Hi", {"due_in_s": -5}, "due_in_s -5 is in the past"),
        ("Hi", {"due_in_s": 10}, "less than a minute ahead"),
        ("Hi", {"due_in_s": 91 * 86400}, "within 90 days"),
        ("Hi", {"due_in_s": 10**40}, "within 90 days"),
        ("Hi", {"due_in_s": 1.5}, "whole number of seconds"),
        ("Hi", {"due_in_s": True}, "whole number of seconds"),
        ("Hi", {"due_at": "tomorrow"}, 'due_at "tomorrow" is not an ISO 8601 time'),
        ("Hi", {"due_at": "2030-01-01T09:00:00"}, "has no time zone"),
        ("Hi", {"due_at": "2001-01-01T09:00:00+01:00"}, "is in the past"),
        ("Hi", {"due_at": "0001-01-01T00:00:00+01:00"}, "due_at"),
    ],
)
def test_bad_input_is_refused_with_what_is_wrong(desk: Desk, text: object, when: dict, error: str) -> None:
    with pytest.raises(InvalidInput, match=error.replace("(", r"\(").replace("?", r"\?")):
        desk.follow_ups.schedule(desk.conversation.id, text, agent=desk.agent.agent, **when)
    assert desk.follow_ups.for_conversation(desk.conversation.id) == []


def test_a_follow_up_is_scheduled_by_exactly_one_author(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="one agent, flow or specialist"):
        desk.follow_ups.schedule(desk.conversation.id, "Hi", due_in_s=3600)
    with pytest.raises(InvalidInput, match="one agent, flow or specialist"):
        desk.follow_ups.schedule(desk.conversation.id, "Hi", due_in_s=3600, agent=desk.agent.agent, flow="x")
    with pytest.raises(InvalidInput, match="flow's name"):
        desk.follow_ups.schedule(desk.conversation.id, "Hi", due_in_s=3600, flow=" ")


def test_a_conversation_holds_at_most_ten_scheduled_follow_ups(desk: Desk) -> None:
    for i in range(10):
        desk.follow_ups.schedule(desk.conversation.id, f"Ping {i}", due_in_s=3600 + i, agent=desk.agent.agent)
    with pytest.raises(Conflict, match="already has 10 follow-ups scheduled"):
        desk.follow_ups.schedule(desk.conversation.id, "One more", due_in_s=3600, agent=desk.agent.agent)


def test_due_at_in_another_zone_means_the_same_moment(desk: Desk) -> None:
    moment = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    local = moment.astimezone(timezone(timedelta(hours=5, minutes=30)))
    follow_up = desk.follow_ups.schedule(
        desk.conversation.id, "Hi", due_at=local.isoformat(), agent=desk.agent.agent
    )
    [stored] = desk.follow_ups.for_conversation(desk.conversation.id)
    assert follow_up.due_at == stored.due_at == moment
