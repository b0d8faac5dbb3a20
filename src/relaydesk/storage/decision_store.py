"""The append-only decision log (the database refuses UPDATE and DELETE).

Personal data never enters it: ``add_decision``, the one place decisions are written, stores a
reference in place of each piece (``storage/personal_data.py``) and the values beside it in
``decision_personal_data``, which erasing a customer deletes. Reading puts the values back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    Decision,
    utcnow,
)
from relaydesk.storage import convert
from relaydesk.storage.personal_data import customer_details, has_references, restore, take_personal_data
from relaydesk.storage.privacy_tables import DecisionPersonalDataRow
from relaydesk.storage.record_store import RecordStore, core, table_of
from relaydesk.storage.tables import ConversationRow, CustomerRow, DecisionRow

_INSERT = insert(table_of(DecisionRow))
_INSERT_PERSONAL = insert(table_of(DecisionPersonalDataRow))


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
        given_inputs, given_reasons = dict(inputs or {}), list(reasons or [])
        created_at = at or utcnow()
        with self._sessions.begin() as s:
            known = _customer_details(s, conversation_id) if conversation_id else None
            stored_summary, stored_inputs, stored_reasons, personal = take_personal_data(
                summary, given_inputs, given_reasons, known
            )
            row = SimpleNamespace(
                id=new_id("dec"),
                workspace_id=workspace_id,
                conversation_id=conversation_id,
                message_id=message_id,
                kind=kind,
                outcome=outcome,
                summary=stored_summary,
                inputs=stored_inputs,
                reasons=stored_reasons,
                version=version,
                latency_ms=float(latency_ms),
                created_at=created_at,
            )
            db = core(s)
            db.execute(_INSERT, vars(row))  # Core: the log is written on every turn, several times
            if personal:
                db.execute(
                    _INSERT_PERSONAL,
                    {
                        "decision_id": row.id,
                        "workspace_id": workspace_id,
                        "conversation_id": conversation_id,
                        "data": personal,
                        "created_at": created_at,
                    },
                )
        # the caller gets what it decided, as reading the decision back gives it
        decided = convert.decision(row)  # type: ignore[arg-type]  # the row's values, as read back
        return replace(decided, summary=summary, inputs=given_inputs, reasons=given_reasons)

    def decisions(self, conversation_id: str) -> list[Decision]:
        with self.session() as s:
            rows = list(
                s.scalars(
                    select(DecisionRow)
                    .where(DecisionRow.conversation_id == conversation_id)
                    .order_by(DecisionRow.created_at, DecisionRow.id)
                )
            )
            referring = [r.id for r in rows if has_references([r.summary, r.inputs, r.reasons])]
            values: dict[str, list[Any]] = {}
            if referring:
                values = dict(
                    s.execute(
                        select(DecisionPersonalDataRow.decision_id, DecisionPersonalDataRow.data).where(
                            DecisionPersonalDataRow.conversation_id == conversation_id
                        )
                    ).all()
                )
            return [_decision(r, values.get(r.id), r.id in referring) for r in rows]


def _customer_details(s: Session, conversation_id: str) -> dict[str, str] | None:
    """The conversation's customer's name, e-mail and external id: one indexed read per
    transaction (a turn writes several decisions), kept in the session, not flushing it."""
    cache: dict[str, dict[str, str] | None] = s.info.setdefault("relaydesk_customer_details", {})
    if conversation_id not in cache:
        with s.no_autoflush:
            found = s.execute(
                select(CustomerRow.name, CustomerRow.email, CustomerRow.external_id)
                .join(ConversationRow, ConversationRow.customer_id == CustomerRow.id)
                .where(ConversationRow.id == conversation_id)
            ).first()
        cache[conversation_id] = customer_details(*found) if found is not None else None
    return cache[conversation_id]


def _decision(row: DecisionRow, values: list[Any] | None, refers: bool) -> Decision:
    decision = convert.decision(row)
    if not refers:
        return decision
    return replace(
        decision,
        summary=restore(decision.summary, values),
        inputs=restore(decision.inputs, values),
        reasons=restore(decision.reasons, values),
    )
