"""The in-memory hybrid index: BM25 over chunk text plus dense vectors, fused.

Fusion is linear by default: ``cosine + LEXICAL_WEIGHT * bm25 / max(bm25)``; reciprocal rank
fusion is the alternative. Chunk-level and article-level rankings are fused separately: an article
scores its best chunk in each retriever. Rebuilt from the store at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from relaydesk.knowledge.types import ArticleHit, ChunkHit, StoredChunk

LEXICAL_WEIGHT = 0.2
"""Weight of the max-normalised BM25 score in linear fusion. Chosen among 0, 0.05, 0.1, 0.2, 0.3
on the even-numbered StackFAQ threads only (see benchmarks/stackfaq.py); reported on the rest."""
RRF_K = 60
"""The constant of reciprocal rank fusion (Cormack et al. 2009); the usual value, not tuned."""
CANDIDATES = 100
"""How many chunks each retriever contributes to reciprocal rank fusion."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOPWORDS = frozenset(STOPWORDS_EN) | {"i", "my", "me", "do", "does", "can", "how", "what", "you", "your"}
_stemmer = Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop words dropped, Snowball-stemmed words."""
    words = [w.replace("'", "") for w in _WORD.findall(text.lower())]
    return _stemmer.stemWords([w for w in words if w not in _STOPWORDS])


@dataclass(frozen=True, slots=True)
class Ranking:
    """Both retrievers' raw scores for one query, and the fused orders."""

    chunk_hits: tuple[ChunkHit, ...]
    article_hits: tuple[ArticleHit, ...]
    query_terms: tuple[str, ...]
    agree: bool = False
    """The dense and the lexical retriever put the same article first (and the fused order too)."""


class HybridIndex:
    """BM25 + cosine retrieval over a fixed list of chunks (ordered so each article is contiguous)."""

    def __init__(
        self,
        chunks: Sequence[StoredChunk],
        dimension: int,
        *,
        fusion: str = "linear",
        lexical_weight: float = LEXICAL_WEIGHT,
    ) -> None:
        if fusion not in ("linear", "rrf"):
            raise ValueError(f'fusion "{fusion}" must be "linear" or "rrf"')
        self.fusion = fusion
        self.lexical_weight = lexical_weight
        self.chunks = list(chunks)
        self.dimension = dimension
        n = len(self.chunks)
        self.matrix = (
            np.stack([c.vector for c in self.chunks]).astype(np.float32, copy=False)
            if n
            else np.zeros((0, dimension), dtype=np.float32)
        )
        self._bm25 = bm25s.BM25()
        self.chunk_terms = [tokenize(c.context_text) for c in self.chunks]
        if n:
            self._bm25.index([t or [""] for t in self.chunk_terms], show_progress=False)
        keys = [(c.source_id, c.article_key) for c in self.chunks]
        starts = [i for i in range(n) if i == 0 or keys[i] != keys[i - 1]]
        self._article_starts = np.asarray(starts, dtype=np.int64)
        self._article_keys = [keys[i] for i in starts]
        self._article_ends = np.append(self._article_starts[1:], n).astype(np.int64)

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def article_count(self) -> int:
        return len(self._article_keys)

    def article_chunks(self, source_id: str, article_key: str) -> list[StoredChunk]:
        return [c for c in self.chunks if c.source_id == source_id and c.article_key == article_key]

    def lexical_scores(self, terms: Sequence[str]) -> np.ndarray:
        if not self.chunks or not terms:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(list(terms)), dtype=np.float32)

    def search(
        self, query_vector: np.ndarray, query_terms: Sequence[str], *, chunks: int = 10, articles: int = 5
    ) -> Ranking:
        n = len(self.chunks)
        if n == 0:
            return Ranking((), (), tuple(query_terms))
        dense = self.matrix @ query_vector.astype(np.float32, copy=False)
        lexical = self.lexical_scores(query_terms)
        chunk_order = self._fuse(dense, lexical, limit=chunks)
        chunk_hits = tuple(
            ChunkHit(self.chunks[i], score=s, dense=float(dense[i]), lexical=float(lexical[i]))
            for i, s in chunk_order
        )
        # Inside an article, passages are ordered by the linear fusion whatever the fusion mode.
        passage_score = dense + self.lexical_weight * _scaled(lexical)
        art_dense = np.maximum.reduceat(dense, self._article_starts)
        art_lexical = np.maximum.reduceat(lexical, self._article_starts)
        article_hits = []
        for a, score in self._fuse(art_dense, art_lexical, limit=articles):
            members = np.arange(self._article_starts[a], self._article_ends[a])
            best = members[np.argsort(-passage_score[members], kind="stable")][:3]
            first = self.chunks[int(members[0])]
            article_hits.append(
                ArticleHit(
                    source_id=first.source_id,
                    article_key=first.article_key,
                    title=first.article_title,
                    url=first.article_url,
                    score=score,
                    dense=float(art_dense[a]),
                    chunks=tuple(
                        ChunkHit(self.chunks[int(i)], score, float(dense[i]), float(lexical[i])) for i in best
                    ),
                )
            )
        agree = bool(
            article_hits
            and art_lexical.max() > 0
            and int(np.argmax(art_dense)) == int(np.argmax(art_lexical))
            and self.chunks[int(self._article_starts[int(np.argmax(art_dense))])].article_key
            == article_hits[0].article_key
        )
        return Ranking(chunk_hits, tuple(article_hits), tuple(query_terms), agree)

    def _fuse(self, dense: np.ndarray, lexical: np.ndarray, *, limit: int) -> list[tuple[int, float]]:
        if self.fusion == "rrf":
            return _rrf(dense, lexical, limit=limit)
        fused = dense + self.lexical_weight * _scaled(lexical)
        k = min(limit, fused.size)
        top = np.argpartition(-fused, k - 1)[:k] if k < fused.size else np.arange(fused.size)
        top = top[np.argsort(-fused[top], kind="stable")]
        return [(int(i), float(fused[i])) for i in top]


def _scaled(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else values


def _rrf(dense: np.ndarray, lexical: np.ndarray, *, limit: int) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of the two score arrays over each one's top candidates."""
    fused: dict[int, float] = {}
    for scores, positive_only in ((dense, False), (lexical, True)):
        k = min(CANDIDATES, scores.size)
        top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
        top = top[np.argsort(-scores[top], kind="stable")]
        for rank, i in enumerate(top.tolist()):
            if positive_only and scores[i] <= 0:
                break
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
