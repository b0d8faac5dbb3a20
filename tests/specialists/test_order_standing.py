"""A flow that cannot go on because of the order's state (a refund already requested, a cancelled
order, one already on its way) says plainly where the order stands, in the customer's language,
and offers a person: a yes brings one in, an "ok" does not. Played through the whole runtime on
SQLite and the demo store (walkthrough: a second refund on the same order read "is return
requested" and ended there)."""

from __future__ import annotations

import pytest

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_workspace
from tests.specialists.test_flow_dialogues import Chat, Shop, status

JAMES = "james.li4495@example.com"
AMELIA = "amelia.silva2111@example.com"


def _queued(shop: Shop, chat: Chat) -> bool:
    return shop.runtime.store.get_conversation(chat.id).status.value == "queued"


def test_a_second_refund_on_a_returned_order_says_where_it_stands_and_a_yes_brings_a_person(
    shop: Shop,
) -> None:
    chat = Chat(shop)
    chat.say("my order W3638028 arrived damaged and I want a refund")
    chat.say(JAMES)
    chat.say("the security camera")
    chat.say("yes")
    assert status(shop, "#W3638028") == "return requested"

    text = chat.say("I want a refund for the camera on order W3638028, it is broken")
    assert "is return requested" not in text and "has to be delivered" not in text
    assert "already registered today" in text and "Indoor Security Camera" in text and "$274.98" in text
    assert "a person" in text and chat.asks == "person" and chat.with_ai

    chat.say("yes please")
    assert _queued(shop, chat)


def test_cancelling_a_cancelled_order_in_spanish_says_so_and_an_ok_keeps_the_ai(shop: Shop) -> None:
    chat = Chat(shop)
    chat.say("quiero cancelar el pedido W3220387")
    text = chat.say(AMELIA)
    assert "ya está cancelado" in text and "$608.91" in text and "PayPal" in text
    assert "persona" in text and chat.asks == "person"

    text = chat.say("ok")
    assert chat.with_ai and "algo más" in text


def test_cancelling_an_order_on_its_way_explains_why_and_the_same_request_again_brings_a_person(
    shop: Shop,
) -> None:
    chat = Chat(shop)
    chat.say("please cancel order W2611340")
    text = chat.say(JAMES)
    assert "on its way" in text and "can no longer be cancelled" in text and "processed" not in text
    chat.say("I still want to cancel the order")
    assert _queued(shop, chat)


@pytest.fixture(scope="module")
def approvals_runtime(shop_runtime: Runtime) -> Runtime:
    """The default policy: a refund above $50 waits for a person's approval."""
    make_workspace(shop_runtime.store, slug="standing")
    return shop_runtime


def test_a_second_refund_while_the_first_waits_for_approval_is_not_asked_again(
    approvals_runtime: Runtime,
) -> None:
    desk = approvals_runtime.desk
    conversation = desk.start_conversation("standing").conversation.id
    for text in (
        "my order W3638028 arrived damaged and I want a refund",
        JAMES,
        "the camera",
        "yes",
    ):
        posted = desk.post_customer_message(conversation, text)
    assert "approve" in posted.replies[-1].text

    posted = desk.post_customer_message(
        conversation, "I want a refund for the camera on order W3638028, it is broken"
    )
    text = posted.replies[-1].text
    assert "already asked" in text and "Indoor Security Camera" in text and "today" in text
    assert "waiting for a team member's approval" in text and "Shall I go ahead" not in text
    assert posted.replies[-1].metadata.get("asks") == "person"
    (held,) = approvals_runtime.approvals.approvals.list(
        approvals_runtime.store.get_conversation(conversation).workspace_id
    )
    assert held.status == "pending"  # one request, not two


def test_cancelling_without_any_pending_order_lists_the_orders_and_offers_a_person(shop: Shop) -> None:
    chat = Chat(shop)
    chat.say("I want to cancel my order")
    text = chat.say("chen.smith7677@example.com")
    assert "#W8859225" in text and "a person" in text and chat.asks == "person"
    chat.say("yes")
    assert _queued(shop, chat)
