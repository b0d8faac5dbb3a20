"""Events through an outbox: written in the transaction that caused them, sent after it commits.

A use case publishes events while its transaction is open; they are stored in the ``outbox``
table with everything else the use case wrote, and sent to the bus (WebSockets, other workers)
right after the commit. A crash or a bus outage between the commit and the send leaves the rows
behind, and the ``OutboxRelay`` sends them later: an event can be late, never lost, and never
sent for work that rolled back. Delivery is at least once (a crash after sending but before the
row is deleted sends it again), so subscribers dedupe by the ids in the payloads.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.ports import EventBus

if TYPE_CHECKING:
    from relaydesk.domain.ports import SupportStore

log = logging.getLogger(__name__)

PENDING = "outbox.pending"
DELETE_BATCH = 64
"""Sent rows a transaction that writes events deletes at once (fewer: left to the relay's pass)."""


def _event_from_dict(raw: dict[str, Any]) -> ConversationEvent:
    return ConversationEvent(
        type=EventType(raw["type"]),
        workspace_id=raw["workspace_id"],
        conversation_id=raw["conversation_id"],
        data=raw.get("data") or {},
        at=datetime.fromisoformat(raw["at"]),
    )


class EventOutbox:
    """The use cases' way to publish: ``publish(event)`` (see the module docstring)."""

    def __init__(self, store: SupportStore, bus: EventBus) -> None:
        self.store = store
        self.bus = bus
        self.sent = 0
        self.send_failures = 0
        self._done: list[str] = []
        """Rows sent but not yet deleted: deleted by the relay's next pass (every second), or by a
        transaction that writes events once ``DELETE_BATCH`` have gathered (one statement for many
        turns, and none of its own on the message path)."""
        self._done_lock = threading.Lock()

    def publish(self, event: ConversationEvent) -> None:
        uow = self.store.current_transaction()
        if uow is None:  # no transaction open: nothing to wait for
            self._send([("", event)])
            return
        pending: list[ConversationEvent] | None = uow.state.get(PENDING)
        if pending is None:
            pending = uow.state[PENDING] = []
            ids: list[str] = []
            with self._done_lock:
                sent_before = list(self._done) if len(self._done) >= DELETE_BATCH else []

            def write() -> None:
                ids.extend(self.store.add_outbox_events([e.to_dict() for e in pending]))
                self.store.delete_outbox_events(sent_before)

            def send() -> None:
                self._forget(sent_before)
                self._send(list(zip(ids, pending, strict=True)))

            uow.before_commit(write)
            uow.after_commit(send)
        pending.append(event)

    def _forget(self, ids: list[str]) -> None:
        if ids:
            gone = set(ids)
            with self._done_lock:
                self._done = [i for i in self._done if i not in gone]

    def flush(self) -> None:
        """Delete the rows of events already sent (the relay's pass and shutdown call this)."""
        with self._done_lock:
            done = list(self._done)
        if done:
            self.store.delete_outbox_events(done)
            self._forget(done)

    def _send(self, rows: list[tuple[str, ConversationEvent]]) -> None:
        """Send in order; stop at the first failure (the relay sends the rest, in order, later)."""
        done: list[str] = []
        try:
            for row_id, event in rows:
                try:
                    self.bus.publish(event)
                except Exception:
                    self.send_failures += 1
                    log.warning("could not publish %s now; the outbox relay will retry", event.type)
                    return
                self.sent += 1
                if row_id:
                    done.append(row_id)
        finally:
            with self._done_lock:
                self._done.extend(done)

    def relay_once(self, *, older_than_s: float = 5.0, claim_s: float = 15.0) -> int:
        """Send events left behind by a crash or a bus outage; returns how many were sent."""
        self.flush()
        rows = self.store.claim_outbox_events(older_than_s=older_than_s, claim_s=claim_s)
        if not rows:
            return 0
        before = self.sent
        parsed: list[tuple[str, ConversationEvent]] = []
        broken: list[str] = []
        for row_id, raw in rows:
            try:
                parsed.append((row_id, _event_from_dict(raw)))
            except (KeyError, ValueError, TypeError):
                log.error("dropping malformed outbox row %s", row_id)
                broken.append(row_id)
        self.store.delete_outbox_events(broken)
        self._send(parsed)
        self.flush()
        return self.sent - before


class BackgroundLoop:
    """Runs ``step()`` every ``interval_s`` seconds in a daemon thread until stopped; a failing
    step is logged and the loop waits longer before the next (up to ``max_backoff_s``)."""

    def __init__(self, name: str, step: Any, interval_s: float, *, max_backoff_s: float = 30.0) -> None:
        self.name = name
        self.step = step
        self.interval_s = interval_s
        self.max_backoff_s = max_backoff_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.interval_s <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
            self._thread = None

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:
        wait = self.interval_s
        while not self._stop.wait(wait):
            try:
                self.step()
                wait = self.interval_s
            except Exception:
                wait = min(max(wait * 2, self.interval_s), self.max_backoff_s)
                log.exception("%s failed; next try in %.1f s", self.name, wait)
