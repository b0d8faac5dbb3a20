"""The handoff brief: an agent takes over knowing who, what, what the AI said, and why, without
reading the whole transcript, and personal data stays masked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.domain.models import MessageRole
from relaydesk.handoff.brief import EntitySeen, suggest_reply
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace


def _escalated(runtime: Runtime) -> tuple[str, str]:
    ws = make_workspace(runtime.store, slug="brief")
    maya = make_agent(runtime.store, ws, name="Maya Okafor", skills={"orders": 0.9})
    earlier = runtime.desk.start_conversation("brief", external_id="amira", name="Amira Haddad")
    runtime.desk.claim(maya.agent, earlier.conversation.id)
    runtime.desk.resolve(maya.agent, earlier.conversation.id, "answered by email")
    conv = runtime.desk.start_conversation(
        "brief", external_id="amira", name="Amira Haddad", email="amira@example.com"
    ).conversation.id
    runtime.desk.post_customer_message(
        conv, "Where is my order #W1234567? It should have arrived last week. Reach me at amira.h@example.com"
    )
    runtime.desk.post_customer_message(conv, "This is useless, I already asked that. Get me a human NOW")
    return conv, maya.agent.id


def test_the_brief_tells_the_agent_who_what_and_why(runtime: Runtime) -> None:
    conv, maya = _escalated(runtime)
    conversation = runtime.store.get_conversation(conv)
    assert conversation.assigned_agent_id == maya
    brief = runtime.desk.brief(runtime.store.get_agent(maya), conv)

    assert brief.customer["name"] == "Amira Haddad" and brief.customer["tier"] == "standard"
    assert "amira@example.com" not in str(brief.customer)
    assert "order_status" in brief.topics
    assert EntitySeen("order_id", "W1234567") in brief.entities
    assert all("amira.h@example.com" not in e.value for e in brief.entities)
    assert (
        brief.requests and "W1234567" in brief.requests[0] and "amira.h@example.com" not in brief.requests[0]
    )
    assert all("amira.h@example.com" not in m["text"] for m in brief.transcript)
    assert brief.frustration["peak"] >= 0.5
    assert brief.triggers and brief.triggers[0] == "explicit_request"
    assert brief.escalation_reason and brief.escalation_reason.startswith("The customer asked for a person")
    assert len(brief.ai_answers) == 1  # what the AI already said, not to be repeated
    assert [p.status for p in brief.past_conversations] == ["resolved"]
    assert brief.routing["assignment"] and "Maya Okafor" in brief.routing["assignment"]
    assert brief.routing["waited_s"] is not None and brief.routing["due_at"]
    assert brief.summary.startswith(
        "Amira Haddad (standard, writes in English) asked about where their order is"
    )
    assert "1 earlier conversation with this customer" in brief.summary
    reply = brief.suggested_reply
    assert reply.startswith("Hi Amira, I'm Maya from the support team")
    assert "sorry this has been frustrating" in reply and "order W1234567" in reply
    assert [m["role"] for m in brief.transcript][:2] == [str(MessageRole.CUSTOMER), str(MessageRole.AI)]


def test_the_brief_says_when_the_customer_is_back_on_a_topic_resolved_days_ago(runtime: Runtime) -> None:
    conv, maya = _escalated(runtime)
    agent = runtime.store.get_agent(maya)
    assert "Repeat contact" not in runtime.desk.brief(agent, conv).summary  # the earlier one had no topic
    [earlier] = [
        c
        for c in runtime.store.customer_conversations(runtime.store.get_conversation(conv).customer_id)
        if c.id != conv
    ]
    runtime.store.update_conversation(earlier.id, topic="order_status")
    summary = runtime.desk.brief(agent, conv).summary
    assert "Repeat contact: a person resolved their conversation about where their order is today" in summary


def test_the_brief_over_http_and_only_in_the_agents_workspace(runtime: Runtime) -> None:
    conv, _ = _escalated(runtime)
    other = make_agent(runtime.store, make_workspace(runtime.store, slug="elsewhere"))
    with TestClient(create_app(runtime=runtime)) as client:
        agent = runtime.store.list_agents(runtime.store.workspace_by_slug("brief").id)[0]
        mine = make_agent(runtime.store, runtime.store.get_workspace(agent.workspace_id), name="Second")
        r = client.get(f"/v1/agent/conversations/{conv}/brief", headers=mine.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["suggested_reply"].startswith("Hi Amira, I'm Maya")  # written for the owner
        assert {"kind": "order_id", "value": "W1234567"} in body["entities"]
        assert client.get(f"/v1/agent/conversations/{conv}/brief", headers=other.headers).status_code == 404


def test_the_suggested_reply_without_a_name_or_topic() -> None:
    assert suggest_reply(None, None, (), (), 0.1) == (
        "Hi there, I'm from the support team, and I've read everything you've written so far. "
        "I'm looking into it now and will come back to you shortly."
    )
    reply = suggest_reply("Jo", None, ("warranty_claim",), (), 0.0)
    assert "You're asking about a warranty claim." in reply
    assert "You're asking about gift wrapping." in suggest_reply("Jo", None, ("gift_wrapping",), (), 0.0)


def test_the_brief_masks_personal_data_wherever_it_sits(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="leaks")
    lee = make_agent(runtime.store, ws, name="Lee")
    attributes = {
        "contact": {"mobile": "+44 20 7946 0958", "alt_email": "jd@example.org"},
        "cards": ["4111 1111 1111 1111"],
        "phone_int": 14155550123,
        "orders": 3,
    }
    earlier = runtime.desk.start_conversation(
        "leaks",
        external_id="jane.doe@example.com",
        subject="Call me on +1 415 555 0123 or jane.doe@example.com",
    )
    runtime.desk.claim(lee.agent, earlier.conversation.id)
    runtime.desk.resolve(lee.agent, earlier.conversation.id)
    conv = runtime.desk.start_conversation(
        "leaks", external_id="jane.doe@example.com", name="   ", attributes=attributes
    ).conversation.id
    runtime.desk.post_customer_message(conv, "I want to talk to a human please")
    brief = runtime.desk.brief(lee.agent, conv)
    shown = str(brief)
    for secret in (
        "jane.doe@example.com",
        "7946 0958",
        "jd@example.org",
        "4111 1111 1111 1111",
        "415 555 0123",
        "14155550123",
    ):
        assert secret not in shown, secret
    assert brief.customer["attributes"]["orders"] == 3  # plain numbers stay numbers
    assert brief.summary.startswith("The customer (standard")  # a blank name is no name
    assert brief.suggested_reply.startswith("Hi there,")


def test_an_escalating_message_with_a_card_gets_the_card_notice_once(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="card")
    make_agent(runtime.store, ws, name="Lee")
    conv = runtime.desk.start_conversation("card").conversation.id
    posted = runtime.desk.post_customer_message(
        conv, "Get me a human NOW, my card 4111 1111 1111 1111 was charged"
    )
    texts = [m.text for m in posted.replies]
    assert sum("card number" in t for t in texts) == 1, texts
    notices = [m.metadata.get("event") for m in posted.replies if not m.metadata.get("intake")]
    assert notices[-2:] == ["queued", "assigned"]


def test_a_failing_router_still_tells_the_customer_and_keeps_the_conversation_queued(
    runtime: Runtime,
) -> None:
    ws = make_workspace(runtime.store, slug="broken")
    make_agent(runtime.store, ws, name="Lee")

    class Broken:
        version = "broken-1"
        auto_assign = True

        def plan(self, **kwargs):  # type: ignore[no-untyped-def]
            from relaydesk.domain.capability_types import RoutePlan

            return RoutePlan()

        def route(self, request, agents):  # type: ignore[no-untyped-def]
            raise RuntimeError("routing service down")

        def rank(self, agent, queued, now):  # type: ignore[no-untyped-def]
            return []

    runtime.orchestrator.caps.router = Broken()  # type: ignore[assignment]
    conv = runtime.desk.start_conversation("broken").conversation.id
    posted = runtime.desk.post_customer_message(conv, "I want to talk to a human please")
    assert posted.conversation.status == "queued"
    assert [m.metadata.get("event") for m in posted.replies] == ["queued"]
    assert posted.replies[0].text.startswith("I'm bringing in a member of our support team")


def test_a_customer_who_only_asked_for_a_person_is_summarised_as_such(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="only-person")
    maya = make_agent(runtime.store, ws, name="Maya Okafor")
    conv = runtime.desk.start_conversation("only-person", name="Leo Brandt").conversation.id
    runtime.desk.post_customer_message(conv, "can i tlak to a humna pls")
    brief = runtime.desk.brief(runtime.store.get_agent(maya.agent.id), conv)
    assert "asked for a person before saying what about" in brief.summary
    assert "could not place" not in brief.summary
