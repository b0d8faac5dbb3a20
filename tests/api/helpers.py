"""Small helpers for driving the API like a client would."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from websockets.sync.client import ClientConnection

Frame = dict[str, Any]


def next_frame(ws: ClientConnection, predicate: Callable[[Frame], bool], timeout: float = 15.0) -> Frame:
    """Read frames until one matches ``predicate``; fail (listing what came) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no matching frame within {timeout}s; saw {seen}")
        try:
            frame = json.loads(ws.recv(timeout=remaining))
        except TimeoutError:
            continue
        seen.append(f"{frame.get('type')}:{frame.get('event', '')}:{frame.get('data', {}).get('role', '')}")
        if predicate(frame):
            return frame


def event(kind: str, **data: Any) -> Callable[[Frame], bool]:
    """Matches an event frame of ``kind`` whose data contains ``data``."""

    def check(frame: Frame) -> bool:
        return (
            frame.get("type") == "event"
            and frame.get("event") == kind
            and all(frame.get("data", {}).get(k) == v for k, v in data.items())
        )

    return check
