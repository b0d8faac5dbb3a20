"""How a WebSocket proves who it is: a first frame ``{"type": "auth", "token": "..."}`` (the
customer's conversation token, or an agent's API key), or ``?ticket=`` with a short-lived,
single-use ticket from ``POST .../stream-ticket``. Never a key or a token in the URL: URLs end up in
access logs, proxies and browser history, so those forms are refused with an error frame."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from starlette.requests import HTTPConnection

from relaydesk.api.rate_limits import RateLimiter

AUTH_TIMEOUT_S = 10.0
"""How long a socket may stay open before its auth frame."""
TICKET_TTL_S = 30.0
"""How long a stream ticket stays valid (it is redeemed once)."""
URL_CREDENTIALS = ("token", "api_key", "key", "access_token")


class StreamRefused(Exception):
    """The socket is refused: an error frame with ``status``, then a close with 4000 + status."""

    def __init__(self, status: int, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra


def error_frame(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "status": status, "title": title, "detail": detail, **extra}


async def refuse(websocket: WebSocket, refused: StreamRefused) -> None:
    """Send the error frame and close (the socket is accepted first if it is not yet)."""
    try:
        if websocket.client_state.name == "CONNECTING":
            await websocket.accept()
        await websocket.send_json(error_frame(refused.status, refused.title, refused.detail, **refused.extra))
        await websocket.close(code=4000 + refused.status)
    except (WebSocketDisconnect, RuntimeError):  # the client left first: nobody to tell
        pass


def limiter_of(connection: HTTPConnection) -> RateLimiter:
    return connection.app.state.rate_limiter  # type: ignore[no-any-return]


def refuse_url_credentials(websocket: WebSocket, how: str) -> None:
    """A key or token in the query string is refused, naming the forms that work."""
    named = [name for name in URL_CREDENTIALS if name in websocket.query_params]
    if named:
        raise StreamRefused(
            400,
            "Credentials in the URL",
            f'"?{named[0]}=" is refused: a key or token in a URL ends up in logs. {how}',
        )


async def first_auth_frame(websocket: WebSocket, max_bytes: int) -> str:
    """The credential of the socket's first frame, ``{"type": "auth", "token": "..."}``."""
    try:
        message = await asyncio.wait_for(websocket.receive(), AUTH_TIMEOUT_S)
    except TimeoutError:
        raise StreamRefused(
            401, "Unauthenticated", f'No {{"type": "auth", "token": "..."}} frame within {AUTH_TIMEOUT_S:g} s'
        ) from None
    if message.get("type") == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    frame: Any = None
    if text is not None and len(text) <= max_bytes:
        try:
            frame = json.loads(text)
        except ValueError:
            frame = None
    credential = frame.get("token") or frame.get("api_key") if isinstance(frame, dict) else None
    if not isinstance(frame, dict) or frame.get("type") != "auth" or not isinstance(credential, str):
        raise StreamRefused(
            401,
            "Unauthenticated",
            'The first frame must be {"type": "auth", "token": "..."} (or connect with ?ticket=)',
        )
    return credential.strip()
