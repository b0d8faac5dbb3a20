"""Things a support message names: order ids, emails, amounts of money, tracking numbers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from relaydesk.domain.capability_types import Entity

ORDER_ID = re.compile(
    r"(?:#\s?(?P<hash>[A-Z]?\d{4,12})\b)"
    r"|(?:\border(?:\s+(?:id|number|no\.?|num|#))?(?:\s+is)?\s*[:#]?\s*(?P<word>[A-Z]{0,3}-?\d{3,12}(?:-\d{3,12})?)\b)",
    re.IGNORECASE,
)
EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CODES = r"USD|EUR|GBP|CAD|AUD|JPY|INR|CHF|dollars?|euros?|pounds?|bucks"
# 1,249.99 / 1 249.99 (grouped, decimal point), 1.249,99 / 1 249,99 (grouped, decimal comma), 12.50, 12,50
NUMBER = r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d{1,2})?|\d{1,3}(?:[.\s]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
AMOUNT = re.compile(
    rf"(?P<sym>[$€£¥₹])\s?(?P<n1>{NUMBER})"
    rf"|(?P<n2>{NUMBER})\s?(?P<code>{CODES})\b"
    # 45 €, 1.200,50 €: the number must stand alone (not the tail of an order id or a date) and the
    # symbol must not begin the next amount ("2 $45 shirts" is $45, not 2 dollars).
    rf"|(?<![\w#/.,-])(?P<n3>{NUMBER})\s?(?P<sym2>[$€£¥₹])(?!\s?\d)",
    re.IGNORECASE,
)
CODE_NAMES = {
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
}
TRACKING = re.compile(r"\b(?:1Z[0-9A-Z]{16}|\d{20,22}|[A-Z]{2}\d{9}[A-Z]{2})\b")


def _amount(raw: str) -> Decimal | None:
    cleaned = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", cleaned):  # 1.249,99 written the European way
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if re.fullmatch(r"\d+,\d{1,2}", cleaned):  # 12,50 written the European way
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def extract_entities(text: str) -> tuple[Entity, ...]:
    """Order ids, emails, amounts (value: a float, unit: the currency), tracking numbers."""
    found: list[Entity] = []
    for m in ORDER_ID.finditer(text):
        group = "hash" if m.group("hash") else "word"
        value = m.group(group)
        if value and any(c.isdigit() for c in value):
            found.append(Entity("order_id", m.group(), m.start(), m.end(), value.upper().lstrip("#")))
    for m in EMAIL.finditer(text):
        found.append(Entity("email", m.group(), m.start(), m.end(), m.group().lower()))
    for m in AMOUNT.finditer(text):
        number = m.group("n1") or m.group("n2") or m.group("n3")
        amount = _amount(number) if number else None
        if amount is None:
            continue
        currency = (
            SYMBOLS.get(m.group("sym") or m.group("sym2") or "")
            or CODE_NAMES.get((m.group("code") or "").lower())
            or (m.group("code") or "").upper()
        )
        found.append(Entity("amount", m.group(), m.start(), m.end(), float(amount), currency or None))
    for m in TRACKING.finditer(text):
        if not any(e.start <= m.start() < e.end for e in found):
            found.append(Entity("tracking_number", m.group(), m.start(), m.end(), m.group()))
    return tuple(sorted(found, key=lambda e: (e.start, e.kind)))


def largest_amount(entities: tuple[Entity, ...]) -> float | None:
    amounts = [float(e.value) for e in entities if e.kind == "amount"]
    return max(amounts) if amounts else None


SPLIT_ORDER_ID = re.compile(r"(?<![\w@.])#?\s?\b[Ww](?:[\s.‐-]{0,2}\d){7}\b(?![.@]\w)")
"""The demo store's order ids written the way customers write them: "w9549057", "#W 954 9057",
"W-954-9057"."""
BARE_ORDER_NUMBER = re.compile(
    r"\b(order|pedido|commande|bestellung|encomenda)(\s+(number|no\.?|num|id|nr\.?|número|numero|nummer|"
    r"numéro))?(\s+(is|es|est|ist|é))?\s*[:#]?\s*(\d{7})\b",
    re.IGNORECASE,
)
"""An order number given without its letter ("my order number is 9549057")."""


def canonical_order_ids(text: str) -> str:
    """``text`` with order ids in the store's own form (``#W9549057``), however they were written.
    What the flows and triage read; the stored message keeps the customer's words."""
    if not text:
        return text
    text = SPLIT_ORDER_ID.sub(lambda m: "#W" + re.sub(r"\D", "", m.group(0)), text)
    return BARE_ORDER_NUMBER.sub(lambda m: f"{m.group(0)[: m.start(6) - m.start(0)]}#W{m.group(6)}", text)
