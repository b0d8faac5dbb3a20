"""The data sets shipped for the demo, loaded into a running system: the store's customers, orders
and products (tau-bench retail), and the Northwind help center."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relaydesk.knowledge import IngestReport
    from relaydesk.services.runtime import Runtime


def load_demo_store(runtime: Runtime) -> dict[str, int]:
    """Load the demo store's records unless it has some already; the counts of what it holds."""
    from relaydesk.storage.commerce_store import SqlCommerceStore

    return SqlCommerceStore(runtime.engine).load_demo_if_empty()


def ingest_demo_help_center(runtime: Runtime, workspace_id: str) -> IngestReport:
    """Ingest the demo help center into the workspace's knowledge base (unchanged articles are
    skipped, so it is safe on every start)."""
    from relaydesk.knowledge import HELPCENTER_DIR, ingest_directory

    return ingest_directory(runtime.knowledge().get(workspace_id), HELPCENTER_DIR)
