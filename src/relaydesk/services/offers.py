"""What the AI says when it offers the customer a person (a soft trigger): worded from why the
offer is made. Only a conversation that is not going well says sorry."""

from __future__ import annotations

OFFER_TEXT = (
    "I'm sorry this is taking a while. Would you like me to bring in someone from our support team? "
    "Just say yes, or tell me more and I'll keep trying."
)
OUT_OF_SCOPE_OFFER_TEXT = (
    "That is outside what I can help with on my own. Would you like me to bring in someone from our "
    "support team? Just say yes, or ask me something else."
)


DRAGGED_ON = frozenset(
    {"same_question_twice", "mildly_frustrated", "too_many_ai_turns", "too_long_with_ai", "long_session"}
)
"""Rules (of the default policy) that mean the conversation is not going well: only these say sorry."""
SPECIFIC_OFFERS = {
    "key_account": (
        "You can talk to someone from our team at any time. Would you like me to bring someone in now? "
        "Just say yes, or tell me more and I'll help you myself."
    ),
    "billing_page_asks_again": (
        "Would you like someone from our billing team to look at this with you? Just say yes, or tell me "
        "more and I'll keep helping."
    ),
    "unsure_what_is_asked": (
        "I'm not sure I understood. Could you tell me a bit more, or would you like me to bring in someone "
        "from our support team?"
    ),
}
NEUTRAL_OFFER_TEXT = (
    "Would you like me to bring in someone from our support team? Just say yes, or tell me more and "
    "I'll keep helping."
)


def offer_text(rules: list[str]) -> str:
    """The offer's wording, from why it is made: a request the AI does not cover, or a key
    customer's first message, is not a conversation that dragged on, so only those say sorry."""
    fired = set(rules)
    if fired & DRAGGED_ON:
        return OFFER_TEXT
    if fired and fired == {"out_of_scope"}:
        return OUT_OF_SCOPE_OFFER_TEXT
    for rule in rules:
        if rule in SPECIFIC_OFFERS:
            return SPECIFIC_OFFERS[rule]
    return NEUTRAL_OFFER_TEXT
