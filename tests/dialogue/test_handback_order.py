"""After a person hands the conversation back to the AI, a follow-up about the order given earlier
("Is it shipped yet?") is answered by the AI about that order, with the identity the AI verified
before, not sent back to a person (walkthrough)."""

from __future__ import annotations

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

JAMES = "james.li4495@example.com"
ORDER = "#W2611340"


def _say(runtime: Runtime, conversation: str, text: str) -> str:
    posted = runtime.desk.post_customer_message(conversation, text)
    return "\n".join(r.text for r in posted.replies)


def _status(runtime: Runtime, conversation: str) -> str:
    return runtime.store.get_conversation(conversation).status.value


def _handed_back(runtime: Runtime, slug: str, *said: str) -> str:
    """A conversation in which the customer says ``said`` (the last line asks for a person, or the
    first does), a person takes it, writes to them and hands it back to the AI."""
    workspace = make_workspace(runtime.store, slug=slug)
    lee = make_agent(runtime.store, workspace, name="Lee").agent
    conversation = runtime.desk.start_conversation(slug).conversation.id
    for text in said:
        _say(runtime, conversation, text)
    assert _status(runtime, conversation) in ("assigned", "queued")
    if _status(runtime, conversation) == "queued":
        runtime.desk.claim(lee, conversation)
    runtime.desk.agent_reply(lee, conversation, "Our assistant can give you the tracking.")
    runtime.desk.hand_back(lee, conversation)
    return conversation


def test_is_it_shipped_yet_after_a_hand_back_is_answered_for_the_order_given_before(
    shop_runtime: Runtime,
) -> None:
    conversation = _handed_back(
        shop_runtime, "handback-verified", "where is my order W2611340?", JAMES, "I want to talk to a person"
    )
    text = _say(shop_runtime, conversation, "Is it shipped yet?")
    assert _status(shop_runtime, conversation) == "with_ai"
    assert ORDER in text and "on its way" in text and "e-mail" not in text  # verified before


def test_is_it_shipped_yet_after_a_hand_back_asks_who_they_are_for_the_order_named_before(
    shop_runtime: Runtime,
) -> None:
    conversation = _handed_back(
        shop_runtime, "handback-named", "my order W2611340 hasn't arrived, I want to talk to a person"
    )
    _say(shop_runtime, conversation, "Is it shipped yet?")
    assert _status(shop_runtime, conversation) == "with_ai"
    text = _say(shop_runtime, conversation, JAMES)
    assert ORDER in text and "on its way" in text and _status(shop_runtime, conversation) == "with_ai"


def test_an_email_given_while_waiting_is_not_asked_for_again_after_the_hand_back(
    shop_runtime: Runtime,
) -> None:
    # walkthrough: "my email is …" while queued was acknowledged "so you won't need to repeat it",
    # and after the hand back "Is it shipped yet?" asked for the e-mail again
    conversation = _handed_back(
        shop_runtime,
        "handback-email",
        "my order W2611340 hasn't arrived, I want to talk to a person",
        f"my email is {JAMES}",
    )
    text = _say(shop_runtime, conversation, "Is it shipped yet?")
    assert ORDER in text and "on its way" in text and "e-mail address" not in text
