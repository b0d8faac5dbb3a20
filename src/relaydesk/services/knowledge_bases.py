"""A workspace's knowledge base, for the agents' API and ``relaydesk kb``: add, list, search, remove."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from relaydesk.services.schema import open_database
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.knowledge import KnowledgeBase
    from relaydesk.services.runtime import Runtime


def workspace_knowledge(runtime: Runtime, workspace_id: str) -> KnowledgeBase:
    """The knowledge base of ``workspace_id``: the one the knowledge responder answers from."""
    return runtime.knowledge().get(workspace_id)


@contextmanager
def open_workspace_knowledge(settings: Settings, workspace_slug: str) -> Iterator[KnowledgeBase]:
    """The knowledge base of the workspace ``workspace_slug`` on the configured database (migrated
    first), for one command; the database is closed when the block ends."""
    from relaydesk.services.wiring import build_knowledge
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        workspace = SqlStore(engine).workspace_by_slug(workspace_slug)
        yield build_knowledge(settings, engine).get(workspace.id)
