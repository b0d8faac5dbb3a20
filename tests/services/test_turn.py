"""The turn: one customer message handled and committed as one transaction, recovered by lease."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from relaydesk.domain.decisions import (
    AssignmentPayload,
    DecisionKind,
    DeliveryPayload,
    ResponsePayload,
    RoutePayload,
    triage_readings,
)
from relaydesk.domain.models import AgentStatus, Channel, MessageRole, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.storage.tables import MessageRow
from relaydesk.testing import FlakyBus, HookedResponder, make_agent, make_workspace

ROUTINE = "How do I reset my password?"


def _start(runtime: Runtime, *, agent_status: AgentStatus = AgentStatus.AWAY) -> tuple[str, Any]:
    ws = make_workspace(runtime.store, slug="turns")
    agent = make_agent(runtime.store, ws, name="Ada", status=agent_status)
    return runtime.desk.start_conversation("turns").conversation.id, agent


def _expire_lease(runtime: Runtime, message_id: str) -> None:
    with runtime.store._sessions.begin() as s:
        s.execute(
            update(MessageRow)
            .where(MessageRow.id == message_id)
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )


class FailOnce:
    """The decision log, failing the first time a decision of ``kind`` is written."""

    def __init__(self, inner: Any, kind: DecisionKind) -> None:
        self.inner, self.kind, self.failed = inner, kind, False

    def record(self, conversation: Any, **kw: Any) -> Any:
        if str(kw["kind"]) == self.kind and not self.failed:
            self.failed = True
            raise RuntimeError("the database went away mid-turn")
        return self.inner.record(conversation, **kw)


def test_a_turn_that_fails_half_way_stores_nothing_and_is_answered_once_by_recovery(
    runtime: Runtime,
) -> None:
    conv_id, _ = _start(runtime)
    runtime.context.decisions = FailOnce(runtime.context.decisions, DecisionKind.RESPONSE)  # type: ignore[assignment]
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE, idempotency_key="k1")
    # Acknowledged (stored) although handling failed after the AI reply was written: no error.
    assert posted.created and posted.answer_pending and posted.replies == []
    message = posted.message
    assert runtime.store.replies_to(message.id) == []  # the reply written before the failure is gone
    assert [d.kind for d in runtime.store.decisions(conv_id)] == []  # and so are its decisions
    assert not runtime.store.message_handled(message.id)
    assert runtime.recovery.run_once() == 0  # its lease still runs: nobody takes it yet
    _expire_lease(runtime, message.id)
    assert runtime.recovery.run_once() == 1
    replies = runtime.store.replies_to(message.id)
    assert [m.role for m in replies] == [MessageRole.AI]
    kinds = [d.kind for d in runtime.store.decisions(conv_id)]
    assert kinds.count("triage") == 1 and kinds.count("response") == 1
    # A retry of the same post returns the first handling's reply.
    again = runtime.desk.post_customer_message(conv_id, ROUTINE, idempotency_key="k1")
    assert not again.created and [m.id for m in again.replies] == [replies[0].id]


def test_handling_a_message_twice_answers_it_once(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE)
    again = runtime.orchestrator.handle(posted.message)  # a second worker with the same message
    assert [m.id for m in again] == [m.id for m in posted.replies]
    assert len(runtime.store.replies_to(posted.message.id)) == 1


def test_a_retry_of_a_stranded_message_answers_it_with_its_replies(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)
    conversation = runtime.store.get_conversation(conv_id)
    # Stored by a worker that died before its turn ran; the lease has run out.
    runtime.store.add_message(
        conv_id,
        role=MessageRole.CUSTOMER,
        text=ROUTINE,
        channel=conversation.channel,
        idempotency_key="k2",
        handled=False,
        lease_owner="dead-worker",
        lease_s=0.0,
    )
    retried = runtime.desk.post_customer_message(conv_id, ROUTINE, idempotency_key="k2")
    assert not retried.created and not retried.answer_pending
    assert [m.role for m in retried.replies] == [MessageRole.AI]


def test_a_live_workers_message_is_never_taken_by_recovery(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)
    message, _ = runtime.store.add_message(
        conv_id,
        role=MessageRole.CUSTOMER,
        text=ROUTINE,
        channel=Channel.WEB,
        handled=False,
        lease_owner="live-worker",
        lease_s=60.0,
    )
    assert runtime.recovery.run_once() == 0
    assert not runtime.store.claim_message(message.id, "another-worker", 10.0)
    _expire_lease(runtime, message.id)
    assert runtime.store.claim_message(message.id, "another-worker", 10.0)
    assert not runtime.store.claim_message(message.id, "a-third-worker", 10.0)  # exactly one wins


def test_the_ai_does_not_talk_over_a_person_who_took_the_conversation_meanwhile(runtime: Runtime) -> None:
    conv_id, agent = _start(runtime, agent_status=AgentStatus.ONLINE)

    def claim(_message: object) -> None:  # while the AI works out its answer, a person takes over
        if runtime.store.get_conversation(conv_id).status == "with_ai":
            runtime.desk.claim(agent.agent, conv_id)

    runtime.capabilities.responders.insert(0, HookedResponder(claim))
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE)
    assert posted.replies == []
    assert [m.role for m in runtime.store.messages(conv_id)] == [MessageRole.CUSTOMER, MessageRole.SYSTEM]
    delivery = [DeliveryPayload.of(d) for d in runtime.store.decisions(conv_id) if d.kind == "delivery"]
    assert len(delivery) == 1 and delivery[0].ai_reply_dropped and delivery[0].agent_id == agent.agent.id
    assert runtime.orchestrator.ai_replies_dropped == 1


def test_a_message_the_ai_keeps_failing_on_goes_to_a_person(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)

    def broken(_message: object) -> None:
        raise RuntimeError("the model crashed")

    runtime.capabilities.responders.insert(0, HookedResponder(broken))
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE)
    assert posted.answer_pending
    for _ in range(runtime.settings.max_handling_attempts + 1):
        _expire_lease(runtime, posted.message.id)
        runtime.recovery.run_once()
    assert runtime.store.message_handled(posted.message.id)
    conversation = runtime.store.get_conversation(conv_id)
    assert conversation.status == "queued"
    assert [d.outcome for d in runtime.store.decisions(conv_id) if d.kind == "recovery"] == ["to_person"]


def test_an_event_the_bus_could_not_take_is_sent_later_from_the_outbox(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)
    bus = FlakyBus()
    runtime.outbox.bus = bus
    bus.down = True
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE)
    assert posted.replies and posted.replies[0].role == MessageRole.AI  # the customer still gets it
    assert bus.published == []
    bus.down = False
    assert runtime.outbox.relay_once(older_than_s=0) >= 2
    sent = [(str(e.type), e.data.get("id")) for e in bus.published]
    assert ("message.created", posted.message.id) in sent
    assert ("message.created", posted.replies[0].id) in sent
    assert runtime.outbox.relay_once(older_than_s=0) == 0  # sent once, then gone


def test_a_turn_that_rolls_back_publishes_nothing(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)
    bus = FlakyBus()
    runtime.outbox.bus = bus
    runtime.context.decisions = FailOnce(runtime.context.decisions, DecisionKind.RESPONSE)  # type: ignore[assignment]
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE)
    assert posted.answer_pending
    # Only the stored customer message was announced; not the reply that was rolled back.
    assert [(str(e.type), e.data.get("role")) for e in bus.published] == [("message.created", "customer")]


def test_concurrent_posts_take_unique_consecutive_positions(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime)
    errors: list[BaseException] = []

    def post(i: int) -> None:
        try:
            runtime.desk.post_customer_message(conv_id, f"hello number {i}", idempotency_key=f"p{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    positions = [m.seq for m in runtime.store.messages(conv_id)]
    assert positions == list(range(1, len(positions) + 1))


def test_a_message_posted_while_the_models_load_waits_for_them(runtime: Runtime) -> None:
    from relaydesk.services.context import CapabilitySlot

    conv_id, _ = _start(runtime)
    caps = runtime.capabilities
    runtime.context.slot = CapabilitySlot()  # as while a server starts: models not in yet
    stored = threading.Event()
    runtime.bus.subscribe(lambda e: stored.set() if e.data.get("role") == "customer" else None)
    result: list[Any] = []
    poster = threading.Thread(
        target=lambda: result.append(runtime.desk.post_customer_message(conv_id, ROUTINE))
    )
    poster.start()
    assert stored.wait(30)  # stored and announced at once...
    assert poster.is_alive() and not runtime.ready  # ...and its answer waits for the models
    runtime.context.slot.provide(caps)
    poster.join(60)
    assert result and [m.role for m in result[0].replies] == [MessageRole.AI]


def test_events_and_api_responses_carry_the_same_fields(runtime: Runtime) -> None:
    from relaydesk.api.schemas import ConversationOut, MessageOut

    conv_id, _ = _start(runtime)
    seen: list[Any] = []
    runtime.bus.subscribe(seen.append)
    posted = runtime.desk.post_customer_message(conv_id, ROUTINE)
    event = next(e for e in seen if e.data.get("id") == posted.replies[0].id)
    api = MessageOut.of(posted.replies[0]).model_dump(mode="json")
    assert MessageOut.model_validate(event.data).model_dump(mode="json") == api
    assert api["seq"] == posted.message.seq + 1
    runtime.desk.post_customer_message(conv_id, "I want to talk to a person")
    queued = next(e for e in seen if str(e.type) == "conversation.queued")
    conversation = ConversationOut.of(runtime.store.get_conversation(conv_id)).model_dump(mode="json")
    assert set(conversation) <= set(queued.data) and queued.data["id"] == conv_id


def test_every_decision_of_a_turn_reads_back_as_its_typed_payload(runtime: Runtime) -> None:
    conv_id, agent = _start(runtime, agent_status=AgentStatus.ONLINE)
    runtime.desk.post_customer_message(conv_id, "Hello!")
    runtime.desk.post_customer_message(conv_id, "I want to talk to a person")
    decisions = runtime.store.decisions(conv_id)
    kinds = {d.kind for d in decisions}
    assert {"triage", "escalation", "response", "route", "assignment"} <= kinds
    assert [r.wants_human for r in triage_readings(decisions)] == [False, True]
    [response] = [ResponsePayload.of(d) for d in decisions if d.kind == DecisionKind.RESPONSE]
    assert 0.0 < response.confidence <= 1.0
    route = next(RoutePayload.of(d) for d in decisions if d.kind == DecisionKind.ROUTE)
    assert route.queued_ahead == 0 and route.language == "en"
    [assignment] = [AssignmentPayload.of(d) for d in decisions if d.kind == DecisionKind.ASSIGNMENT]
    assert assignment.agent_id == agent.agent.id and assignment.waited_s is not None


def test_a_retried_escalation_returns_the_same_notices_as_the_first_answer(runtime: Runtime) -> None:
    conv_id, _ = _start(runtime, agent_status=AgentStatus.ONLINE)
    first = runtime.desk.post_customer_message(conv_id, "I want to talk to a person", idempotency_key="h")
    assert [m.metadata.get("event") for m in first.replies] == ["queued", "assigned"]
    again = runtime.desk.post_customer_message(conv_id, "I want to talk to a person", idempotency_key="h")
    assert [m.id for m in again.replies] == [m.id for m in first.replies]


def test_a_turn_thinks_again_outside_the_lock_when_the_conversation_changed(runtime: Runtime) -> None:
    from relaydesk.services.orchestrator import TurnResult

    conv_id, _ = _start(runtime)
    conversation = runtime.store.get_conversation(conv_id)
    message, _ = runtime.store.add_message(
        conv_id, role=MessageRole.CUSTOMER, text=ROUTINE, channel=conversation.channel, handled=False
    )
    plan = runtime.orchestrator._plan(message, runtime.capabilities)
    runtime.store.increment_ai_turns(conv_id)  # another turn answered meanwhile
    assert runtime.orchestrator._commit(message, plan, think_under_lock=False) is None
    assert not runtime.store.message_handled(message.id) and runtime.store.replies_to(message.id) == []
    result = runtime.orchestrator.run_turn(message)
    assert isinstance(result, TurnResult) and [m.role for m in result.replies] == [MessageRole.AI]
    assert runtime.store.message_handled(message.id)
