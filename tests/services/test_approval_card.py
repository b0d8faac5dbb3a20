"""What an approver reads on an approval card (walkthrough): two pending refunds of the same camera
looked identical and approving the second said only "Approval failed". Each approval now says who
the customer is, who asked, and the other pending requests of the same order; a second refund of
the same item fails with the records' reason and names the approval that already did it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from relaydesk.domain.models import Channel
from relaydesk.governance.approval import ApprovalStatus
from relaydesk.services.approvals import approval_view
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.conftest import CAMERA_REFUND


@pytest.fixture(scope="module")
def runtime(shop_runtime: Runtime) -> Runtime:
    return shop_runtime


def _ask_for_the_camera_refund(runtime: Runtime, workspace_id: str, name: str | None) -> str:
    """A conversation that asks for the camera's refund. The AI holds it for approval once; asked
    again while that waits, it says so and holds nothing (tests/services/test_approval_duplicates.py),
    so the second request here is stored as two conversations racing each other could store it."""
    customer = runtime.store.upsert_customer(workspace_id, external_id=None, name=name)
    conversation = runtime.store.create_conversation(
        workspace_id, customer.id, token=f"t-{customer.id}", channel=Channel.WEB
    ).id
    for text in CAMERA_REFUND:
        posted = runtime.desk.post_customer_message(conversation, text)
    said = posted.replies[-1].text
    if "already waiting" in said:
        (first,) = runtime.approvals.approvals.list(workspace_id)
        runtime.approvals.approvals.create_approval(replace(first.request, conversation_id=conversation))
    else:
        assert "You don't need to do anything" in said
    return conversation


def test_two_requests_for_the_same_refund_are_told_apart(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="card-apart")
    lucas = make_agent(runtime.store, ws, name="Lucas", tier=2).agent
    named = _ask_for_the_camera_refund(runtime, ws.id, "Ada Camera")
    unnamed = _ask_for_the_camera_refund(runtime, ws.id, None)

    found = runtime.approvals.list_approvals(lucas)
    views = {
        v["conversation_id"]: v
        for v in (approval_view(a, c) for a, c in zip(found, runtime.approvals.contexts(found), strict=True))
    }
    assert views[named]["customer"] == {"name": "Ada Camera", "email": "james.li4495@example.com"}
    # no name given: the name on the store account the AI verified
    assert views[unnamed]["customer"] == {"name": "James Li", "email": "james.li4495@example.com"}
    assert views[named]["requested_by"] == {"kind": "ai"}
    (other,) = views[named]["related"]
    assert other["conversation_id"] == unnamed and other["customer_name"] == "James Li"
    assert other["args"]["order_id"] == "#W3638028" and other["amount"] == views[unnamed]["amount"]
    assert [r["conversation_id"] for r in views[unnamed]["related"]] == [named]


def test_approving_the_second_refund_of_one_item_fails_naming_the_first(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="card-twice")
    lucas = make_agent(runtime.store, ws, name="Lucas", tier=2).agent
    first = _ask_for_the_camera_refund(runtime, ws.id, "Ada Camera")
    _ask_for_the_camera_refund(runtime, ws.id, "Ben Camera")
    one, two = runtime.approvals.list_approvals(lucas)
    assert one.request.conversation_id == first

    assert runtime.approvals.approve(lucas, one.id).approval.status == ApprovalStatus.APPROVED
    failed = runtime.approvals.approve(lucas, two.id).approval

    assert failed.status == ApprovalStatus.FAILED
    assert "order #W3638028 is return requested" in failed.result["reason"]
    stored = failed.result["earlier"]
    assert stored["id"] == one.id and stored["decided_by"] == "Lucas" and stored["decided_at"]
    assert "customer_name" not in stored  # no customer's name kept with another's approval
    earlier = approval_view(failed, runtime.approvals.context(failed))["result"]["earlier"]
    assert earlier["id"] == one.id and earlier["customer_name"] == "Ada Camera"  # read when shown
