"""Where an order stands, when a flow cannot go on because of it: a request on the order made
earlier in this conversation and still waiting for a person's approval, a return or exchange
already registered, a cancelled order, one already on its way or delivered. The customer reads it
plainly in their language (never the store's status word alone) and is offered a person in case
they still want something done; the flow ends ``not_possible``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from relaydesk.specialists import extract as ex
from relaydesk.specialists import flow_texts as ft
from relaydesk.specialists.steps.base import Outcome, StepInput

REQUESTS = {
    "return_delivered_order_items": "return",
    "exchange_delivered_order_items": "exchange",
    "cancel_pending_order": "cancellation",
    "modify_pending_order_items": "change",
    "modify_pending_order_address": "change",
    "modify_pending_order_payment": "change",
}
"""The tools that act on an order, and the kind of request each is (``standing_texts.py``)."""
REQUESTED_BY = {
    "return requested": "return_delivered_order_items",
    "exchange requested": "exchange_delivered_order_items",
    "cancelled": "cancel_pending_order",
}


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def awaiting_request(s: StepInput, order: dict[str, Any]) -> Outcome | None:
    """A request on this order, made earlier in this conversation, that still waits for a person's
    approval: another one is not started beside it."""
    for call in reversed(s.box.state.tool_calls):
        args = call.get("args") or {}
        kind = REQUESTS.get(str(call.get("tool")))
        approval_id = call.get("approval_id")
        if kind is None or not approval_id or args.get("order_id") != order["order_id"]:
            continue
        if s.box.approval_status(str(approval_id)) != "pending":
            continue
        text = s.say(
            "standing.awaiting",
            request=s.say(f"request.{kind}"),
            items=_item_names(order, args.get("item_ids")),
            order_id=order["order_id"],
            when=_when(s, call.get("at")),
        )
        why = (
            f"the customer asked again about order {order['order_id']}, whose {kind} request "
            f"(approval {approval_id}) still waits for a person's approval"
        )
        return not_possible(s, text, why)
    return None


def wrong_status(s: StepInput, order: dict[str, Any], statuses: list[str]) -> Outcome:
    """The order is not in a state the flow can act on: say where it stands and what that means."""
    status = str(order["status"])
    order_id = str(order["order_id"])
    when = _when(s, _requested_at(s, order_id, REQUESTED_BY.get(status)))
    if status == "return requested":
        returned = order.get("return_items") or []
        amount = sum(float(i["price"]) for i in order["items"] if str(i["item_id"]) in map(str, returned))
        text = s.say(
            "standing.return_requested",
            items=_item_names(order, returned),
            order_id=order_id,
            when=when,
            amount=ex.money(amount),
            method=_method(s, order.get("return_payment_method_id")),
        )
    elif status == "exchange requested":
        text = s.say(
            "standing.exchange_requested",
            items=_item_names(order, order.get("exchange_items")),
            order_id=order_id,
            when=when,
        )
    elif status == "cancelled":
        text = s.say("standing.cancelled", order_id=order_id, when=when)
        refunds = [p for p in order.get("payment_history", []) if p.get("transaction_type") == "refund"]
        if refunds:
            text += " " + s.say(
                "standing.refunded",
                amount=ex.money(sum(float(p["amount"]) for p in refunds)),
                method=_method(s, refunds[-1].get("payment_method_id")),
            )
    elif "pending" in statuses and status == "processed":
        text = s.say("standing.shipped", order_id=order_id)
    elif "pending" in statuses and status == "delivered":
        text = s.say("standing.delivered", order_id=order_id)
    elif "delivered" in statuses and status in ("pending", "processed"):
        text = s.say("standing.not_delivered", order_id=order_id, status=ft.status_word(status, s.language))
    else:
        text = s.say(
            "order.wrong_status",
            order_id=order_id,
            status=ft.status_word(status, s.language),
            title=s.title.lower() if s.language == "en" else s.title,
            statuses=(" or " if s.language == "en" else " / ").join(
                ft.status_word(x, s.language) for x in statuses
            ),
            anything_else="",
        ).rstrip()
    why = (
        f"the customer wanted '{s.title}' for order {order_id}, which is {status} "
        f"(the flow needs {' or '.join(statuses)})"
    )
    return not_possible(s, text, why)


def not_possible(s: StepInput, text: str, why: str) -> Outcome:
    """The flow ends here, and the customer is offered a person (``why``: for the brief)."""
    return Outcome(
        "finish", f"{text} {s.say('standing.offer_person')}", label="not_possible", person_offer=why
    )


def _item_names(order: dict[str, Any], item_ids: Any) -> str:
    ids = [str(i) for i in item_ids or []]
    names = [str(i["name"]) for i in order["items"] if str(i["item_id"]) in ids]
    return ", ".join(dict.fromkeys(names or [str(i["name"]) for i in order["items"]]))


def _requested_at(s: StepInput, order_id: str, tool: str | None) -> str | None:
    """The day this conversation asked for the order's current state, when it did."""
    for call in reversed(s.box.state.tool_calls):
        if call.get("tool") == tool and (call.get("args") or {}).get("order_id") == order_id:
            at = call.get("at")
            return str(at) if at else None
    return None


def _when(s: StepInput, at: Any) -> str:
    if not at:
        return ""
    if str(at) == today():
        return s.say("standing.today")
    return s.say("standing.on_date", date=str(at))


def _method(s: StepInput, method_id: Any) -> str:
    methods = (s.box.user() or {}).get("payment_methods") or {}
    method = methods.get(str(method_id)) if isinstance(methods, dict) else None
    return ex.describe_method(method) if method else str(method_id or "")
