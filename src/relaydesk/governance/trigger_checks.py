"""What each kind of escalation trigger reads in a message and its conversation: one check per
rule kind of the policy file (``CHECKS``), each returning the reason it fired and the values it
saw, or None. ``RulesEscalationPolicy`` (governance/escalation_policy.py) runs them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relaydesk.dialogue.acts import social_act
from relaydesk.dialogue.opportunity import opportunity
from relaydesk.domain.capability_types import ConversationContext, TriageResult
from relaydesk.domain.models import Message
from relaydesk.governance import conversation_signals as signals
from relaydesk.governance.escalation_rules import TriggerRule

Hit = tuple[str, dict[str, Any]] | None
"""A trigger's finding: the reason in words and the values it saw, or None when it did not fire."""
Check = Callable[[TriggerRule, Message, TriageResult, ConversationContext], Hit]


EXPRESSED = (
    "angry or negative language",
    "shouting",
    "says they already tried that",
    "says they have asked before",
    "says the answer missed the point",
    "sarcastic thanks or praise",
    "says the answer is wrong",
)
"""Triage's reasons for frustration that the customer's own words express (not the shape of the
conversation: its length, repeats)."""


def answers_flow_question(ctx: ConversationContext) -> bool:
    """Whether the AI's last message was a specialist flow's question (the order, the items, a
    confirmation): the customer's reply is an answer, and saying "no longer needed" or "yes" again
    for a second order is not repeating oneself."""
    for earlier in reversed(ctx.history):
        if earlier.role.value == "ai":
            return bool(earlier.metadata.get("flow")) and earlier.metadata.get("asks") is not None
        if earlier.role.value != "customer":
            continue
    return False


def _frustration(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    threshold = rule.params["threshold"]
    if answers_flow_question(ctx) and not any(r in EXPRESSED for r in triage.reasons):
        return None
    needs = rule.params.get("needs") or ()
    if needs and not any(reason in needs for reason in triage.reasons):
        return None
    if triage.frustration >= threshold:
        values = {"frustration": round(triage.frustration, 4), "threshold": threshold}
        if threshold <= 0 and needs:  # a rule on the words alone: say which words, not "above 0.00"
            said = ", ".join(reason for reason in triage.reasons if reason in needs)
            return f"the customer's words: {said} (frustration {triage.frustration:.2f})", values
        return f"frustration {triage.frustration:.2f} is at or above {threshold:.2f}", values
    return None


def _repeated_question(
    rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext
) -> Hit:
    if answers_flow_question(ctx):
        return None
    found = signals.repeated_question(
        message.text, ctx.history, similarity=rule.params["similarity"], min_words=rule.params["min_words"]
    )
    if found is None:
        return None
    return (
        f"the customer asked the same thing before (similarity {found.similarity:.2f})",
        {"earlier": found.earlier, "similarity": found.similarity, "threshold": rule.params["similarity"]},
    )


def _failed_attempts(
    rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext
) -> Hit:
    failures = signals.failed_attempts(ctx.history, rule.params["responders"])
    if failures >= rule.params["max_failures"]:
        return (
            f"{failures} AI answers in a row did not resolve it",
            {"failed_attempts": failures, "max_failures": rule.params["max_failures"]},
        )
    return None


def _long_session(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    count = signals.customer_messages(ctx.history) + 1
    limit = rule.params["max_customer_messages"]
    if count >= limit:
        return (f"the customer has written {count} messages", {"customer_messages": count, "limit": limit})
    return None


def _topic(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    if triage.intent and triage.intent in rule.params["intents"]:
        return f'the intent "{triage.intent}" needs a person', {"intent": triage.intent}
    for signal in rule.params.get("signals", ()):
        if signal in triage.reasons:
            return f"triage read {signal}", {"signal": signal}
    # a message in another language is also read in its English gloss (triage/glossary.py)
    texts = [message.text.lower(), str(triage.extra.get("gloss") or "").lower()]
    for keyword in rule.params["keywords"]:
        pattern = r"(?<!\w)" + re.escape(keyword) + r"(?!\w)"
        if any(re.search(pattern, text) for text in texts if text):
            return f'the message mentions "{keyword}"', {"keyword": keyword}
    return None


def _amount_value(value: Any, text: str) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    digits = re.sub(r"[^0-9.]", "", str(value if value is not None else text).replace(",", ""))
    try:
        return float(digits) if digits else None
    except ValueError:
        return None


def _amount(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    amounts = [
        a
        for e in triage.entities
        if e.kind in rule.params["entity_kinds"]
        if (a := _amount_value(e.value, e.text)) is not None
    ]
    if amounts and max(amounts) > rule.params["over"]:
        top = max(amounts)
        return (
            f"the amount {top:.2f} is over {rule.params['over']:.2f}",
            {"amount": top, "over": rule.params["over"]},
        )
    return None


def _customer_tier(
    rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext
) -> Hit:
    tier = str(ctx.customer.tier)
    if tier in rule.params["tiers"]:
        return f"the customer is {tier}", {"tier": tier}
    return None


def _page(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    """The page the customer wrote from (the widget's page context): a pattern on its address or
    title, and/or attributes the site passed (only signed ones with ``verified_only``), once the
    customer has written at least ``min_customer_messages`` times ("asking twice on the billing
    page")."""
    page = ctx.conversation.page_context or {}
    if not page:
        return None
    count = signals.customer_messages(ctx.history) + 1
    if count < rule.params["min_customer_messages"]:
        return None
    where = f"{page.get('page_url') or ''} {page.get('page_title') or ''}"
    matched = next((p for p in rule.params["pages"] if re.search(p, where, re.IGNORECASE)), None)
    if rule.params["pages"] and matched is None:
        return None
    wanted = rule.params["attributes"]
    if wanted:
        if rule.params["verified_only"] and not page.get("verified"):
            return None
        told = page.get("attributes") or {}
        if any(str(told.get(k)) != v for k, v in wanted.items()):
            return None
    on = page.get("page_title") or page.get("page_url") or "the page"
    return (
        f"the customer wrote {count} times from {on}",
        {"page_url": page.get("page_url"), "pattern": matched, "customer_messages": count},
    )


def _reopened(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    """The customer writes again after a person resolved the conversation: what they resolved did
    not hold, so a person takes it again (a thank-you or a goodbye stays with the AI)."""
    if social_act(message.text) is not None:
        return None
    who = signals.reopened_after_person(ctx.history)
    if who is None:
        return None
    return f"the customer wrote again after {who} resolved the conversation", {"resolved_by": who}


def _opportunity(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    cue = opportunity(message.text)
    if cue is None:
        return None
    return f'a sales opportunity ("{cue}")', {"cue": cue}


def _out_of_scope(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    if not triage.in_scope:
        return "the request is outside what the AI handles", {
            "in_scope": False,
            "intent": triage.intent,
            "triage_doubt": True,
        }
    return None


def _low_confidence(
    rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext
) -> Hit:
    below = rule.params["below"]
    if triage.intent is not None and triage.confidence < below:
        return (
            f"the AI is only {triage.confidence:.0%} sure what is asked",
            {
                "intent": triage.intent,
                "confidence": round(triage.confidence, 4),
                "below": below,
                "triage_doubt": True,
            },
        )
    return None


def _ai_turns(rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext) -> Hit:
    turns = ctx.conversation.ai_turns
    if turns >= rule.params["max_turns"]:
        return f"still unresolved after {turns} AI replies", {
            "ai_turns": turns,
            "max_turns": rule.params["max_turns"],
        }
    return None


def _elapsed_minutes(
    rule: TriggerRule, message: Message, triage: TriageResult, ctx: ConversationContext
) -> Hit:
    minutes = signals.minutes_with_ai(ctx)
    if minutes >= rule.params["max_minutes"]:
        return (
            f"still unresolved after {minutes:.0f} minutes with the AI",
            {"minutes": round(minutes, 1), "max_minutes": rule.params["max_minutes"]},
        )
    return None


CHECKS: dict[str, Check] = {
    "frustration": _frustration,
    "repeated_question": _repeated_question,
    "failed_attempts": _failed_attempts,
    "long_session": _long_session,
    "topic": _topic,
    "amount": _amount,
    "customer_tier": _customer_tier,
    "page": _page,
    "reopened": _reopened,
    "out_of_scope": _out_of_scope,
    "opportunity": _opportunity,
    "low_confidence": _low_confidence,
    "ai_turns": _ai_turns,
    "elapsed_minutes": _elapsed_minutes,
}
