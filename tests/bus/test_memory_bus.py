"""The in-process bus hands a conversation's events to that conversation's subscribers and to
those following everything, in publish order; unsubscribing stops them."""

from __future__ import annotations

from relaydesk.bus.memory import InProcessBus
from relaydesk.domain.events import ConversationEvent, EventType


def _event(conversation_id: str, n: int) -> ConversationEvent:
    return ConversationEvent(EventType.MESSAGE_CREATED, "ws", conversation_id, {"n": n})


def test_a_conversations_subscribers_get_only_its_events_and_everything_subscribers_get_all() -> None:
    bus = InProcessBus()
    got: dict[str, list[tuple[str, int]]] = {"a": [], "b": [], "all": []}
    stop_a = bus.subscribe(lambda e: got["a"].append((e.conversation_id, e.data["n"])), conversation_id="a")
    bus.subscribe(lambda e: got["b"].append((e.conversation_id, e.data["n"])), conversation_id="b")
    bus.subscribe(lambda e: got["all"].append((e.conversation_id, e.data["n"])))
    for n, conversation in enumerate(["a", "b", "a", "c"]):
        bus.publish(_event(conversation, n))
    assert got == {
        "a": [("a", 0), ("a", 2)],
        "b": [("b", 1)],
        "all": [("a", 0), ("b", 1), ("a", 2), ("c", 3)],
    }
    stop_a()
    stop_a()  # twice is harmless
    bus.publish(_event("a", 4))
    assert got["a"] == [("a", 0), ("a", 2)] and got["all"][-1] == ("a", 4)


def test_ten_thousand_idle_conversations_do_not_see_each_others_events() -> None:
    bus = InProcessBus()
    calls = [0]

    def count(event: ConversationEvent) -> None:
        calls[0] += 1

    stops = [bus.subscribe(count, conversation_id=f"c{i}") for i in range(10_000)]
    bus.publish(_event("c42", 1))
    assert calls[0] == 1
    for stop in stops:
        stop()
    bus.publish(_event("c42", 2))
    assert calls[0] == 1
