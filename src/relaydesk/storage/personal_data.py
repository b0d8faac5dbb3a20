"""Personal data in a decision's payload, swapped for references before the decision is stored.

The decision log is append-only (the database refuses UPDATE and DELETE), so nothing written
there could ever be erased. A decision therefore stores a reference such as ``[email pd0]`` in
place of each piece of personal data, and the values go to ``decision_personal_data`` (one row
per decision). What is personal:

- the value of a field that names a person or where they are (``PERSONAL_FIELDS``: ``email``,
  ``first_name``, ``zip``, ``address1``, ``user_id`` ...), at any depth, and the same value
  wherever else it appears in the decision (a summary that says "verified the customer as ...");
- e-mails, phone numbers and postal addresses that ``triage/pii.py`` finds in any text;
- long numbers (a phone or account number stored as a JSON number).

Card numbers are not kept at all: they become ``[card ending 1111]`` in the decision itself.
Reading puts the values back (``restore``); once erased they read ``[email erased]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from relaydesk.triage.pii import find_pii

PERSONAL_FIELDS = {
    "email": "email",
    "customer_email": "email",
    "phone": "phone",
    "first_name": "name",
    "last_name": "name",
    "full_name": "name",
    "customer_name": "name",
    "zip": "address",
    "address": "address",
    "address1": "address",
    "address2": "address",
    "city": "address",
    "user_id": "customer",
    "owner_user_id": "customer",
    "authenticated_user_id": "customer",
}
"""Field name -> what its value is: personal whatever it looks like (a name, a zip code, a shop's
user id, which spells the customer's name)."""
REFERENCE = re.compile(r"\[(?P<kind>[a-z]+) pd(?P<index>\d+)\]")
REFERENCE_OR_TEXT = re.compile(r"(\[[a-z]+ pd\d+\])")
"""Splits a text into its plain parts and (odd places) its references."""
LONG_NUMBER_DIGITS = 10
TEXT_KINDS = frozenset({"email", "phone", "address"})
DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
"""A date the phone detector would take for a number: kept as it is."""


@dataclass
class PersonalValues:
    """The values taken out of one decision, in reference order."""

    values: list[Any] = field(default_factory=list)
    _known: dict[str, str] = field(default_factory=dict)
    """Each personal text value -> its reference, so the same value gets the same reference."""

    text_kinds: dict[str, str] = field(default_factory=dict)
    """Each text value taken -> what it is."""

    def reference(self, value: Any, kind: str) -> str:
        key = repr(value)
        if key not in self._known:
            self._known[key] = f"[{kind} pd{len(self.values)}]"
            self.values.append(value)
            if isinstance(value, str):
                self.text_kinds[value] = kind
        return self._known[key]


def take_personal_data(
    summary: str, inputs: dict[str, Any], reasons: list[Any], known: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Any], list[Any], list[Any]]:
    """(summary, inputs, reasons) with references in place of personal data, and the values.
    ``known``: the conversation's customer's own details (their name and its parts, e-mail,
    external id) -> what each is, taken out wherever they appear in a text (an agent's note
    "refunded Jane Roe")."""
    found = PersonalValues()
    inputs = _fields(inputs, found)
    reasons = _fields(reasons, found)
    kinds = {**(known or {}), **found.text_kinds}
    # longest first, so "Jane Roe" is taken whole before "Jane"
    texts = sorted(((v, k) for v, k in kinds.items() if len(v) >= 3), key=lambda pair: -len(pair[0]))
    return (
        _texts(summary, found, texts),
        _texts(inputs, found, texts),
        _texts(reasons, found, texts),
        found.values,
    )


def _fields(value: Any, found: PersonalValues) -> Any:
    """Personal fields' values -> references (first pass, so later texts can refer to them)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            kind = PERSONAL_FIELDS.get(str(key).lower())
            if kind is not None and item not in (None, "", [], {}) and not _is_reference(item):
                out[key] = found.reference(item, kind)
            else:
                out[key] = _fields(item, found)
        return out
    if isinstance(value, list | tuple):
        return [_fields(item, found) for item in value]
    return value


def _texts(value: Any, found: PersonalValues, known: list[tuple[str, str]]) -> Any:
    """Second pass: known personal values and detected personal data inside any text."""
    if isinstance(value, str):
        return _text(value, found, known)
    if isinstance(value, dict):
        return {k: _texts(v, found, known) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_texts(v, found, known) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= LONG_NUMBER_DIGITS:
        return found.reference(value, "number")
    return value


def _text(text: str, found: PersonalValues, known: list[tuple[str, str]]) -> str:
    if _is_reference(text):
        return text
    text = _detected(text, found)
    if not known:
        return text
    # then the known values, outside the references just made ("jane" is not cut out of an e-mail)
    out = []
    for index, part in enumerate(REFERENCE_OR_TEXT.split(text)):
        out.append(part if index % 2 else _known_values(part, found, known))
    return "".join(out)


def _known_values(text: str, found: PersonalValues, known: list[tuple[str, str]]) -> str:
    for value, kind in known:
        if value in text:
            pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
            if pattern.search(text):
                reference = found.reference(value, kind)
                text = pattern.sub(lambda _match: reference, text)  # noqa: B023 (used at once)
    return text


def _detected(text: str, found: PersonalValues) -> str:
    """E-mails, phones and addresses ``find_pii`` finds -> references; cards -> their mask."""
    if not any(ch.isdigit() for ch in text) and "@" not in text:
        return text  # nothing find_pii could report
    out, last = [], 0
    for span in find_pii(text):
        if span.kind == "card":
            mask = span.mask  # "[card ending 1111]": never kept whole, not even aside
        elif (
            span.kind in TEXT_KINDS
            and not REFERENCE.search(text[span.start : span.end])
            and not (span.kind == "phone" and DATE.match(text[span.start : span.end]))
        ):
            mask = found.reference(text[span.start : span.end], span.kind)
        else:
            continue
        out.append(text[last : span.start])
        out.append(mask)
        last = span.end
    out.append(text[last:])
    return "".join(out)


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and REFERENCE.fullmatch(value) is not None


def has_references(value: Any) -> bool:
    """Whether a stored payload refers to personal values (so they must be looked up)."""
    if isinstance(value, str):
        return "pd" in value and REFERENCE.search(value) is not None
    if isinstance(value, dict):
        return any(has_references(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(has_references(v) for v in value)
    return False


def restore(value: Any, values: list[Any] | None) -> Any:
    """A stored payload with its references replaced by the values (``None``: erased, so each
    reads ``[email erased]``)."""
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole is not None:
            return _value(whole, values, as_text=False)
        return REFERENCE.sub(lambda m: str(_value(m, values, as_text=True)), value)
    if isinstance(value, dict):
        return {k: restore(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [restore(v, values) for v in value]
    return value


def _value(match: re.Match[str], values: list[Any] | None, *, as_text: bool) -> Any:
    index = int(match["index"])
    if values is None or index >= len(values):
        return f"[{match['kind']} erased]"
    return values[index]


def customer_details(name: str | None, email: str | None, external_id: str | None) -> dict[str, str]:
    """A customer's own details as ``take_personal_data`` looks for them: the name, each part of
    it, the e-mail and the external id."""
    details: dict[str, str] = {}
    if name:
        details[name.strip()] = "name"
        details.update({part: "name" for part in name.split() if len(part) >= 3})
    if email:
        details[email.strip()] = "email"
    if external_id:
        details[external_id.strip()] = "customer"
    return details


def as_masks(value: Any) -> Any:
    """A stored payload with each reference shown as the plain mask of its kind (``[email]``),
    for readers that show one conversation's decisions in another's context (similar cases)."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: f"[{m['kind']}]", value) if "pd" in value else value
    if isinstance(value, dict):
        return {k: as_masks(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_masks(v) for v in value]
    return value
