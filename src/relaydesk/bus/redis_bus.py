"""Redis pub/sub bus: events published by any worker reach the WebSockets held by every worker."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime

from relaydesk.bus.memory import InProcessBus
from relaydesk.domain.events import ConversationEvent, EventType

log = logging.getLogger(__name__)
CHANNEL = "relaydesk:events"


class RedisBus(InProcessBus):
    """Publishes to a Redis channel; a listener thread delivers every event to local subscribers."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        super().__init__()
        import redis

        self._redis = redis.Redis.from_url(url)
        self._channel = channel
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(channel)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="relaydesk-redis-bus", daemon=True)
        self._thread.start()

    def publish(self, event: ConversationEvent) -> None:
        self._redis.publish(self._channel, json.dumps(event.to_dict()))

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                item = self._pubsub.get_message(timeout=0.5)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("redis bus listener error")
                self._stop.wait(0.5)
                continue
            if not item:
                continue
            try:
                raw = json.loads(item["data"])
                event = ConversationEvent(
                    type=EventType(raw["type"]),
                    workspace_id=raw["workspace_id"],
                    conversation_id=raw["conversation_id"],
                    data=raw.get("data") or {},
                    at=datetime.fromisoformat(raw["at"]),
                )
            except (KeyError, ValueError, TypeError):
                log.warning("ignored a malformed event on %s", self._channel)
                continue
            self.deliver_locally(event)

    def close(self) -> None:
        self._stop.set()
        try:
            self._pubsub.close()
        finally:
            self._redis.close()
        self._thread.join(timeout=2)
        super().close()


def build_bus(redis_url: str | None) -> InProcessBus:
    return RedisBus(redis_url) if redis_url else InProcessBus()
