"""The same action asked again from another conversation while its approval is pending is not held a
second time (walkthrough: two identical refunds of one camera waited side by side; approving the
second failed). The customer is told it already waits; the approver sees one card."""

from __future__ import annotations

import pytest

from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_workspace
from tests.conftest import CAMERA_REFUND


@pytest.fixture(scope="module")
def approvals_runtime(shop_runtime: Runtime) -> Runtime:
    """The default policy: a refund above $50 waits for a person's approval."""
    make_workspace(shop_runtime.store, slug="twice")
    return shop_runtime


def _ask(runtime: Runtime) -> tuple[str, str]:
    conversation = runtime.desk.start_conversation("twice").conversation.id
    for text in CAMERA_REFUND:
        posted = runtime.desk.post_customer_message(conversation, text)
    return conversation, posted.replies[-1].text


def test_the_same_refund_asked_from_a_second_conversation_waits_on_the_first_approval(
    approvals_runtime: Runtime,
) -> None:
    first, said = _ask(approvals_runtime)
    assert "approve" in said
    second, said_again = _ask(approvals_runtime)
    workspace = approvals_runtime.store.get_conversation(first).workspace_id
    (held,) = approvals_runtime.approvals.approvals.list(workspace)  # one card, not two
    assert held.request.conversation_id == first
    assert "already waiting" in said_again and "haven't asked a second time" in said_again
    logged = [
        d
        for d in approvals_runtime.store.decisions(second)
        if d.inputs.get("approval_id") == held.id and d.inputs.get("duplicate")
    ]
    assert logged  # the log names the approval the request waits on
