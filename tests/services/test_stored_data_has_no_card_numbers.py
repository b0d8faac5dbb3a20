"""No card number reaches the database whole: written digit by digit, in a customer's attributes,
in the page context, or in an idempotency key (refused, naming only the last four digits)."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, select

from relaydesk.domain.errors import InvalidInput
from relaydesk.services.csat import CsatService
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

CARD_DIGITS = "4111111111111111"  # Luhn-valid test number
WRITTEN = (
    "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
    "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
    "4 1 1 1 - 1 1 1 1 - 1 1 1 1 - 1 1 1 1",
    "4111-1111-1111-1111",
)


def _everything_stored(runtime: Runtime) -> str:
    meta = MetaData()
    meta.reflect(runtime.store.engine)
    with runtime.store.engine.connect() as conn:
        return "\n".join(repr(conn.execute(select(table)).all()) for table in meta.sorted_tables)


def _digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch == "\n")


def _start(runtime: Runtime, **customer: object) -> str:
    ws = make_workspace(runtime.store, slug="cards")
    make_agent(runtime.store, ws)
    return runtime.desk.start_conversation("cards", **customer).conversation.id  # type: ignore[arg-type]


@pytest.mark.parametrize("written", WRITTEN)
def test_a_card_written_digit_by_digit_is_cut_to_its_last_four_digits(runtime: Runtime, written: str) -> None:
    conv_id = _start(runtime)
    posted = runtime.desk.post_customer_message(conv_id, f"please charge {written} again")
    assert posted.message.text == "please charge [card ending 1111] again"
    stored = _everything_stored(runtime)
    assert written not in stored
    assert CARD_DIGITS not in _digits_only(stored)


def test_cards_in_the_customers_attributes_and_page_context_are_cut(runtime: Runtime) -> None:
    conv_id = _start(
        runtime,
        external_id="c-1",
        attributes={"card": CARD_DIGITS, "saved": [{"number": int(CARD_DIGITS)}], "plan": "pro"},
    )
    CsatService.on(runtime.engine).set_page_context(
        conv_id, {"page_url": "https://shop.example/checkout", "attributes": {"last_card": WRITTEN[0]}}
    )
    customer = runtime.store.get_customer(runtime.store.get_conversation(conv_id).customer_id)
    assert customer.attributes == {
        "card": "[card ending 1111]",
        "saved": [{"number": "[card ending 1111]"}],
        "plan": "pro",
    }
    assert CsatService.on(runtime.engine).page_context(conv_id) == {
        "page_url": "https://shop.example/checkout",
        "attributes": {"last_card": "[card ending 1111]"},
    }
    assert CARD_DIGITS not in _digits_only(_everything_stored(runtime))


@pytest.mark.parametrize(
    "key",
    [
        "pay-4111111111111111",
        "order4111111111111111",
        "k 4111 1111 1111 1111",
        "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
    ],
)
def test_an_idempotency_key_with_a_card_number_is_refused_and_nothing_is_stored(
    runtime: Runtime, key: str
) -> None:
    conv_id = _start(runtime)
    with pytest.raises(InvalidInput) as refused:
        runtime.desk.post_customer_message(conv_id, "hello", idempotency_key=key)
    assert "card number (ending 1111)" in refused.value.detail
    assert CARD_DIGITS not in refused.value.detail
    assert runtime.store.messages(conv_id) == []
    assert CARD_DIGITS not in _digits_only(_everything_stored(runtime))


@pytest.mark.parametrize("key", ["web-550e8400-e29b-41d4-a716-446655440000", "msg-1733567712349"])
def test_ordinary_keys_are_kept_and_a_retry_is_still_a_replay(runtime: Runtime, key: str) -> None:
    conv_id = _start(runtime)
    first = runtime.desk.post_customer_message(conv_id, "where is my order?", idempotency_key=key)
    again = runtime.desk.post_customer_message(conv_id, "where is my order?", idempotency_key=key)
    assert first.message.idempotency_key == key
    assert again.created is False and again.message.id == first.message.id
