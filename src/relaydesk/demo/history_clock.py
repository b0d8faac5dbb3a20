"""A clock for playing the demo's history at the times it would have happened.

The past cases go through the real path (triage, the AI, routing, the desk), and every record on
that path takes its time from ``relaydesk.domain.models.utcnow``. Played straight, a whole
conversation (the customer's messages, the claim, the agent's answer, the resolution) happens
within a second, and the dashboard's time to escalation and handle time read 0 s. While the
history plays, :func:`history_clock` makes ``utcnow`` read a clock the seed sets: each step of a
past case is stamped minutes after the one before, as a customer and an agent would take them.

The clock is only ever set in the past (it never passes the real time), and is put back when the
block ends, even on an error. Between two settings it runs at the real pace, so the AI's own work
still takes the milliseconds it took.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from relaydesk.domain import models

_lock = threading.Lock()


class HistoryClock:
    """The time the history is at: ``now()`` for the records, ``at()`` to move it."""

    def __init__(self, real_now: Callable[[], datetime]) -> None:
        self._real_now = real_now
        self._base = real_now()
        self._set_at = time.monotonic()

    def now(self) -> datetime:
        return min(self._base + timedelta(seconds=time.monotonic() - self._set_at), self._real_now())

    def at(self, when: datetime) -> None:
        """Set the clock to ``when`` (the real time at the latest)."""
        self._base = min(when, self._real_now())
        self._set_at = time.monotonic()

    def after(self, seconds: float) -> datetime:
        """Move the clock ``seconds`` on, and return the new time."""
        self.at(self.now() + timedelta(seconds=seconds))
        return self.now()


@contextmanager
def history_clock() -> Iterator[HistoryClock]:
    """While the block runs, every relaydesk module's ``utcnow`` reads the returned clock (set to
    the real time until the caller moves it)."""
    real = models.utcnow
    clock = HistoryClock(real)
    with _lock:
        patched = [
            module
            for name, module in list(sys.modules.items())
            if name.startswith("relaydesk") and getattr(module, "utcnow", None) is real
        ]
        for module in patched:
            module.utcnow = clock.now  # type: ignore[attr-defined]
        try:
            yield clock
        finally:
            # and the modules first imported meanwhile, which took the clock as their utcnow
            for name, module in list(sys.modules.items()):
                if name.startswith("relaydesk") and getattr(module, "utcnow", None) == clock.now:
                    module.utcnow = real  # type: ignore[attr-defined]
