"""Personal data in a message: find it and mask it (emails, phones, card numbers, addresses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from relaydesk.domain.capability_types import PiiSpan

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
# A run of digit groups separated by up to three spaces, dashes or no-break spaces; card numbers are
# looked for inside it on group boundaries (a Luhn check decides).
# Also 4111.1111.1111.1111; other dotted numbers are prices and versions, not cards.
DIGIT_RUN = re.compile(r"(?<![\w.])\d{4}(?:\.\d{4}){3}(?![\w.])|(?<!\w)\d+(?:[ \-\u00a0]{1,3}\d+)*(?!\w)")
DIGIT_GROUP = re.compile(r"\d+")
# International or national numbers with 7-15 digits; separators and an optional (area code).
PHONE = re.compile(
    r"(?<![\w+.,])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?!\w|[.,]\d)"
)
STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|"
    r"square|sq|parkway|pkwy|highway|hwy|circle|cir|trail|strasse|straße|rue|calle|via"
)
ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[A-Z][\w'.-]*\s+){{1,4}}(?i:{STREET_TYPES})\b\.?"
    r"(?:,?\s*(?i:apt|apartment|suite|unit|#)\s*[\w-]+)?"
    r"(?:,\s*[A-Z][A-Za-z.'-]*(?:\s[A-Z][A-Za-z.'-]*)?){0,2}"
    r"(?:,?\s*[A-Z]{2}\b)?(?:\s+\d{5}(?:-\d{4})?\b)?"
)
MASKS = {"email": "[email]", "phone": "[phone]", "card": "[card]", "address": "[address]"}


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` passes the Luhn checksum used by payment card numbers."""
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class MaskedText:
    text: str
    spans: tuple[PiiSpan, ...]


def find_pii(text: str) -> tuple[PiiSpan, ...]:
    """Every piece of personal data in ``text``, left to right, never overlapping."""
    found: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, start: int, end: int, mask: str) -> None:
        found.append(PiiSpan(kind, start, end, mask))
        taken.append((start, end))

    for m in EMAIL.finditer(text):
        add("email", m.start(), m.end(), MASKS["email"])
    for start, end, digits in card_numbers(text):
        if free(start, end):
            add("card", start, end, f"[card ending {digits[-4:]}]")
    for m in ADDRESS.finditer(text):
        if free(m.start(), m.end()):
            add("address", m.start(), m.end(), MASKS["address"])
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 7 <= len(digits) <= 15 and free(m.start(), m.end()) and _looks_like_phone(m.group(), digits):
            add("phone", m.start(), m.end(), MASKS["phone"])
    return tuple(sorted(found, key=lambda s: s.start))


def card_numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each Luhn-valid card number in ``text``.

    A card is one unbroken run of 13-19 digits, consecutive groups of 3-6 digits (the 4-4-4-4,
    4-6-5 and 4-6-4 layouts) adding up to 13-19, or 13-19 single digits written one by one
    ("4 1 1 1 1 1 1 1 ...", "4-1-1-1-..."). Groups are tried from every starting point, longest
    first, so digits written next to a card ("4111 1111 1111 1111 12/26", an order number before
    it) do not hide it.
    """
    found: list[tuple[int, int, str]] = []
    for run in DIGIT_RUN.finditer(text):
        groups = [
            (m.start() + run.start(), m.end() + run.start(), m.group())
            for m in DIGIT_GROUP.finditer(run.group())
        ]
        i = 0
        while i < len(groups):
            hit = None
            if 13 <= len(groups[i][2]) <= 19 and luhn_valid(groups[i][2]):
                hit = (groups[i][0], groups[i][1], groups[i][2], i)
            else:
                digits = ""
                sizes = (1, 1) if len(groups[i][2]) == 1 else (3, 6)  # digit by digit, or groups
                for j in range(i, len(groups)):
                    if not sizes[0] <= len(groups[j][2]) <= sizes[1]:
                        break
                    digits += groups[j][2]
                    if len(digits) > 19:
                        break
                    if j > i and len(digits) >= 13 and luhn_valid(digits):
                        hit = (groups[i][0], groups[j][1], digits, j)  # keep looking for a longer one
            if hit is None:
                i += 1
                continue
            found.append(hit[:3])
            i = hit[3] + 1
    return found


def _looks_like_phone(raw: str, digits: str) -> bool:
    # A bare run of digits is more often an order or tracking number than a phone number;
    # phones are written with a + prefix, separators or an area code in brackets.
    if re.search(r"\.\d{2}\s+\d", raw):
        return False  # "12.99 14.99": prices side by side, not one number
    return raw.startswith("+") or "(" in raw or bool(re.search(r"\d[ .-]\d", raw))


def redact_card_numbers(text: str) -> MaskedText:
    """``text`` with each Luhn-valid card number cut to its last four digits; other data is kept.

    Applied before a message is stored: no one handling a conversation needs a full card number,
    and card data must not sit in a transcript, an audit log or a search index.
    """
    return mask_pii(text, tuple(span for span in find_pii(text) if span.kind == "card"))


def mask_pii(text: str, spans: tuple[PiiSpan, ...] | None = None) -> MaskedText:
    """``text`` with every piece of personal data replaced by its mask."""
    spans = find_pii(text) if spans is None else spans
    out, last = [], 0
    for span in spans:
        out.append(text[last : span.start])
        out.append(span.mask)
        last = span.end
    out.append(text[last:])
    return MaskedText("".join(out), spans)


CARD_BRAND = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[4-8]|30[0-5]|6[0245])")
"""The first digits of the card brands in use (Visa, Mastercard, Amex, Diners, JCB, Discover,
UnionPay, Maestro): an identifier's long number that starts otherwise (a millisecond timestamp
starts 1, a snowflake id 1) is not taken for a card."""
UNBROKEN_DIGITS = re.compile(r"(?<!\d)\d{13,19}(?!\d)")


def card_number_in_identifier(identifier: str) -> str | None:
    """The last four digits of a card number inside an identifier (an idempotency key), or None.

    A card written as it is in text counts, and so does an unbroken run of 13-19 digits touching
    letters ("order4111111111111111"); groups glued to letters do not, so the hex groups of a
    UUID never add up to one. Only numbers that start as a card brand does count: a millisecond
    timestamp or a snowflake id in a key is not a card."""
    found = [digits for _start, _end, digits in card_numbers(identifier)]
    found += [m.group() for m in UNBROKEN_DIGITS.finditer(identifier) if luhn_valid(m.group())]
    return next((digits[-4:] for digits in found if CARD_BRAND.match(digits)), None)


def redact_card_numbers_deep(value: Any) -> Any:
    """``value`` (text, numbers, lists and mappings at any depth) with every card number cut to
    its last four digits, keys included; a card stored as a JSON number is one too."""
    if isinstance(value, str):
        return redact_card_numbers(value).text if DIGIT_GROUP.search(value) else value
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        digits = str(abs(value))
        return f"[card ending {digits[-4:]}]" if luhn_valid(digits) else value
    if isinstance(value, dict):
        return {redact_card_numbers_deep(k): redact_card_numbers_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_card_numbers_deep(v) for v in value]
    return value
