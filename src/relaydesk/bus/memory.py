"""In-process event bus: every subscriber of this process sees the events it subscribed to, in
publish order.

A subscriber follows either every event (an agent's stream, a webhook) or one conversation's (a
customer's stream). The latter are kept by conversation, so an event costs a look-up and the
handlers of its own conversation, not a call per open socket: ten thousand idle customers do not
make each event ten thousand calls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from relaydesk.domain.events import ConversationEvent
from relaydesk.domain.ports import EventHandler

log = logging.getLogger(__name__)


class InProcessBus:
    def __init__(self) -> None:
        self._everything: dict[int, EventHandler] = {}
        self._by_conversation: dict[str, dict[int, EventHandler]] = {}
        self._lock = threading.Lock()
        self._next = 0

    def publish(self, event: ConversationEvent) -> None:
        self.deliver_locally(event)

    def deliver_locally(self, event: ConversationEvent) -> None:
        with self._lock:
            handlers = list(self._everything.values())
            handlers += self._by_conversation.get(event.conversation_id, {}).values()
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # one broken subscriber must not stop the others
                log.exception("event handler failed for %s", event.type)

    def subscribe(self, handler: EventHandler, *, conversation_id: str | None = None) -> Callable[[], None]:
        """Call ``handler`` for every event, or only for ``conversation_id``'s; returns the
        function that unsubscribes."""
        with self._lock:
            self._next += 1
            key = self._next
            if conversation_id is None:
                self._everything[key] = handler
            else:
                self._by_conversation.setdefault(conversation_id, {})[key] = handler

        def unsubscribe() -> None:
            with self._lock:
                if conversation_id is None:
                    self._everything.pop(key, None)
                    return
                handlers = self._by_conversation.get(conversation_id)
                if handlers is not None:
                    handlers.pop(key, None)
                    if not handlers:
                        del self._by_conversation[conversation_id]

        return unsubscribe

    def close(self) -> None:
        with self._lock:
            self._everything.clear()
            self._by_conversation.clear()
