"""Resolved conversations for the demo workspace, so similar-case search has a history to show.

Each case is played through the real path: the customer's messages go through triage and the AI,
then a demo agent takes the conversation, answers, and resolves it with a note. The conversations
are therefore triaged, placed in similar-case search and logged exactly like live ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from relaydesk.demo.history_clock import history_clock
from relaydesk.domain.models import HUMAN_OWNED, ConversationStatus

if TYPE_CHECKING:
    from relaydesk.services.conversations import SupportDesk
    from relaydesk.services.runtime import Runtime


@dataclass(frozen=True)
class PastCase:
    customer: str
    """external_id of a demo customer."""
    agent_email: str
    messages: tuple[str, ...]
    reply: str
    note: str
    pace: tuple[int, int, int] = (60, 180, 420)
    """Seconds between the customer's messages, from their last message until an agent picks the
    conversation up, and from then until it is resolved (the agent's answer comes two thirds of
    the way), so the dashboard's time figures read like a day's work."""


PAST_CASES = (
    PastCase(
        "cust-1001",
        "maya@northwind.example",
        (
            "My parcel shows as delivered since Monday but there is nothing at my door "
            "or with the neighbours.",
        ),
        "I'm sorry about that. The courier confirms it was left at number 14 instead of 41, so I've sent "
        "a replacement by express today at no cost to you.",
        "Courier left it at the wrong house number. Sent a free express replacement; asked the customer "
        "to tell us if the first parcel turns up so we can collect it.",
        pace=(0, 140, 540),
    ),
    PastCase(
        "cust-1002",
        "lucas@northwind.example",
        ("I was charged twice for the same order, I can see two payments on my card statement.",),
        "Only one of those is a real charge. The second is a hold from the first payment attempt, and your "
        "bank releases it within 3 to 5 business days.",
        "Second line was a pending authorisation from a failed attempt, not a capture. Explained the "
        "3-5 day release and sent the payment reference for the bank.",
        pace=(0, 95, 960),
    ),
    PastCase(
        "cust-1003",
        "maya@northwind.example",
        (
            "The ceramic vase I ordered arrived broken, the box was crushed.",
            "I have photos of the damage if you need them.",
        ),
        "Thank you for the photos. I've refunded the vase in full to your original payment method; there "
        "is no need to send it back.",
        "Damaged in transit (photos received). Full refund without a return; logged a packaging "
        "complaint with the warehouse.",
        pace=(75, 210, 660),
    ),
    PastCase(
        "cust-1001",
        "hana@northwind.example",
        (
            "My account is locked after I typed the wrong password too many times "
            "and the reset email never comes.",
        ),
        "I've confirmed it's you with your last order number and postcode, and unlocked the account. The "
        "reset email was going to an old address, which I've updated.",
        "Identity checked (order number + postcode). Unlocked; reset emails were going to an outdated "
        "address on file, corrected it and resent the link.",
        pace=(0, 260, 470),
    ),
    PastCase(
        "cust-1002",
        "lucas@northwind.example",
        ("The discount code from your newsletter says invalid at checkout.",),
        "That code expired yesterday, sorry. I've added the same amount to your order as a goodwill credit.",
        "Newsletter code had expired the day before. Applied the same value as a one-off goodwill credit.",
        pace=(0, 120, 180),
    ),
    PastCase(
        "cust-1003",
        "maya@northwind.example",
        ("I need to change the delivery address for my order, it already says shipped.",),
        "It's already with the courier, so I've set up a redirect to your new address. It should arrive "
        "one day later than planned.",
        "Already shipped: set up a courier redirect to the new address; delivery one day later, "
        "confirmed with the customer.",
        pace=(0, 185, 420),
    ),
    PastCase(
        "cust-1002",
        "lucas@northwind.example",
        ("I returned my order three weeks ago and still have not received the refund.",),
        "The return reached us, but the refund got stuck at the payment step. I've pushed it through now; "
        "it will show on your card within 2 to 4 business days.",
        "Return received on time but the refund was stuck at the payment step. Processed it manually.",
        pace=(0, 230, 240),
    ),
    PastCase(
        "cust-1001",
        "theo@northwind.example",
        ("There is an order on my account that I did not place, someone must have logged in.",),
        "I've cancelled that order before it left the warehouse, signed out every device and reset your "
        "password. The charge has been refunded.",
        "Unrecognised order from a new device. Cancelled before dispatch, ended all sessions, forced a "
        "password reset and refunded the charge. Flagged to security.",
        pace=(0, 75, 330),
    ),
)


HISTORY_STARTS_S = 26 * 60
"""How long before the seed the first past case starts; the others follow every ``CASE_GAP_S``.
Under the escalation policy's 30 minutes with the AI (``too_long_with_ai``), which is measured
against the real time when a customer message is read."""
CASE_GAP_S = 105


def _start_times(now: datetime) -> list[datetime]:
    """When each past case starts: one every ``CASE_GAP_S``, each one early enough to be resolved
    a minute before ``now`` (the history clock never passes the real time)."""
    out = []
    for i, case in enumerate(PAST_CASES):
        typing, pickup, handle = case.pace
        took = typing * (len(case.messages) - 1) + pickup + handle + 60
        planned = now - timedelta(seconds=HISTORY_STARTS_S - i * CASE_GAP_S)
        out.append(min(planned, now - timedelta(seconds=took)))
    return out


def seed_past_cases(
    runtime: Runtime, workspace_id: str, workspace_slug: str, *, desk: SupportDesk | None = None
) -> int:
    """Play :data:`PAST_CASES` into the workspace when it has no resolved conversation yet, through
    ``desk`` (the runtime's own unless given: a start-up task passes one that does not wait for
    readiness). Returns how many were added."""
    store = runtime.store
    desk = desk or runtime.desk
    if store.list_conversations(workspace_id, statuses=[ConversationStatus.RESOLVED], limit=1):
        return 0
    agents = {a.email: a for a in store.list_agents(workspace_id)}
    by_id = {a.id: a for a in agents.values()}
    statuses = {a.id: a.status for a in agents.values()}
    added = 0
    with history_clock() as clock:
        starts = _start_times(clock.now())
        for case, start in zip(PAST_CASES, starts, strict=True):
            agent = agents.get(case.agent_email)
            if agent is None:
                continue
            typing, pickup, handle = case.pace
            clock.at(start)
            started = desk.start_conversation(workspace_slug, external_id=case.customer)
            conversation_id = started.conversation.id
            for i, text in enumerate(case.messages):
                if i:
                    clock.after(typing)
                desk.post_customer_message(conversation_id, text)
            clock.after(pickup)
            conversation = store.get_conversation(conversation_id)
            if conversation.status in HUMAN_OWNED and conversation.assigned_agent_id:
                agent = by_id.get(conversation.assigned_agent_id, agent)
            else:
                desk.claim(agent, conversation_id)
            clock.after(handle * 2 // 3)
            desk.agent_reply(agent, conversation_id, case.reply)
            clock.after(handle - handle * 2 // 3)
            desk.resolve(agent, conversation_id, case.note)
            added += 1
    for agent_id, status in statuses.items():
        # claiming puts an agent online (services/access.py); nobody is at a console yet
        if store.get_agent(agent_id).status != status:
            store.set_agent_status(agent_id, status)
    return added
