"""What the governed tool layer needs from the edges: tools, a decision log, an approval queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from relaydesk.governance.actions import ToolSpec


class Tool(Protocol):
    """One action the AI can take through governance."""

    spec: ToolSpec

    def facts(self, args: dict[str, Any]) -> dict[str, Any]:
        """What the rules need to judge this call (owner, record state, amounts), read without changing."""
        ...

    def run(self, args: dict[str, Any]) -> Any:
        """Carry the call out; raise a ``RelaydeskError`` when the back end refuses it."""
        ...


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """A tool call held for a person's approval, with everything needed to run it later."""

    workspace_id: str
    conversation_id: str | None
    tool: str
    args: dict[str, Any]
    authenticated_user_id: str | None
    rule: str
    reason: str
    approver_tier: int
    amount: float | None = None
    policy_version: str = "unknown"
    facts: dict[str, Any] = field(default_factory=dict)


class ApprovalQueue(Protocol):
    def create_approval(self, request: ApprovalRequest) -> str:
        """Store the request as a pending approval task; returns its id."""
        ...

    def approval_status(self, approval_id: str) -> str:
        """``pending``, ``approved``, ``denied``, ``failed`` or ``withdrawn``."""
        ...

    def pending_duplicate(self, request: ApprovalRequest) -> str | None:
        """The id of a pending approval of the same action (tool and arguments) for the same
        account in the workspace, from any conversation; None when there is none."""
        ...

    def withdraw_approval(self, approval_id: str, note: str) -> str:
        """Withdraw a pending approval (the customer no longer wants it); returns its status after:
        ``withdrawn``, or what an agent decided first."""
        ...
