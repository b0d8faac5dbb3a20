"""What the AI says when it offers the customer a person (a soft trigger): worded from why the
offer is made, in the customer's language (dialogue/catalogue.py). Only a conversation that is
not going well says sorry."""

from __future__ import annotations

from relaydesk.dialogue.catalogue import say
from relaydesk.domain.capability_types import EscalationDecision
from relaydesk.domain.events import EventType
from relaydesk.domain.models import Conversation, Message, MessageRole
from relaydesk.services.context import ServiceContext
from relaydesk.services.payloads import message_payload

DRAGGED_ON = frozenset(
    {"same_question_twice", "mildly_frustrated", "too_many_ai_turns", "too_long_with_ai", "long_session"}
)
"""Rules (of the default policy) that mean the conversation is not going well: only these say sorry."""
SPECIFIC_OFFERS = {
    "answer_did_not_help": "offer.not_helped",
    "answer_already_given": "offer.not_helped",
    "sales_opportunity": "offer.sales",
    "key_account": "offer.key_account",
    "billing_page_asks_again": "offer.billing",
    "unsure_what_is_asked": "offer.unsure",
}
"""Catalogue keys of the offers worded for one rule, first match wins."""

OFFER_TEXT = say("offer.dragged_on")
OUT_OF_SCOPE_OFFER_TEXT = say("offer.out_of_scope")
NEUTRAL_OFFER_TEXT = say("offer.neutral")


def offer_text(rules: list[str], language: str = "en") -> str:
    """The offer's wording, from why it is made: a request the AI does not cover, or a key
    customer's first message, is not a conversation that dragged on, so only those say sorry."""
    fired = set(rules)
    if fired & {"answer_did_not_help", "answer_already_given"}:
        return say("offer.not_helped", language)
    if fired & DRAGGED_ON:
        return say("offer.dragged_on", language)
    if fired and fired == {"out_of_scope"}:
        return say("offer.out_of_scope", language)
    for rule in SPECIFIC_OFFERS:
        if rule in fired:
            return say(SPECIFIC_OFFERS[rule], language)
    return say("offer.neutral", language)


def offer_a_person(
    ctx: ServiceContext,
    conversation: Conversation,
    message: Message,
    decision: EscalationDecision,
    language: str,
) -> Message:
    """Ask the customer whether they want a person (a soft trigger); their answer decides. Inside
    the turn's transaction."""
    rules = [rule.rule for rule in decision.fired]
    stored, _ = ctx.store.add_message(
        conversation.id,
        role=MessageRole.AI,
        text=offer_text(rules, language),
        channel=conversation.channel,
        reply_to_id=message.id,
        author_id="orchestrator",
        metadata={"escalation_offer": True, "reason": decision.reason, "rules": rules},
    )
    ctx.store.increment_ai_turns(conversation.id)
    ctx.publish(conversation, EventType.MESSAGE_CREATED, message_payload(stored))
    return stored
