"""Approval tasks in SQL: created by the governed tool layer, decided once by an agent."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select, update

from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import utcnow
from relaydesk.governance.approval import Approval, ApprovalStatus
from relaydesk.governance.ports import ApprovalRequest
from relaydesk.storage.commerce_tables import ApprovalRow
from relaydesk.storage.convert import aware
from relaydesk.storage.database import make_session_factory


def _approval(row: ApprovalRow) -> Approval:
    request = ApprovalRequest(
        workspace_id=row.workspace_id,
        conversation_id=row.conversation_id,
        tool=row.tool,
        args=dict(row.args),
        authenticated_user_id=row.authenticated_user_id,
        rule=row.rule,
        reason=row.reason,
        approver_tier=row.approver_tier,
        amount=row.amount,
        policy_version=row.policy_version,
        facts=dict(row.facts or {}),
    )
    created = aware(row.created_at)
    assert created is not None
    return Approval(
        row.id,
        ApprovalStatus(row.status),
        request,
        created,
        aware(row.decided_at),
        row.decided_by,
        row.note,
        dict(row.result or {}),
        row.assigned_agent_id,
        aware(row.due_at),
    )


class SqlApprovalStore:
    """Implements the ``ApprovalQueue`` port, plus the reads and the one-time decision agents need."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = make_session_factory(engine)

    def create_approval(self, request: ApprovalRequest) -> str:
        row = ApprovalRow(
            id=new_id("apr"),
            workspace_id=request.workspace_id,
            conversation_id=request.conversation_id,
            status=str(ApprovalStatus.PENDING),
            tool=request.tool,
            args=dict(request.args),
            facts=dict(request.facts),
            authenticated_user_id=request.authenticated_user_id,
            rule=request.rule,
            reason=request.reason,
            amount=request.amount,
            approver_tier=request.approver_tier,
            policy_version=request.policy_version,
            created_at=utcnow(),
        )
        with self._sessions.begin() as s:
            s.add(row)
        return row.id

    def pending_duplicate(self, request: ApprovalRequest) -> str | None:
        query = select(ApprovalRow).where(
            ApprovalRow.workspace_id == request.workspace_id,
            ApprovalRow.status == str(ApprovalStatus.PENDING),
            ApprovalRow.tool == request.tool,
        )
        if request.authenticated_user_id is not None:
            query = query.where(ApprovalRow.authenticated_user_id == request.authenticated_user_id)
        with self._sessions() as s:  # few are pending at once: the arguments are compared here
            for row in s.scalars(query.order_by(ApprovalRow.created_at, ApprovalRow.id).limit(200)):
                if dict(row.args or {}) == dict(request.args):
                    return str(row.id)
        return None

    def get(self, approval_id: str) -> Approval:
        with self._sessions() as s:
            row = s.get(ApprovalRow, approval_id)
            if row is None:
                raise NotFound(f'No approval with id "{approval_id}"')
            return _approval(row)

    def list(
        self,
        workspace_id: str,
        *,
        status: ApprovalStatus | None = ApprovalStatus.PENDING,
        conversation_id: str | None = None,
        assigned_to: str | None = None,
        limit: int = 100,
    ) -> list[Approval]:
        query = select(ApprovalRow).where(ApprovalRow.workspace_id == workspace_id)
        if assigned_to is not None:
            query = query.where(ApprovalRow.assigned_agent_id == assigned_to)
        if status is not None:
            query = query.where(ApprovalRow.status == str(status))
        if conversation_id is not None:
            query = query.where(ApprovalRow.conversation_id == conversation_id)
        with self._sessions() as s:
            rows = s.scalars(query.order_by(ApprovalRow.created_at, ApprovalRow.id).limit(limit))
            return [_approval(r) for r in rows]

    def assign(
        self, approval_id: str, *, agent_id: str, due_at: datetime, expected_agent_id: str | None
    ) -> bool:
        """Offer a pending approval to ``agent_id`` if it is still pending and still offered to
        ``expected_agent_id`` (compare-and-set: of two workers offering it at once, one wins)."""
        current = ApprovalRow.assigned_agent_id
        with self._sessions.begin() as s:
            result = s.execute(
                update(ApprovalRow)
                .where(
                    ApprovalRow.id == approval_id,
                    ApprovalRow.status == str(ApprovalStatus.PENDING),
                    current.is_(None) if expected_agent_id is None else current == expected_agent_id,
                )
                .values(assigned_agent_id=agent_id, due_at=due_at)
            )
            return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def pending_per_agent(self, workspace_id: str) -> dict[str, int]:
        """How many pending approvals each agent of the workspace has been offered."""
        query = (
            select(ApprovalRow.assigned_agent_id, func.count())
            .where(
                ApprovalRow.workspace_id == workspace_id,
                ApprovalRow.status == str(ApprovalStatus.PENDING),
                ApprovalRow.assigned_agent_id.is_not(None),
            )
            .group_by(ApprovalRow.assigned_agent_id)
        )
        with self._sessions() as s:
            return {str(agent_id): int(n) for agent_id, n in s.execute(query)}

    def waiting_for_an_approver(self, now: datetime, *, limit: int = 200) -> builtins.list[Approval]:
        """Pending approvals nobody was offered, or whose approver let the service level pass,
        oldest first (every workspace)."""
        query = (
            select(ApprovalRow)
            .where(
                ApprovalRow.status == str(ApprovalStatus.PENDING),
                or_(ApprovalRow.assigned_agent_id.is_(None), ApprovalRow.due_at < now),
            )
            .order_by(ApprovalRow.created_at, ApprovalRow.id)
            .limit(limit)
        )
        with self._sessions() as s:
            return [_approval(r) for r in s.scalars(query)]

    def claim_decision(
        self, approval_id: str, *, status: ApprovalStatus, agent_id: str, note: str | None
    ) -> Approval:
        """Move a pending approval to ``status`` exactly once; a second decision raises ``Conflict``."""
        with self._sessions.begin() as s:
            result = s.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id, ApprovalRow.status == str(ApprovalStatus.PENDING))
                .values(status=str(status), decided_by=agent_id, decided_at=utcnow(), note=note)
            )
            row = s.get(ApprovalRow, approval_id)
            if row is None:
                raise NotFound(f'No approval with id "{approval_id}"')
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict(f'Approval "{approval_id}" was already {row.status}')
            s.refresh(row)
            return _approval(row)

    def approval_status(self, approval_id: str) -> str:
        return str(self.get(approval_id).status)

    def withdraw_approval(self, approval_id: str, note: str) -> str:
        """Pending to withdrawn exactly once (compare-and-set against an agent deciding it at the
        same moment); the status after."""
        with self._sessions.begin() as s:
            s.execute(
                update(ApprovalRow)
                .where(ApprovalRow.id == approval_id, ApprovalRow.status == str(ApprovalStatus.PENDING))
                .values(status=str(ApprovalStatus.WITHDRAWN), decided_at=utcnow(), note=note)
            )
            row = s.get(ApprovalRow, approval_id)
            if row is None:
                raise NotFound(f'No approval with id "{approval_id}"')
            return str(row.status)

    def record_result(self, approval_id: str, *, status: ApprovalStatus, result: dict[str, Any]) -> Approval:
        """After the decision: what happened (and ``failed`` when an approved action could not run)."""
        with self._sessions.begin() as s:
            row = s.get(ApprovalRow, approval_id)
            if row is None:
                raise NotFound(f'No approval with id "{approval_id}"')
            row.status = str(status)
            row.result = result
            s.flush()
            return _approval(row)
