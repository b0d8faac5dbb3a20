"""Writes decisions to the append-only log, timing them, in one place."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from relaydesk.domain.decisions import DecisionKind
from relaydesk.domain.models import Conversation, Decision

if TYPE_CHECKING:
    from relaydesk.domain.ports import SupportStore


class DecisionRecorder:
    def __init__(self, store: SupportStore) -> None:
        self._store = store

    def record(
        self,
        conversation: Conversation,
        *,
        kind: DecisionKind | str,
        outcome: str,
        summary: str,
        message_id: str | None = None,
        inputs: dict[str, Any] | None = None,
        reasons: list[Any] | None = None,
        version: str = "unknown",
        started: float | None = None,
        latency_ms: float | None = None,
    ) -> Decision:
        """Append a decision. Its latency is ``latency_ms`` when the work was timed elsewhere (the
        turn thinks before its transaction opens), else the time since ``started``."""
        if latency_ms is not None:
            latency = latency_ms
        else:
            latency = (time.perf_counter() - started) * 1000.0 if started is not None else 0.0
        return self._store.add_decision(
            workspace_id=conversation.workspace_id,
            conversation_id=conversation.id,
            message_id=message_id,
            kind=str(kind),
            outcome=outcome,
            summary=summary,
            inputs=inputs,
            reasons=reasons,
            version=version,
            latency_ms=latency,
        )
