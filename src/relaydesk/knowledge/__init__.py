"""The knowledge base: ingest a company's content, search it (BM25 + vectors), answer with citations.

No web framework or ORM here: storage goes through ``KnowledgeStore`` (knowledge/ports.py), whose SQL
implementation is ``relaydesk.storage.knowledge_store.SqlKnowledgeStore``.
"""

from __future__ import annotations

from pathlib import Path

from relaydesk.knowledge.base import DEFAULT_ANSWER_THRESHOLD, KnowledgeBase, KnowledgeBases, KnowledgeConfig
from relaydesk.knowledge.compose import MISSING_KNOWLEDGE, ExtractiveComposer, GroundedLLMComposer
from relaydesk.knowledge.fetch import SourceError
from relaydesk.knowledge.ingest import IngestProgress
from relaydesk.knowledge.memory import InMemoryKnowledgeStore
from relaydesk.knowledge.ports import KnowledgeStore
from relaydesk.knowledge.types import (
    ArticleHit,
    ChunkHit,
    IngestReport,
    IngestStatus,
    KnowledgeAnswer,
    KnowledgeSource,
    Passage,
    SearchResult,
    SourceFormat,
    SourceOutcome,
)

HELPCENTER_DIR = Path(__file__).resolve().parent.parent / "demo" / "helpcenter"
"""The demo store's help center articles (Markdown), ingested by ``relaydesk demo``."""


def ingest_directory(
    base: KnowledgeBase, directory: str | Path = HELPCENTER_DIR, progress: IngestProgress | None = None
) -> IngestReport:
    """Ingest every supported file under ``directory`` (default: the demo help center)."""
    return base.add([Path(directory)], progress)


__all__ = [
    "DEFAULT_ANSWER_THRESHOLD",
    "HELPCENTER_DIR",
    "MISSING_KNOWLEDGE",
    "ArticleHit",
    "ChunkHit",
    "ExtractiveComposer",
    "GroundedLLMComposer",
    "InMemoryKnowledgeStore",
    "IngestReport",
    "IngestStatus",
    "KnowledgeAnswer",
    "KnowledgeBase",
    "KnowledgeBases",
    "KnowledgeConfig",
    "KnowledgeSource",
    "KnowledgeStore",
    "Passage",
    "SearchResult",
    "SourceError",
    "SourceFormat",
    "SourceOutcome",
    "ingest_directory",
]
