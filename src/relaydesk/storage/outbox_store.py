"""The outbox: events written with the transaction that caused them, until sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, select

from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    utcnow,
)
from relaydesk.storage.record_store import RecordStore, core, table_of
from relaydesk.storage.tables import (
    OutboxRow,
)


class SqlOutboxStore(RecordStore):
    """Outbox rows."""

    # -- outbox -----------------------------------------------------------------------------------
    def add_outbox_events(self, events: Sequence[dict[str, Any]]) -> list[str]:
        """Write events in the current transaction; returns their row ids."""
        now = utcnow()
        ids = [new_id("evt") for _ in events]
        if not ids:
            return []
        rows = [
            {"id": i, "event": e, "created_at": now, "claimed_until": None}
            for i, e in zip(ids, events, strict=True)
        ]
        with self._sessions.begin() as s:
            core(s).execute(insert(table_of(OutboxRow)), rows)
        return ids

    def delete_outbox_events(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._sessions.begin() as s:
            s.execute(delete(OutboxRow).where(OutboxRow.id.in_(list(ids))))

    def claim_outbox_events(
        self, *, older_than_s: float, claim_s: float, limit: int = 200
    ) -> list[tuple[str, dict[str, Any]]]:
        """Left-behind events (written at least ``older_than_s`` ago, not claimed by a live relay),
        claimed for ``claim_s`` seconds; oldest first."""
        now = utcnow()
        with self._sessions.begin() as s:
            query = (
                select(OutboxRow)
                .where(
                    OutboxRow.created_at < now - timedelta(seconds=older_than_s),
                    or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
                )
                .order_by(OutboxRow.created_at, OutboxRow.id)
                .limit(limit)
            )
            if s.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(s.scalars(query))
            for row in rows:
                row.claimed_until = now + timedelta(seconds=claim_s)
            return [(r.id, dict(r.event)) for r in rows]
