"""The decision log in plain words: "why did the AI do that?" for a person reading the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from relaydesk.domain.models import Decision

KIND_WORDS = {
    "triage": "Read the message",
    "escalation": "Escalation check",
    "response": "Answered",
    "route": "Routed",
    "assignment": "Assigned",
    "delivery": "Delivered to the agent",
    "handback": "Handed back to the AI",
    "resolution": "Resolved",
    "tool_call": "Tool call",
    "confirmation": "Customer confirmed",
    "approval": "Approval decision",
}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One decision told in words: a headline and the details behind it."""

    at: str
    kind: str
    outcome: str
    headline: str
    details: tuple[str, ...]
    version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "kind": self.kind,
            "outcome": self.outcome,
            "headline": self.headline,
            "details": list(self.details),
            "version": self.version,
        }


def describe(decision: Decision) -> AuditEntry:
    kind = KIND_WORDS.get(decision.kind, decision.kind.replace("_", " ").capitalize())
    return AuditEntry(
        at=decision.created_at.isoformat(timespec="seconds"),
        kind=decision.kind,
        outcome=decision.outcome,
        headline=f"{kind}: {decision.summary}",
        details=tuple(_details(decision)),
        version=decision.version,
    )


def describe_all(decisions: Iterable[Decision]) -> list[AuditEntry]:
    return [describe(d) for d in decisions]


def _details(decision: Decision) -> list[str]:
    lines: list[str] = []
    for reason in decision.reasons or []:
        if not isinstance(reason, dict):
            lines.append(str(reason))
        elif "family" in reason and "rule" in reason:  # an escalation trigger that fired
            lines.append(
                f"rule {reason['rule']} ({reason['family']}) fired: {reason.get('reason', '')}"
                + _values(reason.get("values"))
            )
        elif "rule" in reason and "passed" in reason:  # an action rule checked
            mark = "met" if reason["passed"] else "NOT met"
            lines.append(f"rule {reason['rule']} {mark}: {reason.get('reason', '')}")
    inputs = decision.inputs or {}
    if decision.kind == "tool_call" and "tool" in inputs:
        lines.insert(
            0, f"tool {inputs['tool']} with {_values(inputs.get('args'), bare=True) or 'no arguments'}"
        )
        if inputs.get("approval_id"):
            lines.append(
                f"approval {inputs['approval_id']}"
                + (f" by {inputs['approved_by']}" if inputs.get("approved_by") else "")
            )
    return lines


def _values(values: Any, *, bare: bool = False) -> str:
    if not isinstance(values, dict) or not values:
        return ""
    text = ", ".join(f"{k}={_short(v)}" for k, v in values.items())
    return text if bare else f" (saw {text})"


def _short(value: Any) -> str:
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def render_text(entries: Iterable[AuditEntry]) -> str:
    """The trail as text lines, oldest first."""
    out: list[str] = []
    for entry in entries:
        out.append(f"{entry.at}  {entry.headline}  [{entry.outcome}; {entry.version}]")
        out.extend(f"    - {line}" for line in entry.details)
    return "\n".join(out)
