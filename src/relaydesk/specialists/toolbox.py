"""What a flow step may use during one turn: the governed tools (every call judged and logged),
the governance session, the flow state, and short-lived caches of the records it read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from relaydesk.governance.actions import ActionSession, Verdict
from relaydesk.governance.governed import GovernedTools, ToolOutcome, ToolStatus
from relaydesk.specialists.state import FlowState


class Toolbox:
    def __init__(
        self,
        tools: GovernedTools,
        session: ActionSession,
        state: FlowState,
        *,
        message_id: str | None,
        flow: str = "",
    ) -> None:
        self.tools = tools
        self.session = session
        self.state = state
        self.message_id = message_id
        self.flow = flow
        self._orders: dict[str, ToolOutcome] = {}
        self._products: dict[str, dict[str, Any] | None] = {}
        self._user: dict[str, Any] | None = None
        self._catalogue: dict[str, str] | None = None
        self.last_refusal: str | None = None
        self.given_emails: list[str] = []
        """E-mail addresses the customer wrote earlier in the conversation (while waiting for a
        person, say): the identity step tries them before asking again."""

    # -- governed calls ---------------------------------------------------------------------------
    def call(self, name: str, args: Mapping[str, Any]) -> ToolOutcome:
        outcome = self.tools.call(self.session, name, args, message_id=self.message_id)
        self.state.tool_calls.append(
            {
                "tool": name,
                "args": _brief_args(args),
                "status": str(outcome.status),
                "reason": None if outcome.accepted else outcome.reason,
                "flow": self.flow,
                "approval_id": outcome.approval_id,
                "at": datetime.now(UTC).date().isoformat(),
            }
        )
        if outcome.status == ToolStatus.REFUSED:
            self.last_refusal = outcome.reason
        return outcome

    def confirm(self, name: str, args: Mapping[str, Any]) -> None:
        self.tools.confirm(self.session, name, dict(args), message_id=self.message_id)

    def needs_approval(self, name: str, args: Mapping[str, Any]) -> str | None:
        """Why a person must approve this call if the customer confirms it, or None."""
        verdict = self.tools.foresee(self.session, name, args)
        if verdict is not None and verdict.verdict == Verdict.NEEDS_APPROVAL:
            return verdict.reason
        return None

    def approval_status(self, approval_id: str) -> str | None:
        return self.tools.approval_status(approval_id)

    def withdraw(self, approval_id: str) -> str | None:
        return self.tools.withdraw(self.session, approval_id, message_id=self.message_id)

    def preview(self, name: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """The facts governance would judge the call on (amounts, statuses), without calling it."""
        tool = self.tools.tools.get(name)
        if tool is None:
            return {}
        try:
            return dict(tool.facts(dict(args)))
        except Exception:
            return {}

    # -- records (read through the governed tools, cached for the turn) ----------------------------
    @property
    def user_id(self) -> str | None:
        return self.session.authenticated_user_id

    def user(self) -> dict[str, Any] | None:
        if self._user is None and self.user_id:
            outcome = self.call("get_user_details", {"user_id": self.user_id})
            self._user = outcome.result if outcome.accepted else None
        return self._user

    def order(self, order_id: str) -> dict[str, Any] | None:
        if order_id not in self._orders:
            self._orders[order_id] = self.call("get_order_details", {"order_id": order_id})
        outcome = self._orders[order_id]
        return outcome.result if outcome.accepted else None

    def order_refusal(self, order_id: str) -> str | None:
        outcome = self._orders.get(order_id)
        return outcome.reason if outcome is not None and not outcome.accepted else None

    def forget_order(self, order_id: str) -> None:
        self._orders.pop(order_id, None)

    def product(self, product_id: str) -> dict[str, Any] | None:
        if product_id not in self._products:
            outcome = self.call("get_product_details", {"product_id": product_id})
            self._products[product_id] = outcome.result if outcome.accepted else None
        return self._products[product_id]

    def catalogue(self) -> dict[str, str]:
        """Product name -> product id."""
        if self._catalogue is None:
            outcome = self.call("list_all_product_types", {})
            self._catalogue = dict(outcome.result) if outcome.accepted else {}
        return self._catalogue

    def orders_of_user(self) -> list[dict[str, Any]]:
        user = self.user() or {}
        found = []
        for order_id in user.get("orders", []):
            order = self.order(order_id)
            if order is not None:
                found.append(order)
        return found


def _brief_args(args: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k not in ("email",)} | (
        {"email": "[email]"} if "email" in args else {}
    )
