"""What every use case works with: the store, the event outbox, the decision log and the
capabilities (once they are loaded). Passed to escalation, assignment, the timers and the turn
instead of the orchestrator, so none of them depends on another's internals."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relaydesk.domain.errors import NotReady
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import Conversation

if TYPE_CHECKING:
    from relaydesk.domain.ports import SupportStore
    from relaydesk.services.audit import DecisionRecorder
    from relaydesk.services.outbox import EventOutbox
    from relaydesk.services.wiring import Capabilities


class CapabilitySlot:
    """The capabilities, which may still be loading in the background when the server already
    answers. ``get()`` waits for them (up to ``timeout_s``), so a message that arrives during
    start-up is handled once the models are in, not refused."""

    def __init__(self, capabilities: Capabilities | None = None, *, timeout_s: float = 300.0) -> None:
        self._capabilities = capabilities
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self.timeout_s = timeout_s
        if capabilities is not None:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._capabilities is not None

    @property
    def failed(self) -> BaseException | None:
        return self._error

    def provide(self, capabilities: Capabilities) -> None:
        self._capabilities = capabilities
        self._ready.set()

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._ready.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        return self._ready.wait(self.timeout_s if timeout_s is None else timeout_s)

    def get(self) -> Capabilities:
        if not self._ready.wait(self.timeout_s):
            raise NotReady("The server is still loading its models; try again in a moment")
        if self._capabilities is None:
            raise NotReady("The server could not load its models; see its log", retry_after_s=30)
        return self._capabilities


@dataclass
class ServiceContext:
    store: SupportStore
    events: EventOutbox
    decisions: DecisionRecorder
    slot: CapabilitySlot

    @property
    def caps(self) -> Capabilities:
        """The capabilities, waiting for them while the server starts."""
        return self.slot.get()

    def publish(self, conversation: Conversation, kind: EventType, data: dict[str, Any]) -> None:
        """An event about ``conversation``: written with the open transaction, sent after it commits."""
        self.events.publish(ConversationEvent(kind, conversation.workspace_id, conversation.id, data))
