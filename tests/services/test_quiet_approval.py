"""The outcome timer and approvals (walkthrough): a conversation whose refund waits for a person's
approval is not closed as quiet while the customer waits for the decision, and after a denial
that asks the customer for something the quiet time starts from the denial's message (and
closes it abandoned, not resolved). Played through the whole runtime with the default policy
(refunds above $50 need an approver) on SQLite and the demo store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from relaydesk.domain.models import Resolution, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.storage.tables import ConversationRow
from relaydesk.testing import make_agent, make_workspace


@pytest.fixture(scope="module")
def runtime(shop_runtime: Runtime) -> Runtime:
    return shop_runtime


def _hold_a_damaged_item_refund(runtime: Runtime, workspace: str) -> tuple[str, str]:
    """The demo's damaged-item refund up to the approval; (conversation id, approval id)."""
    conversation = runtime.desk.start_conversation(workspace).conversation.id
    for text in ("my order W3638028 arrived damaged and I want a refund", "james.li4495@example.com"):
        runtime.desk.post_customer_message(conversation, text)
    runtime.desk.post_customer_message(conversation, "the security camera, the lens is cracked")
    posted = runtime.desk.post_customer_message(conversation, "yes")
    assert "You don't need to do anything" in posted.replies[-1].text
    workspace_id = runtime.store.get_conversation(conversation).workspace_id
    (held,) = runtime.approvals.approvals.list(workspace_id, conversation_id=conversation)
    return conversation, held.id


def _quiet_since(runtime: Runtime, conversation_id: str, seconds: float) -> None:
    """As if nothing had happened in the conversation for ``seconds``."""
    with runtime.store.engine.begin() as db:
        db.execute(
            update(ConversationRow)
            .where(ConversationRow.id == conversation_id)
            .values(updated_at=utcnow() - timedelta(seconds=seconds))
        )


def test_a_conversation_waiting_for_an_approval_is_not_closed_as_quiet(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="quiet-pending")
    make_agent(runtime.store, ws, name="Lucas", tier=2, skills={"approvals": 0.9})
    conversation, approval_id = _hold_a_damaged_item_refund(runtime, "quiet-pending")
    _quiet_since(runtime, conversation, 10 * runtime.settings.settle_after_s)

    assert runtime.desk.outcomes.settle_quiet() == 0
    assert runtime.store.get_conversation(conversation).status.value == "with_ai"
    assert runtime.approvals.approvals.get(approval_id).status == "pending"


def test_after_a_denial_asking_for_something_the_quiet_time_starts_from_the_denial(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="quiet-denied")
    lucas = make_agent(runtime.store, ws, name="Lucas", tier=2, skills={"approvals": 0.9}).agent
    conversation, approval_id = _hold_a_damaged_item_refund(runtime, "quiet-denied")
    _quiet_since(runtime, conversation, 10 * runtime.settings.settle_after_s)
    assert runtime.desk.outcomes.settle_quiet() == 0  # still open when the decision comes

    runtime.approvals.deny(lucas, approval_id, note="Please send us a photo of the damage.")
    settle = timedelta(seconds=runtime.settings.settle_after_s)
    assert runtime.desk.outcomes.settle_quiet(utcnow() + settle / 2) == 0  # not quiet since the denial
    assert runtime.store.get_conversation(conversation).status.value == "with_ai"

    assert runtime.desk.outcomes.settle_quiet(utcnow() + settle * 2) == 1
    closed = runtime.store.get_conversation(conversation)
    # asked for a photo and gone quiet: abandoned, not resolved by the AI
    assert closed.resolution == Resolution.ABANDONED
    assert "gone quiet" in runtime.store.messages(conversation)[-1].text
