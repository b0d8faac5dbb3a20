"""Approval tasks: tool calls held until an agent with authority approves or denies them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from relaydesk.governance.ports import ApprovalRequest


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    """Waiting for an agent with authority."""
    APPROVED = "approved"
    """Approved, and the held action ran."""
    DENIED = "denied"
    """Refused by the agent; the action did not run."""
    FAILED = "failed"
    """Approved, but the action could no longer be done (the records changed meanwhile)."""
    WITHDRAWN = "withdrawn"
    """The customer withdrew the request before anyone decided; the action did not run."""


@dataclass(frozen=True, slots=True)
class Approval:
    id: str
    status: ApprovalStatus
    request: ApprovalRequest
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    """The agent who approved or denied it."""
    note: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    """What happened when it was decided: the action's outcome and reason."""
    assigned_agent_id: str | None = None
    """The agent it was offered to (one who holds the authority); None while nobody qualified is
    online, when any agent of the approver tier may decide it (and the sweep offers it again)."""
    due_at: datetime | None = None
    """When the assigned agent should have decided it (the approvals' service level); once past,
    the sweep offers it to another qualified agent."""
