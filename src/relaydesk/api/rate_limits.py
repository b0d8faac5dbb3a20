"""Rate limits per credential and per address, answered with 429 problem+json and Retry-After.

- wrong agent API keys per address (a brute-force guard: past the limit, every call from that
  address with an agent key is refused until the bucket refills);
- conversation starts per address, and a cap on the conversations an address has open;
- customer posts per conversation token (REST and WebSocket);
- agent calls per API key.

The address is the connection's peer; ``X-Forwarded-For`` is read only when that peer is one of the
``trusted_proxies``. Buckets live in this process, or in Redis when ``redis_url`` is set so that
every worker shares them (``api/rate_buckets.py``)."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relaydesk.api.limits import send_problem
from relaydesk.api.rate_buckets import Buckets, MemoryBuckets, Rate, build_buckets
from relaydesk.settings import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
OPEN_LEDGER_TTL_S = 86400.0
"""How long an address's started conversations are remembered for the open-conversation cap."""
OPEN_CAP_RETRY_S = 60


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a call is refused, and when to try again."""

    detail: str
    retry_after_s: int

    def problem(self) -> dict[str, Any]:
        return {
            "type": "about:blank",
            "title": "Too many requests",
            "status": 429,
            "detail": self.detail,
            "retry_after_s": self.retry_after_s,
        }


def _retry(wait_s: float) -> int:
    return max(1, math.ceil(wait_s))


def subject(address: str) -> str:
    """What an address is counted as: itself, or for IPv6 its /64 (one site's block, whose
    addresses a single client can rotate through)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def token_key(secret: str) -> str:
    """Buckets are keyed by a hash: no key or token is kept in memory or in Redis in clear."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class RateLimiter:
    """The limits of one app, over shared or local buckets."""

    def __init__(self, settings: Settings, buckets: Buckets | None = None) -> None:
        self.enabled = settings.rate_limits_enabled
        self.wrong_keys = Rate.parse(settings.rate_limit_wrong_keys)
        self.conversation_starts = Rate.parse(settings.rate_limit_conversation_starts)
        self.open_conversations = settings.rate_limit_open_conversations
        self.customer_posts = Rate.parse(settings.rate_limit_customer_posts)
        self.agent_calls = Rate.parse(settings.rate_limit_agent_calls)
        self.trusted: tuple[Network, ...] = tuple(
            ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies
        )
        self.buckets = buckets or build_buckets(settings.redis_url)
        self.blocking = not isinstance(self.buckets, MemoryBuckets)
        """Calls reach Redis: run them in a worker thread, not on the event loop."""

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(fn, *args) if self.blocking else fn(*args)

    # -- the address ----------------------------------------------------------------------------
    def _is_trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    def client_address(self, scope: Scope) -> str:
        """The peer's address; behind a trusted proxy, the nearest untrusted hop of X-Forwarded-For."""
        client = scope.get("client")
        peer = str(client[0]) if client else "unknown"
        if not self.trusted or not self._is_trusted(peer):
            return peer
        forwarded = ",".join(Headers(scope=scope).getlist("x-forwarded-for"))
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return hop
        return hops[0] if hops else peer

    # -- the limits -------------------------------------------------------------------------------
    def agent_key_refusal(self, address: str, key: str) -> Refusal | None:
        """Refused when the address sent too many wrong keys, or the key made too many calls."""
        if not self.enabled:
            return None
        wait = self.buckets.take(f"wrong-keys:{subject(address)}", self.wrong_keys, 0)
        if wait > 0:
            return Refusal(
                f"Too many wrong API keys from {address} (the limit is {self.wrong_keys.describe()}); "
                f"agent calls from this address are refused for {_retry(wait)} s",
                _retry(wait),
            )
        wait = self.buckets.take(f"agent:{token_key(key)}", self.agent_calls)
        if wait > 0:
            return Refusal(
                f"Too many calls with this API key (the limit is {self.agent_calls.describe()}); "
                f"try again in {_retry(wait)} s",
                _retry(wait),
            )
        return None

    def wrong_key(self, address: str) -> None:
        """Count a wrong agent key from ``address``."""
        if self.enabled:
            self.buckets.take(f"wrong-keys:{subject(address)}", self.wrong_keys)

    def start_refusal(
        self, address: str, resolved_among: Callable[[Sequence[str]], set[str]]
    ) -> Refusal | None:
        """Refused past the starts per address, or while the address has too many open conversations."""
        if not self.enabled:
            return None
        ledger = f"open:{subject(address)}"
        started = self.buckets.members(ledger)
        if len(started) >= self.open_conversations:
            closed = resolved_among(sorted(started))
            self.buckets.forget(ledger, closed)
            if len(started - closed) >= self.open_conversations:
                return Refusal(
                    f"{address} already has {len(started - closed)} open conversations (the limit is "
                    f"{self.open_conversations}); continue one of them, or start another once one is closed",
                    OPEN_CAP_RETRY_S,
                )
        wait = self.buckets.take(f"starts:{subject(address)}", self.conversation_starts)
        if wait > 0:
            return Refusal(
                f"Too many conversations started from {address} (the limit is "
                f"{self.conversation_starts.describe()}); try again in {_retry(wait)} s",
                _retry(wait),
            )
        return None

    def started(self, address: str, conversation_id: str) -> None:
        if self.enabled:
            self.buckets.remember(f"open:{subject(address)}", conversation_id, OPEN_LEDGER_TTL_S)

    def post_refusal(self, token_digest: str) -> Refusal | None:
        """Refused past the customer posts per conversation token (by its :func:`token_key`)."""
        if not self.enabled:
            return None
        wait = self.buckets.take(f"posts:{token_digest}", self.customer_posts)
        if wait > 0:
            return Refusal(
                f"Too many messages on this conversation (the limit is {self.customer_posts.describe()}); "
                f"try again in {_retry(wait)} s",
                _retry(wait),
            )
        return None

    def close(self) -> None:
        self.buckets.close()


def _bearer(headers: Headers) -> str | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def _is_customer_path(path: str) -> bool:
    return path == "/v1/conversations" or path.startswith("/v1/conversations/")


class RateLimitMiddleware:
    """ASGI middleware applying :class:`RateLimiter` to HTTP calls (the streams apply it themselves)."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limiter.enabled:
            await self.app(scope, receive, send)
            return
        limiter = self.limiter
        address = limiter.client_address(scope)
        headers = Headers(scope=scope)
        path, method = scope["path"], scope["method"]
        customer_path = _is_customer_path(path)
        agent_key = headers.get("x-api-key") or (None if customer_path else _bearer(headers))
        refusal: Refusal | None = None
        if agent_key:
            refusal = await limiter.run(limiter.agent_key_refusal, address, agent_key)
        starting = method == "POST" and path == "/v1/conversations"
        if refusal is None and starting:
            refusal = await limiter.run(limiter.start_refusal, address, _resolved_among(scope))
        if refusal is None and method == "POST" and customer_path and path.endswith("/messages"):
            token = headers.get("x-conversation-token") or _bearer(headers)
            if token:
                refusal = await limiter.run(limiter.post_refusal, token_key(token))
        if refusal is not None:
            await _send_refusal(send, refusal)
            return

        status = 0
        body = bytearray()

        async def watching_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and starting and status == 201:
                body.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, watching_send)
        if status == 401 and agent_key:
            await limiter.run(limiter.wrong_key, address)
        if starting and status == 201:
            conversation_id = _started_id(bytes(body))
            if conversation_id:
                await limiter.run(limiter.started, address, conversation_id)


def _resolved_among(scope: Scope) -> Callable[[Sequence[str]], set[str]]:
    """Which conversations of a list are closed, from the app's runtime."""

    def resolved_among(ids: Sequence[str]) -> set[str]:
        runtime = scope["app"].state.runtime
        return set(runtime.cases.store.resolved_among(ids))

    return resolved_among


def _started_id(body: bytes) -> str | None:
    try:
        conversation = json.loads(body).get("conversation") or {}
    except (ValueError, AttributeError):
        return None
    value = conversation.get("id") if isinstance(conversation, dict) else None
    return value if isinstance(value, str) else None


async def _send_refusal(send: Send, refusal: Refusal) -> None:
    await send_problem(send, refusal.problem(), retry_after_s=refusal.retry_after_s)
