"""A customer whose request waits for a person's approval can still take it back, and is told
honestly what happens; played through the whole runtime with the default policy (refunds above
$50 need an approver) on SQLite and the demo store."""

from __future__ import annotations

import pytest

from relaydesk.domain.errors import Conflict
from relaydesk.services.runtime import Runtime
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.testing import make_agent, make_workspace


@pytest.fixture(scope="module")
def runtime(shop_runtime: Runtime) -> Runtime:
    return shop_runtime


def _hold_a_cancellation(runtime: Runtime, workspace: str) -> tuple[str, str]:
    """Cancel #W4172216 (over $50) by chat up to the approval; (conversation id, approval id)."""
    conversation = runtime.desk.start_conversation(workspace).conversation.id
    for text in ("please cancel order #W4172216", "lei.patel3765@example.com", "ordered by mistake"):
        posted = runtime.desk.post_customer_message(conversation, text)
    # the confirmation says before the yes that a person will have to approve it
    assert "a member of our team will check it before it happens" in posted.replies[-1].text
    posted = runtime.desk.post_customer_message(conversation, "yes")
    (held,) = runtime.approvals.approvals.list(runtime.store.get_conversation(conversation).workspace_id)
    assert "approv" in " ".join(r.text for r in posted.replies)
    return conversation, held.id


def _order_status(runtime: Runtime) -> str:
    order = SqlCommerceStore(runtime.store.engine).order("#W4172216")
    assert order is not None
    return order.status


def test_never_mind_withdraws_a_request_nobody_has_decided(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="withdraw")
    lucas = make_agent(runtime.store, ws, name="Lucas", tier=2, skills={"approvals": 0.9}).agent
    conversation, approval_id = _hold_a_cancellation(runtime, "withdraw")

    text = runtime.desk.post_customer_message(conversation, "how long will that take?").replies[-1].text
    assert "team" in text and "withdraw" in text  # answered, not handed to a person
    assert runtime.store.get_conversation(conversation).status.value == "with_ai"

    reply = runtime.desk.post_customer_message(conversation, "actually i changed my mind, dont cancel it")
    assert "withdrawn" in reply.replies[-1].text
    assert runtime.approvals.approvals.get(approval_id).status == "withdrawn"
    with pytest.raises(Conflict):  # the approver can no longer run it
        runtime.approvals.approve(lucas, approval_id)
    assert _order_status(runtime) == "pending"
