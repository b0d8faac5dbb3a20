"""Conversations the AI settled, for the demo's reports: played through the real path, so each is
triaged, answered, closed and logged exactly like a live one.

Some customers thank the AI (resolved by the AI, confirmed) and rate it; one asks a question and
says nothing more, and one starts a cancellation and leaves: the outcome timer closes those two
once the settle time has passed (the demo sets it to two minutes), as resolved by the AI and as
abandoned. A few of the past cases people resolved (``past_cases.py``) are rated too, so CSAT by
resolution type has figures on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from relaydesk.demo.history_clock import history_clock
from relaydesk.domain.models import ConversationStatus
from relaydesk.services.csat import CsatService

if TYPE_CHECKING:
    from relaydesk.services.conversations import SupportDesk
    from relaydesk.services.runtime import Runtime


@dataclass(frozen=True)
class AiCase:
    customer: str | None
    """external_id of a demo customer, or None for an anonymous visitor."""
    messages: tuple[str, ...]
    rating: int | None = None
    comment: str | None = None


AI_CASES = (
    AiCase("cust-1001", ("Do gift cards expire?", "great, thanks!"), 5, "Quick and clear."),
    AiCase(None, ("How long does delivery take?", "thanks a lot"), 4),
    AiCase("cust-1002", ("How do I reset my password?", "perfect, that worked, thank you"), 5),
    AiCase(None, ("How do I return an item?", "thank you!"), 3, "Fine, but I had to look for the label."),
    AiCase(None, ("What payment methods do you accept?",)),
    AiCase(None, ("I want to cancel my order",)),
)
AI_HISTORY_S = 10 * 60
"""How long before the seed the first conversation the AI settled starts."""
PERSON_RATINGS = ((5, "Sorted in minutes."), (4, None), (2, "I had to explain it twice."))
"""Ratings for the first past cases people resolved, oldest first."""


def seed_past_outcomes(runtime: Runtime, workspace_id: str, workspace_slug: str, *, desk: SupportDesk) -> int:
    """Play :data:`AI_CASES` and rate the first past cases; returns how many conversations the AI
    closed here (the quiet ones close later, on the outcome timer)."""
    ratings = CsatService.on(runtime.engine)
    closed = 0
    with history_clock() as clock:
        now = clock.now()
        for n, case in enumerate(AI_CASES):
            # the conversations the AI settled with the customer's thanks took place in the last
            # ten minutes, a minute or so between question and thanks; the quiet ones start now,
            # so that the outcome timer closes them while the demo runs
            if len(case.messages) > 1:
                clock.at(now - timedelta(seconds=AI_HISTORY_S - n * 110))
            else:
                clock.at(now)
            started = desk.start_conversation(workspace_slug, external_id=case.customer)
            conversation_id = started.conversation.id
            for i, text in enumerate(case.messages):
                if i:
                    clock.after(45 + 20 * n)
                desk.post_customer_message(conversation_id, text)
            conversation = runtime.store.get_conversation(conversation_id)
            if conversation.status != ConversationStatus.RESOLVED:
                continue
            closed += 1
            if case.rating is not None:
                clock.after(15)
                ratings.rate(conversation, case.rating, case.comment)
    resolved = runtime.store.list_conversations(
        workspace_id, statuses=[ConversationStatus.RESOLVED], limit=200
    )
    by_people = sorted((c for c in resolved if c.resolution == "agent"), key=lambda c: c.created_at)
    for conversation, (score, comment) in zip(by_people, PERSON_RATINGS, strict=False):
        if ratings.rating(conversation) is None:
            ratings.rate(conversation, score, comment)
    return closed
