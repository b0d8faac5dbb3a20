"""What erasing a customer's personal data did (``relaydesk customer erase``, docs/privacy.md)."""

from __future__ import annotations

from dataclasses import dataclass

ERASED = "[erased]"
"""What an erased text reads."""


@dataclass(frozen=True, slots=True)
class CustomerErasure:
    """Counts of what one erasure changed; all zero when the customer was already erased.

    Conversations, messages, ratings and decisions stay (the KPIs count them); their texts and the
    personal values they referred to are gone."""

    customer_id: str
    workspace_id: str
    conversations: int
    """The customer's conversations (kept, anonymised)."""
    profile: int
    """1 when the customer's name, e-mail, external id or attributes were cleared, else 0."""
    messages: int
    """Message texts replaced by ``[erased]`` (and their idempotency keys dropped)."""
    decision_values: int
    """Decisions whose personal values were deleted (the decision now reads ``[email erased]``)."""
    conversation_details: int
    """Subjects, page contexts, flow slots and escalation reasons cleared or masked."""
    notes: int
    """Internal notes and follow-up texts replaced by ``[erased]``."""
    ratings_and_feedback: int
    """CSAT comments and agent feedback notes dropped (scores and ratings kept)."""
    approvals: int
    """Approval tasks whose arguments, facts, result and note were erased."""
    case_vectors: int
    """Similar-case search entries deleted (they were computed from the customer's words)."""
    chat_links: int = 0
    """Conversation tokens revoked: the customer's old chat links no longer open or write to them."""

    @property
    def changed(self) -> int:
        return (
            self.profile
            + self.messages
            + self.decision_values
            + self.conversation_details
            + self.notes
            + self.ratings_and_feedback
            + self.approvals
            + self.case_vectors
            + self.chat_links
        )
