"""Ingestion: read, hash, parse, chunk, embed and store each source, one source at a time.

A failing source is reported with its error and the batch goes on. A source's chunks are written
with the source in one store transaction, so the index never holds half a source. A source whose
bytes and pipeline are unchanged is skipped without parsing or embedding.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from relaydesk.domain.errors import RelaydeskError
from relaydesk.domain.ports import Embedder
from relaydesk.knowledge.chunking import CHUNKER_VERSION, MAX_WORDS, chunk_articles
from relaydesk.knowledge.fetch import (
    DEFAULT_MAX_BYTES,
    SourceError,
    UrlPolicy,
    expand_locators,
    human_size,
    read_source,
)
from relaydesk.knowledge.parsers import parse_source
from relaydesk.knowledge.parsers.text import title_from_name
from relaydesk.knowledge.ports import KnowledgeStore
from relaydesk.knowledge.types import IngestReport, IngestStatus, ParsedArticle, RawSource, SourceOutcome

log = logging.getLogger(__name__)

IngestProgress = Callable[[int, int, SourceOutcome], None]
"""Called after each source with (sources done, sources in the batch, that source's outcome)."""


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_source_bytes: int = DEFAULT_MAX_BYTES
    max_words: int = MAX_WORDS
    url_policy: UrlPolicy = UrlPolicy()


class Ingestor:
    """Writes sources into one workspace's knowledge base."""

    def __init__(
        self,
        store: KnowledgeStore,
        workspace_id: str,
        embedder: Callable[[], Embedder],
        settings: IngestSettings | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.store = store
        self.workspace_id = workspace_id
        self._embedder = embedder
        self.settings = settings or IngestSettings()
        self._http = http

    def pipeline(self) -> str:
        """Names what produced the chunks; a change makes unchanged sources re-ingest."""
        return f"{CHUNKER_VERSION}/{self.settings.max_words}w/{self._embedder().model_id}"

    def ingest(self, inputs: Sequence[str | Path], progress: IngestProgress | None = None) -> IngestReport:
        locators = expand_locators(inputs)
        outcomes: list[SourceOutcome] = []
        for locator in locators:
            outcome = self._one(locator)
            outcomes.append(outcome)
            if progress is not None:
                progress(len(outcomes), len(locators), outcome)
        return IngestReport(tuple(outcomes))

    def ingest_raw(self, raw: RawSource) -> SourceOutcome:
        """Ingest bytes handed over directly (an API upload) instead of read from a path or URL."""
        if len(raw.data) > self.settings.max_source_bytes:
            return SourceOutcome(
                raw.uri,
                IngestStatus.FAILED,
                error=f'"{raw.uri}" is {human_size(len(raw.data))}, over the '
                f"{human_size(self.settings.max_source_bytes)} limit for one source",
            )
        return self._guarded(raw.uri, lambda: raw)

    def _one(self, locator: str) -> SourceOutcome:
        return self._guarded(
            locator,
            lambda: read_source(
                locator,
                max_bytes=self.settings.max_source_bytes,
                client=self._http,
                url_policy=self.settings.url_policy,
            ),
        )

    def _guarded(self, uri: str, read: Callable[[], RawSource]) -> SourceOutcome:
        try:
            return self._write(read())
        except RelaydeskError as exc:
            log.info("knowledge source %s failed: %s", uri, exc.detail)
            return SourceOutcome(uri, IngestStatus.FAILED, error=exc.detail)
        except Exception as exc:  # one broken source must not stop the batch
            log.exception("unexpected error while ingesting %s", uri)
            return SourceOutcome(
                uri, IngestStatus.FAILED, error=f"unexpected {type(exc).__name__} while reading it"
            )

    def _write(self, raw: RawSource) -> SourceOutcome:
        digest = hashlib.sha256(raw.data).hexdigest()
        pipeline = self.pipeline()
        existing = self.store.find_source(self.workspace_id, raw.uri)
        if existing is not None and existing.content_hash == digest and existing.pipeline == pipeline:
            return SourceOutcome(raw.uri, IngestStatus.UNCHANGED, existing.chunk_count, existing.title)
        articles = parse_source(raw)
        _check_links(raw.uri, articles)
        drafts = chunk_articles(articles, self.settings.max_words)
        vectors = self._embedder().embed([d.context_text for d in drafts])
        title = articles[0].title if len(articles) == 1 else _faq_title(raw, len(articles))
        source = self.store.replace_source(
            self.workspace_id,
            uri=raw.uri,
            format=raw.format,
            title=title,
            content_hash=digest,
            pipeline=pipeline,
            size_bytes=len(raw.data),
            chunks=drafts,
            vectors=vectors,
        )
        status = IngestStatus.ADDED if existing is None else IngestStatus.UPDATED
        return SourceOutcome(raw.uri, status, source.chunk_count, source.title)


def _check_links(uri: str, articles: Sequence[ParsedArticle]) -> None:
    """Article links reach customers in answers' citations: only http(s) links with a host."""
    for article in articles:
        if article.url is None:
            continue
        parts = urlsplit(article.url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            shown = article.url if len(article.url) <= 80 else article.url[:77] + "..."
            raise SourceError(
                f'"{uri}": the article "{article.title[:80]}" links to "{shown}"; '
                "an article's url must be an http:// or https:// link with a host name"
            )


def _faq_title(raw: RawSource, articles: int) -> str:
    return f"{title_from_name(raw.name)} ({articles} questions)"
