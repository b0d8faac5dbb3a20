"""A generated support-desk history for ``kpi_speed``: rows for the tables the reports read, shaped
the way the live desk writes them, deterministic for a seed.

One main workspace (98% of the conversations) and two small ones as noise, ~40 agents, a pool of
customers (about one per 3.3 conversations, so repeat contacts happen) and conversations spread
over ``DAYS`` days with a daily rhythm. Per customer message the decision log holds what the
orchestrator writes: ``triage``, ``escalation`` (``stay_with_ai`` or ``escalate``) and ``response``
while the AI owns the conversation, ``triage`` and ``delivery`` once a person does. Paths:

* the AI settles it (~71%): resolved ``ai_confirmed`` (the customer says thanks), ``ai_quiet``
  (the settle timer), ``abandoned``, or still open when recent;
* escalated (~25%): an ``escalation`` decision (outcome ``escalate``, rules of the families
  explicit, implicit, policy, time_turns), ``route``, a queue notice, ``assignment`` (inputs
  ``agent_id``), "... has joined", agent replies, sometimes ``repeat`` (the customer says it again),
  ``handback`` (and sometimes a second escalation), a transfer (``route`` ``transferred_to_agent``,
  then a second ``assignment``); resolved by the agent, abandoned in the queue, or open
  (``queued``, ``assigned``) when recent;
* ``recovery`` (~3%) and an agent's claim without escalation (~1%);
* reopened after resolution (~5%), follow-ups (``follow_up`` scheduled then sent, with
  ``follow_ups`` rows, ~3%), CSAT on ~30% of resolved conversations, ~5% agent feedback on AI
  replies.

Every value is ready for both databases: timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC
(SQLAlchemy's SQLite storage format; PostgreSQL reads it with the session time zone UTC), JSON as
text. ``History.tables()`` yields ``(table, columns, rows)`` in foreign-key order.
"""

from __future__ import annotations

import bisect
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

START = datetime(2026, 9, 1, tzinfo=UTC)
DAYS = 90
US = 1_000_000
DAY_US = 86_400 * US
_DAY_STR = [(START + timedelta(days=d)).strftime("%Y-%m-%d ") for d in range(DAYS + 60)]


def ts(us: int) -> str:
    """Microseconds after ``START`` as the stored timestamp text."""
    d, r = divmod(us, DAY_US)
    s, u = divmod(r, US)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{_DAY_STR[d]}{h:02d}:{m:02d}:{s:02d}.{u:06d}"


def since_until() -> tuple[datetime, datetime]:
    return START, START + timedelta(days=DAYS)


WORKSPACE_COLS = ("id", "slug", "name", "created_at")
CUSTOMER_COLS = (
    "id",
    "workspace_id",
    "external_id",
    "name",
    "email",
    "tier",
    "language",
    "attributes",
    "created_at",
)
AGENT_COLS = (
    "id", "workspace_id", "name", "email", "api_key_hash", "skills", "languages", "tier", "capacity",
    "status", "created_at", "last_assigned_at", "role",
)  # fmt: skip
CONVERSATION_COLS = (
    "id", "workspace_id", "customer_id", "customer_token_hash", "channel", "status", "subject",
    "language", "assigned_agent_id", "priority", "required_skills", "escalation_reason", "ai_turns",
    "created_at", "updated_at", "queued_at", "assigned_at", "resolved_at", "preferred_skills",
    "due_at", "flow", "page_context", "resolution", "topic", "first_customer_message_at",
    "first_ai_message_at", "ai_messages",
)  # fmt: skip
MESSAGE_COLS = (
    "id", "seq", "conversation_id", "role", "author_id", "text", "channel", "idempotency_key",
    "reply_to_id", "metadata", "handled_at", "lease_owner", "lease_until", "attempts", "created_at",
)  # fmt: skip
DECISION_COLS = (
    "id", "workspace_id", "conversation_id", "message_id", "kind", "outcome", "summary", "inputs",
    "reasons", "version", "latency_ms", "created_at",
)  # fmt: skip
CSAT_COLS = ("conversation_id", "workspace_id", "score", "comment", "created_at")
FEEDBACK_COLS = (
    "id", "workspace_id", "conversation_id", "agent_id", "target", "target_ref", "rating", "note",
    "model_version", "policy_version", "flow_version", "created_at",
)  # fmt: skip
FOLLOW_UP_COLS = (
    "id", "workspace_id", "conversation_id", "due_at", "text", "created_by", "author_id", "status",
    "sent_at", "message_id", "created_at",
)  # fmt: skip

INTENTS = (
    "order_status", "cancel_order", "refund", "return_item", "shipping_time", "change_address",
    "reset_password", "payment_failed", "billing_question", "update_payment", "damaged_item",
    "missing_item", "discount_code", "warranty", "gift_card", "account_locked", "delete_account",
    "product_info", "track_parcel", "exchange_item",
)  # fmt: skip
ASKS = (
    "Where is my order {n}?", "I want to cancel order {n}", "Can I get a refund for order {n}?",
    "How do I return an item?", "How long does shipping take to Canada?",
    "I need to change my shipping address", "I forgot my password", "My payment failed twice",
    "Why was I charged twice this month?", "How do I update my card?",
    "The item arrived damaged", "One item is missing from my parcel", "My discount code does not work",
    "Is this covered by the warranty?", "How do I check my gift card balance?",
    "My account is locked", "Please delete my account", "Does this come in blue?",
    "The tracking page has not moved in 3 days", "Can I exchange this for a larger size?",
    "hi, quick question about order {n}", "Hello, I have a problem with my order",
    "when will my package arrive", "the app keeps logging me out", "do you ship to Norway?",
)  # fmt: skip
FOLLOW_ONS = (
    "It says delivered but I have nothing", "Order number is {n}", "I already tried that",
    "ok and how long will that take?", "The email is the one on my account", "yes please",
    "no, the other one", "Can you check again?", "It was a gift", "I paid with PayPal",
    "that did not work", "what about the shipping cost?", "ok", "I still have not received it",
    "Can you send me a label?", "It is the second time this happens",
)  # fmt: skip
THANKS = (
    "thanks, that worked!",
    "Perfect, thank you",
    "great, thx",
    "That solved it, thanks a lot",
    "ok thanks",
)
HUMAN_ASKS = ("I want to talk to a person", "can I speak to an agent please", "let me talk to a human")
ANGRY = ("this is useless", "you are not helping at all", "worst support ever, get me someone real")
AI_REPLIES = (
    "Your order {n} shipped yesterday and should arrive within 2-3 business days.",
    "I have cancelled order {n}. You will get a confirmation email shortly.",
    "Refunds go back to the original payment method within 5-7 business days.",
    "You can start a return from Orders > Return item; the label is free.",
    "Standard shipping takes 3-5 business days, express 1-2.",
    "I updated the shipping address on order {n}.",
    "I sent a password reset link to the email on your account.",
    "Your bank declined the payment; please try another card or contact your bank.",
    "I see two charges: one is an authorisation hold that drops off within 3 days.",
    "You can update your card under Account > Payment methods.",
    "I am sorry it arrived damaged. I have started a replacement for order {n}.",
    "I have opened a claim for the missing item on order {n}.",
    "That code expired on the 30th; here is a new one: SAVE10.",
    "The warranty covers manufacturing defects for 2 years from delivery.",
    "Your gift card balance is 25.00.",
    "I have unlocked your account; please sign in again.",
    "Your account deletion request is registered; it takes up to 30 days.",
    "Yes, it comes in blue, navy and black.",
    "The carrier shows the parcel at the local depot; delivery is expected tomorrow.",
    "You can exchange it for free within 30 days from Orders > Exchange.",
    "Could you tell me your order number?",
    "Let me check that for you. Is it the order placed last week?",
)  # fmt: skip
AGENT_REPLIES = (
    "Hi, I am looking into this for you now.", "Thanks for waiting. I can see the order here.",
    "I have issued the refund; you will see it in a few days.", "I have escalated this to the carrier.",
    "Could you send a photo of the damage?", "All done. Anything else I can help with?",
    "I have sent you a prepaid label by email.", "I am sorry about the trouble, this is now fixed.",
)  # fmt: skip
SYSTEM_TEXTS = {
    "queued": "You are in line for a person. We will be with you shortly.",
    "joined": "{agent} has joined the conversation.",
    "handed_back": "You are back with our assistant.",
    "closed": "This conversation was resolved.",
}
FOLLOW_UP_TEXTS = ("Is the parcel there now?", "Did the refund arrive?", "Did the new password work?")
RULES = (
    ("explicit_request", "explicit", "the customer asked for a person", 30),
    ("frustrated_customer", "implicit", "the customer sounds frustrated", 12),
    ("harsh_words", "implicit", "harsh words", 6),
    ("same_question_twice", "implicit", "the customer asked the same question twice", 8),
    ("failed_answers", "implicit", "two answers did not help", 7),
    ("legal_or_security", "policy", "legal or security topic", 5),
    ("billing_dispute", "policy", "billing dispute", 8),
    ("large_amount", "policy", "amount over 1000", 4),
    ("key_account", "policy", "enterprise customer", 4),
    ("out_of_scope", "policy", "outside what the AI handles", 6),
    ("too_many_ai_turns", "time_turns", "six AI answers without resolution", 6),
    ("too_long_with_ai", "time_turns", "30 minutes with the AI", 4),
)
RULE_WEIGHTS = [r[3] for r in RULES]
SKILLS = ("orders", "shipping", "returns", "refunds", "billing", "payments", "account")
CHANNELS = ("web", "email", "api")
CHANNEL_WEIGHTS = (60, 25, 15)
LANGUAGES = ("en", "es", "de", "fr")
LANGUAGE_WEIGHTS = (82, 8, 6, 4)
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2)
TRIAGE_VERSION = "triage-bench-1"
SETTLE_QUIET_S = 1800
CUSTOMER_TURNS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
CUSTOMER_TURN_WEIGHTS = (14, 18, 17, 14, 11, 8, 6, 5, 4, 3)


@dataclass
class History:
    workspaces: list[tuple[Any, ...]] = field(default_factory=list)
    customers: list[tuple[Any, ...]] = field(default_factory=list)
    agents: list[tuple[Any, ...]] = field(default_factory=list)
    conversations: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    decisions: list[tuple[Any, ...]] = field(default_factory=list)
    csat: list[tuple[Any, ...]] = field(default_factory=list)
    feedback: list[tuple[Any, ...]] = field(default_factory=list)
    follow_ups: list[tuple[Any, ...]] = field(default_factory=list)
    main_workspace_id: str = ""

    def tables(self) -> Iterator[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
        yield "workspaces", WORKSPACE_COLS, self.workspaces
        yield "customers", CUSTOMER_COLS, self.customers
        yield "agents", AGENT_COLS, self.agents
        yield "conversations", CONVERSATION_COLS, self.conversations
        yield "messages", MESSAGE_COLS, self.messages
        yield "decisions", DECISION_COLS, self.decisions
        yield "csat_ratings", CSAT_COLS, self.csat
        yield "agent_feedback", FEEDBACK_COLS, self.feedback
        yield "follow_ups", FOLLOW_UP_COLS, self.follow_ups

    def sizes(self) -> dict[str, int]:
        return {table: len(rows) for table, _, rows in self.tables()}


class _Generator:
    def __init__(self, seed: int, history: History) -> None:
        self.rng = random.Random(seed)
        self.h = history

    def id(self, prefix: str) -> str:
        return f"{prefix}_{self.rng.getrandbits(128):032x}"

    # -- one conversation -------------------------------------------------------------------------
    def conversation(
        self,
        ws: str,
        customer: str,
        agents: list[tuple[str, str]],
        start: int,
        end: int,
    ) -> None:
        rng = self.rng
        rnd = rng.random
        h = self.h
        messages = h.messages
        decisions = h.decisions
        cid = self.id("conv")
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        intent_i = rng.randrange(len(INTENTS))
        topic = INTENTS[intent_i] if rnd() >= 0.15 else None
        order = f"#{rng.randrange(10000, 99999)}"
        recent = start > end - 2 * DAY_US
        stays_open = (recent and rnd() < 0.5) or rnd() < 0.01
        seq = 0
        t = start
        ai_turns = 0
        state = {"status": "with_ai", "agent": None, "queued_at": None, "assigned_at": None}
        last_ai_msg: str | None = None
        counters: dict[str, Any] = {"customer": None, "ai": None, "ai_messages": 0}

        def msg(role: str, text: str, author: str | None = None, reply_to: str | None = None) -> str:
            nonlocal seq
            seq += 1
            mid = self.id("msg")
            at = ts(t)
            if role in ("customer", "ai") and counters[role] is None:
                counters[role] = at  # what the message store keeps on the conversation
            if role == "ai":
                counters["ai_messages"] += 1
            handled = ts(t + 900_000) if role == "customer" else at
            messages.append(
                (mid, seq, cid, role, author, text, channel, None, reply_to, "{}", handled, None, None,
                 1 if role == "customer" else 0, at)
            )  # fmt: skip
            return mid

        def dec(
            kind: str,
            outcome: str,
            summary: str,
            inputs: str = "{}",
            reasons: str = "[]",
            message_id: str | None = None,
            version: str = "bench-1",
            latency: float = 0.0,
        ) -> None:
            decisions.append(
                (self.id("dec"), ws, cid, message_id, kind, outcome, summary, inputs, reasons, version,
                 latency, ts(t))
            )  # fmt: skip

        def customer_says(text: str) -> str:
            nonlocal t
            t += rng.randrange(15, 240) * US + rng.randrange(US)
            return msg("customer", text.replace("{n}", order), author=customer)

        def triage(mid: str, wants_human: bool = False, frustration: float = 0.05) -> None:
            nonlocal t
            t += 40_000 + rng.randrange(60_000)
            conf = round(0.55 + 0.44 * rnd(), 4)
            intent = INTENTS[intent_i]
            payload = (
                f'{{"intent": "{intent}", "confidence": {conf}, "in_scope": true, '
                f'"frustration": {frustration}, "urgency": 0.1, "language": "{language}", '
                f'"wants_human": {"true" if wants_human else "false"}, '
                '"entities": [], "pii": [], "reasons": []}'
            )
            dec("triage", intent, f"{intent} ({conf:.2f})", '{"text_chars": 42}', f"[{payload}]", mid,
                TRIAGE_VERSION, 3.0 + 4.0 * rnd())  # fmt: skip

        def ai_turn(text: str) -> None:
            nonlocal t, ai_turns, last_ai_msg
            mid = customer_says(text)
            triage(mid)
            t += 1000 + rng.randrange(5000)
            dec("escalation", "stay_with_ai", "No escalation rule fired.",
                f'{{"ai_turns": {ai_turns}, "priority": 0, "mode": "hard", "required_skills": []}}',
                "[]", mid, "default-2025.2", 0.4)  # fmt: skip
            t += 300_000 + rng.randrange(1_500_000)
            dec("response", "answered", "The knowledge composer answered from 2 passages.",
                '{"specialist": "knowledge", "confidence": 0.8}', "[]", mid, "compose-bench-1",
                600.0 * rnd())  # fmt: skip
            t += 20_000
            last_ai_msg = msg(
                "ai", AI_REPLIES[rng.randrange(len(AI_REPLIES))].replace("{n}", order), reply_to=mid
            )
            ai_turns += 1

        def agent_turn(text: str, agent: tuple[str, str], repeat: bool = False) -> None:
            nonlocal t
            mid = customer_says(text)
            triage(mid)
            t += 2000
            dec(
                "delivery",
                "to_agent",
                f"Delivered to {agent[1]}.",
                f'{{"agent_id": "{agent[0]}"}}',
                "[]",
                mid,
            )
            if repeat:
                t += 1000
                dec("repeat", "repeated", "The customer said again what they said before the handover.",
                    f'{{"similarity": {round(0.8 + 0.2 * rnd(), 3)}}}', "[]", mid, "friction-1")  # fmt: skip
            t += rng.randrange(20, 400) * US
            msg("agent", AGENT_REPLIES[rng.randrange(len(AGENT_REPLIES))], author=agent[0])

        def queue(trigger_mid: str | None) -> None:
            nonlocal t
            t += 200_000
            skill = SKILLS[intent_i % len(SKILLS)]
            dec("route", "queued:default", "Queued for a person at position 3: no agent free.",
                f'{{"required_skills": ["{skill}"], "priority": 1, "queued_ahead": 2}}',
                '[{"scores": {}, "estimated_wait_s": 120}]', trigger_mid, "router-1", 2.0)  # fmt: skip
            t += 50_000
            msg("system", SYSTEM_TEXTS["queued"], reply_to=trigger_mid)
            state["status"] = "queued"
            state["queued_at"] = t

        def assign(how: str = "routed") -> tuple[str, str]:
            nonlocal t, ai_turns
            t += rng.randrange(10, 1800) * US
            agent = agents[rng.randrange(len(agents))]
            waited = round((t - (state["queued_at"] or t)) / US, 1)
            dec("assignment", how, f"Assigned to {agent[1]}: best skill match.",
                f'{{"agent_id": "{agent[0]}", "languages": ["en"], "tier": 1, "waited_s": {waited}}}',
                "[]", None, "router-1", 3.0)  # fmt: skip
            t += 30_000
            msg("system", SYSTEM_TEXTS["joined"].replace("{agent}", agent[1]))
            state.update(status="assigned", agent=agent[0], assigned_at=t)
            ai_turns = 0
            return agent

        def escalate(mid: str, rules: list[tuple[str, str, str, int]]) -> None:
            nonlocal t
            t += 1000 + rng.randrange(5000)
            reasons = json.dumps(
                [{"rule": r[0], "family": r[1], "reason": r[2], "values": {}} for r in rules]
            )
            dec("escalation", "escalate", rules[0][2],
                f'{{"ai_turns": {ai_turns}, "priority": 1, "mode": "hard", "required_skills": []}}',
                reasons, mid, "default-2025.2", 0.5)  # fmt: skip
            queue(mid)

        def pick_rules(first: bool) -> list[tuple[str, str, str, int]]:
            rule = RULES[0] if first and rnd() < 0.6 else rng.choices(RULES, RULE_WEIGHTS)[0]
            if rnd() < 0.15:
                other = rng.choices(RULES, RULE_WEIGHTS)[0]
                if other[0] != rule[0]:
                    return [rule, other]
            return [rule]

        def resolve(outcome: str, by: str, evidence: str | None, resolution: str, note: str) -> int:
            nonlocal t
            ev = "null" if evidence is None else f'"{evidence}"'
            agent_part = f', "agent_id": "{state["agent"]}"' if by == "agent" else ""
            dec(
                "resolution",
                "resolved_by_ai" if by == "ai" else outcome,
                note,
                f'{{"by": "{by}", "evidence": {ev}{agent_part}}}',
                "[]",
                None,
                "desk-1",
            )
            if by == "agent":
                t += 10_000
                msg("system", SYSTEM_TEXTS["closed"])
            state["status"] = "resolved"
            state["resolution"] = resolution
            state["resolved_at"] = t
            return t

        # -- the path ---------------------------------------------------------------------------
        turns = rng.choices(CUSTOMER_TURNS, CUSTOMER_TURN_WEIGHTS)[0]
        u = rnd()
        path = "ai" if u < 0.71 else "escalate" if u < 0.96 else "recovery" if u < 0.99 else "claim"
        ai_text = ASKS[intent_i] if rnd() < 0.7 else ASKS[rng.randrange(len(ASKS))]
        state["resolution"] = None
        state["resolved_at"] = None
        handled_by: tuple[str, str] | None = None
        if path == "ai":
            for i in range(turns):
                ai_turn(ai_text if i == 0 else FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))])
            if not stays_open:
                r = rnd()
                if r < 0.47:
                    ai_turn(THANKS[rng.randrange(len(THANKS))])
                    t += 3 * US
                    resolve(
                        "resolved",
                        "ai",
                        "confirmed",
                        "ai_confirmed",
                        "The customer confirmed it was settled.",
                    )
                elif r < 0.9:
                    t += SETTLE_QUIET_S * US
                    resolve("resolved", "ai", "quiet", "ai_quiet", "The customer asked for nothing more.")
                else:
                    t += SETTLE_QUIET_S * US
                    resolve(
                        "abandoned", "timer", None, "abandoned", "The customer left before it was settled."
                    )
        else:
            before = 0 if rnd() < 0.3 else min(turns, rng.randrange(1, 5))
            for i in range(before):
                ai_turn(ai_text if i == 0 else FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))])
            if path == "escalate":
                rules = pick_rules(before == 0)
                text = HUMAN_ASKS[rng.randrange(3)] if rules[0][1] == "explicit" else (
                    ANGRY[rng.randrange(3)] if rules[0][1] == "implicit" else ai_text if before == 0
                    else FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))]
                )  # fmt: skip
                mid = customer_says(text)
                triage(
                    mid,
                    wants_human=rules[0][1] == "explicit",
                    frustration=0.7 if rules[0][1] == "implicit" else 0.1,
                )
                escalate(mid, rules)
            elif path == "recovery":
                mid = customer_says(FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))])
                triage(mid)
                t += 30 * US
                dec("recovery", "to_person", "The AI failed to handle the message three times.",
                    '{"attempts": 3}', "[]", mid, "recovery-1")  # fmt: skip
                queue(mid)
            if stays_open and rnd() < 0.4:
                pass  # still in the queue (or with the AI when claimed)
            elif path != "claim" and not stays_open and rnd() < 0.05:
                t += rng.randrange(600, 3600) * US
                resolve("abandoned", "timer", None, "abandoned", "The customer left the queue.")
            else:
                agent = assign(
                    "claimed" if path == "claim" else rng.choice(("routed", "routed", "next", "auto"))
                )
                handled_by = agent
                after = max(1, turns - before)
                for i in range(after):
                    agent_turn(
                        FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))], agent, repeat=i == 0 and rnd() < 0.16
                    )
                r = rnd()
                if r < 0.1 and not stays_open:  # handed back to the AI
                    t += rng.randrange(30, 300) * US
                    dec("handback", "with_ai", f"{agent[1]} handed the conversation back to the AI.",
                        f'{{"agent_id": "{agent[0]}", "note": null}}', "[]", None, "desk-1")  # fmt: skip
                    t += 20_000
                    msg("system", SYSTEM_TEXTS["handed_back"])
                    state.update(status="with_ai", agent=None)
                    for _ in range(rng.randrange(1, 3)):
                        ai_turn(FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))])
                    if rnd() < 0.3:  # handed over a second time
                        mid = customer_says(ANGRY[rng.randrange(3)])
                        triage(mid, frustration=0.8)
                        escalate(mid, [RULES[1]])
                        agent = assign()
                        handled_by = agent
                        agent_turn(FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))], agent)
                        t += rng.randrange(60, 900) * US
                        resolve("resolved", "agent", None, "agent", f"{agent[1]} resolved the conversation.")
                    else:
                        t += SETTLE_QUIET_S * US
                        resolve(
                            "resolved", "timer", "quiet", "ai_quiet", "The customer asked for nothing more."
                        )
                elif r < 0.13:  # transferred to another agent: a route decision, then the assignment
                    t += rng.randrange(30, 300) * US
                    dec("route", "transferred_to_agent", f"{agent[1]} transferred the conversation.",
                        f'{{"agent_id": "{agent[0]}", "to_agent_id": null, "skill": null, "note": null}}',
                        "[]", None, "desk-1")  # fmt: skip
                    agent = assign("transferred")
                    handled_by = agent
                    agent_turn(FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))], agent)
                if state["status"] == "assigned" and not stays_open:
                    t += rng.randrange(60, 900) * US
                    resolve("resolved", "agent", None, "agent", f"{agent[1]} resolved the conversation.")

        # -- after the resolution -----------------------------------------------------------------
        resolved_ok = state["status"] == "resolved" and state["resolution"] != "abandoned"
        if resolved_ok and rnd() < 0.05:  # reopened
            t += rng.randrange(3600, 3 * 86400) * US
            mid = customer_says(FOLLOW_ONS[rng.randrange(len(FOLLOW_ONS))])
            t += 10_000
            dec(
                "reopen",
                "reopened",
                "The customer wrote in a closed conversation.",
                "{}",
                "[]",
                mid,
                "desk-1",
            )
            state.update(status="with_ai", agent=None)
            triage(mid)
            t += 2 * US
            last_ai_msg = msg(
                "ai", AI_REPLIES[rng.randrange(len(AI_REPLIES))].replace("{n}", order), reply_to=mid
            )
            t += SETTLE_QUIET_S * US
            resolve("resolved", "ai", "quiet", "ai_quiet", "The customer asked for nothing more.")
        if resolved_ok and rnd() < 0.03:  # a follow-up
            by = "agent" if handled_by else "specialist"
            author = handled_by[0] if handled_by else "shipping"
            t += 5 * US
            due = t + rng.randrange(1, 4) * DAY_US
            text = FOLLOW_UP_TEXTS[rng.randrange(len(FOLLOW_UP_TEXTS))]
            dec("follow_up", "scheduled", f"Follow-up scheduled for {ts(due)[:16]}.",
                f'{{"created_by": "{by}", "due_at": "{ts(due)}"}}', "[]", None, "outcomes-1")  # fmt: skip
            created = t
            fid = self.id("fu")
            if due < end:
                t = due
                fmid = msg("agent" if handled_by else "ai", text, author=author if handled_by else None)
                dec(
                    "follow_up",
                    "sent",
                    "Follow-up sent.",
                    f'{{"follow_up_id": "{fid}"}}',
                    "[]",
                    fmid,
                    "outcomes-1",
                )
                h.follow_ups.append(
                    (fid, ws, cid, ts(due), text, by, author, "sent", ts(t), fmid, ts(created))
                )
            else:
                h.follow_ups.append(
                    (fid, ws, cid, ts(due), text, by, author, "scheduled", None, None, ts(created))
                )
        if resolved_ok and rnd() < 0.3:  # CSAT
            good = state["resolution"] in ("ai_confirmed", "agent")
            score = rng.choices((1, 2, 3, 4, 5), (3, 4, 10, 30, 53) if good else (10, 10, 20, 30, 30))[0]
            comment = None if rnd() < 0.7 else ("Quick and helpful" if score >= 4 else "Took too long")
            h.csat.append((cid, ws, score, comment, ts(state["resolved_at"] + rng.randrange(5, 600) * US)))
        if handled_by and last_ai_msg and rnd() < 0.2:
            h.feedback.append(
                (self.id("fb"), ws, cid, handled_by[0], "ai_reply", last_ai_msg,
                 rng.choices(("accurate", "partly", "wrong"), (60, 25, 15))[0], None, "triage-bench-1",
                 "default-2025.2", None, ts(t))
            )  # fmt: skip
        status = state["status"]
        h.conversations.append(
            (cid, ws, customer, f"{rng.getrandbits(256):064x}", channel, status, None, language,
             state["agent"] if status == "assigned" else None, 1 if status == "queued" else 0, "[]",
             None, ai_turns, ts(start), ts(t), ts(state["queued_at"]) if status == "queued" else None,
             ts(state["assigned_at"]) if status == "assigned" else None,
             ts(state["resolved_at"]) if status == "resolved" else None, "[]", None, None, None,
             state["resolution"] if status == "resolved" else None, topic, counters["customer"],
             counters["ai"], counters["ai_messages"])
        )  # fmt: skip


def generate(messages: int, seed: int = 18) -> History:
    """About ``messages`` messages (the exact count is ``len(history.messages)``)."""
    history = History()
    g = _Generator(seed, history)
    rng = g.rng
    end = DAYS * DAY_US
    conversations = max(10, messages // 10)
    customers_main = max(5, conversations * 3 // 10)
    spaces: list[tuple[str, list[str], list[float], list[tuple[str, str]]]] = []
    for i, (slug, name, share) in enumerate(
        (("acme", "Acme Store", 1.0), ("beta", "Beta", 0.02), ("gamma", "Gamma", 0.02))
    ):
        ws = g.id("ws")
        history.workspaces.append((ws, slug, name, ts(0)))
        n_customers = max(3, int(customers_main * share))
        ids = []
        for c in range(n_customers):
            cid = g.id("cus")
            ids.append(cid)
            history.customers.append(
                (cid, ws, f"ext-{slug}-{c}", f"Customer {c}", f"c{c}@{slug}.example", "standard",
                 "en", "{}", ts(rng.randrange(DAY_US)))
            )  # fmt: skip
        weights = [1.0 / (1.0 + k / 2000.0) for k in range(n_customers)]
        cum = []
        acc = 0.0
        for w in weights:
            acc += w
            cum.append(acc)
        agents = []
        for a in range(40 if i == 0 else 3):
            aid = g.id("agt")
            agents.append((aid, f"Agent {slug} {a}"))
            skills = json.dumps({s: round(0.5 + 0.5 * rng.random(), 2) for s in rng.sample(SKILLS, 3)})
            history.agents.append(
                (aid, ws, f"Agent {slug} {a}", f"a{a}@{slug}.example", f"{rng.getrandbits(256):064x}", skills,
                 '["en"]', 1 + a % 3, 4, "online", ts(0), None, "supervisor" if a == 0 else "agent")
            )  # fmt: skip
        spaces.append((ws, ids, cum, agents))
    history.main_workspace_id = spaces[0][0]
    hours = list(range(24))
    starts = sorted(
        rng.randrange(DAYS) * DAY_US
        + rng.choices(hours, HOUR_WEIGHTS)[0] * 3600 * US
        + rng.randrange(3600 * US)
        for _ in range(conversations)
    )
    for start in starts:
        space = spaces[0] if rng.random() < 0.98 else spaces[1 + rng.randrange(2)]
        ws, ids, cum, agents = space
        customer = ids[bisect.bisect_left(cum, rng.random() * cum[-1])]
        g.conversation(ws, customer, agents, start, end)
    return history
