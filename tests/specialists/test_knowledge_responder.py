from __future__ import annotations

from datetime import UTC, datetime

import pytest

from relaydesk.domain.capability_types import ConversationContext, TriageResult
from relaydesk.domain.ids import ConversationId, MessageId
from relaydesk.domain.models import (
    Channel,
    Message,
    MessageRole,
)
from relaydesk.embeddings.local import OnnxSentenceEmbedder, load_embedder
from relaydesk.knowledge import HELPCENTER_DIR, InMemoryKnowledgeStore, KnowledgeBases
from relaydesk.specialists.knowledge import NO_KNOWLEDGE_BASE, KnowledgeResponder
from relaydesk.testing import make_context

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def context(workspace: str) -> ConversationContext:
    return make_context(workspace_id=workspace)


def message(text: str) -> Message:
    return Message(MessageId("msg_1"), ConversationId("conv_1"), MessageRole.CUSTOMER, text, Channel.WEB, NOW)


def triage(embedding: tuple[float, ...] | None = None) -> TriageResult:
    return TriageResult(
        intent=None,
        confidence=0.0,
        in_scope=True,
        frustration=0.0,
        urgency=0.0,
        language="en",
        embedding=embedding,
    )


@pytest.fixture(scope="module")
def embedder() -> OnnxSentenceEmbedder:
    return load_embedder()


@pytest.fixture(scope="module")
def bases(embedder: OnnxSentenceEmbedder) -> KnowledgeBases:
    kbs = KnowledgeBases(InMemoryKnowledgeStore(), lambda: embedder)
    assert not kbs.get("ws_shop").add([HELPCENTER_DIR]).failed
    return kbs


def test_a_covered_question_gets_a_cited_answer_with_its_score(bases: KnowledgeBases) -> None:
    reply = KnowledgeResponder(bases).respond(message("Do gift cards expire?"), triage(), context("ws_shop"))
    assert reply.responder == "knowledge" and reply.resolved
    assert reply.text is not None and "never expire" in reply.text
    assert reply.citations[0].title == "Gift cards and store credit"
    assert reply.citations[0].url == "https://help.northwind.example/articles/gift-cards"
    assert reply.confidence >= 0.48
    assert reply.reasons[0].startswith("knowledge answer: confidence ")


def test_an_uncovered_question_abstains_with_missing_knowledge(bases: KnowledgeBases) -> None:
    reply = KnowledgeResponder(bases).respond(
        message("Which team won the basketball finals?"), triage(), context("ws_shop")
    )
    assert reply.text is None and reply.abstain_reason == "missing knowledge"
    assert reply.reasons[0].startswith("knowledge abstain: confidence ")
    assert 0.0 < reply.confidence < 0.48


def test_the_triage_vector_is_reused(bases: KnowledgeBases, embedder: OnnxSentenceEmbedder) -> None:
    # The text asks about gift cards, the vector about passwords: the vector decides the dense side.
    vector = tuple(embedder.embed(["I forgot my password and cannot sign in"])[0].tolist())
    reply = KnowledgeResponder(bases).respond(message("sign in help"), triage(vector), context("ws_shop"))
    assert reply.citations[0].title == "Passwords, sign-in and account security"


def test_a_workspace_without_knowledge_does_not_claim_missing_knowledge(bases: KnowledgeBases) -> None:
    reply = KnowledgeResponder(bases).respond(message("Do gift cards expire?"), triage(), context("ws_empty"))
    assert reply.text is None and reply.abstain_reason == NO_KNOWLEDGE_BASE


def test_a_failing_knowledge_base_abstains_instead_of_breaking_the_conversation() -> None:
    def broken() -> KnowledgeBases:
        raise RuntimeError("database gone")

    reply = KnowledgeResponder(broken).respond(message("hello"), triage(), context("ws_shop"))
    assert reply.text is None and reply.abstain_reason == "knowledge base unavailable"
