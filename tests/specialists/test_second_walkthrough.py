"""Cases a tester found on the demo after the first fixes, played through the whole runtime: two
requests in one message, choosing between two items of one product, product questions written
short, and requests worded the way customers word them."""

from __future__ import annotations

from tests.specialists.test_flow_dialogues import Chat, Shop, records


def test_two_requests_about_two_orders_each_act_on_their_own_order(shop: Shop) -> None:
    chat = Chat(shop)
    before = records(shop, "olivia_jackson_1219")
    chat.say("where is #W5663445 and also pls cancel #W2090453")
    chat.say("olivia.jackson2465@example.com")
    assert chat.flow == "cancel_order@1"
    text = chat.say("no longer need it")
    # the cancellation is about the order named next to "cancel", never the other one
    assert chat.asks == "confirm" and "cancel order #W2090453" in text
    text = chat.say("no")
    # and the other request comes back by itself, about its own order
    assert "Now, your other request (Check an order):" in text and "#W5663445 is pending" in text
    assert records(shop, "olivia_jackson_1219") == before


def test_both_or_the_large_one_picks_between_two_items_of_one_product(shop: Shop) -> None:
    chat = Chat(shop)
    chat.say("I want to return the backpack from order #W7913362")
    text = chat.say("mohamed.lee1888@example.com")
    assert chat.asks == "items" and "1)" in text and "(or both)" in text
    chat.say("the large one")
    assert _items_chosen(shop, chat) == [
        "Backpack (color grey, size large, material polyester, compartment hydration)"
    ]
    chat2 = Chat(shop)
    chat2.say("I want to return the backpack from order #W7913362")
    chat2.say("mohamed.lee1888@example.com")
    chat2.say("both")
    assert len(_items_chosen(shop, chat2)) == 2


def _items_chosen(shop: Shop, chat: Chat) -> list[str]:
    """The items the return flow in progress has taken (read from the stored flow state)."""
    flow = shop.runtime.store.get_conversation(chat.id).flow or {}
    active = flow.get("active") or {}
    assert active.get("name") == "return_items", flow
    return [part for part in str(active["slots"].get("items", "")).split("; ") if part]


def test_short_product_questions_are_answered_from_the_catalogue(shop: Shop) -> None:
    chat = Chat(shop)
    assert "doesn't come in purple" in chat.say("purple backpack?")
    assert chat.with_ai
    text = Chat(shop).say("do you have a black t-shirt in size L?")
    assert "not available" in text and "color red, size L" not in text  # there is no black L


def test_requests_worded_the_way_customers_word_them_start_the_right_flow(shop: Shop) -> None:
    for text, flow in [
        (
            "hey can i change the tshirt on my order to black? havent shipped yet i think",
            "modify_order_items@1",
        ),
        ("whats the status of my orders", "order_status@1"),
        ("can i change the shipping address", "modify_order_address@1"),
        ("i want a refund for order #W3614011", "return_items@1"),
    ]:
        chat = Chat(shop)
        chat.say(text)
        assert chat.flow == flow, text


def test_a_refund_for_a_pending_order_becomes_a_cancellation(shop: Shop) -> None:
    chat = Chat(shop)
    before = records(shop, "emma_smith_8564")
    chat.say("i want a refund for order #W3614011")
    text = chat.say("emma.smith3991@example.com")
    assert chat.flow == "cancel_order@1" and chat.asks == "reason"
    assert "Order #W3614011 is pending. So I'll handle this as: Cancel an order." in text  # said, not silent
    assert records(shop, "emma_smith_8564") == before


def test_the_queue_names_a_customer_the_ai_verified(shop: Shop) -> None:
    from relaydesk.domain.models import AgentStatus
    from relaydesk.services.desk import desk_service_for
    from relaydesk.testing import make_agent

    chat = Chat(shop)  # the customer wrote without giving a name
    chat.say("where is my order #W3614011")
    chat.say("emma.smith3991@example.com")
    chat.say("I want to talk to a person")
    workspace = shop.runtime.store.workspace_by_slug("shop")
    agent = make_agent(shop.runtime.store, workspace, name="Queue Reader", status=AgentStatus.AWAY).agent
    items = {i.conversation.id: i for i in desk_service_for(shop.runtime).queue_items(agent)}
    assert items[chat.id].customer_name == "Emma Smith"
