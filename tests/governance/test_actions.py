"""The action policy on its own: the verdict for given facts, and the rules it names."""

from __future__ import annotations

import pytest

from relaydesk.commerce.tools import CancelPendingOrder, GetProductDetails
from relaydesk.domain.errors import ConfigurationError
from relaydesk.governance.actions import ActionPolicy, ActionSession, Verdict
from relaydesk.governance.governed import GovernedTools
from relaydesk.governance.policy import load_policy, parse_policy

CANCEL = CancelPendingOrder.spec
ARGS = {"order_id": "#A1", "reason": "no longer needed"}
FACTS = {
    "owner_user_id": "ann",
    "order_status": "pending",
    "cancel_reason": "no longer needed",
    "refund_amount": 20.0,
}


@pytest.fixture
def policy() -> ActionPolicy:
    loaded = load_policy()
    return ActionPolicy(loaded.actions, loaded.label)


def ready() -> ActionSession:
    session = ActionSession("c1", "w1", "ann")
    session.confirm(CANCEL.name, ARGS)
    return session


def test_a_confirmed_action_on_your_own_pending_order_is_allowed(policy: ActionPolicy) -> None:
    verdict = policy.check(CANCEL, ARGS, FACTS, ready())
    assert verdict.verdict == Verdict.ALLOW and verdict.rule is None
    assert {c.rule for c in verdict.checks} >= {
        "authentication_required",
        "own_records_only",
        "cancel_only_pending",
        "confirmation_required",
        "refund_approval",
    }
    assert all(c.passed for c in verdict.checks)


def test_the_first_broken_rule_decides_and_is_named(policy: ActionPolicy) -> None:
    verdict = policy.check(CANCEL, ARGS, {**FACTS, "order_status": "processed"}, ready())
    assert verdict.verdict == Verdict.DENY and verdict.rule == "cancel_only_pending"
    assert verdict.reason == "Only a pending order can be cancelled; order #A1 is processed."


def test_a_refund_above_the_limit_needs_approval_unless_approved(policy: ActionPolicy) -> None:
    big = {**FACTS, "refund_amount": 80.0}
    held = policy.check(CANCEL, ARGS, big, ready())
    assert held.verdict == Verdict.NEEDS_APPROVAL and held.rule == "refund_approval"
    assert held.approver_tier == 2 and held.amount == 80.0 and "80.00" in held.reason
    assert (
        policy.check(CANCEL, ARGS, big, ActionSession("c1", "w1", "ann"), approved=True).verdict
        == Verdict.ALLOW
    )


def test_a_deny_rule_wins_over_an_approval(policy: ActionPolicy) -> None:
    verdict = policy.check(
        CANCEL, ARGS, {**FACTS, "refund_amount": 80.0, "order_status": "delivered"}, ready()
    )
    assert verdict.verdict == Verdict.DENY


def test_without_an_amount_limit_any_refund_is_allowed(policy: ActionPolicy) -> None:
    store_rules = ActionPolicy(policy.rules.without_amount_limits())
    assert (
        store_rules.check(CANCEL, ARGS, {**FACTS, "refund_amount": 9999.0}, ready()).verdict == Verdict.ALLOW
    )


def test_public_tools_need_no_identity(policy: ActionPolicy) -> None:
    verdict = policy.check(GetProductDetails.spec, {"product_id": "p1"}, {}, ActionSession())
    assert verdict.verdict == Verdict.ALLOW


def test_a_rule_naming_a_tool_that_does_not_exist_is_refused_at_start() -> None:
    rules = parse_policy(
        "version: 1\nactions:\n  state_rules:\n    - {id: s, tools: [cancel_ordr], fact: f, "
        "allowed: [x], explain: e}\n"
    )
    with pytest.raises(ConfigurationError, match='line 4 names the tool "cancel_ordr"'):
        GovernedTools([CancelPendingOrder(repo=None)], ActionPolicy(rules.actions), log=None)  # type: ignore[arg-type]
