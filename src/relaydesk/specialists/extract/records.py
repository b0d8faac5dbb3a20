"""Record keys in free text: order ids, e-mail, name and zip, postal addresses, payment methods."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

ORDER_ID = re.compile(r"(?<![A-Za-z0-9])#?\s?([Ww]\d{7})(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ZIP = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
NAME_LEAD = re.compile(
    r"(?:my name is|name's|name is|i am|i'm|im|this is|it's|it is|name:)\s+"
    r"([A-Z][a-zA-Z'-]+)\s+([A-Z][a-zA-Z'-]+)",
    re.IGNORECASE,
)
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'-]+)\s+([A-Z][a-z'-]+)\b")
NOT_NAMES = {
    "Hi",
    "Hello",
    "Hey",
    "Thanks",
    "Thank",
    "Yes",
    "No",
    "Please",
    "My",
    "The",
    "I",
    "Zip",
    "Code",
    "Order",
    "Dear",
    "Good",
    "Sure",
    "Okay",
    "Ok",
    "Great",
    "Sorry",
    "Could",
    "Can",
    "Would",
}


STATES = {
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
}
COUNTRIES = {"usa": "USA", "us": "USA", "united states": "USA", "united states of america": "USA"}
INLINE_UNIT = re.compile(r"\s(suite|ste\.?|apt\.?|apartment|unit|#)\s*\S+$", re.I)
UNIT = re.compile(r"^(suite|ste\.?|apt\.?|apartment|unit|floor|fl\.?|room|building|bldg\.?|#)\s*\S+", re.I)


def order_ids(text: str) -> list[str]:
    """Order ids in the text, as the store writes them (``#W1234567``), in order, once each."""
    found: list[str] = []
    for m in ORDER_ID.finditer(text):
        value = "#" + m.group(1).upper()
        if value not in found:
            found.append(value)
    return found


def order_near(text: str, ids: Sequence[str], words: Sequence[re.Pattern[str]]) -> str:
    """Of the order ids a message names, the one a request is about: the nearest to that request's
    words ("where is #W1 and also pls cancel #W2": the cancellation is about #W2). The first id
    when the words are not found."""
    if len(ids) < 2 or not words:
        return ids[0]
    spots = [m.start() for w in words for m in w.finditer(text)]
    if not spots:
        return ids[0]
    where = {i: [m.start() for m in ORDER_ID.finditer(text) if f"#{m.group(1).upper()}" == i] for i in ids}

    def distance(order_id: str) -> int:
        # an id after the request's word is closer than one before it at the same distance
        return min(
            (abs(p - w) * 2 + (1 if p < w else 0) for p in where.get(order_id, []) for w in spots),
            default=10**9,
        )

    return min(ids, key=distance)


def email(text: str) -> str | None:
    m = EMAIL.search(text)
    return m.group().lower() if m else None


def name_and_zip(text: str) -> tuple[str, str, str] | None:
    """``(first, last, zip)`` when the text gives a person's name and a five-digit zip code."""
    zip_match = ZIP.search(text)
    if not zip_match:
        return None
    lead = NAME_LEAD.search(text)
    if lead:
        first, last = lead.group(1), lead.group(2)
    else:
        pairs = [p for p in CAPITALISED_PAIR.findall(text) if p[0] not in NOT_NAMES and p[1] not in NOT_NAMES]
        if not pairs:
            return None
        first, last = pairs[0]
    return first.capitalize(), last.capitalize(), zip_match.group(1)


def address(text: str) -> dict[str, str] | None:
    """An address written on one line with commas: street, [suite], city, state zip, [country]."""
    parts = [p.strip(" .") for p in re.split(r"[,\n;]", text) if p.strip(" .")]
    if len(parts) < 2:
        return None
    zip_code = state = country = ""
    rest: list[str] = []
    for part in parts:
        words = part.split()
        lowered = part.lower()
        if lowered in COUNTRIES:
            country = COUNTRIES[lowered]
            continue
        consumed = []
        for word in words:
            if not zip_code and re.fullmatch(r"\d{5}(-\d{4})?", word) and rest:
                zip_code = word[:5]
                consumed.append(word)
            elif not state and word.upper() in STATES and word.isupper() and rest:
                state = word.upper()
                consumed.append(word)
        remaining = " ".join(w for w in words if w not in consumed)
        if remaining:
            rest.append(remaining)
    if not (zip_code and state) or not rest:
        return None
    # drop a lead-in such as "the new address is" before the street number
    first = re.sub(r"^.*?(?=\d)", "", rest[0], count=1) if re.search(r"\d", rest[0]) else rest[0]
    rest[0] = first.strip()
    unit = INLINE_UNIT.search(rest[0])
    if len(rest) == 2 and unit:  # "123 Maple St Apt 4, Austin TX 78701": the unit is the second line
        rest = [rest[0][: unit.start()].strip(), unit.group(0).strip(), rest[1]]
    if len(rest) >= 3:
        address1, address2, city = rest[0], rest[1], rest[2]
    elif len(rest) == 2:
        address1, address2, city = rest[0], "", rest[1]
    else:
        return None
    if address2 and not UNIT.match(address2) and len(rest) == 3:
        pass  # a second line that is not a unit is still the customer's second line
    return {
        "address1": address1,
        "address2": address2,
        "city": city,
        "state": state,
        "country": country or "USA",
        "zip": zip_code,
    }


# -- payment methods ------------------------------------------------------------------------------
NOT_PAYMENT_CARD = re.compile(
    r"\b(sd|cf|micro ?sd|sdxc|sdhc|memory|storage|sim|graphics|video|sound|network|key)[\s-]*cards?\b"
)
GIFT_CARD = re.compile(
    r"\bgift[\s-]*cards?\b|\bgift (balance|certificate|voucher)\b|"
    r"^\W*((to|on|onto|into) )?(the |my |a )?gift( one| please)?\W*$"
)
"""A gift card, or "gift" alone as a short answer: "it was a gift for my son" is no way to pay."""


def payment_method(text: str, methods: Sequence[Mapping[str, Any]]) -> tuple[str | None, bool]:
    """The id of the payment method the text names among ``methods`` (the customer's, as
    ``get_user_details`` returns them), and whether the text named one that is ambiguous."""
    # an SD or CF card is a product option ("Digital Camera, 24MP, SD card"), not a way to pay
    lowered = NOT_PAYMENT_CARD.sub(" ", text.lower())
    wanted: list[Mapping[str, Any]] = []
    digits = set(re.findall(r"(?<!\d)(\d{4})(?!\d)", text))
    for method in methods:
        if method.get("id") and str(method["id"]).lower() in lowered:
            return str(method["id"]), False
    if GIFT_CARD.search(lowered):
        wanted = [m for m in methods if m.get("source") == "gift_card"]
    elif "paypal" in lowered or "pay pal" in lowered:
        wanted = [m for m in methods if m.get("source") == "paypal"]
    elif re.search(r"\b(card|credit|debit|visa|mastercard|amex|american express|discover)\b", lowered):
        wanted = [m for m in methods if m.get("source") == "credit_card"]
        brands = [m for m in wanted if str(m.get("brand", "")).lower() in lowered]
        if brands:
            wanted = brands
    if digits:
        by_digits = [m for m in (wanted or methods) if str(m.get("last_four")) in digits]
        if by_digits:
            wanted = by_digits
    if len(wanted) == 1:
        return str(wanted[0]["id"]), False
    return None, len(wanted) > 1


def named_source(text: str) -> str | None:
    """The kind of payment method the text names (``paypal``, ``gift_card``, ``credit_card``)."""
    lowered = NOT_PAYMENT_CARD.sub(" ", text.lower())
    if "paypal" in lowered or "pay pal" in lowered:
        return "paypal"
    if "gift card" in lowered or "giftcard" in lowered:
        return "gift_card"
    if re.search(r"\b(credit|debit) card\b|\b(visa|mastercard|amex|american express|discover)\b", lowered):
        return "credit_card"
    return None


def describe_method(method: Mapping[str, Any]) -> str:
    source = method.get("source")
    if source == "credit_card":
        return f"{str(method.get('brand', 'credit')).title()} card ending in {method.get('last_four')}"
    if source == "gift_card":
        balance = method.get("balance")
        return "gift card" + (f" (balance {money(float(balance))})" if balance is not None else "")
    if source == "paypal":
        return "PayPal"
    return str(method.get("id"))


def money(amount: float) -> str:
    return f"${amount:,.2f}"
