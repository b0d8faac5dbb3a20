"""Refuses request bodies over the configured size before they are read into memory, and the
server options that do the same for request heads and WebSocket frames."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relaydesk.settings import Settings


class BodySizeLimit:
    """ASGI middleware: 413 problem+json when a body is (or turns out to be) larger than ``limit``,
    and 431 when the headers are larger than ``header_limit`` (under a server that let them in:
    ``relaydesk serve`` refuses them before they are read, see :func:`server_options`)."""

    def __init__(self, app: ASGIApp, limit: int, header_limit: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.header_limit = header_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.header_limit is not None and scope["type"] in ("http", "websocket"):
            size = sum(len(k) + len(v) + 4 for k, v in scope.get("headers") or ())
            if size > self.header_limit:
                if scope["type"] == "http":
                    await _send_problem(
                        send,
                        431,
                        "Request headers too large",
                        f"The request headers are {size} bytes; the limit is {self.header_limit} bytes.",
                    )
                else:
                    await send(
                        {"type": "websocket.close", "code": 1008, "reason": "Request headers too large"}
                    )
                return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send, int(declared))
            return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    too_large = True
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(send, received)

    async def _refuse(self, send: Send, size: int) -> None:
        detail = f"The request body is {size} bytes; the limit is {self.limit} bytes."
        await _send_problem(send, 413, "Payload too large", detail)


async def _send_problem(send: Send, status: int, title: str, detail: str) -> None:
    await send_problem(send, {"type": "about:blank", "title": title, "status": status, "detail": detail})


async def send_problem(send: Send, problem: dict[str, Any], *, retry_after_s: int | None = None) -> None:
    """Answer with ``problem`` (problem+json, its ``status``) from ASGI middleware, before the app
    runs: the body limits here, the rate limits and the in-flight limit (``Retry-After`` for those)."""
    body = json.dumps(problem).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    if retry_after_s is not None:
        headers.append((b"retry-after", str(retry_after_s).encode()))
    await send({"type": "http.response.start", "status": problem["status"], "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def server_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options that hold the server to the app's limits: a request head over
    ``max_header_bytes`` is refused before it is buffered in full (the h11 parser stops there; the
    default parser buffers any size), a WebSocket frame over ``max_body_bytes`` closes the socket
    with 1009, and ``X-Forwarded-For`` is believed only from ``trusted_proxies``. WebSockets run
    on the sans-I/O implementation: an idle customer socket costs about 57 KB there against 144 KB
    on the legacy one (2,000 sockets on one process, docs/performance.md). Per-message compression
    is off: its zlib state took about 49 KB of every idle socket (``tracemalloc``, 1,000 sockets),
    and the stream's frames are small JSON events that compression barely shortens."""
    return {
        "http": "h11",
        "ws": "websockets-sansio",
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "ws_max_size": settings.max_body_bytes,
        "ws_per_message_deflate": False,
        "forwarded_allow_ips": list(settings.trusted_proxies),
    }
