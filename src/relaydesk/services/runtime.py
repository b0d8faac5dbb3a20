"""The composition root: one running relaydesk, built once from Settings.

Everything is built here and nowhere else: the engine and stores, the event bus and outbox, the
decision log, the capabilities (triage models, policy, specialists, router), the use cases and the
background loops (routing timer, message recovery, outbox relay). With ``background=True`` the
capabilities load in a thread, so a server answers at once and says "starting" until they are in;
use cases that need them wait for them.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from relaydesk.domain.errors import ConfigurationError
from relaydesk.services.audit import DecisionRecorder
from relaydesk.services.context import CapabilitySlot, ServiceContext
from relaydesk.services.conversations import SupportDesk
from relaydesk.services.orchestrator import Orchestrator
from relaydesk.services.outbox import BackgroundLoop, EventOutbox
from relaydesk.services.outcomes import Outcomes, OutcomeSettings
from relaydesk.services.recovery import MessageRecovery, worker_id
from relaydesk.services.sweep import RoutingSweep
from relaydesk.services.wiring import Capabilities, build_capabilities
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from relaydesk.bus.memory import InProcessBus
    from relaydesk.cases.similar import SimilarCaseFinder
    from relaydesk.domain.ports import EventBus, SupportStore
    from relaydesk.knowledge import KnowledgeBases
    from relaydesk.services.agent_tools import AgentToolService
    from relaydesk.services.approval_routing import ApprovalRouter
    from relaydesk.services.approvals import ApprovalService
    from relaydesk.services.follow_ups import FollowUpService
    from relaydesk.storage.store import SqlStore

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    store: SqlStore
    bus: InProcessBus
    context: ServiceContext
    orchestrator: Orchestrator
    desk: SupportDesk
    cases: SimilarCaseFinder
    outbox: EventOutbox
    recovery: MessageRecovery
    worker: str
    started_at: float = field(default_factory=time.monotonic)
    _loops: list[BackgroundLoop | RoutingSweep] = field(default_factory=list)
    _loader: threading.Thread | None = None
    _approvals: ApprovalService | None = None
    _follow_ups: FollowUpService | None = None
    _approval_router: ApprovalRouter | None = None
    _agent_tools: AgentToolService | None = None
    _approvals_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def capabilities(self) -> Capabilities:
        """The capabilities (waits for them while they load)."""
        return self.context.slot.get()

    @property
    def ready(self) -> bool:
        """The models are in and no start-up task holds readiness back."""
        return self.context.slot.ready

    @property
    def waiting_for(self) -> list[str]:
        """What start-up still waits for (empty once ready)."""
        return self.context.slot.waiting_for

    def hold_ready(self, task: str) -> None:
        """Stay "starting" (customers' messages wait) until ``release_ready(task)``: the demo
        loading its help center, say, with ``loaded_capabilities()`` and ``startup_services()``."""
        self.context.slot.hold(task)

    def release_ready(self, task: str) -> None:
        self.context.slot.release(task)

    def loaded_capabilities(self) -> Capabilities:
        """The capabilities once loaded, even while a start-up task holds readiness back."""
        return self.context.slot.loaded()

    def startup_services(self) -> Services:
        """Use cases for start-up tasks: the same store, bus and case memory, with the loaded
        capabilities given directly (they do not wait for readiness, which the task holds)."""
        return build_services(
            self.settings,
            self.store,
            self.bus,
            capabilities=self.loaded_capabilities(),
            cases=self.cases,
            worker=self.worker,
        )

    @property
    def load_error(self) -> BaseException | None:
        return self.context.slot.failed

    def start_background(self) -> None:
        """Start the timers: routing sweep, message recovery and outbox relay (servers call this;
        tests and one-off commands usually do not)."""
        if self._loops:
            return
        sweep = RoutingSweep(self.context, self.settings.routing_sweep_s, self.approval_router.offer_waiting)
        interval = self.settings.recovery_interval_s
        recovery = BackgroundLoop("relaydesk-message-recovery", self._recover, interval)
        relay = BackgroundLoop("relaydesk-outbox-relay", self.outbox.relay_once, interval)
        outcomes = BackgroundLoop("relaydesk-outcomes", self.settle_outcomes, self.settings.outcome_sweep_s)
        self._loops = [sweep, recovery, relay, outcomes]
        for loop in self._loops:
            loop.start()

    def settle_outcomes(self) -> int:
        """One pass of the outcome timer: quiet conversations close (resolved or abandoned) and due
        follow-ups are sent; how many of both."""
        return self.desk.outcomes.settle_quiet() + self.follow_ups.send_due()

    @property
    def follow_ups(self) -> FollowUpService:
        """Follow-ups over this runtime's database (built once)."""
        if self._follow_ups is None:
            from relaydesk.services.follow_ups import FollowUpService

            redact = self.settings.redact_card_numbers
            self._follow_ups = FollowUpService.on(self.context, self.engine, redact_card_numbers=redact)
        return self._follow_ups

    def _recover(self) -> None:
        if self.context.slot.ready:  # stranded messages wait for the models like new ones
            self.recovery.run_once()

    def stop_background(self) -> None:
        loops, self._loops = self._loops, []
        for loop in loops:
            loop.stop()

    @property
    def approval_router(self) -> ApprovalRouter:
        """Offers approval tasks to agents with the authority (new ones, and again on the sweep)."""
        with self._approvals_lock:
            if self._approval_router is None:
                from relaydesk.services.approval_routing import ApprovalRouter
                from relaydesk.storage.approval_store import SqlApprovalStore

                self._approval_router = ApprovalRouter(
                    self.store,
                    SqlApprovalStore(self.engine),
                    self.outbox,
                    sla_s=self.settings.approval_sla_s,
                )
            return self._approval_router

    @property
    def approvals(self) -> ApprovalService:
        """Approval tasks and held actions, with the policy the escalation rules came from."""
        router = self.approval_router
        with self._approvals_lock:
            if self._approvals is None:
                from relaydesk.services.approvals import ApprovalService

                policy = getattr(self.loaded_capabilities().escalation, "policy", None)
                self._approvals = ApprovalService.build(
                    self.store, self.settings, self.outbox, policy=policy, router=router
                )
            return self._approvals

    @property
    def agent_tools(self) -> AgentToolService:
        """The store's governed tools for agents (the same ones, policy and approvals as the AI's)."""
        approvals = self.approvals
        with self._approvals_lock:
            if self._agent_tools is None:
                from relaydesk.services.agent_tools import AgentToolService

                self._agent_tools = AgentToolService(self.store, approvals.tools)
            return self._agent_tools

    def knowledge(self) -> KnowledgeBases:
        """The workspaces' knowledge bases (the same ones the knowledge responder answers from)."""
        knowledge = self.loaded_capabilities().knowledge
        if knowledge is None:
            raise ConfigurationError("This server has no knowledge bases configured")
        return knowledge.get()

    def close(self) -> None:
        self.stop_background()
        try:
            self.outbox.flush()
        except Exception:  # the relay of the next start sends them again at worst
            log.exception("could not delete sent outbox rows at shutdown")
        if self._loader is not None:
            self._loader.join(timeout=60)
        if self.context.slot.is_loaded:
            knowledge = self.loaded_capabilities().knowledge
            if knowledge is not None:
                knowledge.close()
        self.bus.close()
        self.engine.dispose()


@dataclass
class Services:
    """The use cases over one store and bus (``build_services``)."""

    context: ServiceContext
    orchestrator: Orchestrator
    desk: SupportDesk
    outbox: EventOutbox
    recovery: MessageRecovery


def build_services(
    settings: Settings,
    store: SupportStore,
    bus: EventBus,
    *,
    capabilities: Capabilities | None = None,
    cases: SimilarCaseFinder | None = None,
    worker: str = "local",
) -> Services:
    """The use cases over any ``SupportStore`` (the SQL one, or ``relaydesk.testing.MemoryStore``)
    and bus; capabilities now, or later through ``context.slot.provide``."""
    outbox = EventOutbox(store, bus)
    context = ServiceContext(store, outbox, DecisionRecorder(store), CapabilitySlot(capabilities))
    orchestrator = Orchestrator(context, cases=cases)
    desk = SupportDesk(
        context,
        orchestrator,
        outcomes=Outcomes(context, OutcomeSettings(settings.settle_after_s, settings.reopen_window_s)),
        cases=cases,
        max_message_chars=settings.max_message_chars,
        redact_card_numbers=settings.redact_card_numbers,
        worker=worker,
        lease_s=settings.message_lease_s,
        customer_token_ttl_s=settings.customer_token_ttl_s,
    )
    recovery = MessageRecovery(
        orchestrator,
        owner=worker,
        lease_s=settings.message_lease_s,
        max_attempts=settings.max_handling_attempts,
    )
    return Services(context, orchestrator, desk, outbox, recovery)


def build_runtime(
    settings: Settings,
    *,
    migrate: bool = True,
    capabilities: Capabilities | None = None,
    background: bool = False,
) -> Runtime:
    """Everything for ``settings``. ``background``: load the capabilities in a thread (servers)."""
    from relaydesk.bus.redis_bus import build_bus
    from relaydesk.cases.similar import SimilarCaseFinder
    from relaydesk.storage.case_store import SqlCaseStore
    from relaydesk.storage.database import make_engine, upgrade
    from relaydesk.storage.store import SqlStore

    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    store = SqlStore(engine)
    bus = build_bus(settings.redis_url)
    cases = SimilarCaseFinder(SqlCaseStore(engine), None, min_similarity=settings.similar_case_min_similarity)
    worker = worker_id()
    services = build_services(settings, store, bus, cases=cases, worker=worker)
    context, orchestrator, desk, outbox, recovery, slot = (
        services.context,
        services.orchestrator,
        services.desk,
        services.outbox,
        services.recovery,
        services.context.slot,
    )
    runtime = Runtime(
        settings, engine, store, bus, context, orchestrator, desk, cases, outbox, recovery, worker
    )
    context.follow_ups = runtime.follow_ups  # flows schedule theirs in the turn's transaction

    def provide(caps: Capabilities) -> None:
        cases.embedder = getattr(caps.triage, "embedder", None)
        slot.provide(caps)

    if capabilities is not None:
        provide(capabilities)
    elif background:

        def load() -> None:
            started = time.perf_counter()
            try:
                provide(build_capabilities(settings, engine))
                log.info("models loaded in %.1f s; ready", time.perf_counter() - started)
            except BaseException as exc:  # the server keeps answering, and says why it is not ready
                log.exception("loading the capabilities failed")
                slot.fail(exc)

        runtime._loader = threading.Thread(target=load, name="relaydesk-load-models", daemon=True)
        runtime._loader.start()
    else:
        provide(build_capabilities(settings, engine))
    return runtime
