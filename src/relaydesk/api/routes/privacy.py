"""Admin API: erase a customer's personal data on request (docs/privacy.md).

The same use case as ``relaydesk customer erase``, for the workspace of the admin's key."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from relaydesk.api.deps import RuntimeDep
from relaydesk.api.roles import Admin
from relaydesk.services.customer_erasure import erase_customer_on

router = APIRouter(prefix="/v1/admin", tags=["admin"])


class CustomerErasureOut(BaseModel):
    """What the erasure changed; every count is 0 when the customer was already erased."""

    customer_id: str
    workspace_id: str
    conversations: int
    profile: int
    messages: int
    decision_values: int
    conversation_details: int
    notes: int
    ratings_and_feedback: int
    approvals: int
    case_vectors: int
    chat_links: int
    changed: int


@router.post("/customers/{customer}/erasure", response_model=CustomerErasureOut)
async def erase_customer(
    customer: Annotated[
        str, Path(min_length=1, max_length=200, description="The customer's id (cus_...) or external id")
    ],
    admin: Admin,
    runtime: RuntimeDep,
) -> CustomerErasureOut:
    """Erase the customer's name, e-mail, attributes, message texts, notes and the personal values
    their decisions referred to; conversations and counts stay for the KPIs. Idempotent: a repeat
    answers with zeros. 404 for a customer this workspace does not have."""
    done = await run_in_threadpool(erase_customer_on, runtime.engine, admin.workspace_id, customer)
    return CustomerErasureOut(**asdict(done), changed=done.changed)
