"""Admin API: the company's records of its customers (tier, attributes), which the chat may not set.

The chat only claims who a customer is; the tier that sets their service level and the attributes
the brief and the policy read come from here (an admin's key) or from the desk's own code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from relaydesk.api.deps import RuntimeDep
from relaydesk.api.roles import Admin
from relaydesk.domain.customer_records import checked_attributes
from relaydesk.domain.errors import NotFound
from relaydesk.domain.models import Customer, CustomerTier
from relaydesk.services.message_input import require_unicode

router = APIRouter(prefix="/v1/admin", tags=["admin"])

ExternalId = Annotated[
    str,
    Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:@+-]+$", description="The company's own id"),
]


class CustomerRecordIn(BaseModel):
    """Fields left out keep their value; ``attributes`` are merged key by key into the record's."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    language: str | None = Field(None, pattern=r"^[a-z]{2}(-[A-Za-z]{2})?$")
    tier: CustomerTier | None = None
    attributes: dict[str, Any] | None = Field(
        None, description="At most 4 levels deep, 16 KiB as JSON, keys up to 100 characters"
    )

    @field_validator("attributes")
    @classmethod
    def _bounded(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return checked_attributes(value) if value is not None else None


class CustomerRecordOut(BaseModel):
    id: str
    external_id: str | None
    name: str | None
    email: str | None
    tier: CustomerTier
    language: str
    attributes: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, c: Customer) -> CustomerRecordOut:
        return cls(
            id=c.id,
            external_id=c.external_id,
            name=c.name,
            email=c.email,
            tier=c.tier,
            language=c.language,
            attributes=c.attributes,
            created_at=c.created_at,
        )


@router.put(
    "/customers/{external_id}",
    response_model=CustomerRecordOut,
    responses={201: {"model": CustomerRecordOut, "description": "Created"}},
)
def put_customer(
    external_id: ExternalId, body: CustomerRecordIn, admin: Admin, runtime: RuntimeDep, response: Response
) -> CustomerRecordOut:
    """Create or update the customer the company knows as ``external_id`` (200 updated, 201 created)."""
    for value, what in ((body.name, "name"), (body.email, "email"), (body.attributes, "attributes")):
        require_unicode(value, what)
    store = runtime.store
    existing = store.customer_by_external_id(admin.workspace_id, external_id)
    customer = store.upsert_customer(
        admin.workspace_id,
        external_id=external_id,
        name=body.name,
        email=body.email,
        tier=body.tier or (existing.tier if existing else CustomerTier.STANDARD),
        language=body.language or (existing.language if existing else "en"),
        attributes=body.attributes,
    )
    if existing is None:
        response.status_code = status.HTTP_201_CREATED
    return CustomerRecordOut.of(customer)


@router.get("/customers/{external_id}", response_model=CustomerRecordOut)
def get_customer(external_id: ExternalId, admin: Admin, runtime: RuntimeDep) -> CustomerRecordOut:
    customer = runtime.store.customer_by_external_id(admin.workspace_id, external_id)
    if customer is None:
        raise NotFound(f'No customer with external_id "{external_id}" in this workspace')
    return CustomerRecordOut.of(customer)
