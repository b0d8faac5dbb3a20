"""What every use case works with: the store, the event outbox, the decision log and the
capabilities (once they are loaded). Passed to escalation, assignment, the timers and the turn
instead of the orchestrator, so none of them depends on another's internals."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relaydesk.domain.errors import NotReady
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.follow_ups import FollowUpScheduler
from relaydesk.domain.models import Conversation

if TYPE_CHECKING:
    from relaydesk.domain.ports import SupportStore
    from relaydesk.services.audit import DecisionRecorder
    from relaydesk.services.outbox import EventOutbox
    from relaydesk.services.wiring import Capabilities


class CapabilitySlot:
    """The capabilities, which may still be loading in the background when the server already
    answers. ``get()`` waits for them (up to ``timeout_s``), so a message that arrives during
    start-up is handled once everything is in, not refused or answered half-ready.

    Start-up tasks that need the capabilities themselves (the demo loading its help center) can
    hold readiness back: ``hold(task)`` before, ``loaded()`` to work with the capabilities
    meanwhile, ``release(task)`` when done; ``get()`` waits for every hold to be released."""

    def __init__(self, capabilities: Capabilities | None = None, *, timeout_s: float = 300.0) -> None:
        self._capabilities = capabilities
        self._error: BaseException | None = None
        self._loaded = threading.Event()
        self._ready = threading.Event()
        self._holds: set[str] = set()
        self._lock = threading.Lock()
        self.timeout_s = timeout_s
        if capabilities is not None:
            self._loaded.set()
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._capabilities is not None

    @property
    def failed(self) -> BaseException | None:
        return self._error

    @property
    def is_loaded(self) -> bool:
        return self._loaded.is_set() and self._capabilities is not None

    @property
    def waiting_for(self) -> list[str]:
        with self._lock:
            holds = sorted(self._holds)
        return ([] if self._loaded.is_set() else ["models"]) + holds

    def hold(self, task: str) -> None:
        with self._lock:
            self._holds.add(task)
            self._ready.clear()

    def release(self, task: str) -> None:
        with self._lock:
            self._holds.discard(task)
            if not self._holds and self._loaded.is_set():
                self._ready.set()

    def provide(self, capabilities: Capabilities) -> None:
        with self._lock:
            self._capabilities = capabilities
            self._loaded.set()
            if not self._holds:
                self._ready.set()

    def fail(self, error: BaseException) -> None:
        with self._lock:
            self._error = error
            self._loaded.set()
            self._ready.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait until ready (loaded and nothing held); False on timeout."""
        return self._ready.wait(self.timeout_s if timeout_s is None else timeout_s)

    def loaded(self) -> Capabilities:
        """The capabilities as soon as they are loaded, held or not (for start-up tasks)."""
        return self._take(self._loaded)

    def get(self) -> Capabilities:
        """The capabilities once ready (loaded, and no start-up task holds them back)."""
        return self._take(self._ready)

    def _take(self, event: threading.Event) -> Capabilities:
        if not event.wait(self.timeout_s):
            raise NotReady("The server is still starting (loading its models); try again in a moment")
        if self._capabilities is None:
            raise NotReady("The server could not load its models; see its log", retry_after_s=30)
        return self._capabilities


@dataclass
class ServiceContext:
    store: SupportStore
    events: EventOutbox
    decisions: DecisionRecorder
    slot: CapabilitySlot
    follow_ups: FollowUpScheduler | None = None
    """Schedules what flows and specialists ask to send later (None: a store without follow-ups)."""

    @property
    def caps(self) -> Capabilities:
        """The capabilities, waiting for them while the server starts."""
        return self.slot.get()

    def publish(self, conversation: Conversation, kind: EventType, data: dict[str, Any]) -> None:
        """An event about ``conversation``: written with the open transaction, sent after it commits."""
        self.events.publish(ConversationEvent(kind, conversation.workspace_id, conversation.id, data))
