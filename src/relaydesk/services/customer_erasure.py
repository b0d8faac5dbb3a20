"""Erase a customer's personal data on request (``relaydesk customer erase``, docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from relaydesk.domain.models import utcnow
from relaydesk.domain.privacy import CustomerErasure
from relaydesk.services.schema import open_database
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine


class ErasureRecords(Protocol):
    """Where the erasure happens (``storage/erasure_store.py``)."""

    def find_customer(self, workspace_id: str, reference: str) -> str:
        """The id of the customer whose id or external id is ``reference``; NotFound otherwise."""
        ...

    def erase_customer(self, workspace_id: str, customer_id: str, *, at: datetime) -> CustomerErasure:
        """Remove or anonymise the customer's personal data in one transaction; idempotent."""
        ...


def erase_customer(
    records: ErasureRecords, workspace_id: str, reference: str, *, at: datetime | None = None
) -> CustomerErasure:
    """Erase the personal data of the workspace's customer ``reference`` (their id or external id).

    The customer's conversations, messages, ratings and decisions stay for the KPIs, anonymised;
    each conversation's audit trail gets an ``erasure`` decision. Running it again reports zeros."""
    customer_id = records.find_customer(workspace_id, reference.strip())
    return records.erase_customer(workspace_id, customer_id, at=at or utcnow())


def erase_customer_data(
    settings: Settings,
    workspace_slug: str,
    reference: str,
    *,
    confirm: Callable[[str], None] | None = None,
) -> CustomerErasure:
    """``erase_customer`` on the configured database (the CLI's entry). ``confirm`` is called with
    the customer's id once the workspace and the customer are found, before anything changes (it
    raises to stop): nobody is asked to confirm the erasure of a customer who does not exist."""
    from relaydesk.storage.erasure_store import SqlErasureStore
    from relaydesk.storage.store import SqlStore

    with open_database(settings) as engine:
        workspace = SqlStore(engine).workspace_by_slug(workspace_slug)
        records = SqlErasureStore(engine)
        customer_id = records.find_customer(workspace.id, reference.strip())
        if confirm is not None:
            confirm(customer_id)
        return erase_customer(records, workspace.id, customer_id)


def erase_customer_on(engine: Engine, workspace_id: str, reference: str) -> CustomerErasure:
    """``erase_customer`` on a running desk's database (the admin API's entry)."""
    from relaydesk.storage.erasure_store import SqlErasureStore

    return erase_customer(SqlErasureStore(engine), workspace_id, reference)
