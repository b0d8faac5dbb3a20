"""The demo store's tools through governance: verify, confirm, act on your own records, once."""

from __future__ import annotations

from relaydesk.governance.actions import ActionSession
from relaydesk.governance.governed import GovernedTools, ToolStatus
from relaydesk.storage.commerce_store import SqlCommerceStore
from relaydesk.storage.store import SqlStore
from tests.commerce.conftest import OLIVIA, YUSUF, YUSUF_EMAIL

SWAP = {
    "order_id": "#W4776164",
    "item_ids": ["8349118980"],
    "new_item_ids": ["9647292434"],
    "payment_method_id": "credit_card_9513926",
}


def verify(governed: GovernedTools, session: ActionSession) -> None:
    assert governed.call(session, "find_user_id_by_email", {"email": YUSUF_EMAIL}).accepted
    assert session.authenticated_user_id == YUSUF


def test_order_details_need_a_verified_customer(governed: GovernedTools, session: ActionSession) -> None:
    refused = governed.call(session, "get_order_details", {"order_id": "#W4776164"})
    assert refused.status == ToolStatus.REFUSED and refused.rule == "authentication_required"
    verify(governed, session)
    shown = governed.call(session, "get_order_details", {"order_id": "#W4776164"})
    assert shown.accepted and shown.result["status"] == "pending"


def test_a_lookup_by_name_and_zip_also_verifies(governed: GovernedTools, session: ActionSession) -> None:
    found = governed.call(
        session, "find_user_id_by_name_zip", {"first_name": "Yusuf", "last_name": "Rossi", "zip": "19122"}
    )
    assert found.result == YUSUF and session.authenticated_user_id == YUSUF


def test_another_customers_order_is_refused_even_to_read(
    governed: GovernedTools, session: ActionSession
) -> None:
    verify(governed, session)
    olivias = governed.call(session, "get_order_details", {"order_id": "#W5442520"})
    assert olivias.rule == "own_records_only"
    profile = governed.call(session, "get_user_details", {"user_id": OLIVIA})
    assert profile.rule == "own_records_only"


def test_a_change_needs_confirmation_of_the_exact_action(
    governed: GovernedTools, session: ActionSession, repo: SqlCommerceStore
) -> None:
    verify(governed, session)
    assert governed.call(session, "modify_pending_order_items", SWAP).rule == "confirmation_required"
    governed.confirm(session, "modify_pending_order_items", {**SWAP, "new_item_ids": ["2060066974"]})
    assert governed.call(session, "modify_pending_order_items", SWAP).rule == "confirmation_required"
    governed.confirm(session, "modify_pending_order_items", SWAP)
    done = governed.call(session, "modify_pending_order_items", SWAP)
    assert done.accepted, done.reason
    assert repo.order("#W4776164").status == "pending (item modified)"  # type: ignore[union-attr]


def test_items_can_be_modified_only_once(governed: GovernedTools, session: ActionSession) -> None:
    verify(governed, session)
    governed.confirm(session, "modify_pending_order_items", SWAP)
    assert governed.call(session, "modify_pending_order_items", SWAP).accepted
    back = {**SWAP, "item_ids": SWAP["new_item_ids"], "new_item_ids": SWAP["item_ids"]}
    governed.confirm(session, "modify_pending_order_items", back)
    again = governed.call(session, "modify_pending_order_items", back)
    assert again.status == ToolStatus.REFUSED and again.rule == "once_only"


def test_cancelling_a_delivered_order_is_refused_with_the_rule_named(
    governed: GovernedTools, session: ActionSession
) -> None:
    verify(governed, session)
    args = {"order_id": "#W2378156", "reason": "no longer needed"}
    governed.confirm(session, "cancel_pending_order", args)
    refused = governed.call(session, "cancel_pending_order", args)
    assert refused.rule == "cancel_only_pending"
    assert "delivered" in refused.reason


def test_a_refund_over_the_limit_waits_for_approval(
    governed: GovernedTools, session: ActionSession, repo: SqlCommerceStore
) -> None:
    verify(governed, session)
    args = {"order_id": "#W6247578", "reason": "no longer needed"}
    governed.confirm(session, "cancel_pending_order", args)
    held = governed.call(session, "cancel_pending_order", args)
    assert held.status == ToolStatus.PENDING_APPROVAL and held.rule == "refund_approval"
    assert held.approval_id and "53.27" in held.reason
    assert repo.order("#W6247578").status == "pending"  # type: ignore[union-attr]


def test_every_call_is_in_the_decision_log_and_the_session_can_be_rebuilt_from_it(
    governed: GovernedTools, session: ActionSession, demo_store: SqlStore
) -> None:
    conversation_session = ActionSession("conv_x", session.workspace_id)
    verify(governed, conversation_session)
    governed.confirm(conversation_session, "modify_pending_order_items", SWAP)
    governed.call(conversation_session, "modify_pending_order_items", SWAP)
    governed.call(conversation_session, "get_order_details", {"order_id": "#nope"})
    log = demo_store.decisions("conv_x")
    assert [(d.kind, d.outcome) for d in log] == [
        ("tool_call", "executed"),
        ("confirmation", "confirmed"),
        ("tool_call", "executed"),
        ("tool_call", "refused"),
    ]
    assert all(d.version.startswith("default-") for d in log)
    rebuilt = governed.restore_session(log, conversation_id="conv_x", workspace_id=session.workspace_id)
    assert rebuilt.authenticated_user_id == YUSUF
    assert rebuilt.done == {"modify_pending_order_items:#W4776164"} and rebuilt.confirmed == set()


def test_bad_arguments_and_unknown_tools_are_refused_by_name(
    governed: GovernedTools, session: ActionSession
) -> None:
    assert governed.call(session, "drop_tables", {}).rule == "unknown_tool"
    missing = governed.call(session, "cancel_pending_order", {"order_id": "#W6247578"})
    assert missing.rule == "invalid_arguments" and "reason" in missing.reason
    extra = governed.call(session, "calculate", {"expression": "1+1", "mode": "fast"})
    assert extra.rule == "invalid_arguments" and "mode" in extra.reason
    assert (
        governed.call(session, "calculate", {"expression": "__import__('os')"}).status == ToolStatus.REFUSED
    )
    assert governed.call(session, "calculate", {"expression": "(2 + 3) * 4.5"}).result == "22.5"
