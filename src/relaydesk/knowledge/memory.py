"""An in-process ``KnowledgeStore``: for benchmarks, scripts and tests that need no database."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from relaydesk.domain.errors import InvalidInput, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.knowledge.types import ChunkDraft, KnowledgeSource, SourceFormat, StoredChunk


class InMemoryKnowledgeStore:
    """Keeps sources and chunks in dictionaries; every write swaps whole values under a lock."""

    def __init__(self) -> None:
        self._sources: dict[tuple[str, str], KnowledgeSource] = {}
        self._chunks: dict[str, list[StoredChunk]] = {}
        self._writes = 0
        self._lock = threading.Lock()

    def find_source(self, workspace_id: str, uri: str) -> KnowledgeSource | None:
        return self._sources.get((workspace_id, uri))

    def get_source(self, workspace_id: str, source_id: str) -> KnowledgeSource:
        for source in self.list_sources(workspace_id):
            if source.id == source_id:
                return source
        raise NotFound(f'No knowledge source with id "{source_id}"')

    def list_sources(self, workspace_id: str) -> list[KnowledgeSource]:
        return sorted((s for (ws, _), s in self._sources.items() if ws == workspace_id), key=lambda s: s.uri)

    def replace_source(
        self,
        workspace_id: str,
        *,
        uri: str,
        format: SourceFormat,
        title: str,
        content_hash: str,
        pipeline: str,
        size_bytes: int,
        chunks: Sequence[ChunkDraft],
        vectors: np.ndarray,
    ) -> KnowledgeSource:
        if len(chunks) != len(vectors):
            raise InvalidInput(f"{len(chunks)} chunks but {len(vectors)} vectors for {uri}")
        now = datetime.now(UTC)
        with self._lock:
            old = self._sources.get((workspace_id, uri))
            source = KnowledgeSource(
                id=old.id if old else new_id("kbs"),
                workspace_id=workspace_id,
                uri=uri,
                format=format,
                title=title,
                content_hash=content_hash,
                pipeline=pipeline,
                size_bytes=size_bytes,
                chunk_count=len(chunks),
                created_at=old.created_at if old else now,
                updated_at=now,
            )
            stored = [
                StoredChunk(
                    id=new_id("kbc"),
                    source_id=source.id,
                    ordinal=d.ordinal,
                    article_key=d.article_key,
                    article_title=d.article_title,
                    article_url=d.article_url,
                    headings=d.headings,
                    text=d.text,
                    vector=np.asarray(v, dtype=np.float32),
                )
                for d, v in zip(chunks, vectors, strict=True)
            ]
            self._sources[(workspace_id, uri)] = source
            self._chunks[source.id] = stored
            self._writes += 1
        return source

    def delete_source(self, workspace_id: str, source_id: str) -> None:
        source = self.get_source(workspace_id, source_id)
        with self._lock:
            del self._sources[(workspace_id, source.uri)]
            self._chunks.pop(source_id, None)
            self._writes += 1

    def load_chunks(self, workspace_id: str) -> list[StoredChunk]:
        return [c for s in self.list_sources(workspace_id) for c in self._chunks.get(s.id, [])]

    def revision(self, workspace_id: str) -> str:
        return str(self._writes)
