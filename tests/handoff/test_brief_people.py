"""The brief says what people did before the agent reading it: a refund denied and why
(walkthrough: Theo denied it, asking for a photo, and the next brief did not say so), and a
request for a person that also says what happened is not "before saying what about"."""

from __future__ import annotations

import pytest

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.conftest import CAMERA_REFUND


@pytest.fixture(scope="module")
def runtime(shop_runtime: Runtime) -> Runtime:
    return shop_runtime


def test_a_denied_refund_and_its_note_are_in_the_next_brief(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="brief-people")
    theo = make_agent(runtime.store, ws, name="Theo Brandt", tier=3).agent
    conversation = runtime.desk.start_conversation("brief-people").conversation.id
    for text in CAMERA_REFUND:
        runtime.desk.post_customer_message(conversation, text)
    (held,) = runtime.approvals.approvals.list(ws.id)
    runtime.approvals.deny(theo, held.id, note="We need a photo of the damage first")
    runtime.desk.post_customer_message(conversation, "I want to talk to a person about this")
    brief = runtime.desk.brief(theo, conversation)
    assert (
        'Theo Brandt denied the request to return delivered order items (note: "We need a photo of the '
        'damage first").' in brief.summary
    )


def test_a_request_for_a_person_that_says_what_happened_is_quoted_not_called_empty(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="brief-fraud")
    agent = make_agent(runtime.store, ws, name="Hana Kim", tier=2).agent
    conversation = runtime.desk.start_conversation("brief-fraud").conversation.id
    fraud = "someone used my card without my permission on order W3638028, I want to talk to a person"
    runtime.desk.post_customer_message(conversation, fraud)
    summary = runtime.desk.brief(agent, conversation).summary
    assert "before saying what about" not in summary
    said = 'asked for a person: "someone used my card without my permission'
    assert said in summary or "asked about" in summary


def test_the_suggested_reply_names_a_flows_topic_in_words_and_reads_as_german() -> None:
    # walkthrough: "You're asking about refund damaged item"; "Hallo, Ich bin Theo"
    from relaydesk.handoff.brief import suggest_reply

    class Theo:
        name = "Theo Brandt"

    english = suggest_reply("Jonas Berg", Theo(), ["refund_damaged_item"], [], 0.2)  # type: ignore[arg-type]
    assert "You're asking about a refund for an item that arrived damaged." in english
    german = suggest_reply("Jonas Berg", Theo(), [], [], 0.2, "de")  # type: ignore[arg-type]
    assert german.startswith("Hallo Jonas, ich bin Theo")


def test_an_email_given_while_waiting_does_not_become_what_the_customer_asked_about() -> None:
    # walkthrough: "my email is …" while queued made the brief lead with "updating their account"
    from relaydesk.domain.decisions import EntityReading, TriageReading
    from relaydesk.handoff.brief import main_topics

    def reading(intent: str, *entities: EntityReading) -> TriageReading:
        return TriageReading(intent, 0.9, True, 0.1, 0.1, "en", False, entities)

    readings = [
        reading("order_status", EntityReading("order_id", "#W4435622", None)),
        reading("account_update", EntityReading("email", "james.li4495@example.com", None)),
    ]
    assert main_topics(readings, None)[0] == "order_status"
    assert main_topics(readings[1:], None) == ("account_update",)  # alone, it is still a topic
