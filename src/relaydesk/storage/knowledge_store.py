"""The SQL ``KnowledgeStore`` and the composition of a workspace's knowledge base from Settings."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import utcnow
from relaydesk.knowledge.base import DEFAULT_ANSWER_THRESHOLD, KnowledgeBases, KnowledgeConfig
from relaydesk.knowledge.fetch import UrlPolicy
from relaydesk.knowledge.types import ChunkDraft, IngestReport, KnowledgeSource, SourceFormat, StoredChunk
from relaydesk.storage.database import make_session_factory
from relaydesk.storage.knowledge_tables import KbChunkRow, KbSourceRow

if TYPE_CHECKING:
    from relaydesk.knowledge.ingest import IngestProgress
    from relaydesk.settings import Settings


def _source(row: KbSourceRow) -> KnowledgeSource:
    return KnowledgeSource(
        id=row.id,
        workspace_id=row.workspace_id,
        uri=row.uri,
        format=SourceFormat(row.format),
        title=row.title,
        content_hash=row.content_hash,
        pipeline=row.pipeline,
        size_bytes=row.size_bytes,
        chunk_count=row.chunk_count,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def _utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlKnowledgeStore:
    """Sources and chunks in ``kb_sources`` / ``kb_chunks``; vectors as float32 bytes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.owns_engine = False
        self._sessions = make_session_factory(engine)

    def find_source(self, workspace_id: str, uri: str) -> KnowledgeSource | None:
        with self._sessions() as s:
            row = s.scalar(
                select(KbSourceRow).where(KbSourceRow.workspace_id == workspace_id, KbSourceRow.uri == uri)
            )
            return _source(row) if row else None

    def get_source(self, workspace_id: str, source_id: str) -> KnowledgeSource:
        with self._sessions() as s:
            row = s.get(KbSourceRow, source_id)
            if row is None or row.workspace_id != workspace_id:
                raise NotFound(f'No knowledge source with id "{source_id}"')
            return _source(row)

    def list_sources(self, workspace_id: str) -> list[KnowledgeSource]:
        with self._sessions() as s:
            rows = s.scalars(
                select(KbSourceRow).where(KbSourceRow.workspace_id == workspace_id).order_by(KbSourceRow.uri)
            )
            return [_source(r) for r in rows]

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
            raise InvalidInput(f'{len(chunks)} chunks but {len(vectors)} vectors for "{uri}"')
        now = utcnow()
        try:
            with self._sessions.begin() as s:
                row = s.scalar(
                    select(KbSourceRow)
                    .where(KbSourceRow.workspace_id == workspace_id, KbSourceRow.uri == uri)
                    .with_for_update()
                )
                if row is None:
                    row = KbSourceRow(id=new_id("kbs"), workspace_id=workspace_id, uri=uri, created_at=now)
                    s.add(row)
                else:
                    s.execute(delete(KbChunkRow).where(KbChunkRow.source_id == row.id))
                row.format = str(format)
                row.title = title[:500]
                row.content_hash = content_hash
                row.pipeline = pipeline
                row.size_bytes = size_bytes
                row.chunk_count = len(chunks)
                row.updated_at = now
                s.flush()
                if chunks:
                    s.execute(
                        insert(KbChunkRow),
                        [
                            {
                                "id": new_id("kbc"),
                                "source_id": row.id,
                                "workspace_id": workspace_id,
                                "ordinal": d.ordinal,
                                "article_key": d.article_key[:64],
                                "article_title": d.article_title[:500],
                                "article_url": d.article_url,
                                "headings": list(d.headings),
                                "text": d.text,
                                "vector": np.asarray(v, dtype="<f4").tobytes(),
                            }
                            for d, v in zip(chunks, vectors, strict=True)
                        ],
                    )
                source = _source(row)
        except IntegrityError as exc:
            raise Conflict(f'Knowledge source "{uri}" was written by someone else at the same time') from exc
        return source

    def delete_source(self, workspace_id: str, source_id: str) -> None:
        with self._sessions.begin() as s:
            row = s.get(KbSourceRow, source_id)
            if row is None or row.workspace_id != workspace_id:
                raise NotFound(f'No knowledge source with id "{source_id}"')
            s.execute(delete(KbChunkRow).where(KbChunkRow.source_id == source_id))
            s.delete(row)

    def load_chunks(self, workspace_id: str) -> list[StoredChunk]:
        columns = (
            KbChunkRow.id,
            KbChunkRow.source_id,
            KbChunkRow.ordinal,
            KbChunkRow.article_key,
            KbChunkRow.article_title,
            KbChunkRow.article_url,
            KbChunkRow.headings,
            KbChunkRow.text,
            KbChunkRow.vector,
        )
        query = (
            select(*columns)
            .where(KbChunkRow.workspace_id == workspace_id)
            .order_by(KbChunkRow.source_id, KbChunkRow.ordinal)
        )
        with self._sessions() as s:
            return [
                StoredChunk(
                    id=r[0],
                    source_id=r[1],
                    ordinal=r[2],
                    article_key=r[3],
                    article_title=r[4],
                    article_url=r[5],
                    headings=tuple(r[6] or ()),
                    text=r[7],
                    vector=np.frombuffer(r[8], dtype="<f4"),
                )
                for r in s.execute(query)
            ]

    def revision(self, workspace_id: str) -> str:
        with self._sessions() as s:
            count, latest, chunks = s.execute(
                select(
                    func.count(KbSourceRow.id),
                    func.max(KbSourceRow.updated_at),
                    func.sum(KbSourceRow.chunk_count),
                ).where(KbSourceRow.workspace_id == workspace_id)
            ).one()
        return f"{count}:{latest}:{chunks}"


def knowledge_config(settings: Settings) -> KnowledgeConfig:
    threshold = settings.knowledge_answer_threshold
    return KnowledgeConfig(
        answer_threshold=DEFAULT_ANSWER_THRESHOLD if threshold is None else threshold,
        max_source_bytes=settings.knowledge_max_source_bytes,
        url_policy=UrlPolicy(
            allow_private=settings.knowledge_url_allow_private,
            hosts=tuple(settings.knowledge_url_hosts),
        ),
    )


_opened: dict[tuple[object, ...], KnowledgeBases] = {}
_opened_lock = threading.Lock()


def _cache_key(settings: Settings) -> tuple[object, ...]:
    return (
        settings.database_url,
        settings.embedder,
        settings.knowledge_answer_threshold,
        settings.knowledge_max_source_bytes,
        settings.knowledge_url_allow_private,
        tuple(settings.knowledge_url_hosts),
        settings.llm_base_url,
        settings.llm_model,
    )


def open_knowledge_bases(settings: Settings, engine: Engine | None = None) -> KnowledgeBases:
    """The process-wide ``KnowledgeBases`` for ``settings`` (one per database, shared by the
    responder, the API and the CLI in one process). The embedder loads on first use; with an LLM
    configured, answers are written by it from the retrieved passages.
    """
    key = _cache_key(settings)
    with _opened_lock:
        bases = _opened.get(key)
        if bases is None:
            bases = _build(settings, engine)
            _opened[key] = bases
        return bases


def release_knowledge_bases(settings: Settings) -> None:
    """Forget the knowledge bases opened for ``settings`` and close the engine opened for them
    (call when a runtime shuts down; an engine handed in by the caller is left to the caller)."""
    with _opened_lock:
        bases = _opened.pop(_cache_key(settings), None)
    store = bases.store if bases is not None else None
    if isinstance(store, SqlKnowledgeStore) and store.owns_engine:
        store.engine.dispose()


def _build(settings: Settings, engine: Engine | None) -> KnowledgeBases:
    from relaydesk.embeddings.builder import build_embedder
    from relaydesk.knowledge.compose import GroundedLLMComposer
    from relaydesk.llm import build_llm
    from relaydesk.storage.database import make_engine

    store = SqlKnowledgeStore(engine or make_engine(settings.database_url))
    store.owns_engine = engine is None
    llm = build_llm(settings)
    composer = None
    if llm is not None:
        composer = (
            GroundedLLMComposer(llm)
            if settings.llm_mask_personal_data
            else GroundedLLMComposer(llm, redact=None)
        )
    return KnowledgeBases(
        store, lambda: build_embedder(settings), config=knowledge_config(settings), composer=composer
    )


def ingest_demo_helpcenter(
    settings: Settings,
    workspace_id: str,
    *,
    engine: Engine | None = None,
    directory: Path | None = None,
    progress: IngestProgress | None = None,
) -> IngestReport:
    """Ingest the demo help center (relaydesk/demo/helpcenter) into ``workspace_id``.

    Safe to call on every start: unchanged articles are skipped.
    """
    from relaydesk.knowledge import HELPCENTER_DIR, ingest_directory

    base = open_knowledge_bases(settings, engine).get(workspace_id)
    return ingest_directory(base, directory or HELPCENTER_DIR, progress)
