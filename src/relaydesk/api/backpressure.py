"""Load shedding in front of the AI path: a bounded number of customer messages in flight.

Each customer message runs a turn (triage, policy, a specialist, one transaction). Past what the
process can work through, extra messages would only queue for threads and the database, every
answer getting later and memory growing with the queue (a burst of 500 once waited 13.8 s for
its first answer). ``TurnAdmission`` counts the customer messages being handled; one beyond
``limit`` is refused at once with 503, ``Retry-After`` and a problem+json body saying so, before
its body is read and before anything is stored, so sending it again (with the same idempotency
key) is always safe. Everything else (agents, reads, streams, health) passes untouched.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from relaydesk.api.limits import send_problem

CUSTOMER_MESSAGE = re.compile(r"^/v1/conversations/[^/]+/messages/?$")
"""The customer's POST that runs a turn."""


class TurnGate:
    """The count of customer messages in flight in this process (read and changed only on the
    event loop, so it needs no lock). The HTTP middleware below uses it; a WebSocket handler that
    runs turns can too: ``if not gate.enter(): refuse`` ... ``finally: gate.leave()``."""

    def __init__(self, limit: int, retry_after_s: int = 1) -> None:
        self.limit = limit
        self.retry_after_s = retry_after_s
        self.in_flight = 0
        self.refused = 0
        """Messages refused since start (for logs and benchmarks)."""

    def enter(self) -> bool:
        """Take a place, or say no (and count the refusal) when all ``limit`` are taken."""
        if self.in_flight >= self.limit:
            self.refused += 1
            return False
        self.in_flight += 1
        return True

    def leave(self) -> None:
        self.in_flight -= 1

    @property
    def detail(self) -> str:
        return (
            f"The server is already handling {self.limit} customer messages, its limit "
            "(RELAYDESK_MAX_INFLIGHT_TURNS); this one was not stored. Send it again in "
            f"{self.retry_after_s} s with the same idempotency key."
        )


class TurnAdmission:
    """ASGI middleware: customer messages pass ``gate``; one it refuses gets 503 with
    ``Retry-After`` at once."""

    def __init__(self, app: ASGIApp, gate: TurnGate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not CUSTOMER_MESSAGE.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        if not self.gate.enter():
            await self._refuse(send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.leave()

    async def _refuse(self, send: Send) -> None:
        gate = self.gate
        problem = {
            "type": "about:blank",
            "title": "Busy",
            "status": 503,
            "detail": gate.detail,
            "limit": gate.limit,
        }
        await send_problem(send, problem, retry_after_s=gate.retry_after_s)
