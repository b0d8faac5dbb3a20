"""Which implementation plugs into each port. Each capability's issue replaces its builder here."""

from __future__ import annotations

from dataclasses import dataclass, field

from relaydesk.domain.ports import EscalationPolicy, Responder, Router, Triage
from relaydesk.embeddings.builder import build_embedder
from relaydesk.settings import Settings


@dataclass
class Capabilities:
    """The orchestrator's collaborators, chosen by configuration."""

    triage: Triage
    escalation: EscalationPolicy
    responders: list[Responder]
    """Tried in order; the first reply that does not abstain is sent."""
    router: Router
    extras: dict[str, object] = field(default_factory=dict)


__all__ = ["Capabilities", "build_embedder", "build_triage"]


def build_triage(settings: Settings) -> Triage:
    from relaydesk.triage.frustration.detector import frustration_reader
    from relaydesk.triage.intent.default_model import intent_model_for
    from relaydesk.triage.message_triage import MessageTriage

    embedder = build_embedder(settings)
    intents = intent_model_for(settings.intent_model, settings.data_dir, embedder)
    return MessageTriage(intents, embedder, frustration=frustration_reader())


def build_escalation(settings: Settings) -> EscalationPolicy:
    from relaydesk.governance.escalation_policy import RulesEscalationPolicy

    turns = settings.max_ai_turns if "max_ai_turns" in settings.model_fields_set else None
    return RulesEscalationPolicy.from_file(settings.governance_policy, max_ai_turns=turns)


def build_responders(settings: Settings) -> list[Responder]:
    from relaydesk.specialists.fallback import FallbackResponder
    from relaydesk.specialists.knowledge import KnowledgeResponder
    from relaydesk.specialists.smalltalk import SmallTalkResponder
    from relaydesk.storage.knowledge_store import open_knowledge_bases

    # The knowledge base opens on the first message, so building capabilities stays cheap.
    return [
        SmallTalkResponder(),
        KnowledgeResponder(lambda: open_knowledge_bases(settings)),
        FallbackResponder(),
    ]


def build_router(settings: Settings) -> Router:
    from relaydesk.routing.fifo import FifoRouter
    from relaydesk.routing.rules import load_routing_rules
    from relaydesk.routing.skills import SkillRouter

    if settings.router == "fifo":
        return FifoRouter()
    return SkillRouter(load_routing_rules(settings.routing_rules))


def build_capabilities(settings: Settings) -> Capabilities:
    return Capabilities(
        triage=build_triage(settings),
        escalation=build_escalation(settings),
        responders=build_responders(settings),
        router=build_router(settings),
    )
