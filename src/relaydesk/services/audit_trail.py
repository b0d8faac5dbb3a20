"""A conversation's decision log in plain words (``relaydesk audit show``)."""

from __future__ import annotations

from relaydesk.governance.audit_text import AuditEntry, describe_all
from relaydesk.services.schema import open_database
from relaydesk.settings import Settings


def conversation_audit_trail(settings: Settings, conversation_id: str) -> list[AuditEntry]:
    """Every decision made in the conversation, oldest first, described; ``NotFound`` when there is
    no such conversation. The database is read as it is (not migrated)."""
    from relaydesk.storage.store import SqlStore

    with open_database(settings, migrate=False) as engine:
        store = SqlStore(engine)
        store.get_conversation(conversation_id)
        return describe_all(store.decisions(conversation_id))
