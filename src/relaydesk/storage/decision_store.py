"""The append-only decision log (the database refuses UPDATE and DELETE)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    Decision,
    utcnow,
)
from relaydesk.storage import convert
from relaydesk.storage.record_store import RecordStore
from relaydesk.storage.tables import (
    DecisionRow,
)


class SqlDecisionStore(RecordStore):
    """Decisions with their inputs, reasons, version and latency."""

    # -- decisions --------------------------------------------------------------------------------
    def add_decision(
        self,
        *,
        workspace_id: str,
        kind: str,
        outcome: str,
        summary: str,
        conversation_id: str | None = None,
        message_id: str | None = None,
        inputs: dict[str, Any] | None = None,
        reasons: list[Any] | None = None,
        version: str = "unknown",
        latency_ms: float = 0.0,
        at: datetime | None = None,
    ) -> Decision:
        if not kind or not outcome:
            raise InvalidInput("A decision needs a kind and an outcome")
        row = DecisionRow(
            id=new_id("dec"),
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            message_id=message_id,
            kind=kind,
            outcome=outcome,
            summary=summary,
            inputs=dict(inputs or {}),
            reasons=list(reasons or []),
            version=version,
            latency_ms=float(latency_ms),
            created_at=at or utcnow(),
        )
        with self._sessions.begin() as s:
            s.add(row)
        return convert.decision(row)

    def decisions(self, conversation_id: str) -> list[Decision]:
        with self.session() as s:
            rows = s.scalars(
                select(DecisionRow)
                .where(DecisionRow.conversation_id == conversation_id)
                .order_by(DecisionRow.created_at, DecisionRow.id)
            )
            return [convert.decision(r) for r in rows]
