"""In-process event bus: every subscriber of this process sees every event, in publish order."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from relaydesk.domain.events import ConversationEvent
from relaydesk.domain.ports import EventHandler

log = logging.getLogger(__name__)


class InProcessBus:
    def __init__(self) -> None:
        self._handlers: list[EventHandler] = []
        self._lock = threading.Lock()

    def publish(self, event: ConversationEvent) -> None:
        self.deliver_locally(event)

    def deliver_locally(self, event: ConversationEvent) -> None:
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # one broken subscriber must not stop the others
                log.exception("event handler failed for %s", event.type)

    def subscribe(self, handler: EventHandler) -> Callable[[], None]:
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe

    def close(self) -> None:
        with self._lock:
            self._handlers.clear()
