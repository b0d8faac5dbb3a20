"""Erasing one customer's personal data across the tables, in one transaction (docs/privacy.md).

What the KPIs count stays: conversations with their status, resolution, topic and times; messages
with their role and time; CSAT scores; decisions. What identifies or describes the person goes:
their name, e-mail, external id and attributes; every message text of their conversations; the
subjects, page contexts, flow slots; internal notes, follow-up texts, rating comments and
feedback notes; approval arguments; the similar-case vectors computed from their words; and the
personal values their decisions referred to (``decision_personal_data``; the append-only
decisions keep only references, which now read ``[email erased]``). Running it again changes
nothing and reports zeros."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from relaydesk.domain.errors import NotFound
from relaydesk.domain.privacy import ERASED, CustomerErasure
from relaydesk.storage.commerce_tables import ApprovalRow
from relaydesk.storage.database import make_session_factory, read_only_sessions
from relaydesk.storage.decision_store import SqlDecisionStore
from relaydesk.storage.desk_tables import AgentNoteRow, CsatRow, FeedbackRow
from relaydesk.storage.outcome_tables import FollowUpRow
from relaydesk.storage.privacy_tables import DecisionPersonalDataRow
from relaydesk.storage.record_store import RecordStore
from relaydesk.storage.tables import CaseVectorRow, ConversationRow, CustomerRow, MessageRow, OutboxRow
from relaydesk.triage.pii import mask_pii

ERASED_PREFIX = "erased:"
ERASURE_DECISION = "erasure"
"""The decision kind each erased conversation gets in its audit trail."""


class SqlErasureStore(RecordStore):
    """Implements :class:`relaydesk.services.customer_erasure.ErasureRecords`."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(make_session_factory(engine), read_only_sessions(engine))
        self._decisions = SqlDecisionStore(self._sessions, self._reads)

    def find_customer(self, workspace_id: str, reference: str) -> str:
        """The id of the workspace's customer whose id or external id is ``reference`` (also once
        erased: their external id is kept as a digest, so a repeated request finds them)."""
        with self.session() as s:
            for column, value in (
                (CustomerRow.id, reference),
                (CustomerRow.external_id, reference),
                (CustomerRow.external_id, erased_external_id(reference)),
            ):
                found = s.scalar(
                    select(CustomerRow.id).where(CustomerRow.workspace_id == workspace_id, column == value)
                )
                if found is not None:
                    return str(found)
        raise NotFound(f'No customer with id or external id "{reference}" in this workspace')

    def erase_customer(self, workspace_id: str, customer_id: str, *, at: datetime) -> CustomerErasure:
        with self._sessions.transaction(), self._sessions.begin() as s:  # one transaction, decisions too
            customer = s.get(CustomerRow, customer_id, with_for_update=True)
            if customer is None or customer.workspace_id != workspace_id:
                raise NotFound(f'No customer with id "{customer_id}" in this workspace')
            conversation_ids = list(
                s.scalars(select(ConversationRow.id).where(ConversationRow.customer_id == customer_id))
            )
            profile = _erase_profile(customer, at)
            counts = _erase_conversations(s, customer_id) if conversation_ids else {}
            erasure = CustomerErasure(
                customer_id=customer_id,
                workspace_id=workspace_id,
                conversations=len(conversation_ids),
                profile=profile,
                messages=counts.get("messages", 0),
                decision_values=counts.get("decision_values", 0),
                conversation_details=counts.get("conversation_details", 0),
                notes=counts.get("notes", 0),
                ratings_and_feedback=counts.get("ratings_and_feedback", 0),
                approvals=counts.get("approvals", 0),
                case_vectors=counts.get("case_vectors", 0),
                chat_links=counts.get("conversation_tokens", 0),
            )
            if erasure.changed:
                for conversation_id in conversation_ids:
                    self._decisions.add_decision(
                        workspace_id=workspace_id,
                        conversation_id=conversation_id,
                        kind=ERASURE_DECISION,
                        outcome="erased",
                        summary="The customer's personal data was erased on request.",
                        inputs={"customer_id": customer_id},
                        version="privacy-1",
                        at=at,
                    )
            return erasure


def erased_external_id(external_id: str) -> str:
    """What an erased customer's external id becomes: a digest that finds them again (a repeated
    erasure request) but does not say who they were, and that a new chat never matches."""
    return ERASED_PREFIX + hashlib.sha256(external_id.encode("utf-8")).hexdigest()


def _erase_profile(customer: CustomerRow, at: datetime) -> int:
    external_id = customer.external_id
    if external_id is not None and not external_id.startswith(ERASED_PREFIX):
        external_id = erased_external_id(external_id)
    erased = {"erased_at": (customer.attributes or {}).get("erased_at") or at.isoformat()}
    if (customer.name, customer.email, customer.external_id, customer.attributes) == (
        None,
        None,
        external_id,
        erased,
    ):
        return 0
    customer.name = None
    customer.email = None
    customer.external_id = external_id
    customer.attributes = erased
    return 1


def _erase_conversations(s: Session, customer_id: str) -> dict[str, int]:
    ids = select(ConversationRow.id).where(ConversationRow.customer_id == customer_id)

    def changed(statement: Any) -> int:
        return int(s.execute(statement).rowcount or 0)  # type: ignore[attr-defined]

    counts = {
        "messages": changed(
            update(MessageRow)
            .where(
                MessageRow.conversation_id.in_(ids),
                (MessageRow.text != ERASED) | MessageRow.idempotency_key.is_not(None),
            )
            .values(text=ERASED, idempotency_key=None)
        ),
        "decision_values": changed(
            delete(DecisionPersonalDataRow).where(DecisionPersonalDataRow.conversation_id.in_(ids))
        ),
        "notes": changed(
            update(AgentNoteRow)
            .where(AgentNoteRow.conversation_id.in_(ids), AgentNoteRow.text != ERASED)
            .values(text=ERASED)
        )
        + changed(
            update(FollowUpRow)
            .where(FollowUpRow.conversation_id.in_(ids), FollowUpRow.text != ERASED)
            .values(text=ERASED)
        ),
        "ratings_and_feedback": changed(
            update(CsatRow)
            .where(CsatRow.conversation_id.in_(ids), CsatRow.comment.is_not(None))
            .values(comment=None)
        )
        + changed(
            update(FeedbackRow)
            .where(FeedbackRow.conversation_id.in_(ids), FeedbackRow.note.is_not(None))
            .values(note=None)
        ),
        "case_vectors": changed(delete(CaseVectorRow).where(CaseVectorRow.conversation_id.in_(ids))),
    }
    # events not yet published carry message texts: they are not sent after the erasure
    counts["messages"] += changed(
        delete(OutboxRow).where(OutboxRow.event["conversation_id"].as_string().in_(ids))
    )
    details = 0
    for conversation in s.scalars(select(ConversationRow).where(ConversationRow.customer_id == customer_id)):
        reason = conversation.escalation_reason
        masked = mask_pii(reason).text if reason else reason
        kept = (conversation.subject, conversation.page_context, conversation.flow or None, reason)
        if kept == (None, None, None, masked):
            continue
        conversation.subject = None
        conversation.page_context = None
        conversation.flow = None
        conversation.escalation_reason = masked
        details += 1
    counts["conversation_details"] = details
    # the customer's chat links stop working: an erased customer cannot be written to again
    tokens = 0
    for conversation in s.scalars(select(ConversationRow).where(ConversationRow.customer_id == customer_id)):
        if not conversation.customer_token_hash.startswith("erased:"):
            conversation.customer_token_hash = f"erased:{secrets.token_hex(16)}"
            tokens += 1
    counts["conversation_tokens"] = tokens
    approvals = 0
    for approval in s.scalars(select(ApprovalRow).where(ApprovalRow.conversation_id.in_(ids))):
        args = {key: ERASED for key in approval.args or {}}
        kept_approval = (approval.args, approval.facts or {}, approval.result, approval.note)
        if kept_approval == (args, {}, None, None) and approval.authenticated_user_id is None:
            continue
        approval.args, approval.facts, approval.result = args, {}, None
        approval.note, approval.authenticated_user_id = None, None
        approvals += 1
    counts["approvals"] = approvals
    return counts
