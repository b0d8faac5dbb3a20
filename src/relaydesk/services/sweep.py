"""The routing timer: every few seconds, waiting conversations go to agents with room for them,
and approval tasks nobody qualified could take (or that went overdue) are offered again.

Agent events (coming online, resolving, handing back) hand out queued conversations at once; the
timer covers what no event announces: a conversation whose wait has widened its requirements
(see docs/routing.md), or an agent whose capacity was raised. A pass reads, for each agent with a
free seat, the queue in routing order until it finds one they may take (at most a few thousand
rows); on many workers the passes race safely, because every assignment is a compare-and-set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from relaydesk.services.assignment import hand_out_waiting
from relaydesk.services.context import ServiceContext

log = logging.getLogger(__name__)


class RoutingSweep:
    def __init__(
        self,
        context: ServiceContext,
        interval_s: float,
        offer_approvals: Callable[[], int] | None = None,
    ) -> None:
        """``offer_approvals``: offers waiting approval tasks again (``ApprovalRouter.offer_waiting``);
        the number that found an agent."""
        self.ctx = context
        self.interval_s = interval_s
        self.offer_approvals = offer_approvals
        self.approvals_offered = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0
        self.assigned = 0

    def start(self) -> None:
        if self.interval_s <= 0 or self._thread:
            return
        self._thread = threading.Thread(target=self._run, name="relaydesk-routing-sweep", daemon=True)
        self._thread.start()

    def run_once(self) -> int:
        """One pass; the number of conversations assigned (approvals offered: ``approvals_offered``)."""
        if self.offer_approvals is not None:  # first: it needs no models, so it runs while they load
            self.approvals_offered += self.offer_approvals()
        assigned = hand_out_waiting(self.ctx, self._stop.is_set)
        self.passes += 1
        self.assigned += assigned
        return assigned

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                assigned = self.run_once()
                if assigned:
                    log.info("routing sweep assigned %d waiting conversations", assigned)
            except Exception:  # a failed pass must not end the timer: the next pass retries
                log.exception("routing sweep failed; retrying in %.0f s", self.interval_s)
