"""The handoff brief: what an agent needs to pick up a conversation without starting cold.

Built from what is already stored (the transcript, every triage reading, the escalation and routing
decisions, the AI's answers and their sources, the customer's earlier conversations and similar
resolved cases), so it costs no model run and works offline. Personal data is masked everywhere
except the customer's name, which the agent needs to greet them.

The suggested first reply is a template filled from the brief (name, topic, order number, how
frustrated the customer is); the agent edits it before sending. With an LLM configured it could be
phrased more freely; the facts would be the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from relaydesk.analytics import plain_words
from relaydesk.cases.similar import SimilarCase, counts_as_request
from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.language import conversation_language
from relaydesk.domain.decisions import DecisionKind, TriageReading, escalation_readings, triage_readings
from relaydesk.domain.models import (
    REPEAT_CONTACT_WINDOW,
    Agent,
    Conversation,
    Customer,
    Decision,
    Message,
    MessageRole,
)
from relaydesk.handoff.flow_section import (
    flow_section,
    intake_section,
    masked_value,
    verified_first_name,
    verified_user_id,
)
from relaydesk.handoff.people_did import people_did
from relaydesk.handoff.text import excerpt, masked
from relaydesk.triage.person_request import asks_for_person

MAX_REQUESTS = 3
MIN_TOPIC_CONFIDENCE = 0.6
"""Triage readings below this confidence are not taken as something the customer asked about (a
side reading of "I want to cancel, get me a human" is not a damaged item)."""
PERSONAL_ENTITY_KINDS = frozenset({"email", "phone", "card", "card_number", "address", "postal_address"})

TOPIC_PHRASES = {
    "order_status": "where your order is",
    "shipping_info": "delivery of your order",
    "cancel_order": "cancelling your order",
    "change_address": "changing the delivery address",
    "return_item": "returning an item",
    "exchange_item": "exchanging an item",
    "damaged_item": "an item that arrived damaged",
    "warranty_claim": "a warranty claim",
    "refund_status": "your refund",
    "billing_question": "a question about a charge",
    "payment_problem": "a payment problem",
    "discount_code": "a discount code",
    "reset_password": "getting back into your account",
    "account_update": "updating your account",
    "product_question": "a question about a product",
    "complaint": "your complaint",
    "modify_order_items": "changing items in your order",
    "modify_order_payment": "changing how your order is paid",
    "update_default_address": "updating your default address",
    "refund_damaged_item": "a refund for an item that arrived damaged",
    "report_item_problem": "a problem with an item",
    "return_items": "returning items",
    "exchange_items": "exchanging items",
    "refund": "a refund",
    "update_account": "updating your account",
}
"""How the suggested reply names what the customer asked about, by intent or flow (others: the
name in words)."""

FLOW_TOPICS = {
    "cancel_order": "cancel_order",
    "return_items": "return_item",
    "exchange_items": "exchange_item",
    "modify_order_address": "change_address",
    "order_status": "order_status",
    "product_question": "product_question",
}
"""The intent a specialist flow serves, where triage has one for it (others: the flow's name)."""

NOT_A_TOPIC = frozenset({"greeting", "thanks", "human_handoff", "unknown", "oos"})


@dataclass(frozen=True, slots=True)
class EntitySeen:
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class AiAnswer:
    text: str
    responder: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PastConversation:
    conversation_id: str
    status: str
    subject: str | None
    created_at: datetime
    escalation_reason: str | None
    topic: str | None = None
    resolution: str | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class VerifiedAccount:
    """The store's record of the customer the AI verified in the conversation (the caller reads it
    through the store's port; the brief only shows it)."""

    user_id: str
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class HandoffBrief:
    conversation_id: str
    status: str
    summary: str
    """Two or more sentences as the agent reads them, in plain words (the language by name, the
    topics in words, why a person is needed and how frustrated the customer was, without scores or
    rule ids): who, about what, what the AI did, why a person is needed."""
    customer: dict[str, Any]
    """Name, tier, language, external id, masked email, masked attributes."""
    escalation_reason: str | None
    triggers: tuple[str, ...]
    """The escalation rules that fired (``explicit``, ``billing_dispute``, ...)."""
    topics: tuple[str, ...]
    """What the customer asked about, the main one first (the flow in progress, else the latest
    confident reading), then the other confident readings in the order asked."""
    requests: tuple[str, ...]
    """The customer's first requests in their own words (masked)."""
    entities: tuple[EntitySeen, ...]
    """Order numbers, amounts and the like named in the conversation (personal ones masked)."""
    frustration: dict[str, Any]
    """Latest and peak score, and the reasons triage gave."""
    urgency: dict[str, Any]
    ai_answers: tuple[AiAnswer, ...]
    """What the AI already told the customer, with its sources: do not repeat it."""
    routing: dict[str, Any]
    """Who it was routed to and why, when it was due, how long it waited."""
    past_conversations: tuple[PastConversation, ...]
    similar_cases: tuple[SimilarCase, ...]
    suggested_reply: str
    transcript: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    """Every message, masked, oldest first."""
    intake: dict[str, Any] = field(default_factory=dict)
    """What the AI gathered for the person while the customer waited (read it first), and the
    question still open (``waiting_for``)."""
    flow: dict[str, Any] | None = None
    """The specialist flow the AI was in: its name, the step it stopped at and what it was waiting
    for, the slots filled, the flows set aside and every tool call made, so the agent can finish it."""
    page: dict[str, Any] = field(default_factory=dict)
    """Where the customer was when they wrote (the widget's page context): ``page_url``,
    ``page_title``, the site's ``attributes`` and whether the site signed them (``verified``)."""


def build_brief(
    conversation: Conversation,
    customer: Customer,
    messages: Sequence[Message],
    decisions: Sequence[Decision],
    *,
    agent: Agent | None = None,
    past: Iterable[Conversation] = (),
    similar: Sequence[SimilarCase] = (),
    account: VerifiedAccount | None = None,
) -> HandoffBrief:
    """``account``: the store's record of the customer the AI verified (its name and e-mail fill
    what the conversation's customer record lacks)."""
    readings = triage_readings(decisions)
    topics = main_topics(readings, conversation.flow)
    requests = tuple(
        masked(m.text)
        for m in [m for m in messages if m.role == MessageRole.CUSTOMER and counts_as_request(m.text)][
            :MAX_REQUESTS
        ]
    )
    entities = _entities(readings)
    frustration_scores = [r.frustration for r in readings]
    urgency_scores = [r.urgency for r in readings]
    latest_frustration = round(frustration_scores[-1], 2) if frustration_scores else 0.0
    frustration: dict[str, Any] = {
        "latest": latest_frustration,
        "peak": round(max(frustration_scores), 2) if frustration_scores else 0.0,
        "reasons": _reasons(
            readings, ("frustrat", "shout", "repeat", "already", "human", "negative", "angry")
        ),
    }
    urgency = {
        "latest": round(urgency_scores[-1], 2) if urgency_scores else 0.0,
        "peak": round(max(urgency_scores), 2) if urgency_scores else 0.0,
    }
    escalations = [e for e in escalation_readings(decisions) if e.escalate]
    triggers = tuple(dict.fromkeys(r.rule for r in (escalations[-1].rules if escalations else ())))
    answers = tuple(
        AiAnswer(
            excerpt(masked(m.text)),
            str(m.metadata.get("responder") or m.author_id or "ai"),
            tuple(
                dict.fromkeys(
                    str(c.get("title")) for c in m.metadata.get("citations") or () if c.get("title")
                )
            ),
        )
        for m in messages
        if m.role == MessageRole.AI
    )
    routing = _routing(conversation, decisions)
    past_list = tuple(
        PastConversation(
            c.id,
            str(c.status),
            masked(c.subject) if c.subject else None,
            c.created_at,
            masked(c.escalation_reason) if c.escalation_reason else None,
            c.topic,
            str(c.resolution) if c.resolution else None,
            c.resolved_at,
        )
        for c in past
        if c.id != conversation.id
    )
    if account is not None and account.user_id != verified_user_id(conversation.flow):
        account = None  # not the account this conversation verified
    name = (
        _text(customer.name)
        or _text(account.name if account else None)
        or verified_first_name(conversation.flow)
    )
    email = _text(customer.email) or _text(account.email if account else None)
    who = {
        "name": name,
        "tier": str(customer.tier),
        "language": conversation.language or customer.language,
        "external_id": masked(customer.external_id) if customer.external_id else None,
        "email": masked(email) if email else None,
        "attributes": masked_value(customer.attributes),
    }
    summary = _summary(who, topics, requests, answers, conversation, frustration, past_list)
    summary += people_did(decisions)
    return HandoffBrief(
        conversation_id=conversation.id,
        status=str(conversation.status),
        summary=summary,
        customer=who,
        escalation_reason=masked(conversation.escalation_reason) if conversation.escalation_reason else None,
        triggers=triggers,
        topics=topics,
        requests=requests,
        entities=entities,
        frustration=frustration,
        urgency=urgency,
        ai_answers=answers,
        routing=routing,
        past_conversations=past_list,
        similar_cases=tuple(similar),
        suggested_reply=suggest_reply(
            name, agent, topics, entities, latest_frustration, conversation_language(conversation, customer)
        ),
        intake=intake_section((conversation.flow or {}).get("intake")),
        flow=flow_section(conversation.flow, decisions),
        transcript=tuple(
            {
                "role": str(m.role),
                "text": masked(m.text),
                "at": m.created_at.isoformat(),
                **({"author": m.author_id} if m.role == MessageRole.AGENT and m.author_id else {}),
            }
            for m in messages
        ),
    )


def main_topics(readings: Sequence[TriageReading], flow: dict[str, Any] | None) -> tuple[str, ...]:
    """What the customer asked about, the main one first: the flow in progress (or waiting for an
    approval), else the latest confident triage reading; then the other confident readings, first
    asked first. Readings triage was unsure of are left out."""
    sure = [
        r
        for r in readings
        if r.intent and r.in_scope and r.intent not in NOT_A_TOPIC and r.confidence >= MIN_TOPIC_CONFIDENCE
    ]
    confident = [str(r.intent) for r in sure]
    # "my email is …" (read as updating an account) gives details, it does not lead the request
    asked = [str(r.intent) for r in sure if not any(e.kind == "email" for e in r.entities)]
    state = flow or {}
    active = state.get("active") or {}
    waiting = [f for f in state.get("finished") or [] if f.get("outcome") == "awaiting_approval"]
    in_progress = active.get("name") or (waiting[-1].get("flow") if waiting else None)
    lead = FLOW_TOPICS.get(str(in_progress), str(in_progress)) if in_progress else None
    lead = lead or (asked[-1] if asked else confident[-1] if confident else None)
    return tuple(dict.fromkeys([lead, *confident])) if lead else ()


def suggest_reply(
    customer_name: str | None,
    agent: Agent | None,
    topics: Sequence[str],
    entities: Sequence[EntitySeen],
    frustration: float,
    language: str = "en",
) -> str:
    """A first message for the agent to edit, in the customer's language: greets, shows the context
    was read, names what the customer asked about (``topics``: the main one first; in English, the
    topic's words exist only there) and the next step."""
    first = (customer_name or "").split()[0] if customer_name and customer_name.strip() else None
    parts = [say("suggest.hi_name", language, name=first) if first else say("suggest.hi", language)]
    me = agent.name.split()[0] if agent and agent.name.strip() else None
    parts.append(say("suggest.me", language, name=me) if me else say("suggest.anon", language))
    if frustration >= 0.5:
        parts.append(say("suggest.sorry", language))
    topic = topics[0] if topics else None
    order = next((e.value for e in entities if e.kind in ("order_id", "order")), None)
    if topic and language == "en":
        about = TOPIC_PHRASES.get(topic, topic.replace("_", " "))
        parts.append(f"You're asking about {about}" + (f" (order {order})." if order else "."))
    elif order:
        parts.append(say("suggest.order", language, order=order))
    parts.append(say("suggest.looking", language))
    if language == "de":  # "Hallo Jonas, ich bin Theo …": the sentence goes on after the comma
        parts[1] = parts[1][:1].lower() + parts[1][1:]
    return " ".join(parts)


def _routing(conversation: Conversation, decisions: Sequence[Decision]) -> dict[str, Any]:
    route = next((d for d in reversed(decisions) if d.kind == DecisionKind.ROUTE), None)
    assignment = next((d for d in reversed(decisions) if d.kind == DecisionKind.ASSIGNMENT), None)
    waited = (
        round((conversation.assigned_at - conversation.queued_at).total_seconds(), 1)
        if conversation.assigned_at
        and conversation.queued_at
        and conversation.assigned_at >= conversation.queued_at
        else None
    )
    latest = assignment or route
    return {
        "priority": conversation.priority,
        "required_skills": list(conversation.required_skills),
        "preferred_skills": list(conversation.preferred_skills),
        "queued_at": conversation.queued_at.isoformat() if conversation.queued_at else None,
        "due_at": conversation.due_at.isoformat() if conversation.due_at else None,
        "waited_s": waited,
        "route": route.summary if route else None,
        "assignment": assignment.summary if assignment else None,
        "version": latest.version if latest else None,
    }


def _summary(
    who: dict[str, Any],
    topics: Sequence[str],
    requests: Sequence[str],
    answers: Sequence[AiAnswer],
    conversation: Conversation,
    frustration: dict[str, Any],
    past: Sequence[PastConversation],
) -> str:
    name = who.get("name") or "The customer"
    only_asked = requests and all(asks_for_person(r) for r in requests)
    if not topics and only_asked and all(len(r.split()) <= BARE_REQUEST_WORDS for r in requests):
        asked = "asked for a person before saying what about"
    elif not topics and only_asked:  # "someone used my card…, I want a person": their words say what
        asked = "asked for a person"
    else:
        asked = f"asked about {_about(topics)}"
    first = f"{name} ({who['tier']}, writes in {plain_words.language_name(who['language'])}) {asked}"
    return _rest_of_summary(first, requests, answers, conversation, frustration, past)


def _about(topics: Sequence[str]) -> str:
    """What the customer asked about, in words: "a charge (also a refund)"."""
    if not topics:
        return "something the AI could not place"
    also = f" (also {', '.join(plain_words.topic_words(t) for t in topics[1:])})" if topics[1:] else ""
    return plain_words.topic_words(topics[0]) + also


def _why_a_person(reason: str | None, peak: float) -> list[str]:
    """Why a person was brought in and how frustrated the customer was at the worst, in words
    (analytics/plain_words.py); the frustration is left out when the reason already says it."""
    plain = plain_words.plain_reason(plain_words.reason_ids(reason))
    sentences = []
    if plain.startswith("The customer "):
        sentences.append("Escalated because the" + plain[len("The") :])
    elif plain or reason:
        sentences.append(f"Escalated: {plain or masked(reason or '')}")
    feeling = plain_words.frustration_words(peak)
    if peak >= 0.5 and not re.search(rf"\bis {feeling}\b", plain):
        sentences.append(f"At the worst, they were {feeling}.")
    return sentences


def _rest_of_summary(
    first: str,
    requests: Sequence[str],
    answers: Sequence[AiAnswer],
    conversation: Conversation,
    frustration: dict[str, Any],
    past: Sequence[PastConversation],
) -> str:
    if requests:
        first += f': "{excerpt(requests[0], 160)}"'
    sentences = [first + "."]
    if answers:
        sources = sorted({s for a in answers for s in a.sources})
        sentences.append(
            f"The AI replied {len(answers)} time{'s' if len(answers) != 1 else ''}"
            + (f", citing {', '.join(sources[:3])}." if sources else ".")
        )
    else:
        sentences.append("The AI did not answer before the handoff.")
    sentences += _why_a_person(conversation.escalation_reason, frustration["peak"])
    if past:
        sentences.append(
            f"{len(past)} earlier conversation{'s' if len(past) != 1 else ''} with this customer."
        )
    repeat = repeat_contact_of(conversation, past)
    if repeat is not None:
        by = "the AI" if (repeat.resolution or "").startswith("ai_") else "a person"
        assert repeat.resolved_at is not None
        days = max(0, (conversation.created_at - repeat.resolved_at).days)
        when = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        sentences.append(
            f"Repeat contact: {by} resolved their conversation about {_about([repeat.topic or 'this'])} "
            f"{when}, so that answer did not hold."
        )
    return " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences)


def repeat_contact_of(
    conversation: Conversation, past: Sequence[PastConversation]
) -> PastConversation | None:
    """The customer's latest conversation resolved on the same topic in the 7 days before this one
    started (analytics.kpis.REPEAT_CONTACT_WINDOW; an unknown topic on either side counts)."""
    for c in sorted(past, key=lambda p: p.resolved_at or p.created_at, reverse=True):
        if c.resolved_at is None or c.resolution in (None, "abandoned"):
            continue
        if not timedelta(0) <= conversation.created_at - c.resolved_at <= REPEAT_CONTACT_WINDOW:
            continue
        if c.topic and c.topic == conversation.topic:
            return c
    return None


BARE_REQUEST_WORDS = 8
"""A request for a person this short says nothing else ("can I talk to a human please")."""


def _entities(readings: Sequence[TriageReading]) -> tuple[EntitySeen, ...]:
    seen: dict[tuple[str, str], EntitySeen] = {}
    for reading in readings:
        for entity in reading.entities:
            kind, value = entity.kind, entity.value
            if not kind or value is None:
                continue
            shown = masked(str(value)) if kind in PERSONAL_ENTITY_KINDS else str(value)
            if entity.unit and kind in ("amount", "money"):
                shown = f"{shown} {entity.unit}"
            seen.setdefault((kind, shown), EntitySeen(kind, shown))
    return tuple(seen.values())


def _reasons(readings: Sequence[TriageReading], hints: Sequence[str]) -> list[str]:
    out: dict[str, None] = {}
    for reading in readings:
        for reason in reading.reasons:
            if any(h in str(reason).lower() for h in hints):
                out[str(reason)] = None
    return list(out)[:6]


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None
