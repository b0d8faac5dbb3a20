"""What the knowledge base talks about: sources, articles, chunks, search hits and answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np


def with_context(title: str, headings: tuple[str, ...], text: str) -> str:
    """``Title > Heading > Subheading`` on the first line, then the passage (no part repeated)."""
    path = [p for p in dict.fromkeys((title, *headings)) if p and p != text]
    return " > ".join(path) + "\n" + text if path else text


class SourceFormat(StrEnum):
    MARKDOWN = "markdown"
    """Markdown with ``#`` headings and optional ``---`` front matter (title, url)."""
    HTML = "html"
    """An HTML page; scripts, styles and navigation are dropped."""
    PDF = "pdf"
    """A PDF with a text layer (scanned images without text are refused)."""
    TEXT = "text"
    """Plain text; blank lines separate paragraphs."""
    FAQ_CSV = "faq_csv"
    """A CSV with ``question`` and ``answer`` columns (optional ``title``, ``url``, ``category``)."""
    FAQ_JSON = "faq_json"
    """A JSON list of ``{"question", "answer"}`` objects, or ``{"faqs": [...]}``."""


class IngestStatus(StrEnum):
    ADDED = "added"
    """A new source: its chunks were written."""
    UPDATED = "updated"
    """A known source whose content changed: its old chunks were replaced."""
    UNCHANGED = "unchanged"
    """A known source with the same content hash: skipped."""
    FAILED = "failed"
    """The source could not be read or parsed; nothing of it was written."""


@dataclass(frozen=True, slots=True)
class Section:
    """A run of text under one heading path, e.g. ``("Returns", "Refund timing")``."""

    headings: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One article of a source. A page is one article; a FAQ file has one per question."""

    title: str
    url: str | None
    sections: tuple[Section, ...]
    key: str = ""
    """Unique inside its source (empty for single-article sources)."""


@dataclass(frozen=True, slots=True)
class RawSource:
    """The bytes of one file or URL, before parsing."""

    uri: str
    """Absolute file path or URL: the identity of the source inside a workspace."""
    data: bytes
    format: SourceFormat
    name: str
    """File name or URL path, used as a fallback title."""
    charset: str | None = None
    """Declared character set (HTTP ``Content-Type``); files are read as UTF-8."""


@dataclass(frozen=True, slots=True)
class ChunkDraft:
    """A chunk ready to be embedded and stored."""

    ordinal: int
    article_key: str
    article_title: str
    article_url: str | None
    headings: tuple[str, ...]
    text: str

    @property
    def context_text(self) -> str:
        """The text that is indexed: article title and headings give the passage its context."""
        return with_context(self.article_title, self.headings, self.text)


@dataclass(frozen=True, slots=True)
class KnowledgeSource:
    """A file or URL in a workspace's knowledge base."""

    id: str
    workspace_id: str
    uri: str
    format: SourceFormat
    title: str
    content_hash: str
    pipeline: str
    """Chunker and embedding model that produced the chunks; a change re-ingests the source."""
    size_bytes: int
    chunk_count: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredChunk:
    id: str
    source_id: str
    ordinal: int
    article_key: str
    article_title: str
    article_url: str | None
    headings: tuple[str, ...]
    text: str
    vector: np.ndarray = field(repr=False, compare=False)

    @property
    def context_text(self) -> str:
        return with_context(self.article_title, self.headings, self.text)


@dataclass(frozen=True, slots=True)
class ChunkHit:
    chunk: StoredChunk
    score: float
    """Fused rank score (higher is better); comparable only inside one result list."""
    dense: float
    """Cosine similarity between the query and the chunk (-1..1)."""
    lexical: float
    """BM25 score of the chunk (0 when BM25 did not retrieve it)."""


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """An article with its best-matching chunks, best first."""

    source_id: str
    article_key: str
    title: str
    url: str | None
    score: float
    dense: float
    chunks: tuple[ChunkHit, ...]


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    chunks: tuple[ChunkHit, ...]
    articles: tuple[ArticleHit, ...]
    confidence: float
    """How sure the knowledge base is that the top article covers the query (0..1)."""
    agree: bool = False
    """Both retrievers, the meaning (dense) and the words (BM25), put the top article first."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A cited piece of an article in an answer."""

    title: str
    url: str | None
    text: str


@dataclass(frozen=True, slots=True)
class KnowledgeAnswer:
    """The composer's verdict: an answer grounded in passages, or an abstention with its reason."""

    text: str | None
    confidence: float
    threshold: float
    citations: tuple[Passage, ...] = ()
    abstain_reason: str | None = None
    reasons: tuple[str, ...] = ()
    composer: str = "extractive"

    @property
    def answered(self) -> bool:
        return self.text is not None


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    uri: str
    status: IngestStatus
    chunks: int = 0
    title: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class IngestReport:
    outcomes: tuple[SourceOutcome, ...]

    def count(self, status: IngestStatus) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is IngestStatus.FAILED)

    @property
    def chunks_written(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in (IngestStatus.ADDED, IngestStatus.UPDATED))
