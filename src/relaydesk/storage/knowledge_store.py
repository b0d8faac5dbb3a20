"""The SQL ``KnowledgeStore``: sources and chunks of the workspaces' knowledge bases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from relaydesk.domain.errors import Conflict, InvalidInput, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import utcnow
from relaydesk.knowledge.types import ChunkDraft, KnowledgeSource, SourceFormat, StoredChunk
from relaydesk.storage.database import make_session_factory
from relaydesk.storage.knowledge_tables import KbChunkRow, KbSourceRow


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
