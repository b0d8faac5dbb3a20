"""The storage port of the knowledge base. The SQL adapter lives in relaydesk.storage.knowledge_store.

It is declared here rather than in ``domain/ports.py`` because its types (sources, chunks) belong to
the knowledge capability and nothing else in the core needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from relaydesk.knowledge.types import ChunkDraft, KnowledgeSource, SourceFormat, StoredChunk


class KnowledgeStore(Protocol):
    """Keeps a workspace's sources and their chunks (with vectors)."""

    def find_source(self, workspace_id: str, uri: str) -> KnowledgeSource | None:
        """The source stored under ``uri``, or None."""
        ...

    def get_source(self, workspace_id: str, source_id: str) -> KnowledgeSource:
        """Raises NotFound when the id is unknown in this workspace."""
        ...

    def list_sources(self, workspace_id: str) -> list[KnowledgeSource]: ...

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
        """Write the source and all its chunks in ONE transaction, replacing any earlier version.

        Either everything is written or nothing is: readers never see half a source.
        """
        ...

    def delete_source(self, workspace_id: str, source_id: str) -> None: ...

    def load_chunks(self, workspace_id: str) -> list[StoredChunk]:
        """Every chunk of the workspace, ordered by source then ordinal."""
        ...

    def revision(self, workspace_id: str) -> str:
        """A cheap token that changes whenever a source is written or deleted."""
        ...
