"""Chunking: sections are cut into passages of at most ``max_words``, on paragraph, then sentence,
boundaries. Every chunk keeps its article title and heading path as context."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from relaydesk.knowledge.types import ChunkDraft, ParsedArticle

CHUNKER_VERSION = "chunker-1"
MAX_WORDS = 110
"""MiniLM reads at most 128 word pieces, so longer passages would be embedded only in part."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def chunk_articles(articles: Sequence[ParsedArticle], max_words: int = MAX_WORDS) -> list[ChunkDraft]:
    chunks: list[ChunkDraft] = []
    for article in articles:
        for section in article.sections:
            for text in split_passages(section.text, max_words):
                chunks.append(
                    ChunkDraft(
                        ordinal=len(chunks),
                        article_key=article.key,
                        article_title=article.title,
                        article_url=article.url,
                        headings=section.headings,
                        text=text,
                    )
                )
    return chunks


def split_passages(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Paragraphs packed greedily into passages of at most ``max_words`` words."""
    passages: list[str] = []
    current: list[str] = []
    size = 0
    for piece in _pieces(text, max_words):
        n = len(piece.split())
        if current and size + n > max_words:
            passages.append("\n\n".join(current))
            current, size = [], 0
        current.append(piece)
        size += n
    if current:
        passages.append("\n\n".join(current))
    return passages


def _pieces(text: str, max_words: int) -> Iterator[str]:
    """Paragraphs, with any paragraph longer than ``max_words`` cut into sentence runs."""
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if len(paragraph.split()) <= max_words:
            yield paragraph
            continue
        run: list[str] = []
        for sentence in split_sentences(paragraph):
            words = sentence.split()
            while len(words) > max_words:  # one enormous sentence: cut by words
                if run:
                    yield " ".join(run)
                    run = []
                yield " ".join(words[:max_words])
                words = words[max_words:]
            if run and len(" ".join(run).split()) + len(words) > max_words:
                yield " ".join(run)
                run = []
            if words:
                run.append(" ".join(words))
        if run:
            yield " ".join(run)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
