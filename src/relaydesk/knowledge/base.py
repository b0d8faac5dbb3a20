"""``KnowledgeBase``: one workspace's sources, search and answers. ``KnowledgeBases``: one per workspace.

The index lives in memory and is rebuilt from the store whenever the store's revision token changes
(another process may have added sources), so every search sees every committed source.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

from relaydesk.domain.errors import ConfigurationError, InvalidInput
from relaydesk.domain.ports import Embedder
from relaydesk.knowledge.compose import MAX_JOINED_ANSWER_CHARS, AnswerComposer, ExtractiveComposer, abstain
from relaydesk.knowledge.fetch import DEFAULT_MAX_BYTES, SUFFIX_FORMATS, UrlPolicy
from relaydesk.knowledge.index import HybridIndex, tokenize
from relaydesk.knowledge.ingest import Ingestor, IngestProgress, IngestSettings
from relaydesk.knowledge.ports import KnowledgeStore
from relaydesk.knowledge.types import (
    ArticleHit,
    IngestReport,
    KnowledgeAnswer,
    KnowledgeSource,
    Passage,
    RawSource,
    SearchResult,
    SourceFormat,
    SourceOutcome,
)

log = logging.getLogger(__name__)

DEFAULT_ANSWER_THRESHOLD = 0.48
"""Cosine between the question and the best article below which the knowledge base abstains: the
0.478 that benchmarks/stackfaq.py chose on validation data only (CLINC150 oos_val and the
even-numbered StackFAQ threads), rounded. See docs/knowledge.md."""
MAX_CITED_ARTICLES = 3
SHORT_PASSAGE_WORDS = 25
RUNNER_UP_MARGIN = 0.1
"""A second passage of the answering article is quoted too when its cosine to the question is
within this of the best one's: "How long does a refund take to reach my card?" scores 0.75 on
"Refund missing?" and 0.67 on the card timings; the customer needs both, and either alone can be
the wrong half."""
MAX_JOINED_CHARS = MAX_JOINED_ANSWER_CHARS


@dataclass(frozen=True, slots=True)
class KnowledgeConfig:
    answer_threshold: float = DEFAULT_ANSWER_THRESHOLD
    max_source_bytes: int = DEFAULT_MAX_BYTES
    fusion: str = "linear"
    revision_check_s: float = 1.0
    """How often a search asks the store whether another process changed the sources (0: always)."""
    url_policy: UrlPolicy = UrlPolicy()
    """Which URLs may be fetched as sources (default: public addresses only)."""


class KnowledgeBase:
    """Ingest, search and answer over one workspace's knowledge."""

    def __init__(
        self,
        store: KnowledgeStore,
        workspace_id: str,
        embedder: Callable[[], Embedder],
        *,
        config: KnowledgeConfig | None = None,
        composer: AnswerComposer | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.store = store
        self.workspace_id = workspace_id
        self.config = config or KnowledgeConfig()
        self.composer = composer or ExtractiveComposer()
        self._embedder = embedder
        self._ingestor = Ingestor(
            store,
            workspace_id,
            embedder,
            IngestSettings(max_source_bytes=self.config.max_source_bytes, url_policy=self.config.url_policy),
            http,
        )
        self._lock = threading.Lock()
        self._index: HybridIndex | None = None
        self._revision: str | None = None
        self._checked_at = float("-inf")

    # -- sources ----------------------------------------------------------------------------------
    def add(self, inputs: Sequence[str | Path], progress: IngestProgress | None = None) -> IngestReport:
        """Ingest files, folders and URLs; see ``IngestReport`` for what happened to each."""
        try:
            return self._ingestor.ingest(inputs, progress)
        finally:
            self._checked_at = float("-inf")

    def add_content(
        self, name: str, content: str | bytes, *, source_format: SourceFormat | None = None
    ) -> SourceOutcome:
        """Ingest content handed over directly; ``name`` (e.g. ``returns.md``) identifies it."""
        fmt = source_format or SUFFIX_FORMATS.get(Path(name).suffix.lower())
        if fmt is None:
            raise InvalidInput(f'Cannot tell the format of "{name}"; give a known suffix or a format')
        data = content.encode("utf-8") if isinstance(content, str) else content
        uri = f"upload:{name}"
        try:
            return self._ingestor.ingest_raw(RawSource(uri=uri, data=data, format=fmt, name=name))
        finally:
            self._checked_at = float("-inf")

    def sources(self) -> list[KnowledgeSource]:
        return self.store.list_sources(self.workspace_id)

    def remove(self, source_id: str) -> None:
        self.store.delete_source(self.workspace_id, source_id)
        self._checked_at = float("-inf")

    # -- retrieval --------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return len(self.index()) == 0

    def index(self) -> HybridIndex:
        """The current in-memory index, rebuilt first when the store has changed.

        Writes through this object are seen at once; writes by other processes within
        ``revision_check_s`` seconds.
        """
        now = time.monotonic()
        if self._index is not None and now - self._checked_at < self.config.revision_check_s:
            return self._index
        revision = self.store.revision(self.workspace_id)
        self._checked_at = now
        with self._lock:
            if self._index is None or revision != self._revision:
                chunks = self.store.load_chunks(self.workspace_id)
                dimension = int(chunks[0].vector.shape[0]) if chunks else 0
                self._index = HybridIndex(chunks, dimension, fusion=self.config.fusion)
                self._revision = revision
                log.info("knowledge index for %s: %d chunks", self.workspace_id, len(chunks))
            return self._index

    def search(
        self,
        query: str,
        *,
        query_vector: Sequence[float] | np.ndarray | None = None,
        chunks: int = 10,
        articles: int = 5,
    ) -> SearchResult:
        """Chunk- and article-level hits for ``query``, with the confidence that the top one answers it.

        ``query_vector`` (e.g. ``TriageResult.embedding``) saves embedding the query again; it is
        used only when its dimension matches the index.
        """
        query = query.strip()
        if not query:
            raise InvalidInput("The search query is empty")
        index = self.index()
        if len(index) == 0:
            return SearchResult(query, (), (), 0.0)
        vector = self._query_vector(query, query_vector, index.dimension)
        ranking = index.search(vector, tokenize(query), chunks=chunks, articles=articles)
        top = ranking.article_hits[0].dense if ranking.article_hits else 0.0
        return SearchResult(
            query, ranking.chunk_hits, ranking.article_hits, float(np.clip(top, 0.0, 1.0)), ranking.agree
        )

    def answer(
        self,
        question: str,
        *,
        query_vector: Sequence[float] | np.ndarray | None = None,
        threshold: float | None = None,
    ) -> KnowledgeAnswer:
        """A grounded answer with citations, or an abstention with reason ``missing knowledge``
        (``threshold``: instead of the configured one, for an answer corroborated otherwise)."""
        threshold = self.config.answer_threshold if threshold is None else threshold
        result = self.search(question, query_vector=query_vector, articles=MAX_CITED_ARTICLES)
        if not result.articles:
            answer = abstain(0.0, threshold, "the knowledge base is empty", self.composer.name)
        elif result.confidence < threshold:
            best = result.articles[0].title
            answer = abstain(
                result.confidence,
                threshold,
                f'best article "{best}" scored {result.confidence:.2f}, below the threshold {threshold:.2f}',
                self.composer.name,
            )
        else:
            passages = self.passages(result.articles, threshold)
            answer = self.composer.compose(
                question, passages, confidence=result.confidence, threshold=threshold
            )
        log.info(
            "knowledge decision: %s (confidence %.3f, threshold %.2f, composer %s)",
            "answer" if answer.answered else "abstain",
            answer.confidence,
            threshold,
            answer.composer,
        )
        return answer

    def passages(self, articles: Sequence[ArticleHit], threshold: float) -> list[Passage]:
        """The best passage of each article that clears the threshold, best article first."""
        index = self.index()
        out: list[Passage] = []
        for article in articles:
            if article.dense < threshold and out:
                break
            whole = [
                c
                for c in index.article_chunks(article.source_id, article.article_key)
                if c.text != article.title
            ]
            best = [c.chunk for c in article.chunks if c.chunk.text != article.title] or whole[:1]
            if not best:
                continue
            text = best[0].text
            following = [c for c in whole if c.ordinal > best[0].ordinal]
            if len(text.split()) < SHORT_PASSAGE_WORDS and following:
                text = f"{text}\n\n{following[0].text}"  # a one-line intro alone says too little
            elif not out:
                text = _with_runner_up(article, text, threshold)
            out.append(Passage(article.title, article.url, text))
        return out

    def _query_vector(
        self, query: str, given: Sequence[float] | np.ndarray | None, dimension: int
    ) -> np.ndarray:
        if given is not None:
            vector = np.asarray(given, dtype=np.float32)
            if vector.shape == (dimension,):
                return vector
        embedder = self._embedder()
        if embedder.dimension != dimension:
            raise ConfigurationError(
                f'The knowledge index holds {dimension}-d vectors but embedder "{embedder.model_id}" makes '
                f"{embedder.dimension}-d ones; add the sources again to re-embed them"
            )
        return embedder.embed([query])[0]


def _with_runner_up(article: ArticleHit, text: str, threshold: float) -> str:
    """The best passage of the answering article, joined in the article's order with its runner-up
    when that one is nearly as close to the question (``RUNNER_UP_MARGIN``) and the two fit."""
    hits = [h for h in article.chunks if h.chunk.text != article.title]
    if len(hits) < 2:
        return text
    best, second = hits[0], max(hits[1:], key=lambda h: h.dense)
    if second.dense < max(threshold, best.dense - RUNNER_UP_MARGIN):
        return text
    first, then = sorted((best.chunk, second.chunk), key=lambda c: c.ordinal)
    joined = f"{first.text}\n\n{then.text}"
    return joined if len(joined) <= MAX_JOINED_CHARS else text


class KnowledgeBases:
    """One ``KnowledgeBase`` per workspace, created on first use and kept (with its index)."""

    def __init__(
        self,
        store: KnowledgeStore,
        embedder: Callable[[], Embedder],
        *,
        config: KnowledgeConfig | None = None,
        composer: AnswerComposer | None = None,
    ) -> None:
        self.store = store
        self.config = config or KnowledgeConfig()
        self.composer = composer
        self._embedder = embedder
        self._bases: dict[str, KnowledgeBase] = {}
        self._lock = threading.Lock()

    def get(self, workspace_id: str) -> KnowledgeBase:
        with self._lock:
            base = self._bases.get(workspace_id)
            if base is None:
                base = KnowledgeBase(
                    self.store, workspace_id, self._embedder, config=self.config, composer=self.composer
                )
                self._bases[workspace_id] = base
            return base
