"""Assembles one running relaydesk from Settings: storage, bus, capabilities, use cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from relaydesk.services.conversations import SupportDesk
from relaydesk.services.orchestrator import Orchestrator
from relaydesk.services.wiring import Capabilities, build_capabilities
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from relaydesk.bus.memory import InProcessBus
    from relaydesk.storage.store import SqlStore


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    store: SqlStore
    bus: InProcessBus
    capabilities: Capabilities
    orchestrator: Orchestrator
    desk: SupportDesk

    def close(self) -> None:
        from relaydesk.storage.knowledge_store import release_knowledge_bases

        release_knowledge_bases(self.settings)
        self.bus.close()
        self.engine.dispose()


def build_runtime(
    settings: Settings, *, migrate: bool = True, capabilities: Capabilities | None = None
) -> Runtime:
    from relaydesk.bus.redis_bus import build_bus
    from relaydesk.handoff.similar_cases import SimilarCaseFinder
    from relaydesk.storage.case_store import SqlCaseStore
    from relaydesk.storage.database import make_engine, upgrade
    from relaydesk.storage.store import SqlStore

    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    store = SqlStore(engine)
    bus = build_bus(settings.redis_url)
    caps = capabilities or build_capabilities(settings)
    cases = SimilarCaseFinder(
        SqlCaseStore(engine),
        getattr(caps.triage, "embedder", None),
        min_similarity=settings.similar_case_min_similarity,
    )
    orchestrator = Orchestrator(store, caps, bus, cases=cases)
    desk = SupportDesk(
        store,
        orchestrator,
        cases=cases,
        max_message_chars=settings.max_message_chars,
        redact_card_numbers=settings.redact_card_numbers,
    )
    return Runtime(settings, engine, store, bus, caps, orchestrator, desk)
