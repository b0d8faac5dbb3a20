"""Which implementation plugs into each port, built once from Settings (the composition root,
``services/runtime.py``, calls ``build_capabilities``). Each capability's issue replaces its
builder here."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relaydesk.domain.ports import Embedder, EscalationPolicy, Responder, Router, Triage
from relaydesk.embeddings.builder import build_embedder
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from relaydesk.knowledge import KnowledgeBases


@dataclass
class Capabilities:
    """The orchestrator's collaborators, chosen by configuration."""

    triage: Triage
    escalation: EscalationPolicy
    responders: list[Responder]
    """Tried in order; the first reply that does not abstain is sent."""
    router: Router
    knowledge: LazyKnowledge | None = None
    """The workspaces' knowledge bases (help centers), shared by the knowledge responder, the
    agents' API and the demo seeding: one index per workspace in the process."""
    intake: Any = None
    """Gathers what a person will need while the customer waits (``specialists/intake.py``)."""


__all__ = ["Capabilities", "LazyKnowledge", "build_embedder", "build_knowledge", "build_triage"]


class LazyKnowledge:
    """The knowledge bases, opened on first use (so building capabilities stays cheap), once."""

    def __init__(self, settings: Settings, engine: Engine | None, embedder: Embedder | None) -> None:
        self._settings, self._engine, self._embedder = settings, engine, embedder
        self._bases: KnowledgeBases | None = None
        self._lock = threading.Lock()
        self.owned_engine: Any = None
        """An engine opened for the knowledge bases (when none was handed in); closed by ``close``."""

    def get(self) -> KnowledgeBases:
        with self._lock:
            if self._bases is None:
                engine = self._engine
                if engine is None:
                    from relaydesk.storage.database import make_engine

                    engine = self.owned_engine = make_engine(self._settings.database_url)
                self._bases = build_knowledge(self._settings, engine, self._embedder)
            return self._bases

    def close(self) -> None:
        if self.owned_engine is not None:
            self.owned_engine.dispose()
            self.owned_engine = None


def build_knowledge(settings: Settings, engine: Engine, embedder: Embedder | None = None) -> KnowledgeBases:
    """The knowledge bases on ``engine``'s database: passages embedded with ``embedder`` (the
    triage one when it is the same model; built from the settings on first use otherwise), and
    answers written by the configured LLM from the retrieved passages when there is one."""
    from relaydesk.knowledge import KnowledgeBases
    from relaydesk.knowledge.base import DEFAULT_ANSWER_THRESHOLD, KnowledgeConfig
    from relaydesk.knowledge.compose import GroundedLLMComposer
    from relaydesk.knowledge.fetch import UrlPolicy
    from relaydesk.llm import build_llm
    from relaydesk.storage.knowledge_store import SqlKnowledgeStore

    threshold = settings.knowledge_answer_threshold
    config = KnowledgeConfig(
        answer_threshold=DEFAULT_ANSWER_THRESHOLD if threshold is None else threshold,
        max_source_bytes=settings.knowledge_max_source_bytes,
        url_policy=UrlPolicy(
            allow_private=settings.knowledge_url_allow_private, hosts=tuple(settings.knowledge_url_hosts)
        ),
    )
    llm = build_llm(settings)
    composer = None
    if llm is not None:
        masked = settings.llm_mask_personal_data
        composer = GroundedLLMComposer(llm) if masked else GroundedLLMComposer(llm, redact=None)
    embed = (lambda: embedder) if embedder is not None else (lambda: build_embedder(settings))
    return KnowledgeBases(SqlKnowledgeStore(engine), embed, config=config, composer=composer)


def build_triage(settings: Settings) -> Triage:
    from relaydesk.triage.frustration.detector import frustration_reader
    from relaydesk.triage.intent.default_model import intent_model_for
    from relaydesk.triage.message_triage import MessageTriage

    embedder = build_embedder(settings)
    intents = intent_model_for(settings.intent_model, settings.data_dir, embedder)
    if not settings.embedder.startswith("openai:"):
        # Concurrent turns' sentences go to the local model together (embeddings/batching.py);
        # knowledge and similar-case search share this embedder through the triage.
        from relaydesk.embeddings.batching import BatchingEmbedder

        embedder = BatchingEmbedder(embedder)
    return MessageTriage(intents, embedder, frustration=frustration_reader())


def build_escalation(settings: Settings) -> EscalationPolicy:
    from relaydesk.governance.escalation_policy import RulesEscalationPolicy

    turns = settings.max_ai_turns if "max_ai_turns" in settings.model_fields_set else None
    return RulesEscalationPolicy.from_file(settings.governance_policy, max_ai_turns=turns)


def build_responders(knowledge: LazyKnowledge, specialist: Responder | None = None) -> list[Responder]:
    from relaydesk.specialists.clarify import ClarifyResponder
    from relaydesk.specialists.fallback import FallbackResponder
    from relaydesk.specialists.knowledge import KnowledgeResponder
    from relaydesk.specialists.smalltalk import SmallTalkResponder

    chain: list[Responder] = [SmallTalkResponder()]
    if specialist is not None:
        chain.append(specialist)
    return [*chain, KnowledgeResponder(knowledge.get), ClarifyResponder(), FallbackResponder()]


def build_specialist(settings: Settings, engine: Engine | None) -> Responder:
    """The specialist flows over the demo store's governed tools, on ``engine``'s database (its
    own engine, opened on first use, when none is given)."""
    from relaydesk.commerce.tools import TOOL_TYPES
    from relaydesk.specialists.flow_spec import FlowLibrary, bundled_library
    from relaydesk.specialists.responder import SpecialistResponder

    tool_names = [t.spec.name for t in TOOL_TYPES]
    state: dict[str, Any] = {}
    lock = threading.Lock()

    def store() -> Any:
        with lock:
            if "store" not in state:
                from relaydesk.storage.database import make_engine
                from relaydesk.storage.store import SqlStore

                state["store"] = SqlStore(engine or make_engine(settings.database_url))
            return state["store"]

    def tools() -> Any:
        from relaydesk.governance.policy import load_policy
        from relaydesk.services.approvals import governed_commerce

        return governed_commerce(store(), load_policy(settings.governance_policy))

    libraries: dict[str, FlowLibrary] = {}

    def library(workspace_id: str) -> FlowLibrary:
        with lock:
            if workspace_id not in libraries:
                folders = []
                if settings.flows_dir is not None:
                    folders.append(settings.flows_dir)
                    try:
                        slug = store().get_workspace(workspace_id).slug
                        folders.append(settings.flows_dir / slug)
                    except Exception:  # an unknown workspace has only the shared flows
                        pass
                libraries[workspace_id] = bundled_library(tool_names, [f for f in folders if f.is_dir()])
            return libraries[workspace_id]

    phraser = planner = None
    if settings.llm_base_url:
        from relaydesk.llm import build_llm
        from relaydesk.specialists.llm_assist import LLMPhraser, LLMPlanner

        llm = build_llm(settings)
        if llm is not None:
            phraser = LLMPhraser(llm, mask=settings.llm_mask_personal_data)
            planner = LLMPlanner(llm, mask=settings.llm_mask_personal_data)
    return SpecialistResponder(
        tools, lambda cid: store().decisions(cid), library, phraser=phraser, planner=planner
    )


def build_router(settings: Settings) -> Router:
    from relaydesk.routing.fifo import FifoRouter
    from relaydesk.routing.rules import load_routing_rules
    from relaydesk.routing.skills import SkillRouter

    if settings.router == "fifo":
        return FifoRouter()
    return SkillRouter(load_routing_rules(settings.routing_rules))


def build_capabilities(settings: Settings, engine: Engine | None = None) -> Capabilities:
    """Every capability, once. ``engine``: the database the knowledge bases live in (the
    runtime's; without one they open their own on first use)."""
    triage = build_triage(settings)
    knowledge = LazyKnowledge(settings, engine, getattr(triage, "embedder", None))
    specialist = build_specialist(settings, engine)
    return Capabilities(
        triage=triage,
        escalation=build_escalation(settings),
        responders=build_responders(knowledge, specialist),
        router=build_router(settings),
        knowledge=knowledge,
        intake=getattr(specialist, "intake", None),
    )
