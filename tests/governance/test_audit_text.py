"""The audit trail in plain words."""

from __future__ import annotations

from relaydesk.domain.ids import WorkspaceId
from relaydesk.domain.models import Decision
from relaydesk.governance.audit_text import describe, render_text
from tests.governance.conftest import T0


def decision(kind: str, outcome: str, summary: str, reasons: list, inputs: dict | None = None) -> Decision:  # type: ignore[type-arg]
    return Decision(
        "d1", WorkspaceId("w1"), None, None, kind, outcome, summary, inputs or {}, reasons, "p1#abc", 0.0, T0
    )


def test_an_escalation_names_each_fired_rule_and_what_it_saw() -> None:
    entry = describe(
        decision(
            "escalation",
            "escalate",
            "A person takes over: frustration 0.90 is at or above 0.75.",
            [
                {
                    "rule": "frustrated_customer",
                    "family": "implicit",
                    "reason": "frustration high",
                    "values": {"frustration": 0.9, "threshold": 0.75},
                }
            ],
        )
    )
    assert entry.headline.startswith("Escalation check: A person takes over")
    assert entry.details == (
        "rule frustrated_customer (implicit) fired: frustration high (saw frustration=0.90, threshold=0.75)",
    )


def test_a_refused_tool_call_says_which_rule_was_not_met() -> None:
    entry = describe(
        decision(
            "tool_call",
            "refused",
            "The AI did not run cancel_pending_order: only pending orders (rule cancel_only_pending).",
            [
                {"rule": "authentication_required", "passed": True, "reason": "verified"},
                {
                    "rule": "cancel_only_pending",
                    "passed": False,
                    "reason": "Only a pending order can be cancelled.",
                },
            ],
            {"tool": "cancel_pending_order", "args": {"order_id": "#W1"}},
        )
    )
    assert entry.details[0] == "tool cancel_pending_order with order_id=#W1"
    assert "rule cancel_only_pending NOT met: Only a pending order can be cancelled." in entry.details
    text = render_text([entry])
    assert "[refused; p1#abc]" in text and "    - rule authentication_required met: verified" in text
