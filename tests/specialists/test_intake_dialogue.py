"""Intake while a customer waits for a person: asked once the conversation is queued, never what
the customer already said, and put in the brief; played through the whole runtime."""

from __future__ import annotations

from tests.specialists.test_flow_dialogues import Chat, Shop


def test_a_billing_case_gathers_the_order_and_the_charge_while_the_customer_waits(shop: Shop) -> None:
    chat = Chat(shop)
    text = chat.say("I was charged twice for an order, I want to talk to a person please")
    conversation = shop.runtime.store.get_conversation(chat.id)
    assert conversation.status.value == "queued"  # the person is asked for at once: intake never delays it
    assert "While you wait" in text and "order" in text
    text = chat.say("it's #W4172216")
    assert "which charge" in text.lower()
    chat.say("$1,020.55 on November 3, twice on my statement")
    intake = (shop.runtime.store.get_conversation(chat.id).flow or {}).get("intake", {})
    assert intake.get("order_id") == "#W4172216"
    assert "November 3" in intake.get("charge", "")
