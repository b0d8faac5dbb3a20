"""Small helpers for driving the API like a client would."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from websockets.sync.client import ClientConnection, connect

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


@contextmanager
def customer_socket(
    ws_url: str, conversation_id: str, token: str, query: str = ""
) -> Iterator[ClientConnection]:
    """The customer's stream of a conversation, authenticated by its first frame."""
    with connect(f"{ws_url}/v1/conversations/{conversation_id}/stream{query}") as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        yield ws


@contextmanager
def agent_socket(ws_url: str, api_key: str) -> Iterator[ClientConnection]:
    """The agent stream, authenticated by its first frame."""
    with connect(f"{ws_url}/v1/agent/stream") as ws:
        ws.send(json.dumps({"type": "auth", "token": api_key}))
        yield ws
