"""A conversation's place in the specialist flows, stored as plain data on the conversation.

``FlowState`` holds the flow in progress (``active``: which flow, its version, the step it is at,
the slots it filled), flows set aside while the customer asked something else (``suspended``, the
newest last), what every flow may reuse (``shared``: the verified customer, the orders mentioned,
so the customer never repeats them) and the tool calls made, which the handoff brief shows.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

MAX_TOOL_CALLS = 30
"""Tool calls kept on the conversation for the brief (all of them stay in the decision log)."""


@dataclass
class FlowFrame:
    name: str
    version: str
    step: int = 0
    slots: dict[str, Any] = field(default_factory=dict)
    asked: str | None = None
    """The slot the AI's last message asked for (None when it asked nothing)."""
    attempts: int = 0
    """Times the current step asked without getting what it needs."""
    approval_id: str | None = None
    """An action of this flow waiting for a person's approval."""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "step": self.step,
            "slots": self.slots,
            "asked": self.asked,
            "attempts": self.attempts,
            "approval_id": self.approval_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FlowFrame:
        return cls(
            name=str(data["name"]),
            version=str(data.get("version", "")),
            step=int(data.get("step", 0)),
            slots=dict(data.get("slots") or {}),
            asked=data.get("asked"),
            attempts=int(data.get("attempts", 0)),
            approval_id=data.get("approval_id"),
        )


@dataclass
class FlowState:
    active: FlowFrame | None = None
    suspended: list[FlowFrame] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finished: list[dict[str, Any]] = field(default_factory=list)
    """Flows that ended: name, outcome (done, refused, dropped, escalated)."""
    intake: dict[str, Any] = field(default_factory=dict)
    """Answers an intake flow gathered for the person who takes the conversation."""

    def to_json(self) -> dict[str, Any]:
        return {
            "active": self.active.to_json() if self.active else None,
            "suspended": [f.to_json() for f in self.suspended],
            "shared": self.shared,
            "tool_calls": self.tool_calls[-MAX_TOOL_CALLS:],
            "finished": self.finished[-MAX_TOOL_CALLS:],
            "intake": self.intake,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> FlowState:
        """A state of its own: nothing in ``data`` (the conversation as read) is shared with it, so
        running the flow never changes the conversation the turn was planned on."""
        if not data:
            return cls()
        data = copy.deepcopy(data)
        active = data.get("active")
        return cls(
            active=FlowFrame.from_json(active) if active else None,
            suspended=[FlowFrame.from_json(f) for f in data.get("suspended") or []],
            shared=dict(data.get("shared") or {}),
            tool_calls=list(data.get("tool_calls") or []),
            finished=list(data.get("finished") or []),
            intake=dict(data.get("intake") or {}),
        )

    def awaiting_approval(self) -> dict[str, Any] | None:
        """The latest finished flow whose action waits for a person's approval, if any (its record:
        flow, outcome, approval_id)."""
        for record in reversed(self.finished):
            if record.get("approval_id") and record.get("outcome") == "awaiting_approval":
                return record
        return None

    def remember_order(self, order_id: str) -> None:
        orders = [o for o in self.shared.get("orders", []) if o != order_id]
        self.shared["orders"] = [*orders, order_id][-10:]
