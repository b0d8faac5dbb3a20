"""Token buckets for the rate limits, in this process or shared by every worker through Redis.

A bucket holds up to ``Rate.count`` tokens and refills at ``count / per_s`` tokens a second; a call
takes one. ``take`` answers how long to wait (0: allowed). The same interface holds the addresses'
open conversations (a cap, not a rate) and the WebSockets' single-use tickets."""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from relaydesk.domain.errors import NotReady

log = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|m|h)\s*$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600}
MAX_BUCKETS = 100_000
"""In-process buckets kept before the full ones are dropped (an attacker rotating keys cannot grow
memory without bound)."""


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` calls per ``per_s`` seconds, all of them at once at most."""

    count: int
    per_s: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"30/1m"``, ``"20/5m"``, ``"100/h"``, ``"5/10s"``."""
        match = _RATE.match(text)
        if match is None or int(match.group(1)) < 1:
            raise ValueError(f'rate "{text}" is not COUNT/PERIOD such as 30/1m, 20/5m or 100/1h')
        return cls(int(match.group(1)), int(match.group(2) or 1) * _UNIT_S[match.group(3)])

    @property
    def per_token_s(self) -> float:
        return self.per_s / self.count

    def describe(self) -> str:
        """``20 in 5 minutes``."""
        for unit, seconds in (("hour", 3600), ("minute", 60)):
            if self.per_s % seconds == 0:
                n = int(self.per_s // seconds)
                return (
                    f"{self.count} in {'an' if n == 1 and unit == 'hour' else n} {unit}{'s' if n > 1 else ''}"
                )
        return f"{self.count} in {self.per_s:g} seconds"


class Buckets(Protocol):
    """Rate buckets, open-conversation ledgers and stream tickets."""

    def take(self, key: str, rate: Rate, cost: int = 1) -> float:
        """Take ``cost`` tokens (0: only look); the seconds to wait when the bucket lacks them."""
        ...

    def remember(self, key: str, member: str, ttl_s: float) -> None:
        """Add ``member`` to the set ``key`` (kept ``ttl_s`` seconds after its last addition)."""
        ...

    def members(self, key: str) -> set[str]: ...

    def forget(self, key: str, members: Iterable[str]) -> None: ...

    def issue(self, value: str, ttl_s: float) -> str:
        """A new random ticket that redeems to ``value`` once within ``ttl_s`` seconds."""
        ...

    def redeem(self, ticket: str) -> str | None:
        """The ticket's value, once; None when unknown, used or expired."""
        ...

    def close(self) -> None: ...


class MemoryBuckets:
    """The buckets of one process (the default)."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float, Rate]] = {}
        self._sets: dict[str, tuple[set[str], float]] = {}
        self._tickets: dict[str, tuple[str, float]] = {}

    def take(self, key: str, rate: Rate, cost: int = 1) -> float:
        now = self._clock()
        with self._lock:
            tokens, stamp, _ = self._buckets.get(key, (float(rate.count), now, rate))
            tokens = min(float(rate.count), tokens + (now - stamp) / rate.per_token_s)
            need = max(cost, 1)
            if tokens < need:
                wait = (need - tokens) * rate.per_token_s
            else:
                wait = 0.0
                tokens -= cost
            if len(self._buckets) >= MAX_BUCKETS:
                self._drop_full(now)
            self._buckets[key] = (tokens, now, rate)
            return wait

    def _drop_full(self, now: float) -> None:
        for key, (tokens, stamp, rate) in list(self._buckets.items()):
            if tokens + (now - stamp) / rate.per_token_s >= rate.count:
                del self._buckets[key]
        for key, (_, until) in list(self._sets.items()):
            if until < now:
                del self._sets[key]
        for key, (_, until) in list(self._tickets.items()):
            if until < now:
                del self._tickets[key]

    def remember(self, key: str, member: str, ttl_s: float) -> None:
        with self._lock:
            members, _ = self._sets.get(key, (set(), 0.0))
            members.add(member)
            self._sets[key] = (members, self._clock() + ttl_s)

    def members(self, key: str) -> set[str]:
        with self._lock:
            members, until = self._sets.get(key, (set(), 0.0))
            return set(members) if until >= self._clock() else set()

    def forget(self, key: str, members: Iterable[str]) -> None:
        with self._lock:
            if key in self._sets:
                self._sets[key][0].difference_update(members)

    def issue(self, value: str, ttl_s: float) -> str:
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            if len(self._tickets) >= MAX_BUCKETS:
                self._drop_full(self._clock())
            self._tickets[ticket] = (value, self._clock() + ttl_s)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        with self._lock:
            value, until = self._tickets.pop(ticket, ("", 0.0))
        return value if value and until >= self._clock() else None

    def close(self) -> None:
        pass


# KEYS[1]: the bucket. ARGV: capacity, seconds per token, cost. Redis's clock, so every worker agrees.
_TAKE = """
local cap = tonumber(ARGV[1])
local per_token = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(b[1]) or cap
local stamp = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - stamp) / per_token)
local need = math.max(cost, 1)
local wait = 0
if tokens < need then
  wait = (need - tokens) * per_token
else
  tokens = tokens - cost
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) * per_token * 1000) + 1000)
return tostring(wait)
"""


class RedisBuckets:
    """Buckets shared by every worker that uses the same Redis (``RELAYDESK_REDIS_URL``). While
    Redis cannot be reached the limits let calls through (logged), rather than refuse everyone."""

    def __init__(self, url: str, prefix: str = "relaydesk:limits:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self._prefix = prefix
        self._take = self._redis.register_script(_TAKE)
        self._last_warning = 0.0

    def _unreachable(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning > 10:
            self._last_warning = now
            log.warning(
                "rate limits: Redis cannot be reached (%s); calls are let through", type(exc).__name__
            )

    def take(self, key: str, rate: Rate, cost: int = 1) -> float:
        try:
            wait = self._take(keys=[self._prefix + key], args=[rate.count, repr(rate.per_token_s), cost])
        except self._errors as exc:
            self._unreachable(exc)
            return 0.0
        return float(wait)

    def remember(self, key: str, member: str, ttl_s: float) -> None:
        try:
            pipe = self._redis.pipeline()
            pipe.sadd(self._prefix + key, member)
            pipe.pexpire(self._prefix + key, int(ttl_s * 1000))
            pipe.execute()
        except self._errors as exc:
            self._unreachable(exc)

    def members(self, key: str) -> set[str]:
        try:
            return {m.decode() for m in self._redis.smembers(self._prefix + key)}  # type: ignore[union-attr]
        except self._errors as exc:
            self._unreachable(exc)
            return set()

    def forget(self, key: str, members: Iterable[str]) -> None:
        gone = list(members)
        try:
            if gone:
                self._redis.srem(self._prefix + key, *gone)
        except self._errors as exc:
            self._unreachable(exc)

    def issue(self, value: str, ttl_s: float) -> str:
        ticket = secrets.token_urlsafe(24)
        try:
            self._redis.set(self._prefix + "ticket:" + ticket, value, px=int(ttl_s * 1000))
        except self._errors as exc:
            self._unreachable(exc)
            raise NotReady(
                "Stream tickets cannot be issued while Redis is unreachable; authenticate with a first "
                'frame {"type": "auth", "token": "..."} instead',
                retry_after_s=5,
            ) from exc
        return ticket

    def redeem(self, ticket: str) -> str | None:
        try:
            value = self._redis.getdel(self._prefix + "ticket:" + ticket)
        except self._errors as exc:
            self._unreachable(exc)
            return None
        return value.decode() if isinstance(value, bytes) else None

    def close(self) -> None:
        self._redis.close()


def build_buckets(redis_url: str | None) -> Buckets:
    return RedisBuckets(redis_url) if redis_url else MemoryBuckets()
