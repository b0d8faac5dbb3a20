"""How conversations end (services/outcomes.py): resolved by the AI when the customer confirms or
goes quiet after an answer, abandoned when nothing was settled, reopened by a new message, and the
handoff friction signal (a customer repeating after the handover what they said before it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.models import utcnow
from relaydesk.services.demo_data import ingest_demo_help_center
from relaydesk.services.outcomes import settled
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace


@pytest.fixture
def shop(runtime: Runtime) -> Runtime:
    ws = make_workspace(runtime.store, slug="outcomes")
    make_agent(runtime.store, ws)
    assert not ingest_demo_help_center(runtime, ws.id).failed
    return runtime


def _start(runtime: Runtime) -> str:
    return runtime.desk.start_conversation("outcomes").conversation.id


def _say(runtime: Runtime, conversation_id: str, *texts: str):  # type: ignore[no-untyped-def]
    return [runtime.desk.post_customer_message(conversation_id, text) for text in texts]


def _decisions(runtime: Runtime, conversation_id: str, kind: DecisionKind) -> list:  # type: ignore[type-arg]
    return [d for d in runtime.store.decisions(conversation_id) if d.kind == kind]


def _later(runtime: Runtime, seconds: float = 1.0):  # type: ignore[no-untyped-def]
    return utcnow() + timedelta(seconds=runtime.settings.settle_after_s + seconds)


def test_thanks_after_an_answer_resolves_by_the_ai_with_the_customers_confirmation(shop: Runtime) -> None:
    cid = _start(shop)
    question, thanks = _say(shop, cid, "Do gift cards expire?", "great, thanks!")
    assert question.replies[0].metadata["resolved"] is True
    assert thanks.conversation.status == "resolved" and thanks.conversation.resolution == "ai_confirmed"
    [resolution] = _decisions(shop, cid, DecisionKind.RESOLUTION)
    assert resolution.outcome == "resolved_by_ai"
    assert resolution.inputs == {"by": "ai", "evidence": "confirmed", "resolution": "ai_confirmed"}
    assert thanks.conversation.topic is not None  # what it was about, for reports and repeat contacts


def test_an_answer_followed_by_silence_resolves_by_the_ai_once_the_settle_time_has_passed(
    shop: Runtime,
) -> None:
    cid = _start(shop)
    _say(shop, cid, "How long does delivery take?")
    assert shop.desk.outcomes.settle_quiet(utcnow()) == 0  # not quiet long enough yet
    assert shop.desk.outcomes.settle_quiet(_later(shop)) == 1
    conversation = shop.store.get_conversation(cid)
    assert (conversation.status, conversation.resolution) == ("resolved", "ai_quiet")
    last = shop.store.messages(cid)[-1]
    assert last.role == "system" and last.metadata == {"event": "resolved", "resolution": "ai_quiet"}
    assert shop.desk.outcomes.settle_quiet(_later(shop)) == 0  # closed once


def test_a_customer_who_leaves_before_anything_was_settled_is_abandoned_not_resolved(shop: Runtime) -> None:
    cid = _start(shop)
    [asked] = _say(shop, cid, "I want to cancel my order")
    assert not asked.replies[-1].metadata.get("resolved")  # the flow asks which order
    assert shop.desk.outcomes.settle_quiet(_later(shop)) == 1
    conversation = shop.store.get_conversation(cid)
    assert (conversation.status, conversation.resolution) == ("resolved", "abandoned")
    [resolution] = _decisions(shop, cid, DecisionKind.RESOLUTION)
    assert resolution.outcome == "abandoned" and resolution.inputs["by"] == "timer"


def test_a_message_in_a_closed_conversation_reopens_it_with_the_ai(shop: Runtime) -> None:
    cid = _start(shop)
    _say(shop, cid, "Do gift cards expire?", "thanks!")
    [again] = _say(shop, cid, "How do I reset my password?")
    assert again.conversation.status == "with_ai" and again.conversation.resolution is None
    assert again.replies and again.replies[0].author_id == "knowledge"
    [reopen] = _decisions(shop, cid, DecisionKind.REOPEN)
    assert reopen.inputs["previous"] == "ai_confirmed" and reopen.inputs["by"] == "customer"


def test_an_idle_conversation_with_no_customer_message_is_left_alone(shop: Runtime) -> None:
    cid = _start(shop)
    assert shop.desk.outcomes.settle_quiet(_later(shop)) == 0
    assert shop.store.get_conversation(cid).status == "with_ai"


def test_a_customer_repeating_after_the_handover_is_logged_as_handoff_friction(shop: Runtime) -> None:
    cid = _start(shop)
    _say(shop, cid, "my parcel for order W4817622 never arrived and the tracking page shows nothing")
    _say(shop, cid, "I want to talk to a person")
    assert shop.store.get_conversation(cid).status in {"queued", "assigned"}
    _say(shop, cid, "is anyone there?")
    assert _decisions(shop, cid, DecisionKind.REPEAT) == []
    _say(shop, cid, "again: the order W4817622 never arrived")
    [repeat] = _decisions(shop, cid, DecisionKind.REPEAT)
    assert repeat.outcome == "repeated" and repeat.inputs["shared"] >= 1
    assert "W4817622" not in repeat.summary  # the log keeps how much, not the words


def test_settled_reads_the_latest_answer_not_small_talk_or_offers() -> None:
    from relaydesk.domain.ids import new_id
    from relaydesk.domain.models import Channel, Message, MessageRole

    def m(role: str, **meta: object) -> Message:
        return Message(new_id("msg"), "c", MessageRole(role), "x", Channel.WEB, utcnow(), metadata=dict(meta))

    answer = m("ai", responder="knowledge", resolved=True)
    question = m("ai", responder="flow", resolved=False)
    assert settled([m("customer"), answer])
    assert settled([answer, m("customer"), m("ai", responder="smalltalk")])
    assert settled([answer, m("ai", escalation_offer=True)])
    assert not settled([answer, m("customer"), question])
    assert not settled([m("ai", responder="smalltalk")])
    assert settled([m("agent"), m("system", event="handed_back")])
    assert not settled([answer, m("agent")])


def test_the_demo_history_has_ai_resolutions_ratings_and_an_abandoned_conversation(runtime: Runtime) -> None:
    from relaydesk.analytics.kpis import compute_kpis
    from relaydesk.demo.seed import seed_demo
    from relaydesk.storage.report_queries import SqlReportQueries

    seed_demo(runtime)
    assert runtime.desk.outcomes.settle_quiet(_later(runtime)) == 2  # the quiet one and the abandoned one
    workspace = runtime.store.workspace_by_slug("northwind")
    k = compute_kpis(
        SqlReportQueries(runtime.store), workspace.id, utcnow() - timedelta(days=1), _later(runtime)
    )
    assert (k.ai_confirmed, k.ai_quiet, k.abandonment.count) == (4, 1, 1)
    assert k.csat.rated == 7 and k.post_escalation_csat.rated == 3


def test_a_reply_to_an_abandoned_conversation_picks_the_flow_up_where_it_waited(shop: Runtime) -> None:
    cid = _start(shop)
    [asked] = _say(shop, cid, "I want to cancel my order")
    assert asked.replies[-1].metadata.get("asks") == "identity"
    assert shop.desk.outcomes.settle_quiet(_later(shop)) == 1
    assert shop.store.get_conversation(cid).resolution == "abandoned"
    [back] = _say(shop, cid, "james.li4495@example.com")
    assert back.conversation.status == "with_ai"
    assert back.replies[0].metadata.get("flow", "").startswith("cancel_order")  # the cancellation goes on
