"""Similar-case search for one command (``relaydesk cases``): cases like a conversation, cases about
a text, and placing the conversations that have no vector from the configured embedder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from relaydesk.services.schema import open_database
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.cases.similar import SimilarCase, SimilarCaseFinder
    from relaydesk.storage.case_store import SqlCaseStore
    from relaydesk.storage.store import SqlStore


class CaseSearch:
    def __init__(self, finder: SimilarCaseFinder, cases: SqlCaseStore, store: SqlStore) -> None:
        self._finder = finder
        self._cases = cases
        self._store = store

    def similar_to(self, conversation_id: str, *, limit: int) -> list[SimilarCase]:
        """Resolved conversations like ``conversation_id``, most similar first."""
        return self._finder.for_conversation(self._store.get_conversation(conversation_id), limit=limit)

    def about(self, workspace_slug: str, text: str, *, limit: int) -> list[SimilarCase]:
        """Resolved conversations of the workspace about ``text``."""
        return self._finder.for_text(self._store.workspace_by_slug(workspace_slug).id, text, limit=limit)

    def reindex(
        self,
        workspace_slug: str | None = None,
        *,
        on_start: Callable[[], object] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """Place every conversation (of one workspace, or all) that has no vector from the
        configured embedder; ``(placed, looked at)``. Safe to run any time. ``on_start`` is called
        once the workspace is found, before any work; ``on_progress`` after each batch."""
        workspace_id = self._store.workspace_by_slug(workspace_slug).id if workspace_slug else None
        if on_start is not None:
            on_start()
        return self._finder.reindex(self._cases, workspace_id=workspace_id, on_progress=on_progress)


@contextmanager
def open_case_search(settings: Settings) -> Iterator[CaseSearch]:
    """Similar-case search on the configured database (migrated first) with the configured
    embedder; the database is closed when the block ends."""
    from relaydesk.cases.similar import SimilarCaseFinder
    from relaydesk.embeddings.builder import build_embedder
    from relaydesk.storage.case_store import SqlCaseStore
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        cases = SqlCaseStore(engine)
        finder = SimilarCaseFinder(
            cases, build_embedder(settings), min_similarity=settings.similar_case_min_similarity
        )
        yield CaseSearch(finder, cases, SqlStore(engine))
