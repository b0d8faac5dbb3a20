"""Recovery as a lease: stranded customer messages are answered within seconds, without a restart.

Every customer message is stored leased to the worker that took it (``lease_s`` seconds). If that
worker dies or its turn fails, the lease runs out and this loop, on any worker, claims the message
(a compare-and-set, so exactly one wins) and runs the turn again. A live worker's message is never
taken: its lease is still running. Each retry leases the message for twice as long as the one
before (backoff), and after ``max_attempts`` the AI stops trying and a person takes the
conversation (``Orchestrator.give_up``).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import TYPE_CHECKING

from relaydesk.domain.ids import new_id

if TYPE_CHECKING:
    from relaydesk.domain.models import Message
    from relaydesk.services.orchestrator import Orchestrator

log = logging.getLogger(__name__)


def worker_id() -> str:
    """This process's name on leases: host, process id and a random part (pids are reused)."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{new_id('w')[-8:]}"


class MessageRecovery:
    def __init__(
        self,
        orchestrator: Orchestrator,
        *,
        owner: str,
        lease_s: float = 10.0,
        max_attempts: int = 5,
        batch: int = 50,
    ) -> None:
        self.orchestrator = orchestrator
        self.owner = owner
        self.lease_s = lease_s
        self.max_attempts = max_attempts
        self.batch = batch
        self.recovered = 0

    def run_once(self) -> int:
        """Claim and handle the stranded messages there are now; returns how many were handled."""
        store = self.orchestrator.store
        handled = 0
        for message in store.stranded_customer_messages(limit=self.batch):
            if not store.claim_message(message.id, self.owner, self.lease_s):
                continue  # another worker took it first
            attempts = store.message_attempts(message.id)
            try:
                if attempts > self.max_attempts:
                    self.orchestrator.give_up(message, attempts - 1)
                else:
                    self.orchestrator.handle(message)
                handled += 1
            except Exception:
                log.exception(
                    "handling stranded message %s failed (attempt %d); it is retried later",
                    message.id,
                    attempts,
                )
        if handled:
            log.warning("answered %d customer messages left unhandled by a failed or stopped worker", handled)
        self.recovered += handled
        return handled


def finish_message(
    orchestrator: Orchestrator, message: Message, *, owner: str, lease_s: float, wait_s: float
) -> bool:
    """Make sure an unhandled message gets handled now (a client retried it): handle it when its
    lease has ended (its worker died), else wait up to ``wait_s`` for the worker that holds it.
    True once it is handled."""
    store = orchestrator.store
    deadline = time.monotonic() + wait_s
    delay = 0.02
    while True:
        if store.claim_message(message.id, owner, lease_s):
            try:
                orchestrator.handle(message)
                return True
            except Exception:
                log.exception("handling retried message %s failed; it is retried later", message.id)
                return False
        handled_at, _lease_until = store.message_lease(message.id)
        if handled_at is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(delay)  # another worker holds it: its turn commits in milliseconds
        delay = min(delay * 2, 0.25)
