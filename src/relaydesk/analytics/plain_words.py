"""Plain words for what agents read about a customer: why the conversation came to a person, how
frustrated the customer is, the language they write in and what they asked about.

The desk records the technical reasons ("frustration 0.94 is at or above 0.75 (rule
frustrated_customer); ... at or above 0.30 (rule mildly_frustrated)"): right for a decision log,
wrong for an agent who has seconds to read the customer. Pages show the plain sentence ("The
customer is very frustrated and asked for a person.") and keep the technical one in a ``title``.
The console and the dashboard get the same tables and rules from ``/labels.js``
(``analytics/labels.py``); these functions are the reference the browser tests compare it with.
The handoff brief's summary (``handoff/brief.py``) is written with them on the server.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "FRUSTRATION_WORDS",
    "LANGUAGE_NAMES",
    "REASON_CLAUSES",
    "TOPIC_WORDS",
    "frustration_words",
    "language_name",
    "plain_reason",
    "reason_ids",
    "script_data",
    "topic_words",
]

REASON_CLAUSES: dict[str, tuple[str, str]] = {
    # how the customer feels: one clause, the strongest of those that fired
    "frustrated_customer": ("mood", "is very frustrated"),
    "harsh_words": ("mood", "is upset and used harsh words"),
    "mildly_frustrated": ("mood", "is somewhat frustrated"),
    "answer_did_not_help": ("help", "says the answers did not help"),
    "failed_answers": ("help", "kept getting AI answers that did not help"),
    "same_question_twice": ("repeat", "asked the same question twice"),
    "answer_already_given": ("repeat", "asked again after being answered"),
    "legal_or_security": ("legal", "raised a legal or security matter"),
    "billing_dispute": ("billing", "disputes a charge"),
    "billing_page_asks_again": ("billing", "asked again from the billing page"),
    "cancellation_threat": ("leave", "talks about leaving or closing their account"),
    "large_amount": ("amount", "mentions a large amount"),
    "key_account": ("tier", "is a key account"),
    "reopened_after_person": ("reopened", "came back after a person had solved it"),
    "sales_opportunity": ("sales", "may want to buy more"),
    "out_of_scope": ("scope", "asked about something the AI does not handle"),
    "unsure_what_is_asked": ("scope", "asked something the AI could not place"),
    "missing_knowledge": ("scope", "asked something the help center does not cover"),
    "processing_failed": ("scope", "wrote something the AI could not process"),
    "flow_exit": ("task", "needs a person to finish a task"),
    "too_many_ai_turns": ("long", "has had many replies from the AI"),
    "ai_turns": ("long", "has had many replies from the AI"),
    "too_long_with_ai": ("long", "has been with the AI a long time"),
    "long_session": ("long", "has written many messages"),
    # asking for a person comes last: "is very frustrated and asked for a person"
    "explicit_request": ("ask", "asked for a person"),
    "accepted_offer": ("ask", "accepted the offer of a person"),
}
"""Rule id -> (group, what the customer did or is). Of the rules of one group that fired, only the
first listed here is said (the frustration rules fire together: saying each repeated itself)."""

EXPLICIT_OPENING = "The customer asked for a person"
"""How the desk's sentence for an explicit request starts (it names no rule id)."""

FRUSTRATION_WORDS: tuple[tuple[float, str], ...] = (
    (0.75, "very frustrated"),
    (0.5, "frustrated"),
    (0.3, "somewhat frustrated"),
    (0.0, "calm"),
)
"""(lowest score, words), highest first: the bundled policy's thresholds (0.75 "clearly upset",
0.3 "mildly frustrated", governance/policies/default.yaml)."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "sv": "Swedish",
    "pl": "Polish",
    "tr": "Turkish",
    "ru": "Russian",
    "ar": "Arabic",
    "hi": "Hindi",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
}
"""The languages triage tells apart (triage/language.py), by name."""

TOPIC_WORDS: dict[str, str] = {
    "order_status": "where their order is",
    "shipping_info": "delivery",
    "cancel_order": "cancelling an order",
    "change_address": "changing a delivery address",
    "return_item": "returning an item",
    "exchange_item": "exchanging an item",
    "damaged_item": "an item that arrived damaged",
    "warranty_claim": "a warranty claim",
    "refund_status": "a refund",
    "billing_question": "a charge",
    "payment_problem": "a payment problem",
    "discount_code": "a discount code",
    "reset_password": "getting back into their account",
    "account_update": "updating their account",
    "product_question": "a product",
    "complaint": "a complaint",
    "human_handoff": "talking to a person",
    "modify_order_items": "changing items in an order",
    "modify_order_payment": "changing how an order is paid",
    "modify_order_address": "changing a delivery address",
    "update_default_address": "updating their default address",
    "refund_damaged_item": "a refund for a damaged item",
    "report_item_problem": "a problem with an item",
    "return_items": "returning items",
    "exchange_items": "exchanging items",
    "refund": "a refund",
    "update_account": "updating their account",
    "intake_damaged_item": "an item that arrived damaged",
    "intake_billing": "a charge",
    "intake_account": "their account",
    "intake_refund": "a refund",
}
"""Intent or flow id -> what the customer asked about, as the rest of a sentence "asked about ..."
(others: the id's words)."""


def _words(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


_RULE_REF = re.compile(r"\(rule ([A-Za-z0-9_.-]+)\)")


def reason_ids(sentence: str | None) -> list[str]:
    """The rule ids behind a stored escalation reason, in order ("explicit_request" for the desk's
    sentence about an explicit request, which names no rule)."""
    text = sentence or ""
    ids = ["explicit_request"] if text.startswith(EXPLICIT_OPENING) else []
    return list(dict.fromkeys([*ids, *_RULE_REF.findall(text)]))


def plain_reason(rules: Sequence[str]) -> str:
    """Why a person was brought in, for an agent: one clause per kind of reason, the strongest of
    each, no scores. Rules without a clause (a workspace's own) follow as their words; "" when
    there is no rule."""
    fired = set(rules)
    groups: set[str] = set()
    clauses = []
    for rule, (group, clause) in REASON_CLAUSES.items():
        if rule in fired and group not in groups:
            groups.add(group)
            clauses.append(clause)
    others = [_words(r) for r in dict.fromkeys(rules) if r not in REASON_CLAUSES]
    text = ""
    if clauses:
        said = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
        text = f"The customer {said}."
    if others:
        text = (text + " Also: " if text else "") + ", ".join(others) + "."
    return text


def frustration_words(score: float | None) -> str:
    """How frustrated a customer with frustration ``score`` (0 to 1) is, in words."""
    value = float(score or 0.0)
    return next((words for lowest, words in FRUSTRATION_WORDS if value >= lowest), "calm")


def language_name(code: str | None) -> str:
    """The language ``code`` by name ("en" -> "English"); an unknown code as itself."""
    if not code:
        return "an unknown language"
    return LANGUAGE_NAMES.get(code.lower().split("-")[0]) or code


def topic_words(topic: str) -> str:
    """What the customer asked about, for intent or flow id ``topic``."""
    return TOPIC_WORDS.get(topic) or topic.replace("_", " ").strip()


def script_data() -> dict[str, object]:
    """The tables above as ``/labels.js`` carries them (``relaydeskLabels.plainReason`` ...)."""
    return {
        "explicitOpening": EXPLICIT_OPENING,
        "clauses": [[rule, group, clause] for rule, (group, clause) in REASON_CLAUSES.items()],
        "frustration": [list(step) for step in FRUSTRATION_WORDS],
        "languages": LANGUAGE_NAMES,
        "topics": TOPIC_WORDS,
    }
