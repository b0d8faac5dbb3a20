"""Workspaces and their customers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from relaydesk.domain.customer_records import checked_attributes
from relaydesk.domain.errors import Conflict, NotFound
from relaydesk.domain.ids import new_id
from relaydesk.domain.models import (
    Customer,
    CustomerTier,
    Workspace,
    utcnow,
)
from relaydesk.storage import convert
from relaydesk.storage.record_store import RecordStore
from relaydesk.storage.tables import (
    CustomerRow,
    WorkspaceRow,
)
from relaydesk.triage.pii import redact_card_numbers_deep


class SqlWorkspaceStore(RecordStore):
    """Workspaces (one per support team or brand) and customers."""

    # -- workspaces -------------------------------------------------------------------------------
    def create_workspace(self, slug: str, name: str) -> Workspace:
        row = WorkspaceRow(id=new_id("ws"), slug=slug, name=name, created_at=utcnow())
        with self._sessions.begin() as s:
            if s.scalar(select(WorkspaceRow.id).where(WorkspaceRow.slug == slug)):
                raise Conflict(f'A workspace with slug "{slug}" already exists')
            s.add(row)
        return convert.workspace(row)

    def workspace_by_slug(self, slug: str) -> Workspace:
        with self.session() as s:
            row = s.scalar(select(WorkspaceRow).where(WorkspaceRow.slug == slug))
            if row is None:
                raise NotFound(f'No workspace with slug "{slug}"')
            return convert.workspace(row)

    def get_workspace(self, workspace_id: str) -> Workspace:
        with self.session() as s:
            row = s.get(WorkspaceRow, workspace_id)
            if row is None:
                raise NotFound(f'No workspace with id "{workspace_id}"')
            return convert.workspace(row)

    # -- customers --------------------------------------------------------------------------------
    def upsert_customer(
        self,
        workspace_id: str,
        *,
        external_id: str | None = None,
        name: str | None = None,
        email: str | None = None,
        tier: CustomerTier = CustomerTier.STANDARD,
        language: str = "en",
        attributes: dict[str, Any] | None = None,
        keep_existing: bool = False,
    ) -> Customer:
        """The customer with ``external_id`` in this workspace, created or updated; anonymous if None.
        Card numbers in ``attributes`` are cut to their last four digits (triage/pii.py)."""
        # bounded first: the redaction below walks the value recursively
        attributes = redact_card_numbers_deep(checked_attributes(attributes)) if attributes else attributes
        with self._sessions.begin() as s:
            row = None
            if external_id is not None:
                row = s.scalar(
                    select(CustomerRow).where(
                        CustomerRow.workspace_id == workspace_id, CustomerRow.external_id == external_id
                    )
                )
            if row is None:
                row = CustomerRow(
                    id=new_id("cus"),
                    workspace_id=workspace_id,
                    external_id=external_id,
                    created_at=utcnow(),
                    attributes={},
                )
                s.add(row)
            elif keep_existing:
                return convert.customer(row)
            row.name = name if name is not None else row.name
            row.email = email if email is not None else row.email
            row.tier = str(tier)
            row.language = language
            if attributes:
                row.attributes = {**(row.attributes or {}), **attributes}
            s.flush()
            return convert.customer(row)

    def customer_by_external_id(self, workspace_id: str, external_id: str) -> Customer | None:
        """The customer the company knows as ``external_id`` in this workspace, if any."""
        with self.session() as s:
            row = s.scalar(
                select(CustomerRow).where(
                    CustomerRow.workspace_id == workspace_id, CustomerRow.external_id == external_id
                )
            )
            return convert.customer(row) if row is not None else None

    def get_customer(self, customer_id: str) -> Customer:
        with self.session() as s:
            row = s.get(CustomerRow, customer_id)
            if row is None:
                raise NotFound(f'No customer with id "{customer_id}"')
            return convert.customer(row)
