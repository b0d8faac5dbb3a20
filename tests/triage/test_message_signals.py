"""Entities, personal data, language and urgency read from one message."""

from __future__ import annotations

import pytest

from relaydesk.triage.entities import extract_entities, largest_amount
from relaydesk.triage.language import load_language_identifier
from relaydesk.triage.pii import find_pii, luhn_valid, mask_pii
from relaydesk.triage.urgency import assess_urgency


def kinds(text: str) -> list[tuple[str, object]]:
    return [(e.kind, e.value) for e in extract_entities(text)]


def test_order_ids_in_the_ways_customers_write_them() -> None:
    assert kinds("Where is #W2378156?") == [("order_id", "W2378156")]
    assert kinds("my order number 12345 is late") == [("order_id", "12345")]
    assert kinds("order ABC-99812 never came") == [("order_id", "ABC-99812")]
    assert kinds("I ordered three shirts") == []


def test_amounts_carry_value_and_currency() -> None:
    found = extract_entities("I paid $1,249.99, then 20 euros, and a 12,50 EUR fee")
    assert [(e.value, e.unit) for e in found] == [(1249.99, "USD"), (20.0, "EUR"), (12.5, "EUR")]
    assert largest_amount(found) == 1249.99


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("refund me 1.200,50 € now", 1200.5, "EUR"),
        ("I was charged 99,98€ twice", 99.98, "EUR"),
        ("it cost 1 249,99 EUR", 1249.99, "EUR"),
        ("the fee was 12.500 €", 12500.0, "EUR"),
        ("£1,000.00 went missing", 1000.0, "GBP"),
        ("order #W2378156 $45 refund please", 45.0, "USD"),
        ("on 12/03 $50 was taken", 50.0, "USD"),
        ("I bought 2 $45 shirts", 45.0, "USD"),
    ],
)
def test_amounts_written_the_european_way_and_with_the_symbol_after(
    text: str, value: float, unit: str
) -> None:
    [found] = [e for e in extract_entities(text) if e.kind == "amount"]
    assert (found.value, found.unit) == (value, unit)


def test_emails_and_tracking_numbers() -> None:
    assert kinds("write to Jo.Doe@Example.com") == [("email", "jo.doe@example.com")]
    assert kinds("tracking 1Z999AA10123456784 shows nothing") == [("tracking_number", "1Z999AA10123456784")]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("card 4111 1111 1111 1111 12/26", "card [card ending 1111] 12/26"),
        ("4111111111111111 123", "[card ending 1111] 123"),
        ("order 12 4111 1111 1111 1111", "order 12 [card ending 1111]"),
        ("4111.1111.1111.1111", "[card ending 1111]"),
        ("4111  1111  1111  1111", "[card ending 1111]"),
        ("4111\u00a01111\u00a01111\u00a01111", "[card ending 1111]"),
        ("4111 - 1111 - 1111 - 1111", "[card ending 1111]"),
        ("amex 3782 822463 10005", "amex [card ending 0005]"),
        ("v1.2.3.4, ticket 1234 5678 9012 3456 7", "v1.2.3.4, ticket 1234 5678 9012 3456 7"),
    ],
)
def test_card_numbers_are_found_however_they_are_written(text: str, masked: str) -> None:
    assert mask_pii(text).text == masked


def test_card_numbers_need_a_valid_luhn_checksum() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("1234567890123456")
    assert [s.kind for s in find_pii("card 4111 1111 1111 1111")] == ["card"]
    assert find_pii("reference 1234 5678 9012 3456") == ()


@pytest.mark.parametrize(
    "text, masked",
    [
        ("mail me at ann@example.org", "mail me at [email]"),
        ("call +1 (415) 555-0132 after 5", "call [phone] after 5"),
        ("card 4111-1111-1111-1111 expired", "card [card ending 1111] expired"),
        ("ship to 742 Evergreen Terrace, Springfield, IL 62704 please", "ship to [address] please"),
        ("order 123456789 is late", "order 123456789 is late"),
        ("it was 12.99 14.99 15.99, now 16.99", "it was 12.99 14.99 15.99, now 16.99"),
        ("appelez le 06.12.34.56.78", "appelez le [phone]"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_pii(text).text == masked


@pytest.mark.parametrize(
    "text, language",
    [
        ("where is my order", "en"),
        ("quiero devolver estas zapatillas", "es"),
        ("Ich möchte meine Bestellung stornieren", "de"),
        ("bonjour, je voudrais un remboursement", "fr"),
        ("주문이 어디 있나요", "ko"),
    ],
)
def test_language_of_support_messages(text: str, language: str) -> None:
    assert load_language_identifier().identify(text)[0] == language


@pytest.mark.parametrize("text", ["", "😡😡😡", "12345", "ok", "\x00\x01\xff", "x" * 100_000])
def test_language_says_none_rather_than_guess(text: str) -> None:
    code, confidence = load_language_identifier().identify(text)
    assert code is None or text.startswith("x")
    assert 0.0 <= confidence <= 1.0


def test_urgency_reads_safety_deadlines_and_fraud() -> None:
    smoke = assess_urgency("My charger is SMOKING and I need a replacement today!!!")
    assert smoke.score > 0.9 and smoke.reasons == ("safety risk", "deadline")
    fraud = assess_urgency("There are two charges I didn't make, this is fraud")
    assert fraud.score >= 0.8 and "possible fraud" in fraud.reasons
    for text in (
        "someone took $2,400 from my account without permission",
        "I never authorized this payment",
        "someone used my card at a gas station",
    ):
        assert "possible fraud" in assess_urgency(text).reasons, text
    for text in (
        "You didn't approve my return request",
        "someone bought me this as a gift and I want to return it",
        "someone ordered the wrong size for me",
    ):
        assert "possible fraud" not in assess_urgency(text).reasons, text
    for text in (
        "There is an order on my account that I did not place, someone must have logged in.",
        "somebody has logged into my account",
        "I didn't place this order",
        "I got an email saying my password was changed but I did not do that",
        "my email address has been changed without my permission",
    ):
        assert "account compromised" in assess_urgency(text).reasons, text
    for text in (
        "I can't log in",
        "my account is locked",
        "I did not place an order yet, how do I?",
        "my password was changed and now it works",
        "Someone got in touch with me about my refund",
        "somebody got in contact with me yesterday",
        "my password was changed and I didn't get the confirmation email",
        "My email address was changed but I didn't receive any newsletter",
        "I didn't change my email, please send the receipt to the old one",
        "someone has broken into my car and stole the parcel",
    ):
        assert "account compromised" not in assess_urgency(text).reasons, text
    assert "locked out" in assess_urgency("my account is locked").reasons
    assert "locked out" in assess_urgency("I can\u2019t log into my account").reasons
    assert "account compromised" in assess_urgency("I didn\u2019t place this order").reasons
    calm = assess_urgency("What are your opening hours?")
    assert calm.score == 0.0 and calm.reasons == ()
