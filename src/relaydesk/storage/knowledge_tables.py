"""Knowledge-base tables: sources (files, URLs, uploads) and their chunks with float32 vectors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from relaydesk.storage.tables import Base, JsonType


class KbSourceRow(Base):
    __tablename__ = "kb_sources"
    __table_args__ = (UniqueConstraint("workspace_id", "uri", name="uq_kb_sources_uri"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    uri: Mapped[str] = mapped_column(String(2000))
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the source's bytes: an unchanged source is skipped on re-ingest."""
    pipeline: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(Integer)
    chunk_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KbChunkRow(Base):
    __tablename__ = "kb_chunks"
    __table_args__ = (Index("ix_kb_chunks_source_ordinal", "source_id", "ordinal"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("kb_sources.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(String(64), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    article_key: Mapped[str] = mapped_column(String(64))
    article_title: Mapped[str] = mapped_column(String(500))
    article_url: Mapped[str | None] = mapped_column(String(2000))
    headings: Mapped[list[str]] = mapped_column(JsonType, default=list)
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """The chunk's sentence vector as little-endian float32 bytes."""
