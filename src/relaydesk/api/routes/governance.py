"""Governance for agents: the audit trail of a conversation in plain words, and approval tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from relaydesk.api.deps import CurrentAgent, RuntimeDep
from relaydesk.api.schemas import NoteIn
from relaydesk.governance.approval import Approval, ApprovalStatus
from relaydesk.governance.audit_text import AuditEntry
from relaydesk.services.approvals import ApprovalService, approval_view

router = APIRouter(prefix="/v1/governance", tags=["governance"])
IdPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def get_approvals(runtime: RuntimeDep) -> ApprovalService:
    """The runtime's approval service (built once, with the policy already loaded)."""
    return runtime.approvals


ApprovalsDep = Annotated[ApprovalService, Depends(get_approvals)]


class AuditEntryOut(BaseModel):
    at: datetime
    kind: str
    outcome: str
    headline: str
    """What was decided and why, in plain words."""
    details: list[str]
    """The rules behind it and the values they saw."""
    version: str
    """The policy, model or component version that decided."""

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls.model_validate(entry.to_dict())


class RecentMessageOut(BaseModel):
    role: str
    text: str
    created_at: datetime


class ApprovalCustomerOut(BaseModel):
    name: str | None = None
    """The name they gave, the site's id for them, or the name on the account the AI verified."""
    email: str | None = None


class RelatedApprovalOut(BaseModel):
    """Another approval of the same order (a request for the same thing looks alike)."""

    id: str
    conversation_id: str | None
    customer_name: str | None
    tool: str
    args: dict[str, Any]
    amount: float | None
    created_at: datetime


class ApprovalOut(BaseModel):
    id: str
    status: ApprovalStatus
    conversation_id: str | None
    tool: str
    args: dict[str, Any]
    rule: str
    """The rule that held the action for approval."""
    reason: str
    amount: float | None
    approver_tier: int
    """The lowest agent tier that may decide it."""
    policy_version: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    result: dict[str, Any]
    assigned_agent_id: str | None
    """The agent with the authority it was offered to (None: nobody qualified was online yet;
    any agent of ``approver_tier`` may decide it)."""
    due_at: datetime | None
    """When the assigned agent should have decided it; after that it is offered to another."""
    flow: dict[str, Any] | None
    """The conversation's specialist flow: name, version, step and the slots filled."""
    recent_messages: list[RecentMessageOut]
    """The last messages of the conversation, oldest first."""
    customer: ApprovalCustomerOut
    """Who the conversation is with (both fields empty: an anonymous customer)."""
    requested_by: dict[str, Any] | None
    """Who asked for the action: ``{"kind": "ai"}`` or ``{"kind": "agent", "name": ...}``."""
    related: list[RelatedApprovalOut]
    """Other pending approvals of the same order, oldest first."""


@router.get("/conversations/{conversation_id}/audit", response_model=list[AuditEntryOut])
def audit_trail(conversation_id: IdPath, agent: CurrentAgent, approvals: ApprovalsDep) -> list[AuditEntryOut]:
    """Every decision made in the conversation, oldest first: why the AI did what it did."""
    return [AuditEntryOut.of(e) for e in approvals.audit_trail(agent, conversation_id)]


@router.get("/approvals", response_model=list[ApprovalOut])
def list_approvals(
    agent: CurrentAgent,
    approvals: ApprovalsDep,
    status: Annotated[ApprovalStatus | None, Query()] = ApprovalStatus.PENDING,
    conversation_id: Annotated[str | None, Query(max_length=64)] = None,
    mine: Annotated[bool, Query(description="Only the approval tasks offered to you")] = False,
) -> list[ApprovalOut]:
    """Approval tasks of your workspace, oldest first, each with the conversation's flow and last
    messages. The agent a task is offered to, or any agent of its approver tier, may decide it."""
    found = approvals.list_approvals(agent, status=status, conversation_id=conversation_id, mine=mine)
    return [
        ApprovalOut.model_validate(approval_view(a, c))
        for a, c in zip(found, approvals.contexts(found), strict=True)
    ]


@router.get("/approvals/{approval_id}", response_model=ApprovalOut)
def get_approval(approval_id: IdPath, agent: CurrentAgent, approvals: ApprovalsDep) -> ApprovalOut:
    return _out(approvals, approvals.get(agent, approval_id))


@router.post("/approvals/{approval_id}/approve", response_model=ApprovalOut)
def approve(
    approval_id: IdPath, agent: CurrentAgent, approvals: ApprovalsDep, body: NoteIn | None = None
) -> ApprovalOut:
    """Approve a held action: it runs now (if the records still allow it) and the customer is told."""
    decided = approvals.approve(agent, approval_id, body.note if body else None)
    return _out(approvals, decided.approval)


@router.post("/approvals/{approval_id}/deny", response_model=ApprovalOut)
def deny(
    approval_id: IdPath, agent: CurrentAgent, approvals: ApprovalsDep, body: NoteIn | None = None
) -> ApprovalOut:
    """Deny a held action: it does not run, and the customer is told (with the note, if any)."""
    decided = approvals.deny(agent, approval_id, body.note if body else None)
    return _out(approvals, decided.approval)


def _out(approvals: ApprovalService, approval: Approval) -> ApprovalOut:
    return ApprovalOut.model_validate(approval_view(approval, approvals.context(approval)))
